"""The store's benchmarks on SQLite and PostgreSQL side by side, in one run (issue 22, part 7).

A measurement, not a test: it prints both figures of each and exits 0 unless it crashes (1 when a target is
missed). PostgreSQL is a server of the bench's own, started as the tests start theirs (tests/pg_server.py:
initdb in a temporary directory, a free port, fsync off as in the tests; SQLite's WAL at synchronous=NORMAL
does not sync at each commit either). Each figure runs on a new empty store of each database:

- the 100,000-row import (bench/desk_import.py's export and its timed import): ≤ 3 s on SQLite, PostgreSQL
  reported next to it;
- the observers' intake (bench/desk_intake.py's server and closed-loop load): ≥ 1,000 reports/s with
  p99 < 50 ms on both;
- a take's store part: the controller taking a segment with no switcher, TAKES times on each database, one
  take on each in turn (the load of a shared machine changes within a run); its write transaction (the target:
  PostgreSQL's p50 at most SQLite's + 1 ms), and the whole take with the re-read of the show for the view,
  beside it.

Each figure on PostgreSQL starts on a quiet server: the database of the one before is dropped and the server
checkpointed, so its autovacuum and its dirty pages (100,000 imported rows) do not take the intake's CPU.

    .venv/bin/python bench/store_backends.py
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from contextlib import contextmanager
from datetime import datetime, timezone
from pathlib import Path
from urllib.parse import urlsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from desk_import import ROWS, TARGET_S, generate, timed_import  # noqa: E402
from desk_intake import measure_intake, verdicts  # noqa: E402
from record import figure  # noqa: E402

from studio.paths import shipped  # noqa: E402
from studio.rundown.load import load_rundown  # noqa: E402
from studio.show import Controller  # noqa: E402
from studio.store import open_store  # noqa: E402
from studio.store.desk import open_desk  # noqa: E402
from tests.pg_server import PgServer, started_server  # noqa: E402

import psycopg  # noqa: E402

TAKES = 300
WARM_UP = 20
TAKE_MARGIN_MS = 1.0


class TimedTakes:
    """A controller on a new store taking two segments in turn (a take never repeats the one on air), timing
    each take in milliseconds: its write transaction (BEGIN to COMMIT, around the store's write()), and the
    whole take with the re-read."""

    def __init__(self, location: Path | str) -> None:
        rundown = load_rundown(shipped("sample/referendum-day.toml"))
        self.store = open_store(location)
        self.writes: list[float] = []
        self.takes: list[float] = []
        write = self.store.write

        @contextmanager
        def timed_write(**options):  # the controller's one write of a take, as it opens it
            begin = time.perf_counter()
            with write(**options):
                yield self.store
            self.writes.append((time.perf_counter() - begin) * 1000)

        self.store.write = timed_write  # type: ignore[method-assign]
        self.controller = Controller(self.store, rundown, operator="bench",
                                     clock=lambda: datetime.now(timezone.utc))
        self.segments = [segment.id for segment in rundown.segments[:2]]
        self.writes.clear()  # building the controller saved the plan

    def take(self) -> None:
        begin = time.perf_counter()
        self.controller.take(self.segments[len(self.takes) % 2])
        self.takes.append((time.perf_counter() - begin) * 1000)

    def close(self) -> None:
        self.store.close()
        assert len(self.writes) == len(self.takes), "one write transaction per take"


def quieted(server: PgServer, url: str) -> None:
    """The server as a figure found it: ``url``'s database dropped, its pages written, no autovacuum running."""
    with psycopg.connect(server.url(), autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {urlsplit(url).path.lstrip('/')} WITH (FORCE)")
        admin.execute("CHECKPOINT")
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and admin.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE backend_type = 'autovacuum worker'"
        ).fetchone()[0]:
            time.sleep(0.2)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def main() -> int:
    server = started_server()
    try:
        with tempfile.TemporaryDirectory(prefix="studio-backends-bench-") as folder:
            return measured(Path(folder), server)
    finally:
        server.stop()


def measured(folder: Path, server) -> int:
    made: list[str] = []  # PostgreSQL's database of the figure before, dropped before the next

    def on_postgresql(name: str) -> str:
        while made:
            quieted(server, made.pop())
        made.append(server.new_database())
        return made[0]

    stores = {"SQLite": lambda name: folder / f"{name}.db", "PostgreSQL": on_postgresql}
    checks: list[tuple[bool, str]] = []

    export = folder / "reports.csv"
    generate(export, ROWS)
    print(f"import of {ROWS:,} reports (bench/desk_import.py's export)")
    imports = {}
    for backend, store in stores.items():
        desk = open_desk(store("import"))
        took, _, summary = timed_import(desk, export)
        desk.close()
        imports[backend] = took
        print(f"  {backend:<11} {took:6.2f} s   ({summary.added:,} added)")
    checks.append((imports["SQLite"] <= TARGET_S, f"import on SQLite {imports['SQLite']:.2f} s <= {TARGET_S:.0f} s"))

    print("intake (bench/desk_intake.py's load)")
    intakes = {}
    for backend, store in stores.items():
        try:
            rate, p99, ok, stored, others = measure_intake(store("intake"), f"  {backend}")
        except RuntimeError as error:  # said, and counted as missed: the other figures still come
            print(f"  {backend:<11} not measured: {error}")
            checks.append((False, f"intake on {backend}: not measured"))
            continue
        intakes[backend] = (rate, p99)
        checks += [(passed, f"intake on {backend}: {text}") for passed, text in verdicts(rate, p99, ok, stored)]
        if others:
            print(f"    other answers: {others}")

    print(f"take, the store's part ({TAKES} takes after {WARM_UP}; the controller with no switcher)")
    takers = {backend: TimedTakes(store("takes")) for backend, store in stores.items()}
    for _ in range(WARM_UP + TAKES):
        for taker in takers.values():  # one take on each in turn: the machine's load falls on both alike
            taker.take()
    p50 = {}
    for backend, taker in takers.items():
        taker.close()
        writes, takes = taker.writes[WARM_UP:], taker.takes[WARM_UP:]
        p50[backend] = statistics.median(writes)
        for what, took in (("write transaction", writes), ("with the re-read", takes)):
            print(f"  {backend:<11} {what:<18} p50 {statistics.median(took):6.2f} ms"
                  f"   p99 {percentile(took, 0.99):6.2f} ms   max {max(took):6.2f} ms")
    within = p50["PostgreSQL"] <= p50["SQLite"] + TAKE_MARGIN_MS
    checks.append((within, f"take's write p50 on PostgreSQL {p50['PostgreSQL']:.2f} ms <= SQLite's "
                           f"{p50['SQLite']:.2f} ms + {TAKE_MARGIN_MS:.0f} ms"))

    for passed, text in checks:
        print(("ok     " if passed else "MISSED ") + text)
    print(f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    figure("store_backends", "import", imports["PostgreSQL"], imports["SQLite"], "s",
           target=f"SQLite under {TARGET_S:.0f} s", met=imports["SQLite"] <= TARGET_S)
    if len(intakes) == len(stores):
        figure("store_backends", "intake_p99", intakes["PostgreSQL"][1], intakes["SQLite"][1], "ms",
               target="under 50 ms on both", met=all(p99 < 50 for _, p99 in intakes.values()))
    figure("store_backends", "take_p50", p50["PostgreSQL"], p50["SQLite"], "ms",
           target=f"SQLite's + {TAKE_MARGIN_MS:.0f} ms", met=within)
    return 0 if all(passed for passed, _ in checks) else 1


if __name__ == "__main__":
    raise SystemExit(main())
