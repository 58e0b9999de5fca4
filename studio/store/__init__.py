"""The embedded store: one SQLite file shared by every studio process."""

from studio.store.db import StoreError
from studio.store.show import AsRunRow, EventRow, ShowState, ShowStore, Withdrawn, open_store

__all__ = ["AsRunRow", "EventRow", "ShowState", "ShowStore", "StoreError", "Withdrawn", "open_store"]
