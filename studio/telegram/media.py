"""Observers' photos, videos and documents: checked, stripped of location, kept by content hash.

A file is taken only within ``max_bytes`` and of a type in ``TYPES``; it is
written into the media folder beside the store under the SHA-256 of what is
stored, so the same photo sent twice is one file. A photo's EXIF location
(the GPS block) is removed before it is stored, unless the observer shared
their location on purpose: an observer's safety comes first, and a phone
writes where it was into every picture. Pure: bytes in, a path out, no network.
"""

from __future__ import annotations

import hashlib
import io
import os
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from studio.errors import Kind, StudioError
from studio.i18n import Msg

TYPES = {
    "image/jpeg": ".jpg",
    "image/png": ".png",
    "image/webp": ".webp",
    "video/mp4": ".mp4",
    "video/quicktime": ".mov",
    "application/pdf": ".pdf",
}
"""What observers may send, by MIME type, and the suffix stored."""
IMAGES = frozenset({"image/jpeg", "image/png", "image/webp"})
GPS_IFD = 0x8825
"""The EXIF tag of the GPS block (where the picture was taken)."""


class MediaRefused(StudioError):
    kind = Kind.BAD_INPUT


def check(mime: str | None, size: int | None, max_bytes: int) -> str:
    """The stored suffix of a file Telegram describes, or MediaRefused saying why (before any download)."""
    suffix = TYPES.get((mime or "").lower())
    if suffix is None:
        raise MediaRefused(Msg("bot.media.type", types=", ".join(sorted(TYPES))))
    if size is not None and size > max_bytes:
        raise MediaRefused(Msg("bot.media.size", limit=max_bytes // (1024 * 1024)))
    return suffix


def without_location(data: bytes, mime: str) -> bytes:
    """``data`` with the EXIF GPS block removed; unchanged when it has none. A JPEG keeps its quantisation
    (quality "keep"): the picture is not visibly recompressed."""
    try:
        image = Image.open(io.BytesIO(data))
        exif = image.getexif()
    except (UnidentifiedImageError, OSError, SyntaxError):
        raise MediaRefused(Msg("bot.media.unreadable")) from None
    if GPS_IFD not in exif:
        return data
    del exif[GPS_IFD]
    out = io.BytesIO()
    options = {"quality": "keep"} if mime == "image/jpeg" else {}
    image.save(out, format=image.format, exif=exif.tobytes(), **options)
    return out.getvalue()


def keep(folder: Path, data: bytes, mime: str, *, max_bytes: int, location_shared: bool) -> Path:
    """Store one file (checked again: Telegram's announced size may be missing); its path."""
    suffix = check(mime, len(data), max_bytes)
    if mime in IMAGES and not location_shared:
        data = without_location(data, mime)
    path = folder / (hashlib.sha256(data).hexdigest() + suffix)
    if not path.exists():
        folder.mkdir(parents=True, exist_ok=True)
        partial = path.with_name(path.name + ".part")
        partial.write_bytes(data)
        os.replace(partial, path)  # whole or absent: a crash leaves no torn file under the final name
    return path


def media_folder(store: Path) -> Path:
    """The media folder beside the store."""
    return store.parent / "media"
