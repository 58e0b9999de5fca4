"""The embedded store: one SQLite file shared by every studio process."""

from studio.store.db import StoreError, open_store
from studio.store.show import AsRunRow, EventRow, ShowState, ShowStore, Withdrawn

__all__ = ["AsRunRow", "EventRow", "ShowState", "ShowStore", "StoreError", "Withdrawn", "open_store"]
