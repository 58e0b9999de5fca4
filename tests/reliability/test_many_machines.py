"""Many machines, simulated here (issue 22, part 4): one PostgreSQL server, and a show process, two desks and
an intake, each a real ``python -m studio`` process with a connection URL of its own, as if on four machines.

An observer's report reaches the intake over HTTP. dana, at desk A, opens its group and makes a fact of it,
typed at her screen; desk B's screen shows dana's claim on the group and the new fact. bolat, at desk B, gives
the second pair of eyes. The producer, at the show process's console (real OBS under Xvfb), picks the fact as
a fact card and takes it, by keys, as on the day. Each of the four processes is then SIGKILLed at a moment it
has acknowledged work, and started again: nothing acknowledged is lost, and the restarted show process puts
back on OBS what the store says is on air (OBS stays on it meanwhile: never black). Finally bolat retracts the
fact at his (restarted) desk and the show process pulls the card off OBS: the scene item is hidden, and the
store records the pull.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from studio.desk.model import Status
from studio.obs import ObsAdapter
from studio.obs.names import FALLBACK_SCENE, graphic_inputs
from studio.obs.setup import setup
from studio.rundown.load import load_rundown
from studio.store import open_store
from studio.store.desk import open_desk
from tests.obs.obs_checks import raw_client
from tests.obs.obs_process import ObsProcess
from tests.pg_server import PgServer, free_port
from tests.terminal import Terminal
from tests.web.http_helpers import http

pytestmark = [pytest.mark.obs, pytest.mark.postgresql, pytest.mark.xdist_group("obs")]

ROOT = Path(__file__).resolve().parents[2]
SCENE = "Many machines studio"
COMMISSION_PAGE = "https://www.election.gov.kz/kaz/news/turnout-212"
CLAIM_KK, CLAIM_RU = "212 учаскеде урна мөрленбеген", "На участке 212 урна не опечатана"
CORRECTION_KK, CORRECTION_RU = "212 учаскедегі урна мөрленген", "Урна на участке 212 опечатана"
STARTS = 40.0  # seconds a process may take to draw its first screen on a busy 2-core machine
SEEN = 15.0  # seconds for one process to show what another did


def waited(what: str, check: Callable[[], Any], timeout: float = SEEN, machine: Machine | None = None) -> Any:
    """check()'s first truthy value within ``timeout``; else fail saying what was awaited, with the screen."""
    deadline = time.monotonic() + timeout
    while not (value := check()):
        if time.monotonic() > deadline:
            drawn = (f"\n{machine.name} (exit code {machine.screen.process.poll()}), its screen:\n"
                     f"{machine.drawn()[-3000:]}" if machine and machine.terminal else "")
            pytest.fail(f"{what}: not within {timeout} s (last: {value!r}){drawn}", pytrace=False)
        time.sleep(0.05)
    return value


@dataclass
class Machine:
    """One studio process on its own "machine": its own URL to the store, its own terminal; killed and
    started again as a machine's process would be."""

    name: str
    argv: list[str]
    env: dict[str, str]
    ready: str  # what its screen shows once it works ("" for an HTTP service: its port answers)
    port: int | None = None  # an HTTP service's
    terminal: Terminal | None = field(default=None, init=False)
    reader: threading.Thread | None = field(default=None, init=False)

    def start(self) -> Terminal:
        self.terminal = Terminal([sys.executable, "-m", "studio", *self.argv], env=self.env, cwd=ROOT)
        # Read its terminal all the time, as a terminal emulator does: unread, a full pty blocks its writes.
        self.reader = threading.Thread(target=self._read, args=(self.terminal,), name=f"{self.name}'s screen")
        self.reader.start()
        self.sees(self.ready, timeout=STARTS)
        if self.port is not None:
            waited(f"{self.name} listening on {self.port}", self._listening, STARTS, self)
        return self.terminal

    @staticmethod
    def _read(terminal: Terminal) -> None:
        while terminal.process.poll() is None:
            terminal.pump(0.05)

    def _listening(self) -> bool:
        try:
            with socket.create_connection(("127.0.0.1", self.port), timeout=0.2):
                return True
        except OSError:
            return False

    @property
    def screen(self) -> Terminal:
        assert self.terminal is not None, f"{self.name} is not running"
        return self.terminal

    def type(self, *keys: str, pause: float = 0.3) -> None:
        """Keys as an operator types them: each group, then a moment for the screen to take it."""
        for group in keys:
            self.screen.type(group)
            time.sleep(pause)

    def opens(self, key: str, shows: str) -> None:
        """Press ``key`` and wait until its form (or list) is drawn: what is typed next goes into it, never
        to the screen below as keys."""
        since = self.mark()
        self.type(key)
        self.sees(shows, since=since)

    def fills(self, text: str) -> None:
        """Type ``text`` into the field in focus and wait until it is drawn there: a key typed next (a tab, an
        enter) never overtakes it on a loaded machine."""
        since = self.mark()
        self.type(text)
        self.sees(text[:20], since=since)

    def mark(self) -> int:
        return self.screen.mark

    def drawn(self, since: int = 0) -> str:
        return self.screen.text_since(since)

    def sees(self, text: str, *, since: int = 0, timeout: float = SEEN) -> None:
        waited(f"{self.name}'s screen showing {text!r}", lambda: text in self.drawn(since), timeout, self)

    def kill(self) -> None:
        if self.terminal is not None:
            self.terminal.kill()  # SIGKILL of its process group
            if self.reader is not None:
                self.reader.join(5)
            self.terminal.close()
            self.terminal = None

    def restart(self) -> Terminal:
        self.kill()
        return self.start()


def url(database: str, *, host: str, machine: str) -> str:
    """The store's URL as ``machine`` is configured with it: its own host spelling and application name."""
    at = database.replace("127.0.0.1", host)
    return f"{at}?application_name={machine}"


def studio(*argv: str, env: dict[str, str]) -> str:
    done = subprocess.run([sys.executable, "-m", "studio", *argv], env=env, cwd=ROOT, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, f"studio {' '.join(argv)}: {done.stderr}"
    return done.stdout.strip()


def show_file(folder: Path) -> Path:
    """Today's show (a plan of another day would be asked about first): one studio segment. Its cue of a fact
    card (F1, the fresh database's first fact) has setup make the card's image sources in its scene; on air,
    the producer picks the fact from the desk all the same."""
    path = folder / "show.toml"
    path.write_text(
        f"""[show]
id = "many"
title = {{ kk = "Көп машина", ru = "Много машин" }}
date = {datetime.now(ZoneInfo("Asia/Almaty")).date()}
zone = "Asia/Almaty"
start = 09:30:00

[[segment]]
id = "factcheck"
kind = "studio"
title = {{ kk = "Фактчек", ru = "Фактчек эфир" }}
duration = "30m"
scene = "{SCENE}"
graphics = [{{ template = "fact-card", data = {{ fact = "F1" }} }}]
""",
        "utf-8",
    )
    return path


@dataclass
class Machines:
    show: Machine
    desk_a: Machine
    desk_b: Machine
    intake: Machine
    observer: str  # the observer's token
    store: str  # the test's own URL: a fifth machine that only looks

    @property
    def processes(self) -> tuple[Machine, ...]:
        return self.show, self.desk_a, self.desk_b, self.intake


@pytest.fixture
def machines(pg_server: PgServer, obs: ObsProcess, tmp_path: Path) -> Iterator[Machines]:
    """The four processes' set-up (not started): the store's database, operators, OBS's scenes, configs."""
    database = pg_server.new_database()
    rundown = show_file(tmp_path)
    adapter = ObsAdapter(obs.settings())
    adapter.connect()
    try:
        setup(adapter, load_rundown(rundown))  # what `studio obs setup` does, once, before the day
    finally:
        adapter.close()
    config = tmp_path / "config.toml"
    config.write_text(f'[station]\nlanguage = "en"\n[graphics]\nout = "{tmp_path / "graphics"}"\n'
                      f'[obs]\nhost = "{obs.host}"\nport = {obs.port}\npassword_env = "{obs.password_env}"\n', "utf-8")
    base = dict(os.environ) | {"STUDIO_CONFIG": str(config)}
    base.pop("STUDIO_OPERATOR_KEY", None)
    admin = base | {"STUDIO_STORE": url(database, host="127.0.0.1", machine="admin")}
    keys = {name: studio("operators", "add", name, env=admin) for name in ("producer", "dana", "bolat")}

    def on(machine: str, host: str, operator: str | None = None) -> dict[str, str]:
        key = {"STUDIO_OPERATOR_KEY": keys[operator]} if operator else {}
        return base | {"STUDIO_STORE": url(database, host=host, machine=machine)} | key

    intake_port = free_port()
    made = Machines(
        show=Machine("show", ["run", str(rundown), "--operator", "producer"], on("show", "127.0.0.1", "producer"),
                     "Фактчек эфир"),
        desk_a=Machine("desk A", ["desk", "--operator", "dana"], on("desk-a", "localhost", "dana"), "Desk: dana"),
        desk_b=Machine("desk B", ["desk", "--operator", "bolat"], on("desk-b", "127.0.0.1", "bolat"), "Desk: bolat"),
        intake=Machine("intake", ["intake", "--port", str(intake_port)], on("intake", "localhost"), "",
                       port=intake_port),
        observer=studio("observers", "add", "Ерлан", env=admin),
        store=url(database, host="127.0.0.1", machine="checker"),
    )
    try:
        yield made
    finally:
        for machine in made.processes:
            machine.kill()


def report(machines: Machines, station: int) -> int:
    """An observer's report posted to the intake; its id once the intake has acknowledged it (201)."""
    sent = http("POST", f"http://127.0.0.1:{machines.intake.port}/reports", token=machines.observer,
                json_body={"region": "pavlodar", "station": station, "kind": "бұзушылық",
                           "text": f"{station}-учаскеде урна мөрленбеген"})
    assert sent.status == 201, sent.body
    return int(sent.body["id"])


def card_items(client: Any) -> list[int]:
    """The fact card's scene items in the segment's scene: its twin image sources."""
    return [client.get_scene_item_id(SCENE, name).scene_item_id for name in graphic_inputs("fact-card")]


def graphic_shown(client: Any) -> bool:
    """Whether OBS shows the fact card: either twin enabled."""
    return any(client.get_scene_item_enabled(SCENE, item).scene_item_enabled for item in card_items(client))


class ProgrammeWatch(threading.Thread):
    """Every programme scene OBS is on while the show process restarts, through a client of its own."""

    def __init__(self, obs: ObsProcess) -> None:
        super().__init__(name="programme watch")
        self.obs, self.seen, self.done = obs, [programme_of(obs)], threading.Event()

    def run(self) -> None:
        with raw_client(self.obs) as client:
            while not self.done.wait(0.05):
                if (scene := programme(client)) != self.seen[-1]:
                    self.seen.append(scene)

    def stop(self) -> list[str]:
        self.done.set()
        self.join(10)
        return self.seen


def programme_of(obs: ObsProcess) -> str:
    with raw_client(obs) as client:
        return programme(client)


def programme(client: Any) -> str:
    return client.get_current_program_scene().current_program_scene_name


def test_a_report_to_air_and_off_across_four_machines_any_one_killed(machines: Machines, obs: ObsProcess) -> None:
    show, desk_a, desk_b, intake = machines.show, machines.desk_a, machines.desk_b, machines.intake
    store, desk = open_store(machines.store), open_desk(machines.store)
    with raw_client(obs) as client:
        try:
            for machine in machines.processes:
                machine.start()
            waited("each machine connected to the server with its own URL", lambda: {
                "show", "desk-a", "desk-b", "intake"} <= {row[0] for row in desk.db.execute(
                    "SELECT application_name FROM pg_stat_activity")})

            # The intake acknowledges a report (201) and is killed: the report is in the store all the same.
            first = report(machines, 212)
            intake.restart()
            assert [row[0] for row in desk.db.execute("SELECT id FROM report")] == [first]

            # The producer takes the segment: OBS switches to its scene.
            show.sees("● connected", timeout=STARTS)
            show.type(" ")
            waited("OBS's programme on the segment's scene", lambda: programme(client) == SCENE)

            # dana opens the report's group at desk A: desk B shows it as hers. She makes a fact of it.
            seen = desk_b.mark()
            desk_a.sees("R1")
            desk_a.opens("\r", "Reports R1")
            desk_b.sees("open at other desks: 1", since=seen)
            desk_b.sees("dana", since=seen)  # the queue's "Open at" column
            desk_a.opens("n", "Polling station")
            desk_a.fills(CLAIM_KK)
            desk_a.type("\t")
            desk_a.fills(CLAIM_RU)
            desk_a.type("\x13")  # ctrl+s saves the form
            desk_b.sees(CLAIM_RU[:26], since=seen)  # the queue's text column: the Russian claim, cut short

            # Desk A is killed with the claim made: it is in the store, and the restarted desk shows it.
            [fact] = waited("the fact in the store", lambda: [f for f in desk.facts() if f.reports])
            desk_a.restart()
            desk_a.sees(CLAIM_RU[:26])
            assert (fact.created_by, fact.claim.kk, fact.claim.ru) == ("dana", CLAIM_KK, CLAIM_RU)
            assert [r.id for r in fact.reports] == [first]

            # dana adds the commission's page, takes the fact into review and closes it.
            seen = desk_a.mark()
            desk_a.opens("\r", f"Fact F{fact.id} · New")
            desk_a.opens("o", "Address or reference")
            desk_a.type(COMMISSION_PAGE, "\x13")
            desk_a.sees("Sources (1)", since=seen)
            seen, seen_b = desk_a.mark(), desk_b.mark()
            desk_a.type("e")
            desk_a.sees(f"Fact F{fact.id} · In review", since=seen)
            desk_a.type("\x1b")
            desk_b.sees("open at other desks: 0", since=seen_b)

            # bolat, the second pair of eyes, verifies it at desk B; desk B is killed with the verdict given.
            desk_b.opens("\r", f"Fact F{fact.id} · In review")
            desk_b.opens("v", f"Verify fact F{fact.id}?")
            desk_b.type("compared with the commission's page", "\r")
            desk_b.sees(f"Fact F{fact.id} · Verified", since=seen_b)
            verified = desk.get(fact.id)
            assert (verified.status, verified.verified_by) == (Status.VERIFIED, "bolat")
            desk_b.restart()
            desk_b.sees("Verified")
            assert desk.get(fact.id) == verified

            # The producer picks the fact as a fact card and takes it (f, enter, g): OBS shows it.
            show.opens("f", CLAIM_RU[:20])  # the picker lists the fact
            show.opens("\r", "Armed 1/1: fact-card: fact=F")  # armed: the console is drawn again, the picker gone
            show.type("g")
            waited("the fact card on OBS", lambda: graphic_shown(client), machine=show)
            [card] = waited("the fact card in the store", lambda: store.graphics("many"))
            assert card.template == "fact-card" and card.facts == ((fact.id, verified.version),)

            # The show process is killed with the card on air: OBS keeps the programme (never black). Someone
            # cuts OBS to the slate and hides the card meanwhile; the restarted show process puts back what the
            # store says is on air, going nowhere else on the way (no black, no end of the show).
            on_air = store.state("many").on_air
            show.kill()
            assert programme(client) == SCENE and graphic_shown(client)
            client.set_current_program_scene(FALLBACK_SCENE)
            for item in card_items(client):
                client.set_scene_item_enabled(SCENE, item, False)
            watch = ProgrammeWatch(obs)
            watch.start()
            try:
                show.start()
                show.sees("● connected", timeout=STARTS)
                waited("OBS's programme and card put back",
                       lambda: programme(client) == SCENE and graphic_shown(client), machine=show)
            finally:
                assert watch.stop() == [FALLBACK_SCENE, SCENE]
            assert store.state("many").on_air == on_air and store.graphics("many") == (card,)

            # bolat retracts the fact at his restarted desk: the show process pulls the card off OBS.
            seen = desk_b.mark()
            desk_b.opens("\r", f"Fact F{fact.id} · Verified")
            desk_b.opens("x", f"Retract fact F{fact.id}?")
            for field in ("the commission's chair confirmed the seal", CORRECTION_KK, CORRECTION_RU):
                desk_b.fills(field)
                desk_b.type("\r")
            desk_b.sees(f"Fact F{fact.id} · Retracted", since=seen)
            waited("the fact card off OBS", lambda: not graphic_shown(client), timeout=5.0, machine=show)
            assert programme(client) == SCENE  # the segment stays on air: nothing goes black
            pulled = [e for e in store.events("many") if e.action == "graphic_pulled"]
            assert [e.detail.get("template") for e in pulled] == ["fact-card"] and store.graphics("many") == ()

            # Nothing acknowledged was lost on the way, and the restarted intake takes the next report.
            second = report(machines, 213)
            assert {row[0] for row in desk.db.execute("SELECT id FROM report")} == {first, second}
            retracted = desk.get(fact.id)
            assert (retracted.status, retracted.correction.ru) == (Status.RETRACTED, CORRECTION_RU)
            assert store.state("many").on_air == on_air
        finally:
            store.close()
            desk.close()
