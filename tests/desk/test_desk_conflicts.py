"""Conflicting figures (issue 19 part 3): the one definition (figures from different sources that
disagree beyond the rounding of the less precise one), the conflict the store opens and holds, and
its settlement by two people: one value stands and the others become false, or all are unproven."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime, timedelta
from decimal import ROUND_HALF_DOWN, ROUND_HALF_EVEN, ROUND_HALF_UP, Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.desk import rules
from studio.desk.model import Claim, Draft, Outcome, ReportKind, Source, SourceKind, Status
from studio.desk.rules import RuleError

TEN = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)  # 10:00 in Almaty
NUR = "https://www.nur.kz/politics/kazakhstan/2354058-referendum"
TENGRI = "https://tengrinews.kz/kazakhstan_news/yavka-10-00"


def consistent(first: str, second: str) -> bool:
    return rules.consistent(Decimal(first), Decimal(second))


# --- the definition -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("first", "second", "agree"),
    [
        ("64", "64.12", True),  # 64.12 printed without decimals is 64
        ("20.68", "20.86", False),
        ("72.39", "72.3", False),  # 72.39 to one decimal is 72.4
        ("72.34", "72.3", True),
        ("64.5", "64", True),  # either way of rounding a half: not a disagreement
        ("64.51", "64", False),
        ("19.21", "19.21", True),
        ("19.20", "19.2", True),
        ("70", "71", False),
    ],
)
def test_figures_agree_within_the_rounding_of_the_less_precise_one(first: str, second: str, agree: bool) -> None:
    assert consistent(first, second) is agree
    assert consistent(second, first) is agree


figures = st.decimals(min_value=0, max_value=100, places=3, allow_nan=False, allow_infinity=False)


@given(value=figures, places=st.integers(0, 2), rounding=st.sampled_from([ROUND_HALF_UP, ROUND_HALF_EVEN,
                                                                             ROUND_HALF_DOWN]))
def test_a_figure_agrees_with_itself_rounded_any_way(value: Decimal, places: int, rounding: str) -> None:
    printed = value.quantize(Decimal(1).scaleb(-places), rounding=rounding)
    assert rules.consistent(value, printed) and rules.consistent(printed, value)


@given(value=figures, places=st.integers(0, 2), steps=st.integers(1, 500).flatmap(lambda n: st.sampled_from([n, -n])))
def test_a_figure_off_by_a_printed_unit_or_more_disagrees(value: Decimal, places: int, steps: int) -> None:
    unit = Decimal(1).scaleb(-places)
    printed = value.quantize(unit, rounding=ROUND_HALF_UP)
    other = printed + steps * unit  # another number as printed at that precision: never this one, rounded
    assert not rules.consistent(printed, other)
    if abs(value - printed) < unit / 2:  # not a half exactly: then the unrounded figure disagrees too
        assert not rules.consistent(value, other)


@given(first=figures, second=figures)
def test_at_one_precision_only_equal_figures_agree(first: Decimal, second: Decimal) -> None:
    first, second = first.quantize(Decimal("0.01")), second.quantize(Decimal("0.01"))
    assert rules.consistent(first, second) is (first == second)
    assert rules.consistent(first, second) is rules.consistent(second, first)


def figure(fact_id: int, value: str, reference: str = NUR, *, status: Status = Status.IN_REVIEW, **content):
    draft = Draft(ReportKind.TURNOUT, Claim(ru=f"явка {value}"), content.pop("region", "astana"),
                  content.pop("station", None), Decimal(value), content.pop("as_of", TEN), **content)
    made = rules.create(draft, by="dana", at=TEN, sources=[Source(fact_id, SourceKind.MEDIA, reference, "outlet")])
    return replace(made.after, id=fact_id, status=status)


def test_figures_conflict_only_from_different_sources_for_one_measure_while_live() -> None:
    astana = figure(1, "20.68")
    assert rules.conflicting(astana, figure(2, "20.86", TENGRI))
    assert not rules.conflicting(astana, figure(2, "20.7", TENGRI))  # agrees: 20.68 printed with one decimal
    assert not rules.conflicting(astana, replace(figure(2, "20.86"), sources=astana.sources))  # one source's slip
    assert rules.disagree(astana, replace(figure(2, "20.86"), sources=astana.sources))  # ... still a disagreement
    assert not rules.conflicting(astana, figure(2, "20.86", TENGRI, region="almaty"))
    assert not rules.conflicting(astana, figure(2, "20.86", TENGRI, as_of=TEN + timedelta(hours=2)))
    assert not rules.conflicting(astana, figure(2, "20.86", TENGRI, detail=(("result", "yes"),)))
    for status in (Status.FALSE, Status.UNPROVEN, Status.RETRACTED):
        assert not rules.conflicting(astana, figure(2, "20.86", TENGRI, status=status))
    for status in rules.LIVE:
        assert rules.conflicting(astana, figure(2, "20.86", TENGRI, status=status))


# --- the store: opened, held, settled by two people -----------------------------------------------


@pytest.fixture
def outlets(desk, tick):
    """Astana at 10:00 as two outlets printed it, each its own fact in review (imported by dana)."""
    def make(value: str, reference: str):
        source = desk.add_source(SourceKind.MEDIA, reference, by="dana", at=tick())
        draft = Draft(ReportKind.TURNOUT, Claim(ru=f"Астана: явка на 10:00 — {value}%"), "astana", None,
                      Decimal(value), TEN)
        fact = desk.create_fact(draft, by="dana", at=tick(), source_ids=[source.id])
        return desk.change(fact.id, fact.version, rules.StartReview(), by="dana", at=tick())

    return make


def test_two_outlets_that_disagree_open_one_conflict_that_holds_both(desk, outlets, tick) -> None:
    nur = outlets("20.68", NUR)
    assert desk.conflicts() == []
    tengri = outlets("20.86", TENGRI)
    [conflict] = desk.conflicts(open_only=True)
    assert conflict.fact_ids == (nur.id, tengri.id) and conflict.opened_by == "dana"
    assert [(f.value, f.sources[0].reference) for f in conflict.figures] == [(Decimal("20.68"), NUR),
                                                                             (Decimal("20.86"), TENGRI)]
    assert [i.status for i in desk.listing(region="astana")] == ["conflict", "conflict"]
    assert desk.conflict_holding(nur.id) == desk.conflict_holding(tengri.id) == conflict
    with pytest.raises(RuleError, match=r"fact #1 is held in conflict C1 with F2 20\.86"):
        desk.change(nur.id, nur.version, rules.Verify(), by="bolat", at=tick())
    with pytest.raises(RuleError, match="held in conflict C1"):
        desk.change(tengri.id, tengri.version, rules.MarkFalse("a typo"), by="bolat", at=tick())
    third = outlets("20.7", "https://kursiv.media/yavka")  # agrees with 20.68, not with 20.86: joins
    assert desk.conflict(conflict.id).fact_ids == (nur.id, tengri.id, third.id)
    assert len(desk.conflicts()) == 1


def test_one_chooses_a_value_with_a_reason_a_second_confirms_the_other_becomes_false(desk, outlets, tick) -> None:
    nur, tengri = outlets("20.68", NUR), outlets("20.86", TENGRI)
    conflict = desk.conflicts()[0]
    with pytest.raises(RuleError, match="needs a reason"):
        desk.propose_settlement(conflict.id, Outcome.CHOSEN, nur.id, why=" ", by="aigerim", at=tick())
    with pytest.raises(RuleError, match="no settlement proposed"):
        desk.confirm_settlement(conflict.id, by="bolat", at=tick())
    why = "the commission's own publication wins over reprints"
    proposed = desk.propose_settlement(conflict.id, Outcome.CHOSEN, nur.id, why=why, by="aigerim", at=tick())
    assert proposed.open and proposed.proposal.chosen == nur.id and proposed.proposal.by == "aigerim"
    with pytest.raises(RuleError, match="four eyes"):
        desk.confirm_settlement(conflict.id, by="aigerim [not signed in]", at=tick())
    settled = desk.confirm_settlement(conflict.id, by="bolat", at=tick())
    assert not settled.open and (settled.confirmed_by, settled.proposal.why) == ("bolat", why)
    loser, winner = desk.get(tengri.id), desk.get(nur.id)
    assert loser.status is Status.FALSE and loser.correction == winner.claim and loser.verified_by == "bolat"
    assert desk.audit(loser.id)[-1].action == "settle" and why in desk.audit(loser.id)[-1].why
    assert winner.status is Status.IN_REVIEW and winner.version == nur.version  # it goes on to its own verdict
    assert desk.held_ids() == frozenset() and desk.listing_status(winner) == "in_review"
    assert [step["action"] for step in desk.conflict_log(conflict.id)] == [
        "opened", "joined", "joined", "proposed", "confirmed"]
    with pytest.raises(RuleError, match="already settled"):
        desk.propose_settlement(conflict.id, Outcome.UNPROVEN, why="again", by="aigerim", at=tick())
    reopened = desk.change(loser.id, loser.version, rules.Reopen("the outlet insists"), by="dana", at=tick())
    assert desk.conflict_holding(reopened.id) is not None and desk.conflict_holding(reopened.id).id != conflict.id  # a new conflict


def test_both_unproven_and_never_an_average(desk, outlets, tick) -> None:
    nur, tengri = outlets("20.68", NUR), outlets("20.86", TENGRI)
    conflict = desk.conflicts()[0]
    with pytest.raises(RuleError, match="not a figure of conflict C1"):
        desk.propose_settlement(conflict.id, Outcome.CHOSEN, 99, why="the mean, 20.77", by="aigerim", at=tick())
    desk.propose_settlement(conflict.id, Outcome.UNPROVEN, why="no official page yet", by="aigerim", at=tick())
    desk.confirm_settlement(conflict.id, by="bolat", at=tick())
    assert {desk.get(f.id).status for f in (nur, tengri)} == {Status.UNPROVEN}
    assert {desk.get(f.id).value for f in (nur, tengri)} == {Decimal("20.68"), Decimal("20.86")}


def test_a_figure_that_joins_or_changes_after_the_proposal_voids_it(desk, outlets, tick) -> None:
    nur, _ = outlets("20.68", NUR), outlets("20.86", TENGRI)
    conflict = desk.conflicts()[0]
    desk.propose_settlement(conflict.id, Outcome.CHOSEN, nur.id, why="the commission", by="aigerim", at=tick())
    outlets("21.9", "https://kursiv.media/yavka")
    assert desk.conflict(conflict.id).proposal is None
    desk.propose_settlement(conflict.id, Outcome.CHOSEN, nur.id, why="the commission", by="aigerim", at=tick())
    desk.change(nur.id, nur.version, rules.Edit({"claim": Claim(ru="Астана: 20,68%")}, "wording"), by="dana",
                at=tick())
    with pytest.raises(RuleError, match="changed since"):
        desk.confirm_settlement(conflict.id, by="bolat", at=tick())
    assert desk.conflict(conflict.id).open


def test_a_verified_figure_is_held_when_another_source_disagrees_and_can_still_be_retracted(
    desk, outlets, tick
) -> None:
    page = desk.add_source(None, "https://www.election.gov.kz/rus/news/1000", by="dana", at=tick())
    nur = outlets("20.68", NUR)
    nur = desk.attach_source(nur.id, nur.version, page.id, by="dana", at=tick())
    verified = desk.change(nur.id, nur.version, rules.Verify(), by="bolat", at=tick())
    assert desk.listing_status(verified) == "verified"
    outlets("20.86", TENGRI)
    assert desk.listing_status(desk.get(verified.id)) == "conflict"
    correction = rules.Retract(Claim(ru="Явка в Астане уточняется"), "two outlets disagree")
    assert desk.change(verified.id, verified.version, correction, by="dana", at=tick()).status is Status.RETRACTED


# --- what graphics see -------------------------------------------------------------------------


def test_graphics_see_both_figures_held_and_the_board_says_so(desk, outlets, tick) -> None:
    from studio.desk.views import GraphicsFacts
    from studio.graphics import load_templates, render
    from studio.graphics.errors import FactRefused
    from studio.paths import shipped

    page = desk.add_source(None, "https://www.election.gov.kz/rus/news/1000", by="dana", at=tick())
    national = desk.create_fact(Draft(ReportKind.TURNOUT, Claim(ru="явка 19,21%"), None, None, Decimal("19.21"), TEN),
                                by="dana", at=tick(), source_ids=[page.id])
    national = desk.change(national.id, national.version, rules.StartReview(), by="dana", at=tick())
    desk.change(national.id, national.version, rules.Verify(), by="bolat", at=tick())
    nur, tengri = outlets("20.68", NUR), outlets("20.86", TENGRI)
    facts = GraphicsFacts(desk, TEN.date())
    assert {facts.fact(str(f.id)).status for f in (nur, tengri)} == {"conflict"}
    assert facts.fact(str(nur.id)).conflict == "C1: F2 20.68 nur.kz · F3 20.86 tengrinews.kz"
    templates = load_templates(shipped("overlays"))
    with pytest.raises(FactRefused, match="sources disagree \\(C1: F2 20.68 nur.kz"):
        render(templates["fact-card"], {"fact": str(tengri.id)}, facts)
    board = render(templates["turnout-board"], {"hour": "10:00", "language": "ru"}, facts).prepared.resolved
    assert board.boards["hour"].held == ("astana",) and board.boards["hour"].rows == ()
    assert board.values["hour.coverage"].startswith("Регионы: 0 из 20 · задержаны, источники расходятся: Астана")
    assert {f["id"] for f in board.facts} == {str(national.id)}  # the board states neither Astana figure


# --- recorded ----------------------------------------------------------------------------------


def test_the_provenance_export_shows_every_conflict_and_how_it_was_settled(desk, outlets, tick) -> None:
    import csv
    import io
    import json

    from studio.desk.provenance import export

    nur, tengri = outlets("20.68", NUR), outlets("20.86", TENGRI)
    conflict = desk.conflicts()[0]
    open_now = json.loads(export(desk, "json"))
    assert [r["fact_id"] for r in open_now] == [nur.id, tengri.id]  # never verified, never aired: in a conflict
    assert open_now[0]["conflicts"][0]["open"] and open_now[0]["conflicts"][0]["settlement"] is None
    why = "the commission's own publication wins over reprints"
    desk.propose_settlement(conflict.id, Outcome.CHOSEN, nur.id, why=why, by="aigerim", at=tick())
    desk.confirm_settlement(conflict.id, by="bolat", at=tick())

    [record] = {json.dumps(c, sort_keys=True) for r in json.loads(export(desk, "json")) for c in r["conflicts"]}
    record = json.loads(record)
    assert record["conflict"] == "C1" and record["opened_by"] == "dana" and not record["open"]
    assert record["measure"] == {"kind": "turnout", "region": "astana", "station": None,
                                 "as_of": "2026-03-15T05:00:00+00:00", "line": None}
    assert [(f["fact"], f["value"], f["sources"][0]["reference"]) for f in record["figures"]] == [
        (f"F{nur.id}", "20.68", NUR), (f"F{tengri.id}", "20.86", TENGRI)]
    settlement = record["settlement"]
    assert (settlement["outcome"], settlement["stands"], settlement["why"]) == ("chosen", f"F{nur.id}", why)
    assert (settlement["proposed_by"], settlement["confirmed_by"]) == ("aigerim", "bolat")
    assert settlement["proposed_at"] < settlement["confirmed_at"]
    assert [step["action"] for step in record["log"]] == ["opened", "joined", "joined", "proposed", "confirmed"]

    rows = list(csv.DictReader(io.StringIO(export(desk, "csv"))))
    assert rows[1]["conflicts"] == (
        f"C1 F{nur.id} 20.68 (nur.kz) vs F{tengri.id} 20.86 (tengrinews.kz): F{nur.id} stands, {why}; "
        f"proposed by aigerim at {settlement['proposed_at']}, confirmed by bolat at {settlement['confirmed_at']}")


def test_an_import_warns_only_of_figures_that_disagree_beyond_rounding(desk, tmp_path) -> None:
    from studio.desk.turnout import import_turnout

    path = tmp_path / "outlets.csv"
    path.write_text("local_time,region,turnout_percent,voters,registered,source\n"
                    f"2026-03-15T10:00+05:00,astana,20.68,,,{NUR}\n"
                    "2026-03-15T10:00+05:00,astana,20.7,,,https://kursiv.media/yavka\n"
                    f"2026-03-15T10:00+05:00,astana,20.86,,,{TENGRI}\n", "utf-8")
    summary = import_turnout(desk, path, operator="dana", now=lambda: TEN)
    assert summary.added == 3
    assert [w.line for w in summary.warnings] == [4, 4]  # 20.86 against 20.68 and 20.7; 20.7 agrees with 20.68
    [conflict] = desk.conflicts()
    assert [str(f.value) for f in conflict.figures] == ["20.68", "20.7", "20.86"]
