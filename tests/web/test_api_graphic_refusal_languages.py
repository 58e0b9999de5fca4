"""A graphic the fact gate refuses, through the control API and the event log: the 409's message is
in the caller's Accept-Language (the gate's own reason included), the event log keeps the English
whatever language anyone reads it in. The real renderer and gate; fact 7 at the desk in MemoryFacts."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import UTC, date, datetime
from pathlib import Path

import pytest

from studio.graphics import MemoryFacts, Renderer
from studio.paths import shipped
from studio.graphics.gate import FactView
from studio.i18n import Msg
from studio.onair import GraphicRefused, RendererGraphics
from studio.show import ControlError
from studio.web.api import make_api
from studio.desk.views import GraphicsFacts
from studio.store.desk import open_desk
from tests.test_onair_control import retract, verified_fact
from tests.tui.test_languages import english_fragments
from tests.web.http_helpers import (
    ALMATY,
    REFUSED_FACT,
    SHOW,
    TOKEN,
    http,
    with_graphics,
)

PENDING = FactView(id="7", status="pending", claim_kk="Тексерілмеген", claim_ru="Не проверено")
VERIFIED = FactView(id="7", status="verified", claim_kk="Қатысу 19,21%", claim_ru="Явка 19,21%",
                    sources=("https://www.election.gov.kz/",), verifier="erlan",
                    as_of=datetime(2026, 3, 15, 5, 0, tzinfo=UTC))


@pytest.fixture
def show():
    from studio.rundown.load import load_rundown

    return with_graphics(load_rundown(SHOW))


def gate(tmp_path: Path, facts: MemoryFacts) -> RendererGraphics:
    return RendererGraphics(Renderer(shipped("overlays"), tmp_path / "out", facts))


def leaks(text: str, language: str) -> list[str]:
    return sorted(fragment for fragment in english_fragments(language) if fragment in text)


def test_a_refused_graphic_is_a_409_in_the_callers_language(controllers, serve, clock, show, tmp_path) -> None:
    controller = controllers(origin="api", operator="api", clock=clock, rundown=show,
                             graphics=gate(tmp_path, MemoryFacts().add(PENDING)))
    api = serve(make_api(controller, {"api": TOKEN}, ALMATY)).url
    http("POST", f"{api}/take/open")
    answers = {
        language: http("POST", f"{api}/graphics/take/1", headers={"Accept-Language": header})
        for language, header in (("ru", "ru-RU,ru;q=0.9,en;q=0.5"), ("kk", "kk"), ("en", "en-GB"))
    }
    assert {answer.status for answer in answers.values()} == {409}
    assert {answer.body["error"] for answer in answers.values()} == {"graphic_refused"}
    russian = answers["ru"].body["message"]
    assert russian == (
        "fact-card не выдана в эфир: fact-card: факт '7' — «ожидает проверки», а не «проверен»: отказано\n"
        "  hint: его ещё проверяют; сначала подтвердите его в проверке фактов"
    )
    assert leaks(russian, "ru") == []
    assert answers["kk"].body["message"].startswith("fact-card эфирге шықпады: fact-card: '7' фактісі «тексеруді")
    assert leaks(answers["kk"].body["message"], "kk") == []
    assert answers["en"].body["message"] == (
        "fact-card stays off air: fact-card: fact '7' is 'pending', not 'verified': refused\n"
        "  hint: it is still being checked; verify it at the desk first"
    )
    # the API's own record of the refusals: codes, no words in any language
    refused = [e for e in controller.store.events("referendum") if e.action == "refused"]
    assert [e.detail["code"] for e in refused] == ["graphic_refused"] * 3


def test_the_refusal_travels_as_a_msg_and_the_event_log_stays_english(
    controllers, clock, show, tmp_path, store_path
) -> None:
    fact = {}
    while fact.get("id") != "7":  # the show's fact card names fact 7
        fact = verified_fact(store_path, clock)
    facts = GraphicsFacts(open_desk(store_path), date(2026, 3, 15))
    controller = controllers(clock=clock, rundown=show, graphics=gate(tmp_path, facts))
    controller.take("open")
    controller.graphic_take(1)  # verified: the fact card goes on air
    assert [g.template for g in controller.on_air_graphics] == ["fact-card"]

    retract(store_path, fact, clock)  # the desk retracts it
    with pytest.raises(ControlError) as caught:  # the preview, as the console asks for it
        controller.preview(1)
    reason = caught.value.params["reason"]
    assert isinstance(reason, Msg) and reason.render("kk").startswith("fact-card: '7' фактісі «кері қайтарылған»")
    assert reason.render("ru").startswith("fact-card: факт '7' — «отозван», а не «проверен»: отказано")
    assert str(reason) == (
        "fact-card: fact '7' is 'retracted', not 'verified': refused\n"
        "  hint: the desk retracted it; it must not be shown (take any graphic with it off air)"
    )

    assert controller.refresh() and controller.on_air_graphics == ()
    pulled = [e for e in controller.store.events("referendum") if e.action == "graphic_pulled"]
    assert [e.detail["reason"] for e in pulled] == [
        "F7 changed at the desk (now: Retracted): version 4 went on air, it is at version 5"
    ]
    stored = controller.store.db.execute("SELECT detail FROM event WHERE action = 'graphic_pulled'").fetchone()[0]
    assert "қайтарылған" not in stored and "отозван" not in stored


def test_plain_texts_and_broken_renderers_still_refuse_in_their_own_words() -> None:
    plain = GraphicRefused("fact-card: fact 7 is not verified")
    assert isinstance(plain.message, Msg)
    assert plain.message.render("kk") == str(plain) == "fact-card: fact 7 is not verified"

    def broken() -> Renderer:
        raise RuntimeError("templates folder is gone")

    with pytest.raises(GraphicRefused) as caught:
        RendererGraphics(factory=broken).render(REFUSED_FACT)
    assert str(caught.value) == "graphics are unavailable: templates folder is gone"
    assert caught.value.message.render("ru") == "графика недоступна: templates folder is gone"
    assert caught.value.message.render("kk") == "графика қолжетімсіз: templates folder is gone"


def test_a_broken_template_file_is_said_as_its_diagnostics_are() -> None:
    from studio.diagnostics import Diagnostic, DiagnosticsError
    from studio.onair import said

    error = DiagnosticsError([
        Diagnostic(Path("overlays/card.toml"), 3, 5, Msg("diag.template.id_twice"), Msg("diag.template.hint.id_twice")),
        Diagnostic(Path("overlays/card.toml"), 9, 0, Msg("diag.template.font_undeclared", ref="bold")),
        Diagnostic(Path("overlays/card.toml"), 12, 0, "a library's own words", "as they are"),
    ])
    for language in ("kk", "ru", "en"):
        assert said(error).render(language) == error.render(language)
    assert str(said(error)) == str(error)
