"""Where a store is, as studio is given it and as it prints it: a path is a SQLite file, a ``postgresql://``
URL a PostgreSQL database. Nothing here opens either (studio/store/backends.py does); the password a URL
may carry never leaves ``shown``."""

from __future__ import annotations

from pathlib import Path
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

URL_SCHEMES = ("postgresql://", "postgres://")


def is_url(location: Path | str) -> bool:
    """Whether ``location`` names a PostgreSQL database rather than a SQLite file."""
    return isinstance(location, str) and location.startswith(URL_SCHEMES)


def resolved(location: Path | str) -> Path | str:
    """A file's absolute path (children started elsewhere find it), a URL as it is."""
    return location if is_url(location) else Path(location).resolve()


def location_of(text: str | Path) -> Path | str:
    """What ``--store``, $STUDIO_STORE or config.toml's [store] path name: a URL kept as given (``Path``
    would fold its ``//``), anything else a file's path (``~`` expanded)."""
    return text if is_url(text := str(text)) else Path(text).expanduser()


def has_password(location: Path | str) -> bool:
    """Whether the URL carries a password (its user part or a ``password=`` parameter)."""
    if not is_url(location):
        return False
    parts = urlsplit(str(location))
    return parts.password is not None or any(key == "password" for key, _ in parse_qsl(parts.query))


def shown(location: Path | str) -> str:
    """The store as studio prints it (headers, errors, logs): a file's path, or the URL without its password."""
    if not is_url(location):
        return str(location)
    parts = urlsplit(str(location))
    user = f"{parts.username}@" if parts.username else ""
    host = parts.netloc.rpartition("@")[2]
    query = urlencode([(key, value) for key, value in parse_qsl(parts.query) if key != "password"])
    return urlunsplit((parts.scheme, user + host, parts.path, query, parts.fragment))


def database_name(url: str) -> str:
    """The server and the database a URL names, as a folder's name: ``host-port-database``."""
    parts = urlsplit(url)
    return "-".join((parts.hostname or "local", str(parts.port or 5432), parts.path.strip("/") or "postgres"))
