"""From the desk's commit to the withdrawn graphic coming off air, beside a take's own latency, on both databases.

Two real processes share one store, as on the day (a SQLite file, then a PostgreSQL database of the bench's own
server, as on several machines): the show process (a Controller following the store as ``studio run`` does:
the store watch's doorbell and the console's tick of ``studio.tui.app.TICK`` seconds, with a switcher that
notes when it was told what) and this process, which acts as the desk and as the control API.
Each round puts a fact card stating a freshly verified fact on air, waits a random pause,
then the desk retracts the fact; the clock stops when the show process's switcher is told to
show no graphics. The baseline, in the same run and with the same pauses: a take committed
here reaching the show process's switcher (the path every cross-process action takes).

Target: the pull's p99 under 1 s, and within 1.3x the baseline's p99 (the invariant's one
query adds next to nothing to the refresh it rides on); on PostgreSQL both within 200 ms (issue 22).

    .venv/bin/python bench/onair_pull.py [ROUNDS]
"""

from __future__ import annotations

import multiprocessing
import random
import sys
import tempfile
import time
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path
from queue import Empty

from record import figure  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(ROOT), str(ROOT / "bench")]

from obs_take import percentile  # noqa: E402

from studio.desk import rules  # noqa: E402
from studio.desk.model import Claim, Draft, ReportKind, SourceKind  # noqa: E402
from studio.onair import RenderedGraphic  # noqa: E402
from studio.rundown.load import load_rundown  # noqa: E402
from studio.rundown.model import GraphicCue, Segment  # noqa: E402
from studio.show import Controller  # noqa: E402
from studio.store import open_store  # noqa: E402
from studio.store.desk import DeskStore, open_desk  # noqa: E402
from tests.pg_server import started_server  # noqa: E402

RUNDOWN = ROOT / "tests" / "data" / "small.toml"
CARD = GraphicCue("fact-card", {"fact": "current"})


class Noting:
    """A switcher that notes, in wall-clock time, what the show process told it."""

    def __init__(self, said: multiprocessing.Queue) -> None:
        self.said = said

    def take(self, segment: Segment, graphics=()) -> None:
        self.said.put(("take", segment.id, time.time()))

    def graphics(self, items) -> None:
        self.said.put(("graphics", len(items), time.time()))

    def cue(self, segment) -> None: ...

    def watch_slate(self, report) -> None: ...

    def slate(self) -> None: ...

    def end(self) -> None: ...

    def feed_up(self, target) -> None:
        return None


class StatesTheLatestFact:
    """Renders nothing: the card states the newest fact of the desk at its version."""

    def __init__(self, desk: DeskStore) -> None:
        self.desk = desk

    def render(self, cue: GraphicCue) -> RenderedGraphic:
        fact = self.desk.facts()[-1]
        provenance = {"facts": [{"id": str(fact.id), "version": fact.version}]}
        return RenderedGraphic(cue.template, "/out/fact-card.png", (0, 0, 10, 10), (1920, 1080), provenance)


def rundown():
    loaded = load_rundown(RUNDOWN)
    return loaded.with_segments(tuple(replace(segment, graphics=(CARD,)) for segment in loaded.segments))


def show_process(location: str, said: multiprocessing.Queue, stop) -> None:
    from studio.show.watch import SWITCH_INTERVAL, StoreWatch
    from studio.tui.app import TICK

    sys.setswitchinterval(SWITCH_INTERVAL)
    controller = Controller(open_store(location), rundown(), switcher=Noting(said), origin="console")
    watch = StoreWatch(controller.store, controller.refresh).start()
    while not stop.is_set():
        controller.refresh()
        time.sleep(TICK)
    watch.stop()


def verified_fact(desk: DeskStore, source: int) -> None:
    now = datetime.now(UTC)
    fact = desk.create_fact(Draft(ReportKind.VIOLATION, Claim(ru="Очередь на участке 12"), "astana"), by="aigerim",
                            at=now, source_ids=[source])
    fact = desk.change(fact.id, fact.version, rules.StartReview(), by="aigerim", at=now)
    desk.change(fact.id, fact.version, rules.Verify(), by="erlan", at=now)


def wait_for(said: multiprocessing.Queue, wanted) -> float:
    while True:
        try:
            message = said.get(timeout=5)
        except Empty:
            raise SystemExit("the show process never answered") from None
        if wanted(message):
            return message[2]


def measured(path: Path | str, rounds: int) -> tuple[list[float], list[float]]:
    """Each round's take latency and pull latency, in seconds, on the store at ``path``."""
    desk = open_desk(path)
    api = Controller(open_store(path), rundown(), origin="api", graphics=StatesTheLatestFact(desk))
    source = desk.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/", by="aigerim",
                             at=datetime.now(UTC)).id
    said: multiprocessing.Queue = multiprocessing.Queue()
    stop = multiprocessing.Event()
    show = multiprocessing.Process(target=show_process, args=(str(path), said, stop), daemon=True)
    show.start()
    time.sleep(1.0)
    rng = random.Random(7)
    take_latency, pull_latency = [], []
    try:
        for round_ in range(rounds):
            time.sleep(rng.uniform(0, 0.3))
            committed = time.time()
            segment = api.take(("open", "guests")[round_ % 2])
            take_latency.append(wait_for(said, lambda m: m[:2] == ("take", segment.id)) - committed)
            verified_fact(desk, source)
            api.graphic_take(0)
            wait_for(said, lambda m: m[:2] == ("graphics", 1))
            time.sleep(rng.uniform(0, 0.3))
            fact = desk.facts()[-1]
            committed = time.time()
            desk.change(fact.id, fact.version, rules.Retract(Claim(ru="Очереди не было")), by="erlan",
                        at=datetime.now(UTC))
            pull_latency.append(wait_for(said, lambda m: m[:2] == ("graphics", 0)) - committed)
    finally:
        stop.set()
        show.join(5)
        api.close()
        desk.close()
    return take_latency, pull_latency


def main(rounds: int = 60) -> None:
    server = started_server()
    try:
        stores = {"SQLite": Path(tempfile.mkdtemp(prefix="studio-bench-pull-")) / "show.db",
                  "PostgreSQL": server.new_database()}
        runs = {backend: measured(location, rounds) for backend, location in stores.items()}
    finally:
        server.stop()
    for backend, (take_latency, pull_latency) in runs.items():
        print(backend)
        for name, series in (("baseline: a take reaching the show process", take_latency),
                             ("desk commit to graphic off air", pull_latency)):
            print(f"  {name:45} p50 {percentile(series, 0.50) * 1000:7.1f} ms"
                  f"   p99 {percentile(series, 0.99) * 1000:7.1f} ms")
        ratio = percentile(pull_latency, 0.99) / percentile(take_latency, 0.99)
        print(f"  pull p99 / baseline p99: {ratio:.2f} (target under 1.3), pull p99 under 1 s: "
              f"{percentile(pull_latency, 0.99) < 1.0}")
    take_pg, pull_pg = runs["PostgreSQL"]
    print(f"PostgreSQL within 200 ms at p99: take {percentile(take_pg, 0.99) < 0.2}, "
          f"retraction's pull {percentile(pull_pg, 0.99) < 0.2}")
    take_latency, pull_latency = runs["SQLite"]
    ratio = percentile(pull_latency, 0.99) / percentile(take_latency, 0.99)
    figure("onair_pull", "p99", percentile(pull_latency, 0.99) * 1000, percentile(take_latency, 0.99) * 1000, "ms",
           target="ratio under 1.3", met=ratio < 1.3)
    figure("onair_pull", "p99_postgresql", percentile(pull_pg, 0.99) * 1000, percentile(take_pg, 0.99) * 1000, "ms",
           target="under 200 ms", met=percentile(pull_pg, 0.99) < 0.2)


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 60)
