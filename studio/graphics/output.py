"""Writing rendered graphics where OBS reads them: atomically, named by content.

A PNG is written to a temporary file in the same folder and moved into
place with ``os.replace``, so OBS (or anyone) sees either no file or the
whole file, never half of one. Its name is derived from its content
(template file, fonts, renderer version, data, printed text and the facts'
statuses), so a changed graphic is a new file that an image source picks up
at once, and an unchanged one is the same file. The sidecar JSON beside it
(same name, ``.json``) records the template, the data, the provenance of
every fact and the placement (x, y) for the OBS source; it is written
first, so a PNG never exists without its record.

PNG encoding is deliberate: every row unfiltered (filter type 0), then
zlib at level 1. Pillow's encoder tries four filters on every row and
keeps the best; on a 960x174 lower third that choosing alone is ~2 ms of
its 3.2 ms even at level 1. Overlays are flat colours and text, which
deflate finds as repeats without any filter: measured on the lower third
(bench/render.py), no filter + level 1 takes ~1.1 ms for ~20 KB, against
Pillow's ~3.1 ms for ~24 KB; Sub/Up filters (via ImageChops) with level 1
or Z_RLE took 1.5-2.8 ms for 26-50 KB; level 0 (stored) writes 668 KB.
The writer below is the minimal valid PNG (IHDR, one IDAT, IEND; 8-bit
RGBA, straight alpha, as Pillow writes it): the same bytes for the same
image on every run. No fsync: atomicity (readers never see a partial
file) comes from the rename; a graphic lost in a power cut is rendered
again from the store.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import zlib
from dataclasses import dataclass
from pathlib import Path

from PIL import Image

from studio.graphics.render import Prepared, Rendered, draw
from studio.graphics.template import Area

PNG_COMPRESS_LEVEL = 1


@dataclass(frozen=True, slots=True)
class Written:
    png: Path
    sidecar: Path
    placement: Area
    reused: bool = False  # True when an identical graphic was already on disk


def atomic_write(target: Path, data: bytes) -> None:
    """Write ``data`` to a temporary file beside ``target``, then rename it into place.

    The temporary name is unique per process and thread, in the same folder
    (a rename is atomic only within one file system).
    """
    temp = target.with_name(f".{target.name}.{os.getpid()}.{threading.get_ident()}.tmp")
    try:
        handle = os.open(temp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(handle, view):]
        finally:
            os.close(handle)
        os.replace(temp, target)
    except BaseException:
        temp.unlink(missing_ok=True)
        raise


def _chunk(kind: bytes, body: bytes) -> bytes:
    return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(body, zlib.crc32(kind)))


def encode_png(image: Image.Image, compress_level: int = PNG_COMPRESS_LEVEL) -> bytes:
    """The PNG bytes of an RGBA image, encoded in memory (one write to disk), rows unfiltered."""
    if image.mode != "RGBA":
        raise ValueError(f"encode_png writes RGBA images, not {image.mode}")
    width, height = image.size
    pixels = memoryview(image.tobytes())
    stride = 4 * width
    rows = b"".join(b"\0" + pixels[top:top + stride] for top in range(0, len(pixels), stride))
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, filters, no interlace
    return (b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", zlib.compress(rows, compress_level))
            + _chunk(b"IEND", b""))


def write(
    rendered: Rendered, folder: Path | None = None, *, path: Path | None = None,
    compress_level: int = PNG_COMPRESS_LEVEL,
) -> Written:
    """Write the PNG and its sidecar: at ``path`` if given, else ``folder/NAME.png``."""
    if path is None:
        if folder is None:
            raise ValueError("give the output folder or the file path")
        path = Path(folder) / f"{rendered.name}.png"
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sidecar = path.with_suffix(".json")
    record = rendered.prepared.record() | {"file": path.name}
    body = json.dumps(record, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8")
    png = encode_png(rendered.image, compress_level)
    atomic_write(sidecar, body)
    atomic_write(path, png)
    return Written(path, sidecar, rendered.placement)


def write_prepared(prepared: Prepared, folder: Path, *, reuse: bool = True) -> Written:
    """Draw and write, unless a file with this content key is already there (then reuse it)."""
    png = Path(folder) / f"{prepared.name}.png"
    sidecar = png.with_suffix(".json")
    if reuse and png.is_file() and sidecar.is_file():
        return Written(png, sidecar, prepared.placement, reused=True)
    return write(draw(prepared), folder)
