"""The one media module of every channel (studio/desk/media.py): type by content, limits, location, naming."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest
from PIL import Image

from studio.desk.media import EVERY_TYPE, GPS_IFD, PHOTOS, MediaRefused, keep, located, location, sniff

MB = 1024 * 1024


def photo(format: str = "JPEG", *, gps: bool = True, size: tuple[int, int] = (64, 48)) -> bytes:
    image = Image.new("RGB", size, (200, 30, 30))
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"
    if gps:
        exif[GPS_IFD] = {1: "N", 2: (43.0, 15.0, 0.0), 3: "E", 4: (76.0, 54.0, 0.0)}
    out = io.BytesIO()
    image.save(out, format=format, exif=exif.tobytes())
    return out.getvalue()


MP4 = b"\x00\x00\x00\x18ftypmp42\x00\x00\x00\x00mp42isom" + b"\x00" * 64
MOV = b"\x00\x00\x00\x14ftypqt  \x00\x00\x00\x00qt  " + b"\x00" * 64
PDF = b"%PDF-1.4 protocol"


@pytest.fixture
def files(tmp_path: Path) -> Path:
    """The store's files folder (a SQLite store's own folder: studio/paths.py ``store_files``)."""
    return tmp_path / "day"


@pytest.mark.parametrize(
    "data, extension",
    [(photo("JPEG"), "jpg"), (photo("PNG"), "png"), (photo("WEBP"), "webp"), (MP4, "mp4"), (MOV, "mov"), (PDF, "pdf")],
    ids=["jpeg", "png", "webp", "mp4", "mov", "pdf"],
)
def test_a_file_is_kept_under_the_hash_of_what_is_stored_with_its_type_read_from_its_content(
    files, data, extension
) -> None:
    path = keep(data, files, max_bytes=MB)
    name = Path(path).name
    assert path == f"media/{name}" and name.endswith(f".{extension}")
    stored = (files / path).read_bytes()
    assert name == f"{hashlib.sha256(stored).hexdigest()}.{extension}"
    assert keep(data, files, max_bytes=MB) == path  # a resend is the same file
    assert [p.name for p in (files / "media").iterdir()] == [name]  # and nothing left aside


def test_a_photos_location_is_stripped_unless_the_observer_shared_it_on_purpose(files) -> None:
    stripped = Image.open(files / keep(photo(), files, max_bytes=MB)).getexif()
    assert GPS_IFD not in stripped and stripped[0x010F] == "PhoneMaker"  # the location goes, the rest stays
    shared = keep(photo(), files, max_bytes=MB, location_shared=True)
    assert (files / shared).read_bytes() == photo()  # kept as sent


def test_a_photo_without_a_location_is_kept_as_sent(files) -> None:
    assert (files / keep(photo(gps=False), files, max_bytes=MB)).read_bytes() == photo(gps=False)


@pytest.mark.parametrize(
    "data, taken, code",
    [
        (b"MZ\x90\x00 a program named photo.jpg", EVERY_TYPE, "bad_type"),
        (PDF, PHOTOS, "bad_type"),  # the form takes photos only
        (photo()[:200], EVERY_TYPE, "bad_type"),  # a photo cut short in its header
        (photo(gps=False, size=(640, 480))[:-2000], EVERY_TYPE, "bad_type"),  # ... in its picture
        (b"\xff\xd8\xff" + b"\x00" * 100, EVERY_TYPE, "bad_type"),  # JPEG's first bytes, then nothing of a photo
        (b"\x00" * (MB + 1), EVERY_TYPE, "too_large"),
    ],
    ids=["program", "pdf-on-the-form", "cut-short", "cut-short-picture", "jpeg-in-name-only", "too-large"],
)
def test_what_is_not_taken_is_refused_with_what_to_send_and_nothing_is_written(files, data, taken, code) -> None:
    with pytest.raises(MediaRefused) as refused:
        keep(data, files, max_bytes=MB, taken=taken)
    assert refused.value.code == code
    said = refused.value.render("ru")
    assert ("JPEG, PNG, WebP" in said) if code == "bad_type" else ("1 МБ" in said)
    assert not (files / "media").exists()


def test_a_photo_of_too_many_pixels_is_refused_before_it_is_decoded(files, monkeypatch) -> None:
    monkeypatch.setattr("studio.desk.media.MAX_PIXELS", 64 * 47)
    with pytest.raises(MediaRefused) as refused:
        keep(photo(), files, max_bytes=MB)
    assert refused.value.code == "too_large"


def test_the_type_is_read_from_the_first_bytes() -> None:
    assert [sniff(d).label if sniff(d) else None for d in (photo("PNG"), MP4, MOV, PDF, b"GIF89a", b"")] == [
        "PNG", "MP4", "MOV", "PDF", None, None]


def test_readers_find_a_file_in_the_stores_files_folder_wherever_it_moved(tmp_path) -> None:
    moved = tmp_path / "elsewhere"
    assert located("media/ab.jpg", moved) == tmp_path / "elsewhere" / "media" / "ab.jpg"
    assert located("/srv/old/media/ab.jpg", moved) == Path("/srv/old/media/ab.jpg")  # as older bots wrote them
    assert located("geo:43.2,76.9", moved) is None


def test_a_location_attachment_is_read_as_coordinates() -> None:
    assert location("geo:43.23801,76.94562;u=35") == (43.23801, 76.94562, 35.0)
    assert location("geo:-33.9,18.4") == (-33.9, 18.4, None)
    assert location("media/ab.jpg") is None and location("geo:somewhere") is None
