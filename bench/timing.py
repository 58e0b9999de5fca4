"""How long one full timing compute takes on a referendum-day-sized rundown.

A measurement, not a test: it prints figures and exits 0 unless it crashes.
The baseline is the cheapest possible pass over the same segments (summing
durations into start times), so the ratio shows what the engine's rules cost.

    .venv/bin/python bench/timing.py
"""

from __future__ import annotations

import statistics
import sys
import time as clock
from datetime import date, datetime, time, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from studio.rundown.model import Bilingual, Kind, Rundown, Segment, Show  # noqa: E402
from studio.rundown.timing import OnAir, Span, compute, plan  # noqa: E402
from record import figure  # noqa: E402  (bench/ is the script's folder)

SEGMENTS = 500
FIXED_EVERY = 20
PLAYED = 250
RUNS = 2000
TARGET_MS = 2.0
TURNOUT = tuple(time(h, 0) for h in (10, 12, 14, 16, 18, 20))


def build() -> Rundown:
    """500 segments of 1-3 min from 07:00, a fixed start every 20 segments.

    Fixed times sit at the planned arrival rounded down to the minute, so the
    plan overruns each by under a minute and the fixed times stay in order.
    """
    show = Show(
        "bench", Bilingual("bench", "bench"), date(2026, 3, 15), ZoneInfo("Asia/Almaty"), time(7, 0)
    )
    segments = []
    cursor = show.starts_at
    for i in range(SEGMENTS):
        duration = timedelta(seconds=60 + (i * 37) % 121)
        fixed = None
        if i and i % FIXED_EVERY == 0:
            fixed = cursor.replace(second=0).time()
            cursor = cursor.replace(second=0)
        segments.append(
            Segment(f"s{i:03}", Kind.STUDIO, Bilingual(f"s{i}", f"s{i}"), duration, fixed=fixed)
        )
        cursor += duration
    return Rundown(show, tuple(segments))


def as_run(rundown: Rundown) -> tuple[list[Span], OnAir, datetime]:
    """The first 250 segments played with small deviations, the next on air."""
    slots = plan(rundown)
    played = []
    cursor = slots[0].start
    for i, slot in enumerate(slots[:PLAYED]):
        ran = slot.segment.duration + timedelta(seconds=(i * 13) % 41 - 20)
        played.append(Span(slot.segment.id, cursor, cursor + ran, slot.segment.duration))
        cursor += ran
    current = slots[PLAYED].segment
    on_air = OnAir(current.id, cursor, current.duration)
    return played, on_air, cursor + current.duration + timedelta(seconds=30)


def measure(fn, runs: int) -> tuple[float, float]:
    """Median and p99 of ``runs`` calls, in milliseconds."""
    samples = []
    for _ in range(runs):
        begin = clock.perf_counter_ns()
        fn()
        samples.append(clock.perf_counter_ns() - begin)
    samples.sort()
    return statistics.median(samples) / 1e6, samples[int(len(samples) * 0.99) - 1] / 1e6


def main() -> int:
    rundown = build()
    played, on_air, now = as_run(rundown)
    excluded = frozenset({"s400", "s401", "s455"})
    start = rundown.show.starts_at
    segments = rundown.segments

    def engine() -> None:
        compute(rundown, played, on_air, excluded, now, TURNOUT)

    def baseline() -> None:
        cursor, starts = start, []
        for segment in segments:
            starts.append(cursor)
            cursor += segment.duration

    timing = compute(rundown, played, on_air, excluded, now, TURNOUT)
    for fn in (engine, baseline):  # warm up
        measure(fn, 50)
    median, p99 = measure(engine, RUNS)
    base_median, base_p99 = measure(baseline, RUNS)

    print(
        f"timing.compute  {SEGMENTS} segments, {len(played)} played, "
        f"{len(timing.expected)} forecast: median {median:.3f} ms, p99 {p99:.3f} ms ({RUNS} runs)"
    )
    print(f"baseline loop   median {base_median:.3f} ms, p99 {base_p99:.3f} ms")
    print(f"ratio           median x{median / base_median:.1f}, p99 x{p99 / base_p99:.1f}")
    verdict = "met" if p99 < TARGET_MS else "MISSED"
    print(f"target {TARGET_MS:.0f} ms    {verdict} (p99 {p99:.3f} ms)")
    figure("timing", "p99", p99, base_p99, "ms", target=f"under {TARGET_MS:.0f} ms", met=p99 < TARGET_MS)
    return 0


if __name__ == "__main__":
    sys.exit(main())
