"""Graphics and health through the control API: take, clear one, clear all, each through the controller
with origin ``api`` and the token's name; refusals as 409; the show process following; GET /state showing
the armed graphics, what is on air and the health the show process published."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studio.store.health import publish
from studio.web.api import make_api
from tests.web.http_helpers import (
    ALMATY,
    DESK_TOKEN,
    SHOW,
    TOKEN,
    StandInGraphics,
    http,
    with_graphics,
)
from tests.web.test_api import RecordingSwitcher


@pytest.fixture
def show():
    from studio.rundown.load import load_rundown

    return with_graphics(load_rundown(SHOW))


@pytest.fixture
def api(controllers, serve, clock, show):
    controller = controllers(origin="api", operator="api", clock=clock, rundown=show, graphics=StandInGraphics())
    served = serve(make_api(controller, {"api": TOKEN, "desk": DESK_TOKEN}, ALMATY))
    return served.url


def graphic_events(controllers) -> list[tuple]:
    return [
        (e.action, e.segment_id, e.who, e.origin, e.detail.get("template"))
        for e in controllers().store.events("referendum")
        if e.action.startswith("graphic") or e.action in ("refused", "unchanged")
    ]


def test_state_lists_the_armed_graphics_with_the_index_a_button_takes(api) -> None:
    assert http("GET", f"{api}/state").body["graphics"] == {"armed": [], "on_air": [], "under_slate": False}
    http("POST", f"{api}/take/open")
    graphics = http("GET", f"{api}/state").body["graphics"]
    assert graphics["armed"] == [
        {"index": 0, "template": "lower-third", "description": "lower-third: name=Дана Ким, role=корреспондент",
         "on_air": False},
        {"index": 1, "template": "fact-card", "description": "fact-card: fact=7", "on_air": False},
    ]
    assert graphics["on_air"] == []


def test_take_clear_and_clear_all_go_through_the_controller_and_the_event_log(api, controllers) -> None:
    http("POST", f"{api}/take/open")
    answer = http("POST", f"{api}/graphics/take/0", token=DESK_TOKEN)
    assert answer.status == 200, answer.body
    assert {key: answer.body[key] for key in ("action", "template", "segment_id", "changed")} == {
        "action": "graphic_on", "template": "lower-third", "segment_id": "open", "changed": 1,
    }
    state = answer.body["state"]["graphics"]
    assert state["on_air"] == [{"template": "lower-third", "segment_id": "open", "scene": None,
                                "description": "lower-third: name=Дана Ким, role=корреспондент"}]
    assert state["armed"][0]["on_air"] is True and state["armed"][1]["on_air"] is False
    assert controllers().view().graphics[0].template == "lower-third"  # in the store for every process

    answer = http("POST", f"{api}/graphics/clear/lower-third", json_body={})
    assert (answer.body["action"], answer.body["changed"]) == ("graphic_off", 1)
    assert answer.body["state"]["graphics"]["on_air"] == []
    again = http("POST", f"{api}/graphics/clear/lower-third")
    assert again.status == 200 and again.body["changed"] == 0  # not on air: nothing to do, said so

    http("POST", f"{api}/graphics/take/0")
    answer = http("POST", f"{api}/graphics/clear")
    assert (answer.body["action"], answer.body["template"], answer.body["changed"]) == ("graphics_off", None, 1)
    assert graphic_events(controllers) == [
        ("graphic_on", "open", "api", "api:desk", "lower-third"),
        ("graphic_off", "open", "api", "api", "lower-third"),
        ("unchanged", None, "api", "api", "lower-third"),
        ("graphic_on", "open", "api", "api", "lower-third"),
        ("graphic_off", "open", "api", "api", "lower-third"),
    ]
    off = [e for e in controllers().store.events("referendum") if e.action == "graphic_off"]
    assert [e.detail["reason"] for e in off] == ["clear", "panic"]


@pytest.mark.parametrize(
    ("before", "path", "code", "says"),
    [
        ([], "/graphics/take/0", "nothing_on_air", "Nothing is on air."),
        (["/take/open"], "/graphics/take/2", "no_graphic", "“open” has no such graphic."),
        (["/take/open"], "/graphics/take/1", "graphic_refused", "fact-card stays off air: fact-card: fact 7 is not verified"),
    ],
)
def test_refusals_are_409_with_the_controllers_code_and_are_logged(api, controllers, before, path, code, says) -> None:
    for call in before:
        http("POST", f"{api}{call}")
    answer = http("POST", f"{api}{path}")
    assert (answer.status, answer.body) == (409, {"error": code, "message": says})
    refusal = controllers().store.events("referendum")[-1]
    assert (refusal.action, refusal.who, refusal.origin) == ("refused", "api", "api")
    assert refusal.detail == {"request": "graphic_take", "code": code, "index": int(path.rsplit("/", 1)[1])}
    assert controllers().view().graphics == ()


def test_refusals_follow_accept_language(api) -> None:
    answer = http("POST", f"{api}/graphics/take/0", headers={"Accept-Language": "kk"})
    assert answer.body == {"error": "nothing_on_air", "message": "Эфирде ештеңе жоқ."}


def test_without_a_renderer_a_take_is_refused(controllers, serve, clock, show) -> None:
    controller = controllers(origin="api", operator="api", clock=clock, rundown=show)
    url = serve(make_api(controller, {"api": TOKEN}, ALMATY)).url
    http("POST", f"{url}/take/open")
    answer = http("POST", f"{url}/graphics/take/0")
    assert (answer.status, answer.body["error"]) == (409, "no_graphics")


@pytest.mark.parametrize(
    ("method", "path", "status", "code"),
    [
        ("POST", "/graphics/take/-1", 404, "not_found"),
        ("POST", "/graphics/take/first", 404, "not_found"),
        ("POST", "/graphics/take/1234567890", 404, "not_found"),
        ("POST", "/graphics/clear/Lower%20Third", 404, "unknown_template"),
        ("POST", "/graphics/clear/" + "a" * 65, 404, "unknown_template"),
        ("GET", "/graphics/clear", 405, "method_not_allowed"),
        ("GET", "/graphics/take/0", 405, "method_not_allowed"),
    ],
)
def test_bad_graphics_paths_are_json_errors(api, controllers, method, path, status, code) -> None:
    answer = http(method, f"{api}{path}")
    assert (answer.status, answer.body["error"]) == (status, code)
    assert [e.action for e in controllers().store.events("referendum")] == ["plan"]


@pytest.mark.parametrize(
    ("data", "content_type", "code"),
    [
        (b"{", "application/json", "bad_json"),
        (b"[0]", "application/json", "not_an_object"),
        (b'{"index": 0}', "application/json", "unknown_field"),
        (b"index=0", "application/x-www-form-urlencoded", "bad_media_type"),
    ],
)
@pytest.mark.parametrize("path", ["/graphics/take/0", "/graphics/clear/lower-third", "/graphics/clear"])
def test_malformed_bodies_change_nothing(api, controllers, data, content_type, code, path) -> None:
    http("POST", f"{api}/take/open")
    http("POST", f"{api}/graphics/take/0")
    answer = http("POST", f"{api}{path}", data=data, headers={"Content-Type": content_type})
    assert answer.body["error"] == code and answer.status in (400, 415)
    assert [g.template for g in controllers().view().graphics] == ["lower-third"]


@pytest.mark.parametrize(
    "headers", [{}, {"Authorization": "Bearer "}, {"Authorization": "Bearer wrong-token-0123456789"}]
)
@pytest.mark.parametrize("path", ["/graphics/take/0", "/graphics/clear/lower-third", "/graphics/clear"])
def test_graphics_need_the_token(api, controllers, headers, path) -> None:
    http("POST", f"{api}/take/open")
    answer = http("POST", f"{api}{path}", token=None, headers=headers)
    assert answer.status == 401 and answer.body["error"] in ("token_missing", "token_wrong")
    assert TOKEN not in str(answer.body) and TOKEN not in str(answer.headers)
    assert graphic_events(controllers) == []


def test_the_show_process_puts_a_graphic_taken_through_the_api_on_air(api, controllers) -> None:
    """The API renders and records; the show process (which alone talks to OBS) follows the store."""
    switcher = RecordingSwitcher()
    show = controllers(origin="console", switcher=switcher)
    http("POST", f"{api}/take/open")
    assert show.refresh() and switcher.taken == ["open"]
    http("POST", f"{api}/graphics/take/0")
    assert show.refresh() and switcher.shown == ["lower-third"]
    http("POST", f"{api}/graphics/clear")
    assert show.refresh() and switcher.shown == []
    assert switcher.taken == ["open", "<graphics lower-third>", "<graphics >"]


OBS = {
    "connected": True, "reason": "connected to OBS 30.2.3", "program_scene": "Studio", "in_sync": True,
    "streaming": True, "cpu_percent": 4.5, "feed": {"segment_id": None, "input": None, "verdict": "unknown",
                                                    "reported": False},
}


def test_state_carries_the_health_the_show_process_published(api, controllers, clock) -> None:
    store = controllers().store
    publish(store.db, "obs", OBS, clock() - timedelta(seconds=3))
    health = http("GET", f"{api}/state").body["health"]
    assert health["obs"] == OBS | {"at": "2026-03-15T09:57:57+05:00", "age_s": 3, "stale": False}
    assert health["youtube"] is None
    clock.advance(seconds=13)  # 16 s old: the show process stopped publishing
    state = http("GET", f"{api}/state").body
    assert state["health"]["obs"]["stale"] is True and state["health"]["obs"]["age_s"] == 16
    assert set(state["health_missing"]) == {"youtube"}


def test_any_published_source_appears_and_missing_ones_say_why_in_the_callers_language(api, controllers, clock) -> None:
    publish(controllers().store.db, "youtube", {"status": "live", "health": "good"}, clock())
    publish(controllers().store.db, "encoder-2", {"up": True}, clock())
    state = http("GET", f"{api}/state", headers={"Accept-Language": "ru"}).body
    assert state["health"]["youtube"]["health"] == "good" and state["health"]["encoder-2"]["up"] is True
    assert state["health"]["obs"] is None
    assert state["health_missing"] == {"obs": "Состояние OBS не опубликовано: запущен ли процесс эфира (studio run с OBS)?"}


def test_studio_serve_renders_and_records_a_graphic_with_the_real_renderer(tmp_path, monkeypatch, serve) -> None:
    """``studio serve`` builds its controller with the renderer (and the desk's gate): the PNG is written
    and the graphic recorded by the API process, for the show process to show."""
    import argparse
    import shutil
    from pathlib import Path

    from studio.commands.common import operator_signed_in as _operator
    from studio.commands.show import services_for
    from studio.show.services import API
    from studio.paths import graphics_dir

    root = Path(__file__).resolve().parents[2]
    shutil.copytree(root / "studio" / "overlays", tmp_path / "overlays", ignore=shutil.ignore_patterns("out"))
    monkeypatch.setenv("STUDIO_OVERLAYS", str(tmp_path / "overlays"))
    rundown = tmp_path / "show.toml"
    lower = 'graphics = [{ template = "lower-third", data = { name = "Дана Ким", role = "тілші" } }]'
    rundown.write_text(SHOW.read_text("utf-8").replace('duration = "3m"', f'duration = "3m"\n{lower}', 1), "utf-8")
    from studio.store import open_store
    from studio.store.operators import add_operator

    store = open_store(tmp_path / "s.db")
    monkeypatch.setenv("STUDIO_OPERATOR_KEY", add_operator(store.db, "dana", by="admin", at=datetime.now(UTC)))
    store.close()
    args = argparse.Namespace(config=None, store=tmp_path / "s.db", lang=None, operator="dana")
    config, services = services_for(args, rundown, API, acting=_operator)  # as `studio serve`
    controller = services.controller
    url = serve(make_api(controller, {"api": TOKEN}, config.station.zone)).url
    assert http("POST", f"{url}/take/open").status == 200
    answer = http("POST", f"{url}/graphics/take/0")
    assert answer.status == 200, answer.body
    assert answer.body["state"]["graphics"]["on_air"][0]["template"] == "lower-third"
    graphic = controller.view().graphics[0]
    assert Path(graphic.file).is_file() and Path(graphic.file).parent == graphics_dir(config.graphics.out)
    assert not (tmp_path / "overlays" / "out").exists()  # never into the templates' folder
    event = [e for e in controller.store.events("referendum") if e.action == "graphic_on"][-1]
    assert (event.who, event.origin, event.detail["data"]["name"]) == ("dana", "api", "Дана Ким")


def test_state_says_the_graphics_are_under_the_slate_while_it_covers_a_dead_feed(api, controllers, clock, show) -> None:
    """The show process hears the slate went up from its switcher; GET /state, served by another process, says so."""
    console = controllers(origin="console", clock=clock, rundown=show, switcher=RecordingSwitcher(),
                          graphics=StandInGraphics())
    console.take("almaty-live")
    assert console.feed_lost("almaty-live")
    graphics = http("GET", f"{api}/state").body["graphics"]
    assert graphics["under_slate"] is True and [g["template"] for g in graphics["on_air"]] == ["location-bug"]
    console.take("almaty-live")  # the feed is back: the producer retakes the inclusion
    assert http("GET", f"{api}/state").body["graphics"]["under_slate"] is False
