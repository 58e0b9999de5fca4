"""The control API against a live server: every action, tokens, bodies, the event log,
and the show process following a take made through the API."""

from __future__ import annotations

from http.client import HTTPConnection
from typing import Any
from urllib.parse import urlsplit

import pytest

from studio.show import Controller
from studio.web.api import MAX_BODY, make_api
from tests.web.http_helpers import ALMATY, DESK_TOKEN, TOKEN, http


@pytest.fixture
def api(controllers, serve, clock):
    controller = controllers(origin="api", operator="aigerim", clock=clock)  # who signed in at `studio serve`
    served = serve(make_api(controller, {"api": TOKEN, "desk": DESK_TOKEN}, ALMATY))
    return served.url


def events(controller: Controller) -> list[tuple[str, str | None, str, str]]:
    return [(e.action, e.segment_id, e.who, e.origin) for e in controller.store.events(controller.show_id)]


def test_state_shows_the_show_with_nothing_on_air_and_no_health_published(api) -> None:
    answer = http("GET", f"{api}/state")
    assert answer.status == 200
    state = answer.body
    assert state["show"]["id"] == "referendum" and state["show"]["zone"] == "Asia/Almaty"
    assert state["on_air"] is None and state["ended"] is False
    assert state["next"]["segment_id"] == "open"
    assert state["next"]["expected_start"] == "2026-03-15T09:58:00+05:00"
    assert [line["segment_id"] for line in state["rundown"]] == ["open", "astana-live", "briefing-10", "almaty-live"]
    assert state["graphics"] == {"armed": [], "on_air": [], "under_slate": False}
    assert state["health"] == {"obs": None, "youtube": None}
    assert "studio run" in state["health_missing"]["obs"] and set(state["health_missing"]) == {"obs", "youtube"}


def test_take_next_then_take_a_chosen_segment(api, controllers, clock) -> None:
    answer = http("POST", f"{api}/take/next")
    assert answer.status == 200, answer.body
    assert answer.body["action"] == "take" and answer.body["segment_id"] == "open"
    assert answer.body["state"]["on_air"]["segment_id"] == "open"
    assert answer.body["state"]["on_air"]["origin"] == "api"
    clock.advance(seconds=30)
    answer = http("POST", f"{api}/take/briefing-10")
    assert answer.status == 200
    assert answer.body["state"]["on_air"]["segment_id"] == "briefing-10"
    assert answer.body["state"]["on_air"]["elapsed_s"] == 0
    other = controllers()
    assert other.view().on_air.segment_id == "briefing-10"  # in the store for everyone


def test_the_stale_screen_check_refuses_a_take_made_on_an_old_picture(api, controllers) -> None:
    controllers().take_next()  # the producer took "open" meanwhile
    answer = http("POST", f"{api}/take/next", json_body={"expect_on_air": None})
    assert answer.status == 409
    assert answer.body == {
        "error": "take_conflict",
        "message": "Someone else took “open” meanwhile; look again and retake.",
    }
    answer = http("POST", f"{api}/take/next", json_body={"expect_on_air": "open"})
    assert answer.status == 200 and answer.body["segment_id"] == "astana-live"


def test_hold_and_skip_toggle_and_take_next_passes_them_over(api) -> None:
    assert http("POST", f"{api}/hold/open").body["action"] == "hold"
    answer = http("POST", f"{api}/skip/astana-live")
    assert answer.body["action"] == "skip"
    statuses = {line["segment_id"]: line["status"] for line in answer.body["state"]["rundown"]}
    assert statuses["open"] == "held" and statuses["astana-live"] == "skipped"
    assert http("POST", f"{api}/take/next").body["segment_id"] == "briefing-10"
    assert http("POST", f"{api}/hold/open").body["action"] == "unhold"
    assert http("POST", f"{api}/skip/astana-live").body["action"] == "unskip"


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("POST", "/take/nowhere", 404, "unknown_segment"),
        ("POST", "/hold/nowhere", 404, "unknown_segment"),
        ("POST", "/skip/Not%20An%20Id", 404, "unknown_segment"),
        ("GET", "/nothing-here", 404, "not_found"),
        ("DELETE", "/state", 405, "method_not_allowed"),
    ],
)
def test_unknown_things_are_json_errors(api, method: str, path: str, status: int, code: str) -> None:
    answer = http(method, f"{api}{path}")
    assert (answer.status, answer.body["error"]) == (status, code)
    assert answer.body["message"]


def test_refusals_are_409_with_the_controllers_reason(api) -> None:
    http("POST", f"{api}/take/open")
    answer = http("POST", f"{api}/take/open")
    assert (answer.status, answer.body["error"]) == (409, "already_on_air")
    answer = http("POST", f"{api}/hold/open")
    assert (answer.status, answer.body["error"]) == (409, "on_air_frozen")
    for segment in ("astana-live", "briefing-10", "almaty-live"):
        http("POST", f"{api}/take/{segment}")
    answer = http("POST", f"{api}/take/next")
    assert (answer.status, answer.body["error"]) == (409, "nothing_next")


@pytest.mark.parametrize(
    ("headers", "code"),
    [
        ({}, "token_missing"),
        ({"Authorization": "Basic dXNlcjpwYXNz"}, "token_missing"),
        ({"Authorization": "Bearer "}, "token_missing"),
        ({"Authorization": "Bearer wrong-token-0123456789"}, "token_wrong"),
        ({"Authorization": f"Bearer {TOKEN}x"}, "token_wrong"),
    ],
)
@pytest.mark.parametrize(("method", "path"), [("GET", "/state"), ("POST", "/take/next"), ("POST", "/hold/open")])
def test_every_route_needs_the_token(api, controllers, headers, code, method, path) -> None:
    answer = http(method, f"{api}{path}", token=None, headers=headers)
    assert (answer.status, answer.body["error"]) == (401, code)
    assert answer.headers["WWW-Authenticate"] == "Bearer"
    assert TOKEN not in str(answer.body) and TOKEN not in str(answer.headers)
    assert events(controllers()) == [("plan", None, "aigerim", "api")]  # nothing was done or logged


def test_the_document_needs_no_token(api) -> None:
    answer = http("GET", f"{api}/openapi.json", token=None)
    assert answer.status == 200 and answer.body["openapi"].startswith("3.")
    assert set(answer.body["paths"]) == {
        "/state", "/take/next", "/take/{segment_id}", "/hold/{segment_id}", "/skip/{segment_id}", "/openapi.json",
        "/graphics/take/{index}", "/graphics/clear/{template}", "/graphics/clear",
    }


@pytest.mark.parametrize(
    ("data", "content_type", "status", "code"),
    [
        (b"{", "application/json", 400, "bad_json"),
        (b"\xff\xfe", "application/json", 400, "bad_json"),
        (b"[1, 2]", "application/json", 400, "not_an_object"),
        (b'"open"', "application/json", 400, "not_an_object"),
        (b'{"expect": "open"}', "application/json", 400, "unknown_field"),
        (b'{"expect_on_air": 5}', "application/json", 400, "bad_field"),
        (b'{"expect_on_air": "Not An Id"}', "application/json", 400, "bad_field"),
        (b"expect_on_air=open", "application/x-www-form-urlencoded", 415, "bad_media_type"),
    ],
)
def test_malformed_bodies_are_400(api, controllers, data, content_type, status, code) -> None:
    answer = http("POST", f"{api}/take/next", data=data, headers={"Content-Type": content_type})
    assert (answer.status, answer.body["error"]) == (status, code), answer.body
    assert controllers().view().on_air is None


def test_a_body_where_none_is_expected_must_be_empty(api) -> None:
    answer = http("POST", f"{api}/hold/open", json_body={"force": True})
    assert (answer.status, answer.body["error"]) == (400, "unknown_field")
    assert "allowed: —" in answer.body["message"]
    assert http("POST", f"{api}/hold/open", json_body={}).status == 200


def test_a_take_names_its_only_field(api) -> None:
    answer = http("POST", f"{api}/take/open", json_body={"force": True})
    assert (answer.status, answer.body["error"]) == (400, "unknown_field")
    assert "allowed: confirm" in answer.body["message"]
    assert http("POST", f"{api}/take/open", json_body={"confirm": "yes"}).body["error"] == "bad_field"
    assert http("POST", f"{api}/take/open", json_body={}).status == 200


def test_an_oversize_body_is_413_before_it_is_read(api) -> None:
    answer = http("POST", f"{api}/take/next", data=b" " * (MAX_BODY + 1), headers={"Content-Type": "application/json"})
    assert (answer.status, answer.body["error"]) == (413, "too_large")
    assert str(MAX_BODY) in answer.body["message"]


def test_an_oversize_chunked_body_is_413_too(api) -> None:
    """No Content-Length: aiohttp stops reading at the limit and the API answers in JSON."""
    parts = urlsplit(api)
    connection = HTTPConnection(parts.hostname, parts.port, timeout=10)
    chunks = iter([b'{"expect_on_air": "' + b"a" * (MAX_BODY + 10) + b'"}'])
    connection.request(
        "POST",
        "/take/next",
        body=chunks,
        headers={"Authorization": f"Bearer {TOKEN}", "Content-Type": "application/json"},
        encode_chunked=True,
    )
    response = connection.getresponse()
    body = response.read()
    connection.close()
    assert response.status == 413 and b'"too_large"' in body


def test_every_action_is_logged_as_the_signed_in_operator_with_the_tokens_name_as_origin(api, controllers) -> None:
    http("POST", f"{api}/take/next")
    http("POST", f"{api}/hold/briefing-10", token=DESK_TOKEN)
    http("POST", f"{api}/skip/almaty-live")
    http("POST", f"{api}/take/open")  # refused: already on air
    http("POST", f"{api}/take/nowhere", token=DESK_TOKEN)  # refused: unknown
    http("GET", f"{api}/state")  # reading is not an action
    assert events(controllers())[1:] == [
        ("take", "open", "aigerim", "api"),
        ("hold", "briefing-10", "aigerim", "api:desk"),
        ("skip", "almaty-live", "aigerim", "api"),
        ("refused", "open", "aigerim", "api"),
        ("refused", "nowhere", "aigerim", "api:desk"),
    ]
    refusal = controllers().store.events("referendum")[-1]
    assert refusal.detail == {"request": "take", "code": "unknown_segment"}


def test_messages_follow_accept_language(api) -> None:
    answer = http("POST", f"{api}/take/nowhere", headers={"Accept-Language": "ru-RU,ru;q=0.9,en;q=0.5"})
    assert answer.body["message"] == "В плане нет сегмента «nowhere»."
    kazakh = http("GET", f"{api}/nope", headers={"Accept-Language": "kk"})
    assert "жоқ" in kazakh.body["message"]


class RecordingSwitcher:
    def __init__(self) -> None:
        self.taken: list[str] = []
        self.shown: list[str] = []

    def take(self, segment: Any, graphics: Any = ()) -> None:
        self.taken.append(segment.id)
        self.shown = [graphic.template for graphic in graphics]

    def graphics(self, items: Any) -> None:
        self.shown = [graphic.template for graphic in items]
        self.taken.append("<graphics " + " ".join(self.shown) + ">")

    def watch_slate(self, report: Any) -> None:
        self.slate_report = report

    def slate(self) -> None:
        self.taken.append("<slate>")
        self.slate_report(True)

    def end(self) -> None:
        self.taken.append("<end>")

    def cue(self, segment: Any) -> None:
        pass  # getting the next feed ready: not what this test is about

    def feed_up(self, target: Any) -> bool | None:
        return None


def test_the_show_process_switcher_follows_a_take_made_through_the_api(api, controllers) -> None:
    """Only the show process talks to OBS: the API writes the store, the show's refresh() switches."""
    switcher = RecordingSwitcher()
    show = controllers(origin="console", switcher=switcher)
    http("POST", f"{api}/take/next")
    assert show.refresh() is True
    assert switcher.taken == ["open"]
    http("POST", f"{api}/hold/almaty-live")
    assert show.refresh() is True and switcher.taken == ["open"]  # a hold changes no picture


def test_the_api_refuses_a_controller_with_a_switcher(controllers) -> None:
    with pytest.raises(ValueError, match="only the show process talks to OBS"):
        make_api(controllers(origin="api", switcher=RecordingSwitcher()), {"api": TOKEN}, ALMATY)


def test_a_take_onto_a_feed_the_show_process_saw_dead_needs_confirm(controllers, serve, clock) -> None:
    """The API has no switcher: it goes by the OBS health the show process published (the cued
    feed's verdict). A dead one is refused with feed_down unless the body says confirm."""
    from dataclasses import replace

    from studio.rundown.load import load_rundown
    from studio.store.health import publish
    from tests.web.http_helpers import SHOW

    plan = load_rundown(SHOW)
    live = replace(plan.segments[1], feed="udp://127.0.0.1:9101")
    plan = plan.with_segments((plan.segments[0], live, *plan.segments[2:]))
    controller = controllers(origin="api", operator="aigerim", clock=clock, rundown=plan)
    api = serve(make_api(controller, {"api": TOKEN}, ALMATY)).url
    dead = {"segment_id": "astana-live", "input": "feed-astana", "verdict": "dead", "reported": False}
    publish(controllers().store.db, "obs", {"connected": True, "cued": dead, "feed": {}}, clock())
    assert http("POST", f"{api}/take/next").status == 200  # the studio opening: no feed
    refused = http("POST", f"{api}/take/next", json_body={"expect_on_air": "open"})
    assert (refused.status, refused.body.get("error")) == (409, "feed_down"), refused.body
    assert "slate" in refused.body["message"]
    assert controllers().view().on_air.segment_id == "open"
    taken = http("POST", f"{api}/take/next", json_body={"expect_on_air": "open", "confirm": True})
    assert taken.status == 200 and taken.body["segment_id"] == "astana-live"
    http("POST", f"{api}/take/briefing-10")
    clock.advance(seconds=20)  # an old snapshot says nothing: the show process holds the slate itself if need be
    assert http("POST", f"{api}/take/astana-live").status == 200
