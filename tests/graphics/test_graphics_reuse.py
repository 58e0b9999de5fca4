"""Re-rendering with one changed figure re-uses what did not change (issue 21, part 4 "Speed"), counted,
not timed: the map draws one tile again, the board composes one line again, and the PNG encoder deflates
only the bands of rows that changed. Re-use never changes a pixel or a byte: each result is compared with
a render and an encoding from cold caches."""

from __future__ import annotations

import io
import math
import threading
import zlib
from dataclasses import replace

from PIL import Image

from studio.graphics import render
from studio.graphics import output
from studio.graphics.fonts import text_mask
from studio.graphics.gate import MemoryFacts
from studio.graphics.kept import Kept
from studio.graphics.output import BAND_ROWS, FrameMemory, adler32_combine, clear_render_caches, encode_png
from studio.graphics.tilemap import legends, tiles
from studio.regions import regions

from .test_graphics_results import region_lines, sample

SLOT = ("test", 1920, 1080)


def _bands_of(top: int, bottom: int) -> set[int]:
    """The bands of BAND_ROWS rows that the rows top..bottom-1 touch."""
    return set(range(top // BAND_ROWS, (bottom - 1) // BAND_ROWS + 1))


def _changed_bands(before: Image.Image, after: Image.Image) -> set[int]:
    band = 4 * before.width * BAND_ROWS
    old, new = before.tobytes(), after.tobytes()
    return {start // band for start in range(0, len(new), band) if old[start:start + band] != new[start:start + band]}


def _cold(template, data, facts, now=None) -> bytes:
    clear_render_caches()
    return render(template, data, facts, now=now).image.tobytes()


def test_a_map_with_one_changed_figure_draws_that_tile_again_and_deflates_only_its_rows(templates, facts, now):
    template, data = templates["turnout-map"], {"hour": "10:00", "language": "kk"}
    memory = FrameMemory()
    clear_render_caches()
    first = render(template, data, facts, now=now)
    encode_png(first.image, slot=SLOT, memory=memory)
    first_deflated = memory.deflated
    before = (tiles.misses, tiles.hits, legends.misses, legends.hits)
    astana = facts.facts["turnout-1000-astana"]
    facts.add(replace(astana, value="31.07", version=astana.version + 1))
    again = render(template, data, facts, now=now)
    png = encode_png(again.image, slot=SLOT, memory=memory)

    assert (tiles.misses - before[0], tiles.hits - before[1]) == (1, 19)  # Astana's tile, and only it
    assert (legends.misses - before[2], legends.hits - before[3]) == (0, 1)
    box = next(b for b in template.boxes if getattr(b, "id", None) == "map")
    cell_h = (box.height - box.gap * (box.rows - 1)) // box.rows
    astana_top = box.y - template.region.y + box.tiles["astana"][1] * (cell_h + box.gap)
    assert first_deflated == math.ceil(template.region.height / BAND_ROWS)
    changed = _changed_bands(first.image, again.image)
    assert changed and changed <= _bands_of(astana_top, astana_top + cell_h)  # the figure's rows of the tile
    assert (memory.deflated - first_deflated, memory.reused) == (len(changed), first_deflated - len(changed))
    assert again.image.tobytes() == _cold(template, data, facts, now)
    assert png == encode_png(again.image)  # the same bytes as without re-use


def test_a_board_with_one_changed_region_composes_that_line_again_and_deflates_only_its_rows(templates):
    template, data = templates["results-board"], {"result": "final", "language": "kk"}
    names = list(regions())
    counts = {region: (400_000 + 1_000 * index, 50_000, 3_000) for index, region in enumerate(names)}

    def facts() -> MemoryFacts:
        return sample(*(view for region, (yes, no, invalid) in counts.items()
                        for view in region_lines(region, yes, no, invalid)))

    memory = FrameMemory()
    clear_render_caches()
    first = render(template, data, facts())
    encode_png(first.image, slot=SLOT, memory=memory)
    first_deflated, composed = memory.deflated, text_mask.cache_info().misses
    counts["abai"] = (300_000, 150_000, 3_000)
    again = render(template, data, facts())
    encode_png(again.image, slot=SLOT, memory=memory)

    changed = [key for key, text in again.prepared.resolved.values.items()
               if first.prepared.resolved.values.get(key) != text]
    assert changed == []  # the national lines did not change: only Abai's line is new
    assert text_mask.cache_info().misses - composed == 1  # «ИӘ 66,23% · ЖОҚ 33,11%», and nothing else
    box = next(b for b in template.boxes if getattr(b, "id", None) == "regions")
    row_height = box.height // box.rows
    row_top = box.y - template.region.y + names.index("abai") % box.rows * row_height
    bands = _changed_bands(first.image, again.image)
    assert bands and bands <= _bands_of(row_top, row_top + row_height)  # Abai's line: its figures and its bar
    assert (memory.deflated - first_deflated, memory.reused) == (len(bands), first_deflated - len(bands))
    assert again.image.tobytes() == _cold(template, data, facts())


def test_reused_bands_decode_to_the_new_image_and_a_changed_size_reuses_nothing(templates) -> None:
    memory = FrameMemory()
    first = Image.new("RGBA", (300, 100), (11, 31, 58, 255))
    encode_png(first, slot=SLOT, memory=memory)
    changed = first.copy()
    changed.paste((254, 197, 12, 255), (10, 50, 20, 55))
    png = encode_png(changed, slot=SLOT, memory=memory)
    assert (memory.deflated, memory.reused) == (13 + 1, 12)
    with Image.open(io.BytesIO(png)) as decoded:
        assert decoded.tobytes() == changed.tobytes()
    encode_png(changed.crop((0, 0, 299, 100)), slot=SLOT, memory=memory)
    assert memory.reused == 12  # another width: other rows


def test_the_frames_kept_stay_within_their_budget() -> None:
    frame = 4 * 300 * 100
    memory = FrameMemory(budget=2 * frame)
    for slot in ("a", "b", "c"):
        encode_png(Image.new("RGBA", (300, 100)), slot=slot, memory=memory)
    assert memory.last(("a", 300, 100)) == () and memory.last(("c", 300, 100)) != ()
    encode_png(Image.new("RGBA", (300, 100)), slot="b", memory=memory)
    assert memory.reused == 13  # b was kept


def test_adler32_of_joined_bytes_from_the_parts() -> None:
    first, second = bytes(range(256)) * 300, b"\xff" * 70_001
    assert adler32_combine(zlib.adler32(first), zlib.adler32(second), len(second)) == zlib.adler32(first + second)
    assert adler32_combine(1, zlib.adler32(second), len(second)) == zlib.adler32(second)


def test_what_is_kept_stays_within_its_budget_the_least_recently_used_forgotten_first() -> None:
    kept: Kept[bytes] = Kept(budget=200, size=len)
    for key in "abc":
        kept.put(key, bytes(100))
    assert kept.get("a") is None and kept.get("c") is not None
    kept.get("b")
    kept.put("d", bytes(100))
    assert kept.get("c") is None and kept.get("b") is not None  # b used after c: c goes first
    assert (kept.hits, kept.misses) == (3, 2)


def test_a_full_screen_frame_deflated_on_several_threads_gives_the_bytes_of_one_thread(templates, monkeypatch):
    """The board with twenty region lines: its bands split in runs deflated by the caller and the pool, each
    run once, joined in order: the same bytes as on one thread, decoding to the same pixels, and a re-render's
    reuse counted as on one thread; a few bands to deflate (a short image) stay on the caller's thread. The
    caller's first run waits until the pool has done one, so both are seen to work (order, not timing)."""
    every = [line for index, region in enumerate(regions())
             for line in region_lines(region, 400_000 + index, 50_000, 3_000)]
    image = render(templates["results-board"], {"result": "final"}, sample(*every)).image
    caller = threading.current_thread().name
    threads: list[str] = []
    pool_ran, hold = threading.Event(), threading.Event()
    deflate_run = output._deflate_run

    def recorded(*args):
        name = threading.current_thread().name
        if name != caller:
            pool_ran.set()
        elif hold.is_set() and caller in threads:  # the caller's second run: once the pool has done one
            assert pool_ran.wait(timeout=60), "the pool never took a run"
        threads.append(name)
        return deflate_run(*args)

    monkeypatch.setattr(output, "_deflate_run", recorded)
    monkeypatch.setattr(output, "DEFLATE_PARTS", 1)
    alone = encode_png(image)
    assert threads == [caller]
    monkeypatch.setattr(output, "DEFLATE_PARTS", 3)
    threads.clear()
    hold.set()
    assert encode_png(image) == alone
    hold.clear()
    bands = math.ceil(image.height / BAND_ROWS)
    size = math.ceil(bands / (3 * output.RUNS_A_PART))
    assert len(threads) == math.ceil(bands / size)  # each run once
    assert caller in threads and {name.split("_")[0] for name in threads if name != caller} == {"studio-deflate"}
    with Image.open(io.BytesIO(alone)) as decoded:
        assert decoded.tobytes() == image.tobytes()
    memory = FrameMemory()
    encode_png(image, slot=SLOT, memory=memory)
    changed = image.copy()
    changed.paste((254, 197, 12, 255), (10, 497, 20, 502))  # rows of one band
    assert encode_png(changed, slot=SLOT, memory=memory) == encode_png(changed)
    assert (memory.reused, memory.deflated) == (math.ceil(image.height / BAND_ROWS) - 1,
                                                math.ceil(image.height / BAND_ROWS) + 1)
    threads.clear()
    encode_png(image.crop((0, 0, image.width, BAND_ROWS * (output.PARALLEL_BANDS - 1))))
    assert threads == [caller]
    assert output._deflate_pool() is output._deflate_pool()  # made once
