"""What this computer says: the time, in UTC, and who is logged in.

A leaf module: the pure core (the desk's commands), the show process and the
command line all ask here, and nothing here imports studio.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_operator() -> str:
    """The login name, for a station that names no operator in its config."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "producer"
