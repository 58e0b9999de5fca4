"""The verification rules by example: four eyes, enough independent sources,
edits send a verified fact back to review, retractions carry a correction."""

from __future__ import annotations

from datetime import UTC, datetime
from decimal import Decimal

import pytest

from studio.desk import rules
from studio.desk.model import Claim, Draft, ReportKind, SourceKind, Status
from studio.desk.rules import RuleError

OFFICIAL, OBSERVER, MEDIA, SOCIAL = SourceKind.OFFICIAL, SourceKind.OBSERVER, SourceKind.MEDIA, SourceKind.SOCIAL


def test_the_creator_cannot_verify_their_own_fact(desk, new_fact, source, tick) -> None:
    fact = new_fact(by="aigerim", sources=[source(OFFICIAL, "commission")])
    with pytest.raises(RuleError, match="four eyes") as refused:
        desk.change(fact.id, fact.version, rules.Verify(), by="aigerim", at=tick())
    assert refused.value.code == "fact.four_eyes"
    assert desk.get(fact.id) == fact  # nothing changed
    verified = desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    assert (verified.status, verified.verified_by, verified.airable) == (Status.VERIFIED, "bolat", True)


def test_one_observer_source_is_not_enough(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OBSERVER, "obs-1")])
    with pytest.raises(RuleError, match="one official source or two independent ones") as refused:
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    assert refused.value.code == "fact.sources"


def test_two_different_observers_are_enough(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OBSERVER, "obs-1"), source(OBSERVER, "obs-2")])
    assert desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick()).status is Status.VERIFIED


def test_two_reports_of_the_same_observer_are_one_origin(desk, new_fact, report, tick) -> None:
    same = [report("obs-1"), report("obs-1", "Вбросы на участке 12, видел сам")]
    fact = new_fact(reports=same)
    with pytest.raises(RuleError, match="1 independent origin"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    # spelling and case do not make one observer two
    other = report("OBS-1 ")
    fact = desk.link_reports(fact.id, fact.version, [other.id], by="bolat", at=tick())
    with pytest.raises(RuleError, match="1 independent origin"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    second = report("obs-2")
    fact = desk.link_reports(fact.id, fact.version, [second.id], by="bolat", at=tick())
    assert desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick()).status is Status.VERIFIED


def test_a_report_and_an_observer_source_of_one_observer_are_one_origin(desk, new_fact, report, source, tick) -> None:
    fact = new_fact(reports=[report("obs-1")], sources=[source(OBSERVER, "obs-1", "call at 10:05")])
    with pytest.raises(RuleError, match="two independent ones"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())


def test_one_official_source_is_enough(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OFFICIAL, "election commission")])
    assert desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick()).status is Status.VERIFIED


def test_two_media_organisations_count_but_social_media_never_does(desk, new_fact, source, tick) -> None:
    rumours = [source(SOCIAL, "@someone"), source(SOCIAL, "@someone-else"), source(SOCIAL, "@third")]
    fact = new_fact(sources=[*rumours, source(MEDIA, "tengrinews.kz")])
    with pytest.raises(RuleError, match="two independent ones"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    fact = desk.attach_source(fact.id, fact.version, source(MEDIA, "nur.kz").id, by="bolat", at=tick())
    assert desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick()).status is Status.VERIFIED


def test_two_articles_of_one_outlet_are_one_origin(desk, new_fact, source, tick) -> None:
    fact = new_fact(
        sources=[
            desk.add_source(MEDIA, "https://www.nur.kz/a", by="d", at=tick()),
            desk.add_source(MEDIA, "https://nur.kz/b", by="d", at=tick()),
        ]
    )
    assert {s.origin for s in fact.sources} == {"nur.kz"}
    with pytest.raises(RuleError, match="two independent ones"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())


def test_editing_a_verified_fact_sends_it_back_to_review(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OFFICIAL, "commission")])
    fact = desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    edited = desk.change(
        fact.id, fact.version, rules.Edit({"claim": Claim(ru="На участке 12 вброс")}, "shorter"), by="bolat", at=tick()
    )
    assert (edited.status, edited.verified_by, edited.airable) == (Status.IN_REVIEW, None, False)
    # bolat now wrote part of it: a third person verifies
    assert edited.editors == ("bolat",)
    with pytest.raises(RuleError, match="four eyes"):
        desk.change(edited.id, edited.version, rules.Verify(), by="bolat", at=tick())
    with pytest.raises(RuleError, match="four eyes"):
        desk.change(edited.id, edited.version, rules.Verify(), by="aigerim", at=tick())
    assert desk.change(edited.id, edited.version, rules.Verify(), by="dana", at=tick()).status is Status.VERIFIED


def test_an_edit_that_changes_nothing_is_refused(desk, new_fact, tick) -> None:
    fact = new_fact()
    with pytest.raises(RuleError, match="changes nothing"):
        desk.change(fact.id, fact.version, rules.Edit({"station": 12}, "same"), by="bolat", at=tick())
    with pytest.raises(RuleError, match="needs a reason"):
        desk.change(fact.id, fact.version, rules.Edit({"station": 13}, "  "), by="bolat", at=tick())
    with pytest.raises(RuleError, match="cannot edit status"):
        desk.change(fact.id, fact.version, rules.Edit({"status": Status.VERIFIED}, "sneak"), by="bolat", at=tick())


def test_taking_evidence_from_a_verified_fact_sends_it_back_to_review(desk, new_fact, source, tick) -> None:
    official = source(OFFICIAL, "commission")
    fact = new_fact(sources=[official])
    fact = desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    fact = desk.change(fact.id, fact.version, rules.DetachSource(official.id, "wrong link"), by="bolat", at=tick())
    assert fact.status is Status.IN_REVIEW and fact.sources == ()


def test_a_retraction_needs_its_correction_text(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OFFICIAL, "commission")])
    fact = desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    with pytest.raises(RuleError, match="correction text") as refused:
        desk.change(fact.id, fact.version, rules.Retract(Claim(ru="   ")), by="bolat", at=tick())
    assert refused.value.code == "fact.correction"
    # anyone may retract, the creator too: pulling a wrong fact never waits
    retracted = desk.change(fact.id, fact.version, rules.Retract(Claim(ru="Вбросов не было")), by="aigerim", at=tick())
    assert (retracted.status, retracted.correction, retracted.airable) == (
        Status.RETRACTED, Claim(ru="Вбросов не было"), False)
    assert desk.audit(fact.id)[-1].why == "Вбросов не было"


def test_a_retracted_fact_returns_to_verified_only_through_review(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OFFICIAL, "commission")])
    fact = desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())
    fact = desk.change(fact.id, fact.version, rules.Retract(Claim(ru="wrong station")), by="bolat", at=tick())
    with pytest.raises(RuleError, match="it is retracted, not in_review"):
        desk.change(fact.id, fact.version, rules.Verify(), by="dana", at=tick())
    with pytest.raises(RuleError, match="needs a reason"):
        desk.change(fact.id, fact.version, rules.Reopen(""), by="dana", at=tick())
    fact = desk.change(fact.id, fact.version, rules.Reopen("new evidence"), by="dana", at=tick())
    assert fact.status is Status.IN_REVIEW
    assert desk.change(fact.id, fact.version, rules.Verify(), by="dana", at=tick()).status is Status.VERIFIED


def test_false_and_unproven_are_verdicts_with_four_eyes_and_a_reason(desk, new_fact, tick) -> None:
    fact = new_fact()
    with pytest.raises(RuleError, match="four eyes"):
        desk.change(fact.id, fact.version, rules.MarkFalse("photo is from 2019"), by="aigerim", at=tick())
    with pytest.raises(RuleError, match="needs a reason"):
        desk.change(fact.id, fact.version, rules.MarkFalse(""), by="bolat", at=tick())
    what_is_true = Claim(kk="Сурет 2019 жылғы", ru="Фото 2019 года")
    false = desk.change(fact.id, fact.version, rules.MarkFalse("photo is from 2019", what_is_true), by="bolat",
                        at=tick())
    assert (false.status, false.verified_by, false.correction, false.decided) == (
        Status.FALSE, "bolat", what_is_true, True)
    with pytest.raises(RuleError, match="cannot retract"):
        desk.change(false.id, false.version, rules.Retract(Claim(ru="x")), by="bolat", at=tick())
    other = new_fact()
    assert desk.change(other.id, other.version, rules.MarkUnproven("no one else saw it"), by="dana", at=tick()).status \
        is Status.UNPROVEN


def test_a_new_fact_must_be_taken_into_review_first(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OFFICIAL, "commission")], review=False)
    assert fact.status is Status.NEW
    with pytest.raises(RuleError, match="it is new, not in_review"):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=tick())


def test_two_verified_turnout_figures_for_one_place_and_hour_cannot_both_stand(desk, new_fact, source, tick) -> None:
    hour = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
    official = source(OFFICIAL, "commission")
    turnout = {"kind": ReportKind.TURNOUT, "station": None, "claim": Claim(ru="явка"), "as_of": hour}
    first = new_fact(sources=[official], value=Decimal("20.68"), **turnout)
    first = desk.change(first.id, first.version, rules.Verify(), by="bolat", at=tick())
    second = new_fact(sources=[official], value=Decimal("20.86"), **turnout)
    with pytest.raises(RuleError, match=f"fact #{first.id} is verified with 20.68") as refused:
        desk.change(second.id, second.version, rules.Verify(), by="bolat", at=tick())
    assert refused.value.code == "fact.rival"
    desk.change(first.id, first.version, rules.Retract(Claim(ru="the figure was 20.86")), by="bolat", at=tick())
    assert desk.change(second.id, second.version, rules.Verify(), by="bolat", at=tick()).status is Status.VERIFIED
    # the same figure for another region is no rival
    third = new_fact(sources=[official], value=Decimal("9.54"), **turnout | {"region": "almaty"})
    assert desk.change(third.id, third.version, rules.Verify(), by="bolat", at=tick()).status is Status.VERIFIED


def test_content_is_checked_when_created_and_edited(desk, new_fact, tick) -> None:
    with pytest.raises(RuleError, match="claim in Kazakh or Russian"):
        new_fact(claim=Claim(kk=" ", ru=""))
    with pytest.raises(RuleError, match="unknown region 'almaty-city'"):
        new_fact(region="almaty-city")
    with pytest.raises(RuleError, match="between 0 and 100"):
        new_fact(kind=ReportKind.TURNOUT, value=Decimal("101"))
    with pytest.raises(RuleError, match="station must be a positive number"):
        new_fact(station=0)
    with pytest.raises(RuleError, match="aware instant"):
        new_fact(as_of=datetime(2026, 3, 15, 10))
    fact = new_fact(claim=Claim(kk="Учаскеде бюллетень салу", ru=""))
    assert fact.claim.text("ru") == "Учаскеде бюллетень салу"  # falls back to the other language


def test_every_change_is_audited_with_who_when_why_before_and_after(desk, new_fact, source, tick) -> None:
    fact = new_fact(sources=[source(OFFICIAL, "commission")])
    verified = desk.change(fact.id, fact.version, rules.Verify("checked on the commission's site"), by="bolat",
                           at=tick())
    entries = desk.audit(fact.id)
    assert [(e.version, e.action, e.who) for e in entries] == [
        (1, "create", "aigerim"),
        (2, "start_review", "aigerim"),
        (3, "verify", "bolat"),
    ]
    assert entries[0].before is None
    assert entries[-1].why == "checked on the commission's site"
    assert entries[-1].at == verified.updated_at
    assert (entries[-1].before["status"], entries[-1].after["status"]) == ("in_review", "verified")
    assert entries[-1].after == verified.snapshot()
    assert all(a.after == b.before for a, b in zip(entries, entries[1:]))


def test_a_change_needs_a_name_and_an_aware_time(desk, new_fact, tick) -> None:
    fact = new_fact()
    with pytest.raises(RuleError, match="name of who"):
        desk.change(fact.id, fact.version, rules.MarkUnproven("x"), by=" ", at=tick())
    with pytest.raises(RuleError, match="aware instant"):
        desk.change(fact.id, fact.version, rules.MarkUnproven("x"), by="bolat", at=datetime(2026, 3, 15))


def test_the_pure_rules_need_no_store() -> None:
    at = datetime(2026, 3, 15, 5, tzinfo=UTC)
    created = rules.create(Draft(ReportKind.QUEUE, Claim(kk="Кезек")), by="aigerim", at=at).after
    review = rules.apply(created, rules.StartReview(), by="aigerim", at=at).after
    blockers = rules.verify_blockers(review, "aigerim")
    assert [b.code for b in blockers] == ["fact.four_eyes", "fact.sources"]
    assert rules.evidence([], []).describe() == "no counting source"
