"""Every screen speaks the operator's language: no English catalogue text on a Kazakh or Russian screen."""

from __future__ import annotations

import html
import re
import string
from typing import Any

import pytest

from studio.i18n import messages

SIZE = (120, 40)
_TAGS = re.compile(r"<[^>]+>")
_SEGMENT_IDS = re.compile(r"\b[a-z0-9]+(?:-[a-z0-9…]*)+")  # data, not interface text
_STORE_FILES = re.compile(r"\S*\.db\b|\S*\w+@[\w.]+:\d+/\w+")  # the store a header names (studio.db, a URL): data too


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text (from Textual's own SVG screenshot)."""
    svg = app.export_screenshot()
    body = svg[svg.index("<g class=\"terminal") :] if "<g class=\"terminal" in svg else svg
    text = " ".join(html.unescape(_TAGS.sub(" ", body)).replace("\xa0", " ").split())
    return _SEGMENT_IDS.sub(" ", _STORE_FILES.sub(" ", text))


def english_fragments(language: str) -> set[str]:
    """Fixed pieces of English interface text that have their own translation in ``language``."""
    english, other = messages("en"), messages(language)
    found = set()
    for key, text in english.items():
        if key == "language.name" or text == other.get(key):
            continue
        for literal, *_ in string.Formatter().parse(text):
            fragment = " ".join(literal.split())
            if len(fragment) >= 6 and re.search(r"[A-Za-z]{4}", fragment):
                found.add(fragment)
    return found


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_the_console_shows_no_untranslated_text(make, settle, clock, language: str) -> None:
    app = make(language)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        clock.advance(minutes=5)  # an overrun: the red countdown's words too
        app.request_view()
        await settle(pilot)
        shown = screen_text(app)
        assert len(shown) > 500  # the screen was read
        leaks = sorted(fragment for fragment in english_fragments(language) if fragment in shown)
        assert leaks == [], f"English on the {language} screen: {leaks}"
        await pilot.press("ctrl+p")
        await settle(pilot)
        palette = screen_text(app)
        leaks = sorted(fragment for fragment in english_fragments(language) if fragment in palette)
        assert leaks == [], f"English in the {language} command palette: {leaks}"


async def test_the_detector_finds_english_on_an_english_screen(make, settle) -> None:
    app = make("en")
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        shown = screen_text(app)  # once: a screenshot takes a while, the fragments are hundreds
        assert any(fragment in shown for fragment in english_fragments("kk"))


def test_main_screen_in_english(snap_compare, make, clock) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.press("space")
        await pilot.app.workers.wait_for_complete()
        clock.advance(minutes=1)
        pilot.app.request_view()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make("en"), run_before=run_before, terminal_size=SIZE)


def leaks_on(text: str, language: str) -> list[str]:
    return sorted(fragment for fragment in english_fragments(language) if fragment in text)


@pytest.fixture
def desk_app(tmp_path):
    """The desk as ``studio desk`` builds it, on a seeded store (the desk tests' seed)."""
    from studio.store.desk import open_desk
    from studio.tui.desk import make_desk
    from tests.desk_tui.conftest import DeskClock, desk_config, seed

    path = tmp_path / "desk.db"
    seeded = seed(open_desk(path))
    apps = []

    def build(language: str):
        app = make_desk(open_desk(path), desk_config(language), clock=DeskClock(), live=False)
        app.animation_level = "none"
        apps.append(app)
        return app, seeded

    yield build
    for app in apps:
        app.client.store.close()


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_the_desk_shows_no_untranslated_text(desk_app, language: str) -> None:
    from textual.widgets import DataTable

    from tests.desk_tui.conftest import desk_settle

    app, seeded = desk_app(language)
    async with app.run_test(size=SIZE) as pilot:
        await desk_settle(pilot)
        queue = screen_text(app)
        assert len(queue) > 300
        assert leaks_on(queue, language) == [], f"English on the {language} desk queue"
        for key in (f"fact:{seeded['violation']}", f"group:{seeded['kk_report']}"):  # a fact and a report group
            table = app.desk.query_one("#desk-queue", DataTable)
            table.move_cursor(row=table.get_row_index(key), animate=False)
            await pilot.press("enter")
            await desk_settle(pilot)
            opened = screen_text(app)
            assert leaks_on(opened, language) == [], f"English on the {language} desk with {key} open"
            await pilot.press("escape")
            await desk_settle(pilot)
        await pilot.press("ctrl+p")
        await desk_settle(pilot)
        assert leaks_on(screen_text(app), language) == [], f"English in the {language} desk's command palette"


@pytest.fixture
def prompter_app(tmp_path):
    """The terminal prompter as ``studio prompter`` builds it, with the producer taking on another connection."""
    from studio.show import Controller
    from studio.rundown.load import load_rundown
    from studio.store import open_store
    from studio.tui.prompter import make_prompter
    from tests.clock import Clock
    from tests.prompter.conftest import START, prompter_config
    from tests.prompter.prompter_helpers import SHOW

    clock = Clock(START)
    stores = [open_store(tmp_path / "studio.db")]
    producer = Controller(stores[0], load_rundown(SHOW), operator="dana", clock=clock)

    def build(language: str):
        stores.append(open_store(tmp_path / "studio.db"))
        controller = Controller(stores[-1], load_rundown(SHOW), origin="prompter", clock=clock)
        app = make_prompter(controller, prompter_config(language), live=False)
        app.animation_level = "none"
        return app

    yield build, producer, clock
    for store in stores:
        store.close()


@pytest.mark.parametrize("language", ["kk", "ru"])
async def test_the_prompter_shows_no_untranslated_text(prompter_app, language: str) -> None:
    from tests.prompter.prompter_helpers import settle as prompter_settle

    build, producer, clock = prompter_app
    producer.take("almaty-live")
    clock.advance(minutes=5)  # an overrun: its words too
    app = build(language)
    async with app.run_test(size=SIZE) as pilot:
        await prompter_settle(pilot)
        shown = screen_text(app)
        assert len(shown) > 100
        assert leaks_on(shown, language) == [], f"English on the {language} prompter"
        await pilot.press("p")  # paused: its status line too
        await prompter_settle(pilot)
        assert leaks_on(screen_text(app), language) == []
        await pilot.press("ctrl+p")
        await prompter_settle(pilot)
        assert leaks_on(screen_text(app), language) == [], f"English in the {language} prompter's command palette"


async def test_the_detector_finds_english_on_an_english_desk_and_prompter(desk_app, prompter_app) -> None:
    from tests.desk_tui.conftest import desk_settle
    from tests.prompter.prompter_helpers import settle as prompter_settle

    app, _ = desk_app("en")
    async with app.run_test(size=SIZE) as pilot:
        await desk_settle(pilot)
        assert leaks_on(screen_text(app), "kk")
    build, producer, _ = prompter_app
    producer.take_next()
    app = build("en")
    async with app.run_test(size=SIZE) as pilot:
        await prompter_settle(pilot)
        assert leaks_on(screen_text(app), "ru")
