"""The pilot: one observer's report to air and off it again, every step from a screen.

An observer's report arrives through the real intake (HTTP, the observer's token). At the desk,
dana (signed in) makes a fact of its group, adds the commission's page and takes it into review;
bolat (signed in, at another desk) verifies it. The producer, at the console (live, refreshing as
on the day), picks it as a fact card and takes it. bolat retracts it with its correction: the card
is off air within 1 s of his commit. The producer then puts the debunk card with the correction on air.
Three processes' worth of connections share one store file: the intake, two desks and the console.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

from textual.widgets import OptionList

from studio.config import Config
from studio.desk.model import SourceKind, Status
from studio.desk.views import GraphicsFacts
from studio.graphics import Renderer
from studio.paths import shipped
from studio.onair import RendererGraphics
from studio.rundown.load import load_rundown
from studio.show import Controller
from studio.show.services import ShowServices
from studio.store import open_store
from studio.store.desk import open_desk
from studio.store.observers import add_observer
from studio.store.operators import add_operator, sign_in
from studio.tui import StudioApp
from studio.tui.desk import make_desk
from studio.tui.screens.fact_picker import FactPickerScreen
from studio.web.intake import make_intake
from tests.conftest import SMALL
from tests.desk_tui.conftest import desk_settle, open_item
from tests.store.test_operators import QUICK
from tests.test_control import RecordingSwitcher
from tests.tui.conftest import _settle as console_settle
from tests.web.http_helpers import ServerThread, http

SIZE = (120, 40)
COMMISSION_PAGE = "https://www.election.gov.kz/kaz/news/turnout-212"


def signed_in(path: Path, name: str) -> str:
    """``name`` added as an operator and signed in with the passphrase printed for them: the name the desk acts as."""
    desk = open_desk(path)
    try:
        passphrase = add_operator(desk.db, name, by="admin", at=datetime.now(UTC), cost=QUICK)
        return sign_in(desk.db, name, passphrase, at=datetime.now(UTC)).who
    finally:
        desk.close()


def console(path: Path) -> tuple[StudioApp, RecordingSwitcher]:
    """The producer's console on the store, live, with the real renderer and gate, and its switcher."""
    rundown = load_rundown(SMALL)
    facts = GraphicsFacts(open_desk(path), rundown.show.date, rundown.show.zone)
    renderer = RendererGraphics(Renderer(shipped("overlays"), path.parent / "out", facts, zone=rundown.show.zone))
    programme = RecordingSwitcher()
    controller = Controller(open_store(path), rundown, operator="producer", switcher=programme, graphics=renderer)
    config = Config.model_validate({"station": {"language": "ru", "operator": "producer"}})
    app = StudioApp(ShowServices(controller, path), config, rundown_path=SMALL, live=True)
    app.animation_level = "none"
    return app, programme


async def pick_and_take(pilot, fact_id: int) -> None:
    await pilot.press("f")
    await console_settle(pilot)
    picker = pilot.app.screen
    assert isinstance(picker, FactPickerScreen)
    options = picker.query_one(OptionList)
    options.highlighted = [options.get_option_at_index(i).id for i in range(options.option_count)].index(str(fact_id))
    await pilot.press("enter", "g")
    await console_settle(pilot)


async def test_an_observers_report_goes_to_air_and_its_retraction_pulls_it(tmp_path: Path) -> None:
    path = tmp_path / "studio.db"
    intake_store = open_desk(path)
    token = add_observer(intake_store.db, "Ерлан Жұмабаев", by="desk", at=datetime.now(UTC))
    server = ServerThread(make_intake(intake_store))
    url = server.start()
    try:
        sent = http("POST", url + "/reports", token=token, json_body={
            "region": "pavlodar", "station": 212, "kind": "бұзушылық",
            "text": "212-учаскеде бюллетеньдер салынған урна мөрленбеген",
        })
    finally:
        server.stop()
        intake_store.close()
    assert sent.status == 201
    group = sent.body["group"]
    dana, bolat = signed_in(path, "dana"), signed_in(path, "bolat")
    config = Config.model_validate({"station": {"language": "kk"}})

    # dana: a fact from the report's group, the commission's page, into review.
    desk = make_desk(open_desk(path), config, operator=dana, live=False)
    async with desk.run_test(size=SIZE) as pilot:
        await desk_settle(pilot)
        await open_item(pilot, f"group:{group}")
        await pilot.press("n", *"212 учаскеде урна мөрленбеген", "tab", *"На участке 212 урна не опечатана", "ctrl+s")
        await desk_settle(pilot)
        kind, fact_id = desk.desk.opened
        await pilot.press("o", *COMMISSION_PAGE, "ctrl+s")
        await desk_settle(pilot)
        await pilot.press("e")
        await desk_settle(pilot)
    desk.client.store.close()
    reader = open_desk(path)
    made = reader.get(fact_id)
    assert kind == "fact" and made.status is Status.IN_REVIEW and [r.id for r in made.reports] == [sent.body["id"]]
    assert [s.kind for s in made.sources] == [SourceKind.OFFICIAL]

    # bolat verifies it at his desk; the producer picks it as a fact card and takes it.
    second = make_desk(open_desk(path), config, operator=bolat, live=False)
    studio, programme = console(path)
    async with studio.run_test(size=SIZE) as producer:
        await producer.press("space")
        await console_settle(producer)
        async with second.run_test(size=SIZE) as checker:
            await desk_settle(checker)
            await open_item(checker, f"fact:{fact_id}")
            await checker.press("v", *"ОРК сайтымен салыстырылды", "enter")
            await desk_settle(checker)
            assert reader.get(fact_id).status is Status.VERIFIED and reader.get(fact_id).verified_by == "bolat"

            await pick_and_take(producer, fact_id)
            [card] = programme.shown
            assert card.template == "fact-card" and card.facts == ((fact_id, reader.get(fact_id).version),)

            # bolat retracts it with its correction; the console, refreshing on its own, pulls the card.
            await checker.press("x", *"комиссия төрағасы растады", "enter", *"212 учаскедегі урна мөрленген",
                                "enter", *"Урна на участке 212 опечатана", "enter")
            await desk_settle(checker)
            assert reader.get(fact_id).status is Status.RETRACTED
        for _ in range(40):
            if not programme.shown:
                break
            await producer.pause(0.05)
        retracted_at = reader.audit(fact_id)[-1].at
        pulled = [e for e in studio.controller.store.events("small") if e.action == "graphic_pulled"]
        assert programme.shown == [] and len(pulled) == 1
        assert pulled[0].at >= retracted_at  # how soon is bench/onair_pull.py's business, not a test's

        # the correction goes on air as a debunk card of the retracted fact
        await pick_and_take(producer, fact_id)
        [debunk] = programme.shown
        assert debunk.template == "debunk-card"
        sidecar = json.loads(Path(debunk.file).with_suffix(".json").read_text("utf-8"))
        assert "Урна на участке 212 опечатана" in sidecar["text"].values()
    second.client.store.close()
    reader.close()
