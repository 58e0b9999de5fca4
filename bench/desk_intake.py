"""How many observer reports `studio intake` takes per second over loopback, and how fast it answers.

A measurement, not a test: it prints figures and exits 0 unless it crashes
(1 when a target is missed or a report is lost). It makes a fresh store with
OBSERVERS tokens, starts the intake server in a subprocess on a free
loopback port, and sends REPORTS reports from CONNECTIONS concurrent
connections (closed loop: each connection sends its next report when the
last is answered), each with its own Idempotency-Key, bounded by TIME_CAP
seconds. Then it checks that the store holds exactly the reports answered
201. The baseline is a bare aiohttp handler in a subprocess that reads the
body and answers 201 without touching a store, under the same load.

    .venv/bin/python bench/desk_intake.py [REPORTS] [CONNECTIONS]

Targets: at least 1,000 reports/s, p99 under 50 ms, no report lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from record import figure  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
REPORTS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 20_000
CONNECTIONS = int(sys.argv[2]) if len(sys.argv) > 2 and sys.argv[2].isdigit() else 16
OBSERVERS = 200
TIME_CAP = 60.0
TARGET_RATE, TARGET_P99_MS = 1000.0, 50.0
KINDS = ("turnout", "violation", "incident", "queue", "other")
TEXTS = (
    "На участке явка на 12:00 составила {n}%",
    "Учаске алдында үлкен кезек, шамамен {n} адам",
    "Наблюдателя выгнали с участка без объяснений",
    "Урна для голосования не опломбирована",
    "Учаскеде бәрі тыныш",
)


# --- the servers (run in subprocesses) -------------------------------------------


def _serve_intake(store: str, port: int) -> None:
    from aiohttp import web

    from studio.store.desk import open_desk
    from studio.web.intake import make_intake

    app = make_intake(open_desk(store), rate=10_000.0, burst=10_000)  # a SQLite file's path or a PostgreSQL URL
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _serve_bare(port: int) -> None:
    from aiohttp import web

    async def post(request: web.Request) -> web.Response:
        await request.read()
        return web.json_response({"id": 1, "group": 1}, status=201)

    async def health(request: web.Request) -> web.Response:
        return web.json_response({"status": "ok"})

    app = web.Application()
    app.router.add_post("/reports", post)
    app.router.add_get("/health", health)
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


# --- the load generator ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _start(args: list[str], port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ, PYTHONPATH=str(ROOT))
    process = subprocess.Popen([sys.executable, __file__, *args], env=env, cwd=ROOT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    process.kill()
    raise RuntimeError(f"the server on port {port} did not start (its error is above)")


def _stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    try:
        process.wait(10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


async def _load(url: str, tokens: list[str], regions: list[str]) -> tuple[int, list[float], float, dict[int, int]]:
    """(201 answers, latencies in s, elapsed s, count per status)."""
    import aiohttp

    rng = random.Random(7)
    bodies = [
        json.dumps(
            {
                "region": rng.choice(regions),
                "station": rng.randint(1, 400),
                "kind": rng.choice(KINDS),
                "text": rng.choice(TEXTS).format(n=rng.randint(5, 90)),
            },
            ensure_ascii=False,
        ).encode()
        for _ in range(min(REPORTS, 5000))
    ]
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    next_index = 0
    start = time.perf_counter()
    stop_at = start + TIME_CAP

    async def worker(session: aiohttp.ClientSession) -> None:
        nonlocal next_index
        while next_index < REPORTS and time.perf_counter() < stop_at:
            n = next_index
            next_index += 1
            headers = {
                "Authorization": f"Bearer {tokens[n % len(tokens)]}",
                "Content-Type": "application/json",
                "Idempotency-Key": f"bench-{n}",
            }
            sent = time.perf_counter()
            async with session.post(url + "/reports", data=bodies[n % len(bodies)], headers=headers) as response:
                await response.read()
                status = response.status
            latencies.append(time.perf_counter() - sent)
            statuses[status] = statuses.get(status, 0) + 1

    connector = aiohttp.TCPConnector(limit=CONNECTIONS)
    async with aiohttp.ClientSession(connector=connector) as session:
        await asyncio.gather(*(worker(session) for _ in range(CONNECTIONS)))
    return statuses.get(201, 0), latencies, time.perf_counter() - start, statuses


def _percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))] if ordered else float("nan")


def _line(name: str, ok: int, latencies: list[float], elapsed: float) -> tuple[float, float]:
    rate = ok / elapsed if elapsed else 0.0
    p50, p99 = _percentile(latencies, 0.50) * 1000, _percentile(latencies, 0.99) * 1000
    print(
        f"{name:<22}{ok:>8} x 201 {elapsed:>7.2f} s {rate:>9.0f} /s"
        f"   p50 {p50:>6.2f} ms   p99 {p99:>6.2f} ms   max {max(latencies, default=0) * 1000:>7.2f} ms"
    )
    return rate, p99


def measure_intake(store: Path | str, name: str = "studio intake") -> tuple[float, float, int, int, dict[int, int]]:
    """The intake on the empty store at ``store`` (a SQLite file's path or a PostgreSQL URL) under the load:
    (reports/s, p99 ms, answered 201, stored, other answers)."""
    from studio.machine import utc_now
    from studio.regions import regions
    from studio.store.desk import open_desk
    from studio.store.observers import add_observer

    desk = open_desk(store)
    tokens = [add_observer(desk.db, f"observer-{n:03}", by="bench", at=utc_now()) for n in range(OBSERVERS)]
    desk.close()
    port = _free_port()
    server = _start(["--serve", str(store), str(port)], port)
    try:
        ok, latencies, elapsed, statuses = asyncio.run(_load(f"http://127.0.0.1:{port}", tokens, list(regions())))
    finally:
        _stop(server)
    rate, p99 = _line(name, ok, latencies, elapsed)
    desk = open_desk(store)
    stored = desk.db.execute("SELECT COUNT(*) FROM report").fetchone()[0]
    desk.close()
    return rate, p99, ok, stored, {s: n for s, n in statuses.items() if s != 201}


def measure_bare() -> tuple[float, float]:
    """The floor under the same load: a bare aiohttp handler answering 201. (reports/s, p99 ms)"""
    from studio.regions import regions

    port = _free_port()
    bare = _start(["--bare", str(port)], port)
    try:
        ok, latencies, elapsed, _ = asyncio.run(_load(f"http://127.0.0.1:{port}", ["-"], list(regions())))
    finally:
        _stop(bare)
    return _line("baseline (bare 201)", ok, latencies, elapsed)


def verdicts(rate: float, p99: float, ok: int, stored: int) -> list[tuple[bool, str]]:
    return [
        (rate >= TARGET_RATE, f"rate {rate:.0f}/s >= {TARGET_RATE:.0f}/s"),
        (p99 < TARGET_P99_MS, f"p99 {p99:.1f} ms < {TARGET_P99_MS:.0f} ms"),
        (stored == ok, f"lost: {ok - stored} (stored {stored}, acknowledged {ok})"),
    ]


def main() -> int:
    print(f"{REPORTS} reports from {OBSERVERS} observers over {CONNECTIONS} connections (cap {TIME_CAP:.0f} s)")
    base_rate, base_p99 = measure_bare()
    with tempfile.TemporaryDirectory(prefix="studio-intake-bench-") as folder:
        rate, p99, ok, stored, others = measure_intake(Path(folder) / "desk.db")
    print(f"stored {stored} reports; answered 201: {ok}; other answers: {others or 'none'}")
    checked = verdicts(rate, p99, ok, stored)
    for passed, text in checked:
        print(("ok    " if passed else "MISSED ") + text)
    figure("desk_intake", "p99", p99, base_p99, "ms", target=f"under {TARGET_P99_MS:.0f} ms", met=p99 < TARGET_P99_MS)
    figure("desk_intake", "seconds_per_report", 1 / rate, 1 / base_rate, "s", target=f"{TARGET_RATE:.0f}/s",
           met=rate >= TARGET_RATE)
    return 0 if all(passed for passed, _ in checked) else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--serve":
        _serve_intake(sys.argv[2], int(sys.argv[3]))
    elif len(sys.argv) > 1 and sys.argv[1] == "--bare":
        _serve_bare(int(sys.argv[2]))
    else:
        raise SystemExit(main())
