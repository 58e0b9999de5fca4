"""What this computer says: the time, in UTC, who is logged in, and where a file is.

A leaf module: the pure core (the desk's commands), the show process and the
command line all ask here, and nothing here imports studio.
"""

from __future__ import annotations

import getpass
from datetime import UTC, datetime
from pathlib import Path

SHORT_PATH = 40
"""Characters a file's place takes at most in a header."""


def utc_now() -> datetime:
    return datetime.now(UTC)


def default_operator() -> str:
    """The login name, for a station that names no operator in its config."""
    try:
        return getpass.getuser()
    except Exception:  # no login name in some containers
        return "producer"


def short_path(path: Path, width: int = SHORT_PATH) -> str:
    """A file's place as a header shows it: ``~`` for the home folder, the end kept when it is long."""
    text, home = str(path), str(Path.home())
    if text.startswith(home + "/"):
        text = "~" + text[len(home):]
    return text if len(text) <= width else "…" + text[-(width - 1):]
