"""What observers attach to a report: checked, stripped of their EXIF location, kept by content hash.

One module for every channel (the bot, studio/telegram/bot.py, and the phone
form, studio/web/form.py). A file's type is read from its first bytes: what a
browser or Telegram declares is not trusted, so a program renamed ``.jpg`` is
refused. A photo is opened by Pillow before it is kept (its pixels counted
before they are decoded, a photo cut short refused here, not at the desk).

Observer safety comes first: a phone writes where a photo was taken into its
EXIF (the GPS block), and a photo that leaves the centre (on air, in an
export) must not say where the observer stood. So the stored copy loses it,
unless the observer shared their location in that report on purpose; the
location they chose to share travels with the report as a ``geo:`` URI among
its attachments (RFC 5870).

A file is stored as ``media/<sha256 of the stored bytes>.<ext>`` in the
store's files folder (a SQLite store's own folder, studio/paths.py
``store_files``), and the report names it by that path, relative to that
folder, so a store moved with its folder keeps its media
(``located`` resolves a path for a reader; an absolute one, as older bots
wrote, stays as it is). The same file sent again (a resend after a lost
answer) is the same path: the stripping is deterministic. Pure: files and
Pillow, no network.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

from studio.errors import Kind, StudioError
from studio.i18n import Msg

MEDIA_DIR = "media"
"""The folder in the store's files folder that holds what observers sent."""
MAX_PIXELS = 50_000_000
"""The most pixels a photo may have (a 50 MP camera); more is refused before it is decoded."""
GPS_IFD = 0x8825
"""The EXIF tag of the GPS block (the location)."""
GEO = re.compile(r"geo:(-?\d+(?:\.\d+)?),(-?\d+(?:\.\d+)?)(?:,-?\d+(?:\.\d+)?)?(?:;u=(\d+(?:\.\d+)?))?", re.I)
"""A location attachment (RFC 5870): latitude, longitude, an altitude (ignored), the uncertainty in metres."""


@dataclass(frozen=True, slots=True)
class FileType:
    """A kind of file observers may send: its name for people, the stored extension, and Pillow's format for a
    photo (None: not a picture)."""

    label: str
    extension: str
    pillow: str | None = None


JPEG = FileType("JPEG", "jpg", "JPEG")
PNG = FileType("PNG", "png", "PNG")
WEBP = FileType("WebP", "webp", "WEBP")
MP4 = FileType("MP4", "mp4")
MOV = FileType("MOV", "mov")
PDF = FileType("PDF", "pdf")
PHOTOS = (JPEG, PNG, WEBP)
"""What the phone form takes."""
EVERY_TYPE = (*PHOTOS, MP4, MOV, PDF)
"""What the bot takes: photos, videos and documents."""


class MediaRefused(StudioError):
    """A file studio does not keep; the message says what is taken. ``code``: too_large or bad_type."""

    kind = Kind.BAD_INPUT


def media_folder(files: Path) -> Path:
    """The media folder in the store's files folder ``files``."""
    return files / MEDIA_DIR


def sniff(data: bytes) -> FileType | None:
    """The type ``data`` is, by its first bytes; None for anything else."""
    if data.startswith(b"\xff\xd8\xff"):
        return JPEG
    if data.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return WEBP
    if data.startswith(b"%PDF-"):
        return PDF
    if data[4:8] == b"ftyp":  # an ISO media file: QuickTime says so in its major brand
        return MOV if data[8:12] == b"qt  " else MP4
    return None


def refuse_size(size: int | None, max_bytes: int) -> None:
    """MediaRefused when ``size`` (a declared one, before any download) is over ``max_bytes``."""
    if size is not None and size > max_bytes:
        raise MediaRefused(Msg("media.too_large", limit=max_bytes // (1024 * 1024)), code="too_large")


def keep(
    data: bytes,
    files: Path,
    *,
    max_bytes: int,
    taken: tuple[FileType, ...] = EVERY_TYPE,
    location_shared: bool = False,
) -> str:
    """``data`` checked (size, type, a photo's pixels), a photo stripped of its GPS block unless the location
    was shared on purpose, and written in the store's files folder ``files``; its path relative to it
    (``media/<sha256>.jpg``). MediaRefused for anything over ``max_bytes`` or not of a type in ``taken``."""
    refuse_size(len(data), max_bytes)
    kind = sniff(data)
    if kind is None or kind not in taken:
        raise _bad_type(taken)
    if kind.pillow is not None:
        data = _photo(data, kind, strip=not location_shared, taken=taken)
    name = f"{hashlib.sha256(data).hexdigest()}.{kind.extension}"
    folder = media_folder(files)
    target = folder / name
    if not target.exists():
        folder.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a file, two writers of one file agree.
        handle, temporary = tempfile.mkstemp(dir=folder, prefix=".incoming-")
        with os.fdopen(handle, "wb") as file:
            file.write(data)
        os.replace(temporary, target)
    return f"{MEDIA_DIR}/{name}"


def _photo(data: bytes, kind: FileType, *, strip: bool, taken: tuple[FileType, ...]) -> bytes:
    """The photo, checked whole, without its EXIF GPS block when ``strip`` (as sent when it has none; a JPEG
    re-saved keeps its own quantisation, so it is not visibly recompressed)."""
    from PIL import Image, UnidentifiedImageError  # ~27 ms: paid by the first photo, not by the desk's readers

    try:
        with Image.open(io.BytesIO(data)) as image:
            if image.format != kind.pillow:  # the first bytes said one thing, the file is another
                raise _bad_type(taken)
            if image.width * image.height > MAX_PIXELS:
                raise MediaRefused(Msg("media.too_many_pixels", limit=MAX_PIXELS // 1_000_000), code="too_large")
            if image.format == "JPEG":  # decoded at 1/8 of its size: every byte is read, at a fraction of the cost
                image.draft(image.mode, (image.width // 8, image.height // 8))
            image.load()  # a photo cut short is refused here, not at the desk
        with Image.open(io.BytesIO(data)) as image:  # afresh: the draft above is a smaller picture
            exif = image.getexif()
            if not strip or GPS_IFD not in exif:
                return data
            del exif[GPS_IFD]
            out = io.BytesIO()
            image.save(out, format=image.format, exif=exif.tobytes(),
                       **({"quality": "keep"} if image.format == "JPEG" else {}))
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError, Image.DecompressionBombError):
        raise _bad_type(taken) from None
    return out.getvalue()


def _bad_type(taken: tuple[FileType, ...]) -> MediaRefused:
    return MediaRefused(Msg("media.bad_type", types=", ".join(kind.label for kind in taken)), code="bad_type")


def located(attachment: str, files: Path) -> Path | None:
    """Where the file an attachment names is: a relative path is under the store's files folder (as the channels
    write them), an absolute one as it is; None for a location (``geo:``), which is no file."""
    if attachment.lower().startswith("geo:"):
        return None
    return files / attachment  # an absolute attachment stays absolute


def location(attachment: str) -> tuple[float, float, float | None] | None:
    """(latitude, longitude, uncertainty in metres or None) of a ``geo:`` attachment; None for a file."""
    found = GEO.fullmatch(attachment.strip())
    if found is None:
        return None
    latitude, longitude, metres = found.groups()
    return float(latitude), float(longitude), float(metres) if metres else None
