"""A graphic the fact gate refuses is said in the console's language: the graphics panel's preview
line before the take and the notification at the take, in Kazakh and Russian with no fixed English
phrase left over (the real renderer and gate: fact 7 is still pending at the desk)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.tui.test_graphics_panel import (
    SIZE,
    file_line,
    real_graphics,
    take_the_opening,
    with_graphics,
)
from tests.tui.test_languages import english_fragments, screen_text

SAID = {
    "kk": ("fact-card эфирге шықпады: fact-card: '7' фактісі «тексеруді күтуде», «расталған» емес: қабылданбады",
           "ол әлі тексерілуде; алдымен оны фактілерді тексеруде растаңыз"),
    "ru": ("fact-card не выдана в эфир: fact-card: факт '7' — «ожидает проверки», а не «проверен»: отказано",
           "его ещё проверяют; сначала подтвердите его в проверке фактов"),
    "en": ("fact-card stays off air: fact-card: fact '7' is 'pending', not 'verified': refused",
           "it is still being checked; verify it at the desk first"),
}


def leaks(text: str, language: str) -> list[str]:
    return sorted(fragment for fragment in english_fragments(language) if fragment in text)


@pytest.mark.parametrize("language", ["kk", "ru", "en"])
async def test_a_refused_fact_card_is_said_in_the_consoles_language(
    make, settle, rundown_file: Path, tmp_path: Path, language: str
) -> None:
    with_graphics(rundown_file)
    app = make(language)
    app.controller.renderer = real_graphics(tmp_path)
    message, hint = SAID[language]
    async with app.run_test(size=SIZE) as pilot:
        await take_the_opening(pilot, settle)
        await pilot.press("a")  # arm the fact card: its preview goes through the gate
        await settle(pilot)
        line = file_line(app)
        assert line == f"{message}\n  hint: {hint}"
        await pilot.press("g")  # take it all the same: refused, nothing goes to air
        await settle(pilot)
        refused = [n.message for n in app._notifications if n.severity == "error"]
        assert refused and refused[-1] == line
        assert app.controller.on_air_graphics == ()
        shown = screen_text(app)
        if language != "en":
            assert leaks(line, language) == [] and leaks(shown, language) == []
        else:
            assert leaks(line, "kk") and leaks(line, "ru")  # the check above can fail
