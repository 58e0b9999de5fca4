"""Take → prompter latency: how soon a take made elsewhere shows on the prompters.

Three figures from one run, each over TAKES takes made by a producer's
controller on its own store connection (as another process has):

* store: the commit's own visibility — a second connection busy-polling
  ``PRAGMA data_version`` notices it (the floor under everything else);
* terminal: the prompter app (``run_test``, headless, live) repaints its
  card with the new segment — its follow loop polls the store at 10 Hz;
* browser: an SSE client (aiohttp) reading ``/events`` of the browser
  prompter receives the card with the new segment.

Every latency runs from the moment ``take()`` returned (the commit is done).
Takes are spaced by a seeded random pause so they do not fall in step with
the 100 ms poll. Target: p99 under 500 ms. A measurement, not a test: it
prints the figures and exits 0 unless it crashes.

    .venv/bin/python bench/prompter_latency.py
"""

from __future__ import annotations

import asyncio
import json
import random
import statistics
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Callable

from record import figure  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import aiohttp  # noqa: E402
from aiohttp import web  # noqa: E402

from studio.config import Config  # noqa: E402
from studio.rundown.load import load_rundown  # noqa: E402
from studio.show import Controller, ShowReader  # noqa: E402
from studio.store import open_store  # noqa: E402
from studio.tui.prompter import make_prompter  # noqa: E402
from studio.web.follow import POLL, Follower  # noqa: E402
from studio.web.prompter import make_prompter_web  # noqa: E402

SHOW = ROOT / "tests" / "prompter" / "prompter_show.toml"
TAKES = 200
TARGET_MS = 500.0
SEGMENTS = ("open", "astana-live", "almaty-live", "briefing-10")


def segments() -> list[str]:
    """TAKES segment ids, each different from the one before (so each take changes the picture)."""
    return [SEGMENTS[i % len(SEGMENTS)] for i in range(TAKES)]


def pause(rng: random.Random) -> float:
    return rng.uniform(0.0, POLL)


def controller(path: Path, origin: str) -> Controller:
    return Controller(open_store(path), load_rundown(SHOW), operator="bench", origin=origin)


def prompter_side(path: Path) -> ShowReader:
    """The prompter's side, as ``studio prompter`` builds it."""
    return ShowReader(open_store(path), load_rundown(SHOW))


def store_latency(path: Path) -> list[float]:
    writer = controller(path, "console")
    reader = open_store(path).db
    seen: list[float] = []
    stop = threading.Event()
    version = reader.execute("PRAGMA data_version").fetchone()[0]

    def watch() -> None:
        nonlocal version
        while not stop.is_set():
            now = reader.execute("PRAGMA data_version").fetchone()[0]
            if now != version:
                version = now
                seen.append(time.perf_counter())

    thread = threading.Thread(target=watch, daemon=True)
    thread.start()
    rng = random.Random(1)
    latencies = []
    for segment in segments():
        before = len(seen)
        writer.take(segment)
        committed = time.perf_counter()
        while len(seen) == before:
            time.sleep(0.0001)
        latencies.append(max(0.0, seen[before] - committed))  # the watcher may see it before take() returns
        time.sleep(pause(rng) / 10)
    stop.set()
    thread.join()
    return latencies


async def terminal_latency(path: Path) -> list[float]:
    producer = controller(path, "console")
    app = make_prompter(prompter_side(path), Config())
    shown: dict[str, float] = {}
    show: Callable = app._show

    def timed(view) -> None:  # type: ignore[no-untyped-def]
        show(view)
        if app.card is not None and app.card.segment_id:
            shown.setdefault(f"{app.card.segment_id}@{view.on_air.id}", time.perf_counter())

    app._show = timed  # type: ignore[method-assign]
    rng = random.Random(2)
    latencies = []
    async with app.run_test(size=(120, 40), headless=True):
        for segment in segments():
            await asyncio.to_thread(producer.take, segment)
            committed = time.perf_counter()
            key = f"{segment}@{producer.state.on_air.id}"
            while key not in shown:
                await asyncio.sleep(0.001)
            latencies.append(shown[key] - committed)
            await asyncio.sleep(pause(rng))
    return latencies


async def browser_latency(path: Path) -> list[float]:
    producer = controller(path, "console")
    app = make_prompter_web(Follower(prompter_side(path)), producer.rundown.show.zone, "kk")
    runner = web.AppRunner(app, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    host, port = runner.addresses[0][:2]
    received: dict[str, float] = {}
    rng = random.Random(3)
    latencies = []

    async def read(response: aiohttp.ClientResponse) -> None:
        async for raw in response.content:
            line = raw.decode()
            if line.startswith("data: "):
                card = json.loads(line[6:])
                received.setdefault(str(card["segment_id"]), time.perf_counter())

    async with aiohttp.ClientSession() as session:
        async with session.get(f"http://{host}:{port}/events") as response:
            reader = asyncio.create_task(read(response))
            for segment in segments():
                received.clear()
                await asyncio.to_thread(producer.take, segment)
                committed = time.perf_counter()
                while segment not in received:
                    await asyncio.sleep(0.001)
                latencies.append(received[segment] - committed)
                await asyncio.sleep(pause(rng))
            reader.cancel()
    await runner.cleanup()
    return latencies


def figures(name: str, latencies: list[float]) -> str:
    ms = sorted(value * 1000 for value in latencies)
    p50 = statistics.median(ms)
    p99 = ms[min(len(ms) - 1, round(0.99 * (len(ms) - 1)))]
    return f"{name:<26}{p50:>9.2f}{p99:>9.2f}{ms[-1]:>9.2f}{len(ms):>7}"


def main() -> int:
    with tempfile.TemporaryDirectory() as folder:
        store = store_latency(Path(folder) / "store.db")
        terminal = asyncio.run(terminal_latency(Path(folder) / "terminal.db"))
        browser = asyncio.run(browser_latency(Path(folder) / "browser.db"))
    print(
        f"take → prompter latency, from the take's commit (poll {POLL * 1000:.0f} ms; "
        f"target p99 < {TARGET_MS:.0f} ms)"
    )
    print(f"{'':<26}{'p50 ms':>9}{'p99 ms':>9}{'max ms':>9}{'takes':>7}")
    print(figures("store (data_version)", store))
    print(figures("terminal prompter", terminal))
    print(figures("browser prompter (SSE)", browser))
    worst = max(sorted(terminal)[round(0.99 * (TAKES - 1))], sorted(browser)[round(0.99 * (TAKES - 1))]) * 1000
    verdict = "under" if worst < TARGET_MS else "OVER"
    print(f"verdict: p99 {verdict} {TARGET_MS:.0f} ms (worst of the two prompters: {worst:.1f} ms)")
    floor = sorted(store)[round(0.99 * (TAKES - 1))] * 1000
    figure("prompter_latency", "worst_prompter_p99", worst, floor, "ms", target=f"under {TARGET_MS:.0f} ms",
           met=worst < TARGET_MS)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
