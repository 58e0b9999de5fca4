"""Hostile bodies to `POST /reports`, the observers' intake, through the real aiohttp app on a loopback port.

Bodies are the tests' good report mutated by key, any hostile JSON value, or raw
bytes (deep nesting, broken UTF-8, NaN); headers vary the media type, the language
and the idempotency key. Every answer is a 201 or studio's 4xx ``{"error",
"message"}``, never a 5xx; a refused send writes nothing, an accepted one exactly
one report (a replayed key, none).
"""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Iterator, NamedTuple

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from studio.store.desk import open_desk
from studio.store.observers import add_observer
from studio.web.intake import make_intake
from tests.fuzz.conftest import FUZZ
from tests.fuzz.http_bodies import ASCII_ODD, assert_answered, bodies, headers, send
from tests.web.http_helpers import ServerThread

GOOD = {"region": "astana", "station": 12, "kind": "violation", "text": "Вбросы на участке 12", "channel": "app",
        "attachments": ["IMG_2041.jpg"]}


class Intake(NamedTuple):
    url: str
    store: Path
    token: str

    def reports(self, table: str = "report") -> int:
        other = open_desk(self.store)  # another connection: only what is committed
        try:
            return other.db.execute(f"SELECT COUNT(*) FROM {table}").fetchone()[0]
        finally:
            other.close()


@pytest.fixture(scope="module")
def intake(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Intake]:
    path = tmp_path_factory.mktemp("intake") / "desk.db"
    store = open_desk(path)
    token = add_observer(store.db, "aigerim", by="desk", at=datetime(2026, 3, 15, 5, tzinfo=UTC))
    server = ServerThread(make_intake(store, rate=100_000.0, burst=100_000))
    yield Intake(server.start(), path, token)
    server.stop()
    store.close()


@FUZZ
@given(bodies(GOOD), headers, st.none() | st.none() | st.sampled_from(["k-1", "k-2"]) | ASCII_ODD)
def test_a_hostile_report_is_answered_never_a_5xx_and_a_refusal_writes_nothing(
    intake: Intake, data: bytes, headers: dict[str, str], key: str | None
) -> None:
    before, held_before = intake.reports(), intake.reports("region_held")
    answer = send(intake.url + "/reports", data, headers | ({"Idempotency-Key": key} if key is not None else {}),
                  intake.token)
    assert_answered(answer, ok=(201, 202))
    event(f"{answer.status} {answer.body.get('error', '')}")
    if answer.status == 422:
        problems = answer.body["problems"]
        assert problems and all(p["message"] and not p["message"].startswith(":") for p in problems), problems
    added = intake.reports() - before
    replayed = answer.headers.get("Idempotent-Replayed") == "true"
    assert added == (1 if answer.status == 201 and not replayed else 0), answer
    # a region nobody can place is held for the desk, never lost: 202 and one held row more
    held = intake.reports("region_held") - held_before
    assert held == (1 if answer.status == 202 and not replayed else 0), answer
