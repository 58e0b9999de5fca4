"""How long one lower third takes from data to a PNG that OBS can read.

A measurement, not a test: it prints figures and exits 0 unless it crashes.

Measured: studio's path for a lower third on the 1920x1080 canvas: resolve
and sanitise the data, fit the text, draw the template's own region
(960x174), and write it atomically (sidecar JSON, then the PNG encoded at
compress_level=1, each via a temporary file and os.replace), named by
content. Baseline, in the same run: the naive way: a full-frame 1920x1080
RGBA image with the same panels and text, saved as PNG with Pillow's
default settings. Fonts are loaded once for both.

Each run writes into its own empty folder, as on show day, where a changed
graphic is a new file name. Figures are medians of wall-clock time (the
target) and of the process's CPU time, which a busy machine disturbs less;
"cold" clears studio's glyph and width caches before every run.

    .venv/bin/python bench/render.py [--runs N]
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time as clock
from pathlib import Path
from typing import Callable

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from PIL import Image, ImageDraw, ImageFont  # noqa: E402

from studio.graphics import load_template, render, write  # noqa: E402
from studio.graphics.fonts import text_mask, text_width  # noqa: E402
from studio.graphics.output import atomic_write, encode_png  # noqa: E402
from studio.graphics.render import draw, prepare  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
DATA = {"name": "Айгерім Сәрсенбаева", "role": "бақылаушылар желісінің үйлестірушісі"}
TARGET_MS = 5.0
TARGET_RATIO = 3.0


def naive(folder: Path, bold: ImageFont.FreeTypeFont, regular: ImageFont.FreeTypeFont) -> None:
    frame = Image.new("RGBA", (1920, 1080), (0, 0, 0, 0))
    pen = ImageDraw.Draw(frame)
    pen.rectangle((96, 822, 105, 995), fill=(0, 175, 202, 255))
    pen.rectangle((106, 822, 1055, 925), fill=(11, 31, 58, 240))
    pen.rectangle((106, 926, 1055, 995), fill=(238, 243, 248, 245))
    pen.text((130, 874), DATA["name"], font=bold, fill=(255, 255, 255, 255), anchor="lm")
    pen.text((130, 961), DATA["role"], font=regular, fill=(11, 31, 58, 255), anchor="lm")
    frame.save(folder / "lower-third.png")


def cold() -> None:
    text_mask.cache_clear()
    text_width.cache_clear()


def measure(folders: list[Path], step: Callable[[Path], object], before: Callable[[], None] = lambda: None):
    """Wall and CPU milliseconds of ``step(folder)``, one fresh folder a run, after 10 warm-up runs."""
    for folder in folders[:10]:
        step(folder)
    wall, cpu = [], []
    for folder in folders[10:]:
        before()
        started, started_cpu = clock.perf_counter(), clock.process_time()
        step(folder)
        cpu.append((clock.process_time() - started_cpu) * 1000)
        wall.append((clock.perf_counter() - started) * 1000)
    return wall, cpu


def folders(root: Path, name: str, count: int) -> list[Path]:
    made = [root / name / str(index) for index in range(count)]
    for folder in made:
        folder.mkdir(parents=True)
    return made


def stages(template, runs: int, root: Path) -> dict[str, float]:
    """Median CPU ms of each stage, warm caches."""
    times: dict[str, list[float]] = {"prepare": [], "draw": [], "encode PNG": [], "write x2": []}
    for index, folder in enumerate(folders(root, "stages", runs)):
        marks = [clock.process_time()]
        prepared = prepare(template, DATA)
        marks.append(clock.process_time())
        rendered = draw(prepared)
        marks.append(clock.process_time())
        png = encode_png(rendered.image)
        marks.append(clock.process_time())
        atomic_write(folder / "x.json", b"{}")
        atomic_write(folder / "x.png", png)
        marks.append(clock.process_time())
        if index >= 10:
            for name, start, end in zip(times, marks, marks[1:]):
                times[name].append((end - start) * 1000)
    return {name: statistics.median(values) for name, values in times.items()}


def main() -> int:
    parser = argparse.ArgumentParser(description="render + atomic write of a lower third, against a naive baseline")
    parser.add_argument("--runs", type=int, default=300)
    runs = max(parser.parse_args().runs, 200)
    template = load_template(ROOT / "overlays" / "lower-third.toml")
    bold = ImageFont.truetype(str(ROOT / "overlays" / "fonts" / "NotoSans-Bold.ttf"), 56)
    regular = ImageFont.truetype(str(ROOT / "overlays" / "fonts" / "NotoSans-Regular.ttf"), 34)
    ours = lambda out: write(render(template, DATA), out)  # noqa: E731
    with tempfile.TemporaryDirectory(prefix="studio-bench-") as temp:
        root = Path(temp)
        warm, warm_cpu = measure(folders(root, "warm", runs + 10), ours)
        cold_wall, cold_cpu = measure(folders(root, "cold", runs + 10), ours, before=cold)
        theirs, theirs_cpu = measure(folders(root, "naive", runs + 10), lambda out: naive(out, bold, regular))
        parts = stages(template, runs, root)
        size_ours = next((root / "warm" / "0").glob("*.png")).stat().st_size
        size_theirs = (root / "naive" / "0" / "lower-third.png").stat().st_size
    med = statistics.median
    print(f"lower third on the 1920x1080 canvas, {runs} runs each: median wall ms (median CPU ms)")
    region = template.region
    print(f"  studio, caches warm : {med(warm):6.2f} ({med(warm_cpu):5.2f})  region {region.width}x{region.height} "
          f"at x={region.x}, y={region.y}; "
          f"atomic PNG (compress_level=1, {size_ours} bytes) + sidecar JSON")
    print(f"  studio, caches cold : {med(cold_wall):6.2f} ({med(cold_cpu):5.2f})  every glyph rasterised anew")
    print(f"  naive, full frame   : {med(theirs):6.2f} ({med(theirs_cpu):5.2f})  1920x1080 RGBA, "
          f"PNG defaults ({size_theirs} bytes)")
    print("  studio stages (CPU, warm): " + ", ".join(f"{name} {value:.2f}" for name, value in parts.items()))
    ratio = med(theirs) / med(cold_wall)
    print(f"  ratio naive / studio: {ratio:.1f}x cold, {med(theirs) / med(warm):.1f}x warm "
          f"(CPU: {med(theirs_cpu) / med(cold_cpu):.1f}x cold)")
    print(f"  target median <= {TARGET_MS} ms (warm, wall): {'met' if med(warm) <= TARGET_MS else 'NOT met'}"
          f"; cold: {'met' if med(cold_wall) <= TARGET_MS else 'NOT met'}")
    print(f"  target >= {TARGET_RATIO}x faster than naive (cold, wall): {'met' if ratio >= TARGET_RATIO else 'NOT met'}")
    load = os.getloadavg()[0] if hasattr(os, "getloadavg") else float("nan")
    print(f"  machine: {os.cpu_count()} CPUs, load average {load:.2f} at the end (other work inflates wall time)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
