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


def short_path(path: str | Path, width: int | None = None) -> str:
    """A file's place as a person reads it: from the working directory when it lies below it, else from
    ``~``; with ``width``, only its end when it is longer (a header's store: ``SHORT_PATH``). A store's
    PostgreSQL URL is shown without its password."""
    from studio.store.location import is_url, shown

    text = str(path)
    for base, prefix in () if is_url(text) else ((Path.cwd(), ""), (Path.home(), "~/")):
        try:
            text = prefix + str(Path(path).relative_to(base))
            break
        except ValueError:
            continue
    text = shown(text)
    return text if width is None or len(text) <= width else "…" + text[-(width - 1):]
