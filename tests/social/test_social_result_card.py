"""The result card (issue 21 part 3): the verified national result on a social card, through the results
board's gate and refused for the board's reasons; the hour it is for (the hour the rundown cues the results
board); written from the desk and withdrawn by ``--watch`` when a line is retracted or held in a conflict."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.desk import rules
from studio.desk.demo import VERIFIER
from studio.desk.model import Claim, ReportKind, Status
from studio.desk.results import RESULT, import_results
from studio.graphics import load_templates, render
from studio.graphics.errors import FactRefused
from studio.graphics.gate import MemoryFacts
from studio.graphics.render import draw
from studio.paths import sample_rundown
from studio.rundown.load import load_rundown
from studio.rundown.model import GraphicCue
from studio.rundown.timing import plan
from studio.social.cards import Card, hour_cards
from studio.social.folder import WITHDRAWN, CardFolder, Outcome
from studio.social.sidecar import Sidecar
from studio.store.desk import DeskStore
from tests.graphics.conftest import OVERLAYS, RESULTS_CSV, results_facts

from .conftest import ZONE, social_run, watch_two_rounds
from .test_social_cards import BRANDING

LATER = datetime(2026, 3, 17, 7, 0, tzinfo=UTC)  # the final result was published on the 17th
FINAL = Card("result-final", "fact", "result", {"result": "final"})
PRELIMINARY = Card("result-preliminary", "fact", "result", {"result": "preliminary"})
RESULTS_CUE = '  { template = "results-board", data = { result = "preliminary" } },\n'


def with_line(line: str, **changes) -> MemoryFacts:
    """The sample's verified result with one line changed."""
    facts = MemoryFacts().add(*results_facts())
    return facts.add(replace(facts.facts[f"result-{line}"], **changes))


@pytest.fixture
def cards(tmp_path) -> CardFolder:
    return CardFolder(tmp_path / "hour", MemoryFacts().add(*results_facts()))


def test_the_result_card_against_its_golden_images(cards, golden) -> None:
    """Kazakh and Russian on one card: the final result in story and landscape (square: test_social_cards.py),
    the preliminary one square."""
    final = cards.prepare(FINAL, LATER)
    for shape in ("story", "landscape"):
        golden(draw(final[shape]).image, f"social-result-{shape}")
    golden(draw(cards.prepare(PRELIMINARY, LATER)["square"]).image, "social-result-preliminary-square")


def test_the_card_states_the_board_s_figures_in_both_languages(cards) -> None:
    values = cards.prepare(FINAL, LATER)["square"].resolved.values
    assert (values["result.yes_percent"], values["result.no_percent"]) == ("87,15%", "9,84%")
    assert values["result.stage_kk"] == "Түпкілікті нәтиже · сағат 11:00"
    assert values["result.stage_ru"] == "Окончательные итоги · на 11:00"
    assert values["result.turnout_ru"] == "73,12% · проголосовали 9\u202f127\u202f192"
    assert (values["result.sources_kk"], values["result.sources_ru"]) == ("Дереккөз: interfax.ru", "Источник: interfax.ru")


@pytest.mark.parametrize("changed", [
    {"line": "yes", "status": "in_review"},
    {"line": "no", "status": "conflict", "conflict": "C4: 898099 interfax.ru · 898990 tengrinews.kz"},
    {"line": "took_part", "status": "retracted"},  # ruled out: the line is missing
    {"line": "invalid", "value": "146000"},  # does not add up: the sums in the reason
    {"line": "yes", "status": "verified", "sources": ()},
])
def test_refused_by_the_results_board_s_gate_for_its_reasons(tmp_path, changed) -> None:
    facts = with_line(**changed)
    board = load_templates(OVERLAYS)["results-board"]
    with pytest.raises(FactRefused) as on_air:
        render(board, {"result": "final"}, facts)
    for shape in ("square", "story", "landscape"):
        with pytest.raises(FactRefused) as card:
            CardFolder(tmp_path, facts).prepare(FINAL, LATER)
        assert card.value.reason == on_air.value.reason and card.value.fact_id == on_air.value.fact_id, shape


def test_an_hour_has_a_result_card_when_its_segments_cue_the_results_board() -> None:
    """The producer cues the board with the stage the commission published: that hour's folder gets the card
    of that stage, the hour before does not."""
    rundown = load_rundown(sample_rundown())
    cued = replace(rundown.get("results-prelim"), graphics=(GraphicCue("results-board", {"result": "preliminary"}),))
    rundown = replace(rundown, segments=tuple(cued if s.id == cued.id else s for s in rundown.segments))
    start = next(slot.start for slot in plan(rundown) if slot.segment.id == "results-prelim").astimezone(ZONE)
    hour = start.replace(minute=0, second=0, microsecond=0)
    names = [card.name for card in hour_cards(rundown, hour, BRANDING)]
    assert names.count("result-preliminary") == 1
    assert next(c for c in hour_cards(rundown, hour, BRANDING) if c.name == "result-preliminary").data == {
        "result": "preliminary"}
    earlier = hour.replace(hour=hour.hour - 1)
    assert not [c for c in hour_cards(rundown, earlier, BRANDING) if c.design == "result"]


def test_a_line_held_in_a_conflict_or_retracted_withdraws_the_card_naming_it(tmp_path) -> None:
    facts = MemoryFacts().add(*results_facts())
    cards = CardFolder(tmp_path / "hour", facts)
    assert cards.sync([FINAL], LATER).written == ["result-final"]
    facts.add(replace(facts.facts["result-no"], status="conflict", conflict="C4: 898099 · 898990"))
    assert cards.sync([FINAL], LATER).withdrawn == ["result-final"]
    held = Sidecar.read(cards.folder / WITHDRAWN / "result-final.json").withdrawn
    assert held is not None and held.fact == "result-no" and "result-no" in held.reason
    facts.add(replace(facts.facts["result-no"], status="verified"))  # settled: the card is back
    assert cards.sync([FINAL], LATER).written == ["result-final"]
    facts.add(replace(facts.facts["result-took_part"], status="retracted", version=4))
    assert cards.sync([FINAL], LATER).withdrawn == ["result-final"]
    retracted = Sidecar.read(cards.folder / WITHDRAWN / "result-final~2.json").withdrawn
    assert retracted is not None and retracted.fact == "result-took_part"  # the board names no fact: the card does


def import_and_verify_results(desk: DeskStore) -> list[int]:
    """The final result imported (studio import-results) and each line verified by a second person."""
    import_results(desk, RESULTS_CSV, operator="Асқар Бекмұхамбетов", now=lambda: LATER)
    lines = [f for f in desk.facts(status=Status.IN_REVIEW, kind=ReportKind.OTHER) if f.details.get(RESULT)]
    for fact in lines:
        desk.change(fact.id, fact.version, rules.Verify(), by=VERIFIER, at=LATER)
    return [fact.id for fact in lines]


def cued_rundown(folder: Path) -> Path:
    """The sample rundown with the results board cued in its results segment (23:00)."""
    text = sample_rundown().read_text(encoding="utf-8")
    at = text.index("graphics = [\n", text.index('id = "results-prelim"')) + len("graphics = [\n")
    path = folder / "referendum-day.toml"
    (folder / "media").symlink_to(sample_rundown().parent / "media")  # the clips, beside it as in the sample
    path.write_text(text[:at] + RESULTS_CUE + text[at:], encoding="utf-8")
    return path


def test_watch_writes_the_result_card_from_the_desk_and_withdraws_it_on_retraction(tmp_path, sample_desk) -> None:
    path, desk = sample_desk
    lines = import_and_verify_results(desk)
    run, _, stderr = social_run(path, tmp_path / "social", 23, clock=lambda: LATER)
    run.rundown_path = cued_rundown(tmp_path)
    retracted: list[int] = []

    def retract_yes(first: Outcome) -> None:
        assert "result-preliminary" in first.written, stderr.getvalue()
        yes = next(desk.get(i) for i in lines if desk.get(i).details[RESULT] == "yes")
        desk.change(yes.id, yes.version, rules.Retract(Claim(kk="Қате сан", ru="Неверная цифра")), by=VERIFIER,
                    at=LATER)
        retracted.append(yes.id)

    _, second = watch_two_rounds(run, retract_yes)
    assert second.withdrawn == ["result-preliminary"]
    folder = tmp_path / "social" / "referendum-2026" / "2026-03-15T23"
    written = Sidecar.read(folder / WITHDRAWN / "result-preliminary.json")
    assert {f.id for f in written.facts} == {str(i) for i in lines} and all(f.sources for f in written.facts)
    assert written.caption.index("Дереккөз") < written.caption.index("Источник")
    assert written.withdrawn is not None and written.withdrawn.fact == str(retracted[0])
    assert not list(folder.glob("result-preliminary*"))
