"""The gate: an unverified or retracted fact cannot be rendered through any public path.

Public paths: ``render`` / ``prepare`` (the pure API), ``Renderer.render`` and
``Renderer.cue`` (what the show calls, including its reuse of files already
on disk), and ``render_command`` (``studio render``).
"""

from __future__ import annotations

import io
from dataclasses import replace
from datetime import time
from pathlib import Path

import pytest

from studio.graphics import FactRefused, FactView, MemoryFacts, Renderer, prepare, render
from studio.graphics.cli import render_command
from studio.graphics.gate import FactSource, admit, turnout_board
from studio.regions import regions
from studio.rundown.model import GraphicCue

NOT_AIRABLE = ["new", "in_review", "unproven", "retracted", "pending", "disputed", "Verified", "verified ", ""]


def every_public_path(templates, overlays: Path, tmp_path: Path, facts, template: str, fact_id: str):
    """Try to put ``fact_id`` on air every way there is; return the refusals."""
    refusals: list[str] = []
    for attempt in (
        lambda: render(templates[template], {"fact": fact_id}, facts),
        lambda: prepare(templates[template], {"fact": fact_id}, facts),
        lambda: Renderer(overlays, tmp_path / "out", facts).render(template, {"fact": fact_id}),
        lambda: Renderer(overlays, tmp_path / "out", facts).cue(GraphicCue(template, {"fact": fact_id})),
    ):
        with pytest.raises(FactRefused) as caught:
            attempt()
        refusals.append(str(caught.value))
    err = io.StringIO()
    status = render_command(template, None, fact_id, tmp_path / "cli.png", facts, overlays=overlays,
                            stdout=io.StringIO(), stderr=err)
    assert status == 2
    refusals.append(err.getvalue())
    assert not (tmp_path / "cli.png").exists()
    assert not list((tmp_path / "out").glob("*.png")) if (tmp_path / "out").exists() else True
    return refusals


@pytest.mark.parametrize("status", NOT_AIRABLE)
def test_a_fact_that_is_not_verified_cannot_reach_a_fact_card_by_any_path(
    templates, overlays, tmp_path, national, status
) -> None:
    facts = MemoryFacts().add(replace(national, status=status))
    for refusal in every_public_path(templates, overlays, tmp_path, facts, "fact-card", national.id):
        assert f"fact '{national.id}' is {status!r}, not 'verified': refused" in refusal


def test_a_retracted_fact_is_refused_with_what_to_do(templates, national) -> None:
    facts = MemoryFacts().add(replace(national, status="retracted"))
    with pytest.raises(FactRefused) as caught:
        render(templates["fact-card"], {"fact": national.id}, facts)
    assert caught.value.fact_id == national.id
    assert "'retracted'" in str(caught.value) and "take any graphic with it off air" in caught.value.hint


def test_a_fact_retracted_after_it_was_rendered_is_not_reused_from_disk(templates, overlays, tmp_path, national) -> None:
    facts = MemoryFacts().add(national)
    renderer = Renderer(overlays, tmp_path / "out", facts)
    first = renderer.render("fact-card", {"fact": national.id})
    assert first.png.is_file()
    facts.add(replace(national, status="retracted"))
    with pytest.raises(FactRefused, match="'retracted'"):
        renderer.render("fact-card", {"fact": national.id})  # the file is on disk; the gate still runs first


@pytest.mark.parametrize("status", ["verified", "unproven", "in_review", "new"])
def test_a_debunk_card_needs_the_verdict_false_or_a_retraction(templates, overlays, tmp_path, false_claim,
                                                               status) -> None:
    facts = MemoryFacts().add(replace(false_claim, status=status))
    for refusal in every_public_path(templates, overlays, tmp_path, facts, "debunk-card", false_claim.id):
        assert f"is {status!r}, not 'false'" in refusal


def test_a_retracted_fact_airs_its_correction_on_a_debunk_card_never_as_a_fact(templates, false_claim) -> None:
    retracted = MemoryFacts().add(replace(false_claim, status="retracted"))
    debunk = render(templates["debunk-card"], {"fact": false_claim.id}, retracted)
    assert debunk.prepared.resolved.facts[0]["status"] == "retracted"
    assert false_claim.correction_ru in debunk.prepared.resolved.values.values()
    assert debunk.prepared.resolved.values["fact.verdict"] == "ТҮЗЕТУ · ПОПРАВКА"  # a correction, not a fake
    found_false = render(templates["debunk-card"], {"fact": false_claim.id}, MemoryFacts().add(false_claim))
    assert found_false.prepared.resolved.values["fact.verdict"] == "ЖАЛҒАН · НЕПРАВДА"
    with pytest.raises(FactRefused, match="'retracted'"):
        render(templates["fact-card"], {"fact": false_claim.id}, retracted)


def test_a_false_claim_cannot_be_shown_as_a_fact(templates, false_claim) -> None:
    with pytest.raises(FactRefused) as caught:
        render(templates["fact-card"], {"fact": false_claim.id}, MemoryFacts().add(false_claim))
    assert "use the debunk card" in caught.value.hint or "debunk card" in caught.value.hint


def test_verified_and_false_facts_render_with_provenance(templates, facts, national, false_claim) -> None:
    card = render(templates["fact-card"], {"fact": national.id}, facts)
    [record] = card.prepared.resolved.facts
    assert record["id"] == national.id and record["status"] == "verified" and record["verifier"] == national.verifier
    assert card.prepared.resolved.values["fact.as_of"] == "10:00"  # 05:00 UTC, shown in Almaty time
    assert card.prepared.resolved.values["fact.sources"] == "nur.kz"
    debunk = render(templates["debunk-card"], {"fact": false_claim.id}, facts)
    assert debunk.prepared.resolved.facts[0]["status"] == "false"


@pytest.mark.parametrize("missing", ["claim_kk", "claim_ru", "sources", "as_of"])
def test_an_incomplete_fact_is_refused(templates, national, missing) -> None:
    empty = {"claim_kk": "", "claim_ru": "", "sources": (), "as_of": None}[missing]
    facts = MemoryFacts().add(replace(national, **{missing: empty}))
    with pytest.raises(FactRefused, match=f"lacks {missing}"):
        render(templates["fact-card"], {"fact": national.id}, facts)


def test_a_debunk_without_the_truth_is_refused(templates, false_claim) -> None:
    facts = MemoryFacts().add(replace(false_claim, correction_ru=""))
    with pytest.raises(FactRefused, match="lacks correction_ru"):
        render(templates["debunk-card"], {"fact": false_claim.id}, facts)


def test_an_unknown_fact_and_no_store_are_refused(templates, facts) -> None:
    with pytest.raises(FactRefused, match="no fact 'f-999' in the verification store"):
        render(templates["fact-card"], {"fact": "f-999"}, facts)
    with pytest.raises(FactRefused, match="no verification store was given"):
        render(templates["fact-card"], {"fact": "f-101"})
    with pytest.raises(FactRefused, match="no verification store was given"):
        render(templates["turnout-board"], {"hour": "10:00"})


def test_a_store_that_answers_with_another_fact_is_refused(templates, national) -> None:
    class Wrong:
        def fact(self, fact_id: str) -> FactView | None:
            return national

        def turnout(self, hour: time) -> list[FactView]:
            return []

    assert isinstance(Wrong(), FactSource)
    with pytest.raises(FactRefused, match="the store returned 'f-101'"):
        render(templates["fact-card"], {"fact": "f-7"}, Wrong())


def test_a_claim_cannot_be_typed_into_a_fact_template(templates, facts) -> None:
    from studio.graphics import DataError

    with pytest.raises(DataError, match="is not a field"):
        render(templates["fact-card"], {"fact": "f-101", "claim_kk": "typed by hand"}, facts)


def test_hostile_text_stored_in_a_fact_is_refused_too(templates, national) -> None:
    from studio.graphics import TextRejected

    facts = MemoryFacts().add(replace(national, claim_ru="Явка \u202e19,21%"))
    with pytest.raises(TextRejected, match="U\\+202E"):
        render(templates["fact-card"], {"fact": national.id}, facts)


# --- turnout board ---------------------------------------------------------------


def board(facts, hour: str = "10:00"):
    return turnout_board("turnout-board", time.fromisoformat(hour), facts, regions())


def test_unverified_regional_figures_are_withheld_not_drawn(templates, facts, now) -> None:
    facts.add(replace(facts.fact("turnout-1000-almaty"), status="retracted"))
    facts.add(replace(facts.fact("turnout-1000-abai"), status="unproven"))
    rendered = render(templates["turnout-board"], {"hour": "10:00"}, facts, now=now)
    resolved = rendered.prepared.resolved
    shown = {row.region for row in resolved.boards["hour"].rows}
    assert "almaty" not in shown and "abai" not in shown and len(shown) == 18
    assert {(w["id"], w["status"]) for w in resolved.withheld} == {
        ("turnout-1000-almaty", "retracted"), ("turnout-1000-abai", "unproven")}
    assert resolved.values["hour.count"] == "18/20"
    assert all(f["status"] == "verified" for f in resolved.facts)


def test_the_board_is_refused_without_a_verified_national_figure(templates, facts, now) -> None:
    facts.add(replace(facts.fact("turnout-1000-national"), status="retracted"))
    with pytest.raises(FactRefused, match="the national figure for 10:00 is 'retracted'"):
        render(templates["turnout-board"], {"hour": "10:00"}, facts, now=now)
    with pytest.raises(FactRefused, match="the national figure for 13:00 is not in the store"):
        render(templates["turnout-board"], {"hour": "13:00"}, facts, now=now)


def test_two_verified_figures_for_one_region_are_a_conflict_not_a_choice(facts) -> None:
    other = replace(facts.fact("turnout-1000-astana"), id="turnout-1000-astana-b", value="20.86")
    facts.add(other)
    with pytest.raises(FactRefused, match="two verified turnout at 10:00 figures for astana") as caught:
        board(facts)
    assert "never picks" in caught.value.hint


@pytest.mark.parametrize(("value", "region"), [("19,21", "astana"), ("101", "astana"), ("NaN", "astana"),
                                                ("20", "almaty-city")])
def test_bad_turnout_values_and_regions_are_refused(facts, value, region) -> None:
    facts.add(replace(facts.fact("turnout-1000-astana"), value=value, region=region))
    with pytest.raises(FactRefused):
        board(facts)


def test_admit_requires_the_exact_status_strings() -> None:
    facts = MemoryFacts().add(FactView("x", "VERIFIED", "а", "а", sources=("s",)))
    with pytest.raises(FactRefused):
        admit("fact-card", "fact", "x", facts)
