"""studio intake: POST /reports on a live loopback server, against a throwaway store."""

from __future__ import annotations

import concurrent.futures
import json
import threading
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest

from studio.store.desk import DeskStore, open_desk
from studio.store.observers import add_observer, revoke_observer
from studio.web.intake import RELOAD_SECONDS, TokenBuckets, make_intake
from tests.web.http_helpers import Answer, ServerThread, http

T0 = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
GOOD = {"region": "astana", "station": 12, "kind": "violation", "text": "Вбросы на участке 12"}


class Intake:
    def __init__(self, url: str, path: Path | str, tokens: dict[str, str]) -> None:
        self.url, self.path, self.tokens = url, path, tokens

    def post(self, body: Any = GOOD, *, who: str | None = "aigerim", key: str | None = None, **kw: Any) -> Answer:
        headers = dict(kw.pop("headers", {}))
        if key is not None:
            headers["Idempotency-Key"] = key
        token = kw.pop("token", self.tokens.get(who) if who else None)
        if "data" in kw:
            headers.setdefault("Content-Type", "application/json")
            return http("POST", self.url + "/reports", token=token, headers=headers, **kw)
        return http("POST", self.url + "/reports", token=token, json_body=body, headers=headers)

    def count(self) -> int:
        other = open_desk(self.path)  # another connection: sees only what is committed
        try:
            return other.db.execute("SELECT COUNT(*) FROM report").fetchone()[0]
        finally:
            other.close()


@pytest.fixture
def intake(store_location: Path | str, tmp_path: Path) -> Iterator[Callable[..., Intake]]:
    """Starts an intake on one store (each start on the same one: a restart), on each database in turn."""
    servers: list[ServerThread] = []
    stores: list[DeskStore] = []

    def start(rate: float = 1000.0, burst: int = 1000, max_body: int = 64 * 1024) -> Intake:
        path = tmp_path / "desk.db" if isinstance(store_location, Path) else store_location
        store = open_desk(path)
        stores.append(store)
        tokens = {name: add_observer(store.db, name, by="desk", at=T0) for name in ("aigerim", "bolat", "gone")}
        revoke_observer(store.db, "gone", by="desk", at=T0)
        server = ServerThread(make_intake(store, rate=rate, burst=burst, max_body=max_body))
        servers.append(server)
        return Intake(server.start(), path, tokens)

    yield start
    for server in servers:
        server.stop()
    for store in stores:
        store.close()


def test_a_report_is_created_with_its_group_and_the_observer_from_the_token(intake) -> None:
    served = intake()
    answer = served.post(GOOD | {"attachments": ["photo1.jpg"]}, who="bolat")
    assert answer.status == 201, answer.body
    assert answer.body["observer"] == "bolat" and answer.body["group"] == answer.body["id"]
    store = open_desk(served.path)
    report = store.report(answer.body["id"])
    store.close()
    assert report is not None and report.observer == "bolat" and report.channel == "http"
    assert report.region == "astana" and report.station == 12 and report.attachments == ("photo1.jpg",)
    second = served.post(GOOD, who="aigerim")
    assert second.status == 201 and second.body["group"] == answer.body["id"]  # same place, kind, text: one group


def test_the_body_cannot_name_the_observer(intake) -> None:
    served = intake()
    answer = served.post(GOOD | {"observer": "bolat"}, who="aigerim")
    assert answer.status == 422 and [p["code"] for p in answer.body["problems"]] == ["observer_in_body"]
    assert served.count() == 0


@pytest.mark.parametrize(
    ("token", "code"),
    [(None, "token_missing"), ("sto_not-a-token", "token_wrong")],
)
def test_missing_and_wrong_tokens_are_401(intake, token: str | None, code: str) -> None:
    served = intake()
    answer = served.post(who=None, token=token)
    assert answer.status == 401 and answer.body["error"] == code
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert set(answer.body) == {"error", "message"} and "sto_" not in answer.body["message"]


def test_a_revoked_token_is_401_even_when_revoked_while_the_server_runs(intake) -> None:
    served = intake()
    assert served.post(who="gone").body["error"] == "token_revoked"
    assert served.post(who="aigerim").status == 201
    other = open_desk(served.path)
    revoke_observer(other.db, "aigerim", by="desk", at=T0)
    other.close()
    answer = served.post(who="aigerim")
    assert answer.status == 401 and answer.body["error"] == "token_revoked"
    assert served.count() == 1


def test_a_revocation_reaches_the_running_intake_before_any_body_is_read(tmp_path: Path) -> None:
    """Within RELOAD_SECONDS of a revocation, the token's requests are 401 whatever their body; a malformed
    body is not read (no 400 or 422 to a token that is gone). The intake's clock is the test's."""
    store = open_desk(tmp_path / "desk.db")
    token = add_observer(store.db, "aigerim", by="desk", at=T0)
    seconds = [0.0]
    server = ServerThread(make_intake(store, rate=1000.0, burst=1000, monotonic=lambda: seconds[0]))
    served = Intake(server.start(), tmp_path / "desk.db", {"aigerim": token})
    try:
        assert served.post(data=b"not json").body["error"] == "bad_json"  # the token works: the body is read
        other = open_desk(served.path)
        revoke_observer(other.db, "aigerim", by="desk", at=T0)
        other.close()
        seconds[0] += RELOAD_SECONDS
        for body in (b"not json", b"[1, 2]", json.dumps({"region": "nowhere"}).encode()):
            answer = served.post(data=body)
            assert (answer.status, answer.body["error"]) == (401, "token_revoked")
        assert served.count() == 0
    finally:
        server.stop()
        store.close()


@pytest.mark.parametrize(
    ("data", "code"),
    [(b"not json", "bad_json"), (b"\xff\xfe", "bad_json"), (b"[1, 2]", "not_an_object"), (b'"text"', "not_an_object")],
)
def test_a_body_that_is_not_a_json_object_is_400(intake, data: bytes, code: str) -> None:
    served = intake()
    answer = served.post(data=data)
    assert (answer.status, answer.body["error"]) == (400, code), answer.body
    assert set(answer.body) == {"error", "message"} and answer.body["message"]
    assert served.count() == 0


def test_a_broken_json_body_is_told_where_it_breaks(intake) -> None:
    served = intake()
    answer = served.post(data=b'{"region": "shymkent",\n "kind": "queue" "text": "x"}')
    assert (answer.status, answer.body["error"]) == (400, "bad_json")
    assert answer.body["message"].startswith("The request body is not valid JSON at line 2, column 18: check the commas, quotes and brackets there")
    assert served.count() == 0


@pytest.mark.parametrize(
    ("change", "field", "code"),
    [
        ({"station": [12]}, "station", "bad_type"),
        ({"station": 0}, "station", "bad_type"),
        ({"station": True}, "station", "bad_type"),
        ({"station": 12.0}, "station", "bad_type"),
        ({"station": 10**7}, "station", "bad_type"),
        ({"station": "twelve"}, "station", "bad_station"),
        ({"station": "№12345678"}, "station", "bad_station"),
        ({"text": 5}, "text", "bad_type"),
        ({"text": "  "}, "text", "empty"),
        ({"text": "x" * 4001}, "text", "bad_type"),
        ({"attachments": [1]}, "attachments", "bad_type"),
        ({"attachments": "photo.jpg"}, "attachments", "bad_type"),
        ({"channel": 7}, "channel", "bad_type"),
        ({"colour": "red"}, "colour", "not_a_field"),
        ({"region": "\u200b\u2066"}, "region", "empty"),  # only invisible characters
        ({"region": None}, "region", "bad_type"),
        ({"kind": "gossip"}, "kind", "unknown"),
        ({"kind": ""}, "kind", "empty"),
    ],
)
def test_a_bad_field_is_named_with_its_problem(intake, change: dict, field: str, code: str) -> None:
    served = intake()
    answer = served.post(GOOD | change)
    assert (answer.status, answer.body["error"]) == (422, "invalid_report"), answer.body
    assert [(p["field"], p["code"]) for p in answer.body["problems"]] == [(field, code)]
    problem = answer.body["problems"][0]["message"]
    assert problem.startswith(f"{field}: ") and problem in answer.body["message"]
    assert served.count() == 0


def test_every_problem_of_a_body_comes_at_once_each_said_as_a_field_of_the_report(intake) -> None:
    served = intake()
    answer = served.post({"station": 0, "text": "", "colour": "red", "observer": "bolat"})  # no region, no kind
    assert answer.status == 422
    assert [(p["field"], p["code"]) for p in answer.body["problems"]] == [
        ("region", "empty"), ("kind", "empty"), ("text", "empty"), ("station", "bad_type"),
        ("colour", "not_a_field"), ("observer", "observer_in_body"),
    ]
    assert "text: the report's text is empty" in answer.body["message"]
    assert "column" not in answer.body["message"]
    assert served.count() == 0


@pytest.mark.parametrize(
    ("language", "refused", "empty_text"),
    [
        ("kk", "Есеп қабылданбады", "text: есептің мәтіні бос"),
        ("ru", "Отчёт не принят", "text: текст отчёта пуст"),
        ("en", "The report was refused", "text: the report's text is empty"),
    ],
)
def test_the_problems_speak_the_callers_language(intake, language: str, refused: str, empty_text: str) -> None:
    answer = intake().post(GOOD | {"text": "", "region": "\u200b"}, headers={"Accept-Language": language})
    assert answer.status == 422 and answer.body["message"].startswith(refused)
    region, text = (p["message"] for p in answer.body["problems"])
    assert text.startswith(empty_text) and region.startswith("region: ")


def test_a_region_nobody_can_place_is_held_for_the_desk_and_answered_202(intake) -> None:
    served = intake()
    answer = served.post(GOOD | {"region": "Астанаа"}, headers={"Idempotency-Key": "msg-1"})
    assert answer.status == 202, answer.body
    assert answer.body["region"] == "Астанаа" and answer.body["why"] == "unknown"
    assert "astana" in answer.body["suggestions"] and answer.body["observer"] == "aigerim"
    again = served.post(GOOD | {"region": "Астанаа"}, headers={"Idempotency-Key": "msg-1"})
    assert (again.status, again.body, again.headers["Idempotent-Replayed"]) == (202, answer.body, "true")
    other = served.post(GOOD | {"region": "Атлантида"}, headers={"Idempotency-Key": "msg-1"})
    assert other.status == 409
    assert served.count() == 0  # held, not a report yet


def test_region_names_and_kind_words_are_read_as_in_imports(intake) -> None:
    answer = intake().post({"region": "Астана", "kind": "нарушение", "text": "x", "station": "№12"})
    assert answer.status == 201, answer.body


def test_a_body_that_is_not_sent_as_json_is_415(intake) -> None:
    answer = intake().post(data=json.dumps(GOOD).encode(), headers={"Content-Type": "text/plain"})
    assert answer.status == 415 and answer.body["error"] == "bad_media_type"


def test_an_oversize_body_is_413(intake) -> None:
    served = intake(max_body=4096)
    answer = served.post(GOOD | {"text": "x" * 5000})
    assert answer.status == 413 and answer.body["error"] == "too_large" and "4096" in answer.body["message"]


def test_a_5_mb_body_is_413_without_being_read(intake) -> None:
    served = intake()
    try:
        answer = served.post(data=b'{"text": "' + b"x" * (5 * 1024 * 1024) + b'"}')
    except (ConnectionError, OSError):  # the server may answer and close before the upload ends
        pytest.skip("the connection was closed before the answer could be read")
    assert answer.status == 413 and answer.body["error"] == "too_large"
    assert served.count() == 0


def test_the_same_key_and_body_replays_the_first_answer(intake) -> None:
    served = intake()
    first = served.post(key="phone-1-msg-7")
    again = served.post(key="phone-1-msg-7")
    assert first.status == again.status == 201
    assert again.body == first.body and again.headers["Idempotent-Replayed"] == "true"
    assert served.count() == 1
    other = served.post(key="phone-1-msg-7", who="bolat")  # keys belong to their observer
    assert other.status == 201 and other.body["id"] != first.body["id"]


def test_the_same_key_with_another_body_is_409(intake) -> None:
    served = intake()
    assert served.post(key="k1").status == 201
    answer = served.post(GOOD | {"text": "Другой текст"}, key="k1")
    assert answer.status == 409 and answer.body["error"] == "key_reused"
    assert served.count() == 1


def test_a_bad_key_is_400(intake) -> None:
    answer = intake().post(key="x" * 201)
    assert answer.status == 400 and answer.body["error"] == "bad_key"


def test_concurrent_retries_with_one_key_add_one_report(intake) -> None:
    served = intake()
    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        answers = list(pool.map(lambda _: served.post(key="burst"), range(16)))
    assert {a.status for a in answers} == {201}
    assert len({a.body["id"] for a in answers}) == 1
    assert served.count() == 1


def test_over_the_rate_is_429_with_retry_after(intake) -> None:
    served = intake(rate=0.5, burst=3)
    statuses = [served.post(who="aigerim").status for _ in range(4)]
    assert statuses == [201, 201, 201, 429]
    limited = served.post(who="aigerim")
    assert limited.body["error"] == "rate_limited" and int(limited.headers["Retry-After"]) >= 1
    assert served.post(who="bolat").status == 201  # per token
    assert served.count() == 4


def test_token_buckets_refill_at_the_rate() -> None:
    now = [0.0]
    buckets = TokenBuckets(rate=2.0, burst=2, clock=lambda: now[0])
    assert buckets.take("a") == 0 and buckets.take("a") == 0
    assert buckets.take("a") == pytest.approx(0.5)
    now[0] = 0.5
    assert buckets.take("a") == 0 and buckets.take("a") > 0


def test_201_comes_only_after_the_commit(intake) -> None:
    served = intake()
    seen: list[int] = []
    lock = threading.Lock()

    def send(n: int) -> None:
        answer = served.post(GOOD | {"text": f"report {n}"}, who="aigerim" if n % 2 else "bolat")
        assert answer.status == 201
        other = open_desk(served.path)  # a second connection, opened when the 201 arrives
        try:
            found = other.report(answer.body["id"])
        finally:
            other.close()
        with lock:
            seen.append(0 if found is None else found.id)

    with concurrent.futures.ThreadPoolExecutor(8) as pool:
        list(pool.map(send, range(40)))
    assert len(seen) == 40 and all(seen)
    assert served.count() == 40


def test_health_needs_no_token_and_unknown_routes_are_json(intake) -> None:
    served = intake()
    answer = http("GET", served.url + "/health", token=None)
    assert answer.status == 200 and answer.body == {"status": "ok"}
    missing = http("GET", served.url + "/nothing", token=None)
    assert missing.status == 404 and missing.body["error"] == "not_found"
    wrong = http("GET", served.url + "/reports", token=None)
    assert wrong.status == 405 and wrong.body["error"] == "method_not_allowed"


def test_the_config_has_an_intake_section_on_loopback() -> None:
    from studio.config import Config

    intake = Config().intake
    assert intake.host == "127.0.0.1" and intake.rate > 0 and intake.burst >= 1 and intake.max_body >= 1024
    assert all(field.description for field in type(intake).model_fields.values())


# fuzz (tests/fuzz/test_fuzz_intake.py): what hostile bodies found, each once by hand


def test_a_body_nested_past_the_decoder_is_a_400_not_a_500(intake) -> None:
    served = intake()
    answer = served.post(data=b"[" * 30_000 + b"]" * 30_000)
    assert answer.status == 400 and answer.body == {
        "error": "bad_json", "message": "The request body is nested too deep to read: send one flat JSON object."
    }
    assert served.count() == 0


def test_a_field_with_no_name_is_named_in_quotes(intake) -> None:
    served = intake()
    answer = served.post(GOOD | {"": 1})
    assert answer.status == 422 and answer.body["problems"][0]["message"].startswith('"": not a field of a report')


def test_a_group_of_sends_is_answered_as_the_store_holds_it(desk: DeskStore) -> None:
    """write_sends answers a new report from what it wrote (no read back): each answer, a repeat of a key in the
    same group and a replay of an earlier one included, is what the stored report says, its group too."""
    from studio.desk.report_body import make_send, write_sends
    from studio.store.observers import token_hash

    token = add_observer(desk.db, "aigerim", by="desk", at=T0)

    def send(body: dict[str, Any], key: str | None, seconds: int) -> Any:
        at = datetime(2026, 3, 15, 5, 0, seconds, tzinfo=UTC)
        return make_send(body, "aigerim", at, key=key, token=token_hash(token))

    [(kind, first)] = write_sends(desk, [send(GOOD, "k0", 0)], at=T0)
    assert kind == "created"
    other_place = {"region": "almaty", "station": 3, "kind": "queue", "text": "Очередь у входа"}
    no_station = {"region": "astana", "kind": "violation", "text": "Вбросы на участке 12"}
    outcomes = write_sends(
        desk,
        [
            send(GOOD, "k1", 1),  # the same place, kind and text as k0: its group
            send(other_place, "k2", 2),
            send(other_place, "k2", 2),  # the same key again in this group: k2's answer, once stored
            send(GOOD, "k0", 0),  # a replay of the first group's report
            send(no_station, None, 3),  # station NULL: a bucket of its own
            send(no_station, None, 4),
        ],
        at=T0,
    )
    assert [kind for kind, _ in outcomes] == ["created", "created", "replay", "replay", "created", "created"]
    answers = [answer for _, answer in outcomes]
    assert answers[2] == answers[1] and answers[3] == first
    assert answers[0]["group"] == first["id"] and answers[5]["group"] == answers[4]["id"] != first["id"]
    for answer in answers:
        stored = desk.report(answer["id"])
        assert stored is not None
        assert answer == {
            "id": stored.id, "group": stored.group_id, "observer": stored.observer,
            "received_at": stored.received_at.astimezone(UTC).isoformat(),
        }
    assert desk.db.execute("SELECT COUNT(*) FROM report").fetchone()[0] == 5
