"""Hostile bodies and path parts to every control-API route that takes a body, through the real app.

The show runs on a throwaway store with "open" on air and two graphics armed (as
tests/web/test_api_schemathesis.py sets it up). Each example posts to one of the
routes with a body that is a good one mutated by key, any hostile JSON value, or raw
bytes, and a segment id, graphic index or template that may be hostile too. Every
answer is a 200 or studio's 4xx ``{"error", "message"}``, never a 5xx; a refused body
(400, 413, 415: before the controller sees it) writes nothing to the event log.
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from pathlib import Path
from typing import Iterator, NamedTuple
from urllib.parse import quote

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from studio.rundown.load import load_rundown
from studio.show import Controller
from studio.store import open_store
from studio.web.api import make_api
from tests.fuzz.conftest import FUZZ
from tests.fuzz.hostile import hostile_int, hostile_text
from tests.fuzz.http_bodies import assert_answered, bodies, headers, send
from tests.web.http_helpers import ALMATY, SHOW, TOKEN, Clock, ServerThread, StandInGraphics, with_graphics

RUNDOWN = with_graphics(load_rundown(SHOW))
SEGMENTS = [segment.id for segment in RUNDOWN.segments]
TEMPLATES = sorted({cue.template for segment in RUNDOWN.segments for cue in segment.graphics})
WRITES_NOTHING = (400, 401, 405, 413, 415)
"""Answers that refuse the call before the controller sees it (a refusal of the controller's, 404 or 409, is logged)."""


class Api(NamedTuple):
    url: str
    store: Path

    def events(self) -> int:
        with sqlite3.connect(self.store) as db:
            return db.execute("SELECT COUNT(*) FROM event").fetchone()[0]


@pytest.fixture(scope="module")
def api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    path = tmp_path_factory.mktemp("api") / "studio.db"
    store = open_store(path)
    clock = Clock(datetime(2026, 3, 15, 9, 58, tzinfo=ALMATY))
    controller = Controller(store, RUNDOWN, operator="api", origin="api", clock=clock, graphics=StandInGraphics())
    controller.take("open")  # graphics armed on air: graphics takes and clears can succeed too
    server = ServerThread(make_api(controller, {"api": TOKEN}, ALMATY))
    yield Api(server.start(), path)
    server.stop()
    store.close()


def part(known: list[str]) -> st.SearchStrategy[str]:
    """A path part: a known name, or hostile text quoted as a client would send it."""
    return st.sampled_from(known) | hostile_text.filter(bool).map(lambda text: quote(text[:200], safe=""))


routes = st.one_of(
    st.just("/take/next"),
    part(SEGMENTS).map("/take/{}".format),
    part(SEGMENTS).map("/hold/{}".format),
    part(SEGMENTS).map("/skip/{}".format),
    (st.integers(0, 3) | hostile_int.map(abs)).map("/graphics/take/{}".format),
    st.just("/graphics/clear"),
    part(TEMPLATES).map("/graphics/clear/{}".format),
)
BODIES = ({}, {"confirm": True}, {"expect_on_air": "open", "confirm": False})
"""Good bodies: none (every route), the confirmation of a take, the on-air check of the next take."""


@FUZZ
@given(routes, bodies(*BODIES), headers)
def test_a_hostile_call_is_answered_never_a_5xx_and_a_refused_body_writes_nothing(
    api: Api, route: str, data: bytes, headers: dict[str, str]
) -> None:
    before = api.events()
    answer = send(api.url + route, data, headers, TOKEN)
    assert_answered(answer, ok=(200,))
    event(f"{answer.status} {answer.body.get('error', '') if isinstance(answer.body, dict) else ''}")
    if answer.status in WRITES_NOTHING:
        assert api.events() == before, answer
