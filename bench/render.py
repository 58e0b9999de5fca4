"""How long one new lower third takes from data to a PNG that OBS can read.

A measurement, not a test: it prints figures and exits 0 unless it crashes.

New text every run, as on the day: a producer never airs the same lower
third twice in a row. Each run takes a (name, role) pair not used before
in this process, from the names and roles of the sample rundown's lower
thirds, and before each run studio's cache of composed lines is emptied,
so no line of text is ever drawn from a cache. What stays warm is what a
show process has after its first graphics of the day: letters rasterised
once per font and size, their advances, and the loaded fonts. The very
first graphic after start (every cache empty) is measured too.

Measured: studio's path for a lower third on the 1920x1080 canvas: resolve
and sanitise the data, fit the text, draw the template's own region
(960x174), and write it atomically (sidecar JSON, then the PNG: rows
unfiltered, zlib level 1, each file via a temporary file and os.replace),
named by content. Baseline, in the same run and with the same texts: the
naive way: a full-frame 1920x1080 RGBA image with the same panels and text
drawn by Pillow, saved as PNG with Pillow's default settings. Fonts are
loaded once for both. Each run writes into its own empty folder, as on show
day, where a changed graphic is a new file name.

Figures are the median and 99th percentile of wall-clock time (the target:
median <= 5 ms and >= 3x faster than naive), and the median of the
process's CPU time, which a busy machine disturbs less.

The turnout map and the results board (issue 21) are measured at 1080p,
each three ways: the first render of a graphic (before each run, the
composed lines, tiles, legend and last encoded frame are forgotten; the
letters stay rasterised, as after the day's first graphics), a re-render
with one changed figure (one unit's turnout on the map; on the board yes and took part one more, so the result
still adds up, with the sample alone and with twenty verified region lines),
and the naive baseline: the same boxes and strings on a full frame with
Pillow's own text, saved with Pillow's PNG defaults (its strings resolved
beforehand, so it does not pay for the gate). Studio's path goes through
the gate and writes the sidecar and the PNG. Targets: map <= 40 ms, board
<= 20 ms (median, wall); CPU time beside it. The board's PNG is then encoded
on one thread and with the deflate pool in turns, and the map's at zlib levels
0 and 1 for time and size.

The social cards follow (bench/render_social.py): each shape of the fact card and of the result card
against a naive frame of its size. Target: median <= 30 ms.

    .venv/bin/python bench/render.py [--runs N]
"""

from __future__ import annotations

import argparse
import importlib
import io
import os
import random
import statistics
import sys
import tempfile
import time as clock
from dataclasses import replace
from decimal import Decimal
from pathlib import Path
from typing import Callable, Iterator

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from studio.graphics import load_template, render, write  # noqa: E402
from studio.graphics.fonts import clear_caches, text_mask  # noqa: E402
from studio.graphics import output  # noqa: E402
from studio.graphics.output import atomic_write, encode_png, frames  # noqa: E402
from studio.graphics.gate import FactView, MemoryFacts  # noqa: E402
from studio.graphics.render import draw, prepare  # noqa: E402
from studio.graphics.tilemap import forget_drawn  # noqa: E402
from studio.regions import regions  # noqa: E402
from studio.rundown.load import load_rundown  # noqa: E402

from naive import naive_frame  # noqa: E402  (bench/ is the script's folder)
from record import figure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
RUNDOWN = ROOT / "studio" / "sample" / "referendum-day.toml"
# the module, not the function of the same name that studio.graphics exports
render_module = importlib.import_module("studio.graphics.render")
WARM_UP = 10
TARGET_MS = 5.0
TARGET_RATIO = 3.0

Data = dict[str, str]


def texts() -> list[Data]:
    """Every (name, role) pair of the rundown's lower-third names and roles, and each name alone,
    in a fixed shuffled order: the same sequence on every run of the bench."""
    names: dict[str, None] = {}
    roles: dict[str, None] = {}
    for segment in load_rundown(RUNDOWN).segments:
        for cue in segment.graphics:
            if cue.template == "lower-third":
                names.setdefault(cue.data["name"])
                if cue.data.get("role"):
                    roles.setdefault(cue.data["role"])
    pairs = [{"name": name, "role": role} for name in names for role in roles] + [{"name": n} for n in names]
    random.Random(5).shuffle(pairs)
    return pairs


def naive(folder: Path, data: Data, bold: ImageFont.FreeTypeFont, regular: ImageFont.FreeTypeFont) -> None:
    frame = Image.new("RGBA", (1920, 1080), (0, 0, 0, 0))
    pen = ImageDraw.Draw(frame)
    pen.rectangle((96, 822, 105, 925), fill=(0, 175, 202, 255))
    pen.rectangle((106, 822, 1055, 925), fill=(11, 31, 58, 240))
    if "role" in data:
        pen.rectangle((96, 926, 105, 995), fill=(0, 175, 202, 255))
        pen.rectangle((106, 926, 1055, 995), fill=(238, 243, 248, 245))
        pen.text((130, 961), data["role"], font=regular, fill=(11, 31, 58, 255), anchor="lm")
    pen.text((130, 874), data["name"], font=bold, fill=(255, 255, 255, 255), anchor="lm")
    frame.save(folder / "lower-third.png")


def folders(root: Path, name: str, count: int) -> Iterator[Path]:
    for index in range(count):
        folder = root / name / str(index)
        folder.mkdir(parents=True)
        yield folder


def measure(
    root: Path, name: str, data: list[Data], step: Callable[[Path, Data], object], before: Callable[[], None],
) -> tuple[list[float], list[float]]:
    """Wall and CPU milliseconds of ``step(folder, data)``, one fresh folder and text a run, after warm-up."""
    wall, cpu = [], []
    for index, (folder, item) in enumerate(zip(folders(root, name, len(data)), data)):
        before()
        started, started_cpu = clock.perf_counter(), clock.process_time()
        step(folder, item)
        if index >= WARM_UP:
            cpu.append((clock.process_time() - started_cpu) * 1000)
            wall.append((clock.perf_counter() - started) * 1000)
    return wall, cpu


def stages(template, data: list[Data], root: Path) -> dict[str, float]:
    """Median CPU ms of each stage of studio's path, new text each run.

    Fitting happens inside drawing; it is timed by wrapping the renderer's
    fit_text, and "draw" is the rest (panels, composing lines, pasting).
    """
    fitting = 0.0
    fit_text = render_module.fit_text

    def timed_fit(*args, **kwargs):
        nonlocal fitting
        started = clock.process_time()
        try:
            return fit_text(*args, **kwargs)
        finally:
            fitting += clock.process_time() - started

    times: dict[str, list[float]] = {"prepare": [], "fit": [], "draw": [], "encode PNG": [], "write x2": []}
    render_module.fit_text = timed_fit
    try:
        for index, (folder, item) in enumerate(zip(folders(root, "stages", len(data)), data)):
            text_mask.cache_clear()
            fitting = 0.0
            marks = [clock.process_time()]
            prepared = prepare(template, item)
            marks.append(clock.process_time())
            rendered = draw(prepared)
            marks.append(clock.process_time())
            png = encode_png(rendered.image)
            marks.append(clock.process_time())
            atomic_write(folder / "x.json", b"{}")
            atomic_write(folder / "x.png", png)
            marks.append(clock.process_time())
            if index >= WARM_UP:
                spans = [(end - start) * 1000 for start, end in zip(marks, marks[1:])]
                spans[1:2] = [fitting * 1000, spans[1] - fitting * 1000]
                for stage, span in zip(times, spans):
                    times[stage].append(span)
    finally:
        render_module.fit_text = fit_text
    return {stage: statistics.median(values) for stage, values in times.items()}


def pillow_png_ms(image: Image.Image) -> float:
    """Median ms of Pillow's own PNG encoder at compress_level=1 on the same image, for comparison."""
    spent = []
    for _ in range(50):
        started = clock.perf_counter()
        image.save(io.BytesIO(), "PNG", compress_level=1)
        spent.append((clock.perf_counter() - started) * 1000)
    return statistics.median(spent)


RESULTS = ROOT / "studio" / "sample" / "referendum-2026" / "referendum-2026-results.csv"
RESULTS_TARGET_MS = 20.0


def results_facts(run: int, by_region: bool) -> MemoryFacts:
    """The sample's final result, verified, with yes and took part ``run`` higher (it still adds up); the region
    lines, when asked for, the same every run: one figure changes."""
    import csv
    from datetime import UTC, datetime

    at = datetime(2026, 3, 17, 6, 0, tzinfo=UTC)
    facts = MemoryFacts()
    with RESULTS.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            value = str(int(row["value"]) + run) if row["item"] in ("yes", "took_part") else row["value"]
            facts.add(FactView(id=row["item"], status="verified", value=value, region="national",
                               sources=(row["source"],), as_of=at, line=row["item"]))
    for index, region in enumerate(regions() if by_region else ()):
        counts = {"yes": 400_000 + index * 997, "no": 50_000 + index, "invalid": 3_000}
        counts["took_part"] = sum(counts.values())
        facts.add(*(FactView(id=f"{region}-{line}", status="verified", value=str(value), region=region,
                             sources=(row["source"],), as_of=at, line=line) for line, value in counts.items()))
    return facts


def naive_board(folder: Path, template, values: dict[str, str], fonts: dict) -> None:
    """The template's panels and texts on a full 1920x1080 frame, Pillow's own text, PNG defaults."""
    naive_frame(folder / "results-board.png", template, values, fonts)


def forget_graphics() -> None:
    """Every drawn line, tile and legend and every encoded frame forgotten; the letters kept."""
    text_mask.cache_clear()
    forget_drawn()
    frames.clear()


def print_three(title: str, first: tuple[list[float], list[float]], again: tuple[list[float], list[float]],
                naive: tuple[list[float], list[float]], target: float) -> None:
    """First render, re-render and naive baseline: wall median / p99 (CPU median); the target on the re-render."""
    med = statistics.median
    print(title + ": wall ms median / p99 (CPU ms median)")
    for label, (wall, cpu) in (("first render", first), ("one changed figure", again),
                               ("naive, full frame", naive)):
        print(f"  {label:<26}: {med(wall):6.2f} / {p99(wall):6.2f} ({med(cpu):5.2f})")
    print(f"  target median <= {target} ms: first render {'met' if med(first[0]) <= target else 'NOT met'}, "
          f"one changed figure {'met' if med(again[0]) <= target else 'NOT met'}; ratio naive / studio: "
          f"{med(naive[0]) / med(first[0]):.1f}x first, {med(naive[0]) / med(again[0]):.1f}x changed")


def results_board(root: Path, runs: int) -> None:
    """The results board at 1080p, first render and a changed figure every run, against the naive baseline."""
    template = load_template(ROOT / "studio" / "overlays" / "results-board.toml")
    data = {"result": "final", "language": "kk"}
    fonts: dict = {}
    med = statistics.median
    ours = lambda out, item: write(render(template, data, item), out)  # noqa: E731
    for by_region in (False, True):
        facts = [results_facts(run, by_region) for run in range(runs + WARM_UP)]
        label = "20 region lines" if by_region else "the sample"
        first = measure(root, f"results-first-{by_region}", facts, ours, before=forget_graphics)
        again = measure(root, f"results-{by_region}", facts, ours, before=lambda: None)
        strings = [prepare(template, data, item).resolved.values for item in facts]
        theirs = measure(root, f"results-naive-{by_region}", strings,
                         lambda out, values: naive_board(out, template, values, fonts), before=lambda: None)
        print_three(f"results board at 1920x1080, {label}, {runs} runs", first, again, theirs, RESULTS_TARGET_MS)
        name = "regions" if by_region else "sample"
        figure("render", f"results_board_{name}_median", med(again[0]), med(theirs[0]), "ms",
               target=f"<= {RESULTS_TARGET_MS} ms", met=med(again[0]) <= RESULTS_TARGET_MS)
        figure("render", f"results_board_{name}_first_median", med(first[0]), med(theirs[0]), "ms",
               target=f"<= {RESULTS_TARGET_MS} ms", met=med(first[0]) <= RESULTS_TARGET_MS)
    deflate_threads(render(template, data, facts[-1]).image)


def deflate_threads(image: Image.Image, runs: int = 100) -> None:
    """The board's PNG (20 region lines) encoded on the calling thread alone and with the pool
    (studio/graphics/output.py), in turns so both see the same load: a free CPU shows in the pool's wall time."""
    parts = output.DEFLATE_PARTS
    spent: dict[int, tuple[list[float], list[float]]] = {1: ([], []), parts: ([], [])}
    try:
        for _ in range(runs):
            for threads, (wall, cpu) in spent.items():
                output.DEFLATE_PARTS = threads
                started, started_cpu = clock.perf_counter(), clock.process_time()
                encode_png(image)
                wall.append((clock.perf_counter() - started) * 1000)
                cpu.append((clock.process_time() - started_cpu) * 1000)
    finally:
        output.DEFLATE_PARTS = parts
    for threads, (wall, cpu) in spent.items():
        print(f"  PNG of the board with 20 region lines on {threads} thread(s): wall median {statistics.median(wall):5.2f}"
              f" (best {min(wall):5.2f}), CPU median {statistics.median(cpu):5.2f} ms")


def p99(values: list[float]) -> float:
    return statistics.quantiles(values, n=100)[98]


MAP_TARGET_MS = 40.0
MAP_RUNS = 60


def map_facts():
    """The verified turnout of 15 March 2026 by region and hour, as the desk would give it."""
    import csv
    from datetime import datetime

    from studio.graphics.gate import FactView, MemoryFacts

    facts = MemoryFacts()
    with (ROOT / "studio" / "sample" / "referendum-2026" / "referendum-2026-turnout.csv").open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            at = datetime.fromisoformat(row["local_time"])
            facts.add(FactView(id=f"{at:%H%M}-{row['region']}", status="verified", value=row["turnout_percent"],
                               region=row["region"], sources=(row["source"],), as_of=at))
    return facts


def naive_map(folder: Path, prepared, bold: ImageFont.FreeTypeFont, small: ImageFont.FreeTypeFont) -> None:
    """The map drawn the plain way: a 1920x1080 frame, the same tiles and words, Pillow's text, PNG defaults."""
    from studio.graphics.schema import TurnoutMap
    from studio.regions import regions

    template, board = prepared.template, prepared.resolved.boards["hour"]
    box = next(b for b in template.boxes if isinstance(b, TurnoutMap))
    figures = {view.region: view.value for view in board.rows}
    frame = Image.new("RGBA", (1920, 1080), (0, 0, 0, 0))
    pen = ImageDraw.Draw(frame)
    pen.rounded_rectangle((96, 54, 1823, 1025), 8, fill=(11, 31, 58, 255))
    pen.text((136, 110), "ҚАТЫСУ · ЯВКА", font=bold, fill=(254, 197, 12, 255), anchor="lm")
    for region, (column, row) in box.tiles.items():
        left, top = box.x + column * 224, box.y + row * 142
        pen.rounded_rectangle((left, top, left + 211, top + 129), 13, fill=(222, 235, 247, 255))
        pen.text((left + 106, top + 40), regions()[region].short_kk or regions()[region].kk, font=small,
                 fill=(11, 31, 58, 255), anchor="mm")
        pen.text((left + 106, top + 95), figures.get(region, "дерек жоқ"), font=bold, fill=(11, 31, 58, 255),
                 anchor="mm")
    pen.text((136, 970), "Дереккөз · Источник: " + prepared.resolved.values["hour.sources"], font=small,
             fill=(201, 214, 227, 255), anchor="lm")
    frame.save(folder / "turnout-map.png")


def map_bench(root: Path) -> None:
    """The turnout map at 1080p: resolve through the gate, fit, draw, write; first render (cold caches, a new
    hour or language each run), then one unit's figure changed each run, against the naive full frame."""
    template = load_template(ROOT / "studio" / "overlays" / "turnout-map.toml")
    facts = map_facts()
    hours = [f"{h}:00" for h in (10, 12, 16, 18, 20)]
    data = [{"hour": hours[i % len(hours)], "language": ("kk", "ru")[i // len(hours) % 2]}
            for i in range(MAP_RUNS + WARM_UP)]
    bold = ImageFont.truetype(str(ROOT / "studio" / "overlays" / "fonts" / "NotoSans-Bold.ttf"), 36)
    small = ImageFont.truetype(str(ROOT / "studio" / "overlays" / "fonts" / "NotoSans-Bold.ttf"), 26)
    ours = lambda out, item: write(render(template, item, facts), out)  # noqa: E731
    theirs = lambda out, item: naive_map(out, prepare(template, item, facts), bold, small)  # noqa: E731
    first = measure(root, "map", data, ours, before=forget_graphics)
    plain = measure(root, "map-naive", data, theirs, before=lambda: None)
    units = list(regions())
    changed = []  # 16:00 in Kazakh, one unit's figure a hundredth higher each run, in turn
    for run in range(MAP_RUNS + WARM_UP):
        view = facts.facts[f"1600-{units[run % len(units)]}"]
        changed.append(MemoryFacts().add(*facts.facts.values(), replace(
            view, value=f"{Decimal(view.value) + Decimal(run + 1) / 100}", version=view.version + run + 1)))
    hour = {"hour": "16:00", "language": "kk"}
    write(render(template, hour, changed[0]), root)  # the frame the first change is made to
    again = measure(root, "map-changed", changed, lambda out, item: write(render(template, hour, item), out),
                    before=lambda: None)
    med = statistics.median
    print_three(f"turnout map on the 1920x1080 canvas (region {template.region.width}x{template.region.height}), "
                f"{MAP_RUNS} runs", first, again, plain, MAP_TARGET_MS)
    image = render(template, hour, facts).image
    for level in (0, 1):
        spent, size = [], 0
        for _ in range(20):
            started = clock.process_time()
            size = len(encode_png(image, level))
            spent.append((clock.process_time() - started) * 1000)
        print(f"  PNG of the map at zlib level {level}, whole frame: CPU {med(spent):5.2f} ms, {size} bytes")
    figure("render", "turnout_map_median", med(again[0]), med(plain[0]), "ms", target=f"<= {MAP_TARGET_MS} ms",
           met=med(again[0]) <= MAP_TARGET_MS)
    figure("render", "turnout_map_first_median", med(first[0]), med(plain[0]), "ms", target=f"<= {MAP_TARGET_MS} ms",
           met=med(first[0]) <= MAP_TARGET_MS)


def main() -> int:
    every = texts()
    parser = argparse.ArgumentParser(description="render + atomic write of a new lower third, against a naive baseline")
    parser.add_argument("--runs", type=int, default=300, help=f"at most {len(every) - WARM_UP}: each run has new text")
    runs = min(max(parser.parse_args().runs, 100), len(every) - WARM_UP)
    data = every[:runs + WARM_UP]
    template = load_template(ROOT / "studio" / "overlays" / "lower-third.toml")
    bold = ImageFont.truetype(str(ROOT / "studio" / "overlays" / "fonts" / "NotoSans-Bold.ttf"), 56)
    regular = ImageFont.truetype(str(ROOT / "studio" / "overlays" / "fonts" / "NotoSans-Regular.ttf"), 34)
    ours = lambda out, item: write(render(template, item), out)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as temp:
        root = Path(temp)
        new, new_cpu = measure(root, "new", data, ours, before=text_mask.cache_clear)
        first, first_cpu = measure(root, "first", data, ours, before=clear_caches)
        theirs, theirs_cpu = measure(root, "naive", data, lambda out, item: naive(out, item, bold, regular),
                                     before=lambda: None)
        parts = stages(template, data, root)
        map_bench(root)
        size_ours = next((root / "new" / "0").glob("*.png")).stat().st_size
        size_theirs = (root / "naive" / "0" / "lower-third.png").stat().st_size
    pillow = pillow_png_ms(render(template, data[0]).image)
    med = statistics.median
    region = template.region
    print(f"lower third on the 1920x1080 canvas, {runs} runs each, new text every run "
          f"({len(every)} name/role pairs from {RUNDOWN.name}): wall ms median / p99 (CPU ms median)")
    print(f"  studio, new text        : {med(new):6.2f} / {p99(new):6.2f} ({med(new_cpu):5.2f})  "
          f"region {region.width}x{region.height} at x={region.x}, y={region.y}; "
          f"PNG unfiltered + zlib 1 ({size_ours} bytes) + sidecar JSON")
    print(f"  studio, first after start: {med(first):6.2f} / {p99(first):6.2f} ({med(first_cpu):5.2f})  "
          "glyph, advance and line caches empty (fonts loaded): each letter rasterised anew")
    print(f"  naive, full frame       : {med(theirs):6.2f} / {p99(theirs):6.2f} ({med(theirs_cpu):5.2f})  "
          f"1920x1080 RGBA, Pillow text, PNG defaults ({size_theirs} bytes)")
    print("  studio stages (CPU median, new text): " + ", ".join(f"{k} {v:.2f}" for k, v in parts.items())
          + f"; Pillow's own PNG encoder at compress_level=1 on the same image: {pillow:.2f} ms")
    ratio = med(theirs) / med(new)
    print(f"  ratio naive / studio (median wall): {ratio:.1f}x new text, {med(theirs) / med(first):.1f}x first after start")
    print(f"  target median <= {TARGET_MS} ms, new text: {'met' if med(new) <= TARGET_MS else 'NOT met'}; "
          f">= {TARGET_RATIO}x faster than naive: {'met' if ratio >= TARGET_RATIO else 'NOT met'}")
    figure("render", "lower_third_median", med(new), med(theirs), "ms", target=f"<= {TARGET_MS} ms",
           met=med(new) <= TARGET_MS)
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as temp:
        results_board(Path(temp), runs)
    from render_social import social_cards  # issue 21 part 3: the social cards, each shape

    with tempfile.TemporaryDirectory(prefix="studio-bench-") as temp:
        social_cards(Path(temp), measure, p99, WARM_UP, results_facts)
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  machine: {os.cpu_count()} CPUs, load average {load:.2f} at the end (other work inflates wall time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
