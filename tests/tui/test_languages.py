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


def screen_text(app: Any) -> str:
    """What the terminal shows, as plain text (from Textual's own SVG screenshot)."""
    svg = app.export_screenshot()
    body = svg[svg.index("<g class=\"terminal") :] if "<g class=\"terminal" in svg else svg
    text = " ".join(html.unescape(_TAGS.sub(" ", body)).replace("\xa0", " ").split())
    return _SEGMENT_IDS.sub(" ", text)


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
        assert english_fragments("kk") & {f for f in english_fragments("kk") if f in screen_text(app)}


def test_main_screen_in_english(snap_compare, make, clock) -> None:
    async def run_before(pilot: Any) -> None:
        await pilot.press("space")
        await pilot.app.workers.wait_for_complete()
        clock.advance(minutes=1)
        pilot.app.request_view()
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()

    assert snap_compare(make("en"), run_before=run_before, terminal_size=SIZE)
