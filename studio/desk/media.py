"""Photos observers send with a report: checked, stripped of their EXIF location, kept by content hash.

Observer safety comes first: a phone writes where a photo was taken into its
EXIF (the GPS block), and a photo that leaves the centre (on air, in an
export) must not say where the observer stood. So the stored copy never has
it; a location the observer chose to share travels with the report instead,
as a ``geo:`` URI among its attachments (RFC 5870).

A photo is stored as ``media/<sha256 of the stored bytes>.<ext>`` in the
folder beside the store, and the report names it by that path, relative to
the store's folder (the store and its media move together). The
same photo sent again (a resend after a lost answer) is the same file: the
stripping is deterministic, so a resend's body is the same and its
Idempotency-Key replays. Pure: files and Pillow, no network.
"""

from __future__ import annotations

import hashlib
import io
import os
import tempfile
from pathlib import Path

from PIL import Image, UnidentifiedImageError

from studio.errors import Kind, StudioError
from studio.i18n import Msg

MEDIA_DIR = "media"
"""The folder beside the store that holds what observers sent."""
MAX_PIXELS = 50_000_000
"""The most pixels a photo may have (a 50 MP camera); more is refused before it is decoded."""
FORMATS = {"JPEG": "jpg", "PNG": "png", "WEBP": "webp"}
"""The photo formats taken, with the extension they are stored under."""
GPS_IFD = 0x8825
"""The EXIF tag of the GPS block (the location)."""


class MediaRefused(StudioError):
    """A file that is not a photo studio takes; the message says what is taken."""

    kind = Kind.BAD_INPUT


def media_folder(store: Path) -> Path:
    """The media folder of the store file ``store``."""
    return store.parent / MEDIA_DIR


def store_photo(data: bytes, store: Path, *, max_bytes: int) -> str:
    """``data`` checked, stripped of its GPS block and written beside ``store``; its path relative to the
    store's folder (``media/<sha256>.jpg``). MediaRefused for anything that is not a JPEG, PNG or WebP photo
    of at most ``max_bytes`` bytes."""
    if len(data) > max_bytes:
        raise MediaRefused(Msg("form.photo.too_large", limit=max_bytes // (1024 * 1024)), code="too_large")
    stripped, extension = _without_location(data)
    name = f"{hashlib.sha256(stripped).hexdigest()}.{extension}"
    folder = media_folder(store)
    target = folder / name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a photo, two writers of one photo agree.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        with os.fdopen(handle, "wb") as file:
            file.write(stripped)
        os.replace(temporary, target)
    return f"{MEDIA_DIR}/{name}"


def _without_location(data: bytes) -> tuple[bytes, str]:
    """The photo without its EXIF GPS block (as sent when it has none; a JPEG re-saved keeps its own
    quantisation, so it is not visibly recompressed), and its extension."""
    try:
        with Image.open(io.BytesIO(data)) as image:
            extension = FORMATS.get(image.format or "")
            if extension is None:
                raise MediaRefused(Msg("form.photo.bad_type"), code="bad_type")
            if image.width * image.height > MAX_PIXELS:
                raise MediaRefused(Msg("form.photo.too_many_pixels", limit=MAX_PIXELS // 1_000_000),
                                   code="too_large")
            exif = image.getexif()
            if GPS_IFD not in exif:
                image.verify()  # a photo cut short is refused here, not at the desk
                return data, extension
            del exif[GPS_IFD]
            out = io.BytesIO()
            image.save(out, format=image.format, exif=exif.tobytes(),
                       **({"quality": "keep"} if image.format == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise MediaRefused(Msg("form.photo.bad_type"), code="bad_type") from None
    return out.getvalue(), extension
