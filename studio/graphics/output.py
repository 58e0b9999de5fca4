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

A full-screen graphic (the turnout map, the results board: 1728x972, 6.7 MB
of pixels) is deflated in bands of ``BAND_ROWS`` rows, each by a compressor
of its own and ended with a full flush, so no band refers to another and
the bands' outputs joined are one valid deflate stream. Two gains: 8-row
bands deflate in ~8 ms where the whole image takes ~12.5 ms (a 32 KB window
over 55 KB never slides; zlib's slide costs more than the lost context,
+3% bytes), and a band whose pixels are the same as the last frame of the
same graphic is not deflated again (``FrameMemory``): a re-render with one
changed figure deflates the few bands it touched. Reuse needs the bands'
pixels to be equal, byte for byte, so the output is the same as without it.
Level 0 (stored) takes ~3.3 ms but writes 6.7 MB per graphic, each of them a
new file name (bench/render.py prints both).

The bands to deflate are independent and zlib releases the GIL while it
deflates, so a full-screen frame's bands are split in runs of neighbouring
bands for as many threads as there are CPUs (at most ``DEFLATE_PARTS``): a
small pool of threads, made once for the process, takes runs from the front
and the calling thread from the back, so on a machine with no CPU free the
caller does them all rather than wait. The bands and their order are the
same, so are the bytes.
A few bands (a lower third, a re-render's changed rows) are deflated on the
calling thread: handing them over would cost more than it saves.
"""

from __future__ import annotations

import json
import os
import struct
import threading
import zlib
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Hashable

from PIL import Image

from studio.graphics.fonts import clear_caches
from studio.graphics.kept import Kept
from studio.graphics.render import Prepared, Rendered, draw
from studio.graphics.tilemap import forget_drawn as forget_drawn_map
from studio.graphics.template import Area

PNG_COMPRESS_LEVEL = 1
BAND_ROWS = 8
FRAME_MEMORY = 16 << 20  # pixels of the last frames kept for re-use: two full-screen graphics at 1080p
DEFLATE_PARTS = min(4, os.cpu_count() or 1)  # runs of bands deflated at once: the caller's and the pool's
PARALLEL_BANDS = 32  # fewer bands to deflate than this (256 rows) stay on the calling thread
RUNS_A_PART = 4  # runs of bands per thread: small enough for the caller to take over what the pool has not begun


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


_ADLER_BASE = 65521


def adler32_combine(first: int, second: int, second_length: int) -> int:
    """The Adler-32 of two byte strings joined, from theirs (zlib's adler32_combine, which Python lacks)."""
    rest = second_length % _ADLER_BASE
    low = ((first & 0xFFFF) + (second & 0xFFFF) + _ADLER_BASE - 1) % _ADLER_BASE
    high = (rest * (first & 0xFFFF) + (first >> 16) + (second >> 16) + _ADLER_BASE - rest) % _ADLER_BASE
    return low | high << 16


@dataclass(frozen=True, slots=True)
class _Band:
    pixels: bytes  # the band's RGBA rows as the image holds them: what a later frame is compared with
    deflated: bytes  # its rows, each behind filter byte 0, deflated on their own and fully flushed
    adler: int  # Adler-32 of those filtered rows
    length: int


class FrameMemory:
    """The last encoded frame of each graphic (by slot), band by band, within ``budget`` bytes of pixels
    (``Kept``: two full-screen frames at 1080p fit the default). ``deflated`` and ``reused`` count bands,
    for tests and the bench."""

    def __init__(self, budget: int = FRAME_MEMORY) -> None:
        self._frames: Kept[tuple[_Band, ...]] = Kept(budget, lambda bands: sum(len(b.pixels) for b in bands))
        self.deflated = 0
        self.reused = 0
        self._lock = threading.Lock()

    def last(self, slot: Hashable) -> tuple[_Band, ...]:
        return self._frames.get(slot) or ()

    def keep(self, slot: Hashable, bands: tuple[_Band, ...], reused: int) -> None:
        with self._lock:
            self.deflated += len(bands) - reused
            self.reused += reused
        self._frames.put(slot, bands)

    def clear(self) -> None:
        self._frames.clear()


frames = FrameMemory()


def _deflate_band(pixels: bytes, stride: int, compress_level: int) -> _Band:
    view = memoryview(pixels)
    rows = b"".join(b"\0" + view[top:top + stride] for top in range(0, len(pixels), stride))
    compressor = zlib.compressobj(compress_level, zlib.DEFLATED, -15)  # raw deflate: one zlib header for all
    return _Band(pixels, compressor.compress(rows) + compressor.flush(zlib.Z_FULL_FLUSH), zlib.adler32(rows),
                 len(rows))


_pool: ThreadPoolExecutor | None = None
_pool_lock = threading.Lock()


def _deflate_pool() -> ThreadPoolExecutor:
    """The threads that deflate runs of bands beside the caller: made on first use, the same all day."""
    global _pool
    with _pool_lock:
        if _pool is None:
            _pool = ThreadPoolExecutor(max_workers=DEFLATE_PARTS - 1, thread_name_prefix="studio-deflate")
        return _pool


def _deflate_run(chunks: list[bytes], stride: int, compress_level: int) -> list[_Band]:
    return [_deflate_band(chunk, stride, compress_level) for chunk in chunks]


def _deflate_bands(chunks: list[bytes], stride: int, compress_level: int) -> list[_Band]:
    """Each chunk of rows deflated on its own, in order; many of them on several threads at once.

    The chunks go in ``RUNS_A_PART`` runs per thread: the pool takes them from the front, the caller from
    the back (those the pool has not begun), so on a busy machine, with no CPU free for the pool, the caller
    does nearly all of them rather than wait."""
    if DEFLATE_PARTS < 2 or len(chunks) < PARALLEL_BANDS:
        return _deflate_run(chunks, stride, compress_level)
    size = -(-len(chunks) // (DEFLATE_PARTS * RUNS_A_PART))
    runs = [chunks[start:start + size] for start in range(0, len(chunks), size)]
    pool = _deflate_pool()
    pending = [pool.submit(_deflate_run, run, stride, compress_level) for run in runs[1:]]
    done = {0: _deflate_run(runs[0], stride, compress_level)}
    for number in range(len(runs) - 1, 0, -1):
        if not pending[number - 1].cancel():
            break  # the pool has begun this one, so every one before it
        done[number] = _deflate_run(runs[number], stride, compress_level)
    for number, future in enumerate(pending, 1):
        if number not in done:
            done[number] = future.result()
    return [band for number in range(len(runs)) for band in done[number]]


def encode_png(image: Image.Image, compress_level: int = PNG_COMPRESS_LEVEL, *, slot: Hashable = None,
               memory: FrameMemory = frames) -> bytes:
    """The PNG bytes of an RGBA image, encoded in memory (one write to disk), rows unfiltered.

    With a ``slot`` (which graphic this is), bands equal to those of the slot's last frame are not
    deflated again; the bytes are the same either way.
    """
    if image.mode != "RGBA":
        raise ValueError(f"encode_png writes RGBA images, not {image.mode}")
    width, height = image.size
    pixels = image.tobytes()
    stride = 4 * width
    band_bytes = stride * BAND_ROWS
    frame = (slot, width, height)  # bands of another size are other rows, whatever their bytes
    last = memory.last(frame) if slot is not None else ()
    chunks = [pixels[start:start + band_bytes] for start in range(0, len(pixels), band_bytes)]
    same = [index < len(last) and last[index].pixels == chunk for index, chunk in enumerate(chunks)]
    fresh = iter(_deflate_bands([chunk for chunk, kept in zip(chunks, same) if not kept], stride, compress_level))
    bands = [last[index] if kept else next(fresh) for index, kept in enumerate(same)]
    reused = sum(same)
    if slot is not None:
        memory.keep(frame, tuple(bands), reused)
    adler = 1
    for band in bands:
        adler = adler32_combine(adler, band.adler, band.length)
    # zlib header 78 01: deflate, 32 KB window, FLEVEL 0 (fastest); then a final empty fixed block, the checksum
    stream = b"".join([b"\x78\x01", *(band.deflated for band in bands), b"\x03\x00", struct.pack(">I", adler)])
    header = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)  # 8 bits, RGBA, deflate, filters, no interlace
    return b"\x89PNG\r\n\x1a\n" + _chunk(b"IHDR", header) + _chunk(b"IDAT", stream) + _chunk(b"IEND", b"")


def clear_render_caches() -> None:
    """Forget every drawn letter, line, tile, legend and encoded frame, as a process that has just started."""
    clear_caches()
    forget_drawn_map()
    frames.clear()


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
    template = rendered.prepared.template
    png = encode_png(rendered.image, compress_level, slot=(template.name, template.canvas.width, template.canvas.height))
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
