"""The desk's forms driven by keys: a fact from a report group and from nothing,
an edit of a verified fact, linking and unlinking reports, sources, splitting a
group, a release in one act, verdicts refused up front; refusals shown in the
form, under their field, with nothing typed lost."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from textual import events
from textual.widgets import DataTable, Input, Select, SelectionList

from studio.desk import rules
from studio.desk.model import ReportKind, SourceKind, Status
from studio.i18n import set_language, t
from studio.store.desk import NewReport
from studio.tui.desk.fact_form import FactForm
from studio.tui.desk.links import LinkForm
from studio.tui.desk.release import ReleaseForm
from studio.tui.desk.source_form import SourceForm
from studio.tui.desk.split import SplitForm
from studio.tui.desk.verdict import VerdictForm
from studio.tui.widgets.text import Readout
from tests.desk_tui.conftest import open_form, open_item

SIZE = (120, 40)


def typed(form: Any, field: str) -> str:
    return form.query_one(f"#field-{field}", Input).value


async def test_a_fact_from_a_report_group_links_its_reports_and_opens(make_desk_app, settle_desk, other, seeded):
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"group:{seeded['kk_report']}")
        form = await open_form(pilot, "n", FactForm)
        assert f"R{seeded['kk_report']}" in form.intro
        # The group's kind, region and station are filled in; the claim is the operator's to write.
        assert form.query_one("#field-kind", Select).value is ReportKind.QUEUE
        assert form.query_one("#field-region", Select).value == "shymkent" and typed(form, "station") == "114"
        await pilot.press(*"114 учаскеде кезек 40 адам", "tab", *"На участке 114 очередь 40 человек")
        await pilot.press("tab", "tab", "tab", "tab", *"15:10", "tab", *"forty", "enter")
        await settle_desk(pilot)
        assert app.screen is form and set(form.shown) == {"value"}  # under the figure; the rest is kept
        assert "forty" in form.shown["value"] and typed(form, "claim_ru") == "На участке 114 очередь 40 человек"
        await pilot.press(*["backspace"] * 5, *"40", "enter")
        await settle_desk(pilot)
        assert app.screen is app.desk
        fact = other.facts(kind=ReportKind.QUEUE)[0]
        assert [r.id for r in fact.reports] == [seeded["kk_report"]] and fact.created_by == "dana"
        assert (fact.region, fact.station, fact.value) == ("shymkent", 114, Decimal("40"))
        assert fact.as_of == datetime(2026, 3, 15, 10, 10, tzinfo=UTC)  # 15:10 in Almaty
        assert app.desk.opened == ("fact", fact.id)  # the new fact is open, the group is not
        assert any(f"Fact F{fact.id} is now: New" in n.message for n in app._notifications)


async def test_a_fact_made_from_a_group_found_through_the_reports_filter_opens(make_desk_app, settle_desk, other,
                                                                                 seeded):
    """The reports filter is how a group is found; the new fact is no report, yet it opens (and shows)."""
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        app.desk.query_one("#filter-status", Select).value = "reports"
        await settle_desk(pilot)
        await open_item(pilot, f"group:{seeded['kk_report']}")
        await pilot.press("n")
        await pilot.pause()
        await pilot.press(*"114 учаскеде кезек", "ctrl+s")
        await settle_desk(pilot)
        fact = other.facts(kind=ReportKind.QUEUE)[0]
        assert app.desk.opened == ("fact", fact.id) and app.desk.detail.fact.id == fact.id
        assert app.desk._selected_key() == f"fact:{fact.id}"


async def test_a_fact_from_nothing_shows_the_rules_refusal_in_russian(make_desk_app, settle_desk, other):
    before = len(other.facts())
    app = make_desk_app("ru", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        form = await open_form(pilot, "n", FactForm)
        assert form.intro == t("desk.form.from_nothing")
        await pilot.press("ctrl+s")  # no claim in either language
        await settle_desk(pilot)
        assert app.screen is form and set(form.shown) == {"form"}  # the rules: a claim in Kazakh or Russian
        form.query_one("#field-kind", Select).value = ReportKind.TURNOUT
        form.query_one("#field-claim_ru", Input).value = "Явка по стране — 140%"
        form.query_one("#field-value", Input).value = "140"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert app.screen is form and "140" in form.shown["form"]  # the rules: not a percentage
        assert typed(form, "claim_ru") == "Явка по стране — 140%" and len(other.facts()) == before
        form.query_one("#field-value", Input).value = "40,5"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert app.screen is app.desk and len(other.facts()) == before + 1
        made = other.facts(kind=ReportKind.TURNOUT)[-1]
        assert made.region is None and made.value == Decimal("40.5") and not made.reports
    set_language("en")


async def test_editing_a_verified_fact_warns_then_sends_it_back_to_review(make_desk_app, settle_desk, other, seeded):
    fact = _verified_violation(other, seeded)
    app = make_desk_app("kk", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact.id}")
        form = await open_form(pilot, "m", FactForm)
        assert t("desk.form.edit_verified") in form.intro
        assert typed(form, "claim_ru") == fact.claim.ru and typed(form, "station") == "27"
        form.query_one("#field-station", Input).value = "28"
        await pilot.press("ctrl+s")  # no reason for the edit
        await settle_desk(pilot)
        assert form.shown == {"why": t("desk.rule.fact.why")}
        await pilot.press(*"учаске нөмірі қате", "enter")
        await settle_desk(pilot)
        after = other.get(fact.id)
        assert after.status is Status.IN_REVIEW and after.station == 28 and "dana" in after.editors
        assert after.verified_by is None
    set_language("en")


async def test_reports_are_unlinked_with_a_reason_and_linked_by_number(make_desk_app, settle_desk, other, seeded):
    fact_id = seeded["violation"]
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact_id}")
        form = await open_form(pilot, "l", LinkForm)
        form.query_one("#field-linked", SelectionList).focus()
        await pilot.press("space")  # untick the one linked report
        form.query_one("#field-reports", Input).value = "R999"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert form.shown == {"reports": t("desk.form.no_reports", ids="R999")}
        form.query_one("#field-reports", Input).value = f"R{seeded['kk_report']}"
        form.query_one("#field-why", Input).value = "the photo report belongs to another station"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert app.screen is app.desk
        after = other.get(fact_id)
        assert [r.id for r in after.reports] == [seeded["kk_report"]]
        assert [e.action for e in other.audit(fact_id)[-2:]] == ["unlink_reports", "link_reports"]


async def test_false_and_unproven_are_refused_up_front_to_an_editor(make_desk_app, settle_desk, other, seeded):
    fact_id = seeded["violation"]
    fact = other.get(fact_id)
    fact = other.change(fact_id, fact.version, rules.StartReview(), by="bolat", at=fact.created_at)
    other.change(fact_id, fact.version, rules.Edit({"station": 28}, "station typo"), by="dana", at=fact.created_at)
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact_id}")
        for key in ("f", "u"):
            await pilot.press(key)
            await pilot.pause()
            form = app.screen
            assert isinstance(form, VerdictForm) and not form.query(Input)
            assert t("desk.rule.fact.four_eyes", who="dana", fact=f"F{fact_id}") in form.shown["form"]
            await pilot.press("ctrl+s")  # nothing to save
            await pilot.press("escape")
            await settle_desk(pilot)
        # A retraction is anyone's, but only of a verified fact: the rules say so in the form.
        await pilot.press("x")
        await pilot.pause()
        await pilot.press("enter", *"Түзету", "enter", "enter")  # no reason yet: asked for, nothing typed lost
        await settle_desk(pilot)
        assert isinstance(app.screen, VerdictForm) and app.screen.shown["why"]
        assert typed(app.screen, "correction_kk") == "Түзету"
        app.screen.query_one("#field-why", Input).value = "сверено"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert isinstance(app.screen, VerdictForm) and "In review" in app.screen.shown["form"]
        assert typed(app.screen, "correction_kk") == "Түзету"


def _verified_violation(store: Any, seeded: dict[str, int]):
    """The seeded violation, with the commission's word, verified by aigerim (bolat wrote it)."""
    fact = store.get(seeded["violation"])
    at = fact.created_at
    official = store.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/rus/news/27", by="bolat", at=at)
    fact = store.attach_source(fact.id, fact.version, official.id, by="bolat", at=at)
    fact = store.change(fact.id, fact.version, rules.StartReview(), by="bolat", at=at)
    return store.change(fact.id, fact.version, rules.Verify(), by="aigerim", at=at)


async def test_a_reprint_is_typed_media_by_the_rules_and_quotes_the_commissions_page(
    make_desk_app, settle_desk, other, seeded
):
    fact_id = seeded["violation"]
    app = make_desk_app("ru", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{fact_id}")
        form = await open_form(pilot, "o", SourceForm)
        await pilot.press(*"https://www.nur.kz/politics/27")
        await pilot.pause()
        assert form.query_one("#field-kind", Select).value is SourceKind.MEDIA  # by studio/desk/sources.toml
        form.query_one("#field-published", Input).value = "15:30"
        form.query_one("#field-quotes", Input).value = "https://tengrinews.kz/27"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert form.shown == {"quotes": t("desk.source.not_official", reference="https://tengrinews.kz/27")}
        form.query_one("#field-quotes", Input).value = "https://www.election.gov.kz/rus/news/27"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert app.screen is app.desk
        added = other.get(fact_id).sources[-1]
        assert added.kind is SourceKind.MEDIA and added.quotes is not None and added.quotes.kind is SourceKind.OFFICIAL
        assert added.published_at == datetime(2026, 3, 15, 10, 30, tzinfo=UTC)
        await settle_desk(pilot)
        shown = app.desk.query_one("#desk-info", Readout).text  # the desk says which page the reprint quotes
        assert "• СМИ · nur.kz · https://www.nur.kz/politics/27 → election.gov.kz · https://www.election.gov.kz/rus/news/27" in shown
    set_language("en")


async def test_a_source_the_rules_cannot_type_asks_for_its_type(make_desk_app, settle_desk, other, seeded):
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{seeded['violation']}")
        await pilot.press("o", *"protocol 27/3", "ctrl+s")
        await settle_desk(pilot)
        form = app.screen
        assert form.shown == {"kind": t("desk.source.no_kind")}
        form.query_one("#field-kind", Select).value = SourceKind.OBSERVER
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert form.shown == {"origin": t("desk.source.observer_origin")}
        form.query_one("#field-origin", Input).value = "Адал сайлау"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        added = other.get(seeded["violation"]).sources[-1]
        assert (added.kind, added.origin, added.reference) == (SourceKind.OBSERVER, "Адал сайлау", "protocol 27/3")


async def test_a_wrongly_grouped_report_is_split_out(make_desk_app, settle_desk, other, seeded):
    lead = other.report(seeded["kk_report"])
    stray = other.add_report(
        NewReport("Дина Омарова", "bot", lead.received_at + timedelta(minutes=3), lead.region, lead.station, lead.kind,
                  lead.text + " (екінші хабар)"),
        by="aigerim", at=lead.received_at,
    )
    assert [r.id for r in other.group_reports(lead.id)] == [lead.id, stray.id]
    app = make_desk_app("kk", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"group:{lead.id}")
        form = await open_form(pilot, "t", SplitForm)
        await pilot.press("down", "space", "tab", "ctrl+s")  # the stray, no reason
        await settle_desk(pilot)
        assert form.shown == {"why": t("desk.rule.fact.why")}
        await pilot.press(*"басқа учаске", "enter")
        await settle_desk(pilot)
        assert app.screen is app.desk
        assert [r.id for r in other.group_reports(lead.id)] == [lead.id]
        assert [r.id for r in other.group_reports(stray.id)] == [stray.id]
        assert f"group:{stray.id}" in [row.key.value for row in app.desk.query_one(DataTable).ordered_rows]
    set_language("en")


async def test_an_official_release_is_verified_in_one_act(make_desk_app, settle_desk, other):
    ten = [f for f in other.facts(status=Status.IN_REVIEW) if f.as_of and f.as_of.hour == 5]  # 10:00 in Almaty
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{ten[0].id}")
        form = await open_form(pilot, "b", ReleaseForm)
        assert len(form.facts) == len(ten) == 21
        # known only as the press quoted it: the reprint's page is refused, the commission's own is asked for
        await pilot.press(*"https://www.nur.kz/politics/kazakhstan/2354058", "enter",
                          *"compared with the commission's page", "enter")
        await settle_desk(pilot)
        assert app.screen is form and "not the commission's own page" in form.shown["page"]
        assert all(other.get(f.id).status is Status.IN_REVIEW for f in ten)
        form.query_one("#field-page", Input).value = "https://www.election.gov.kz/rus/news/turnout-1000"
        await pilot.press("ctrl+s")
        await settle_desk(pilot)
        assert app.screen is app.desk
        after = [other.get(f.id) for f in ten]
        assert all(f.status is Status.VERIFIED and f.verified_by == "dana" for f in after)
        assert all(any(s.kind is SourceKind.OFFICIAL and s.reference.startswith("https://www.election.gov.kz")
                       for s in f.sources) for f in after)
        assert any(t("desk.release.done", count=21) in n.message for n in app._notifications)


async def test_the_importer_is_refused_a_release_before_typing(make_desk_app, settle_desk, other):
    first = next(f for f in other.facts(status=Status.IN_REVIEW) if f.as_of and f.as_of.hour == 5)
    app = make_desk_app("en", operator="aigerim")  # imported every figure
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        await open_item(pilot, f"fact:{first.id}")
        form = await open_form(pilot, "b", ReleaseForm)
        assert not form.query(Input)
        assert form.shown["form"].count("four eyes") == 21
        await pilot.press("enter")
        await settle_desk(pilot)
        assert other.get(first.id).status is Status.IN_REVIEW


async def test_keys_that_arrive_together_each_reach_their_own_field(make_desk_app, settle_desk, other):
    """Over a slow link (SSH) an operator's keys arrive in one burst: a tab or an enter moves on to the next field
    before the text typed after it is read. Textual hands a key to the focused field's queue; a tab or enter
    handled there lagged behind the keys after it, and the Russian claim went into the Kazakh field."""
    app = make_desk_app("en", operator="dana")
    async with app.run_test(size=SIZE) as pilot:
        await settle_desk(pilot)
        form = await open_form(pilot, "n", FactForm)
        def burst(*keys: str | tuple[str, str]) -> None:
            for key in keys:
                name, character = key if isinstance(key, tuple) else (key, key)
                app.post_message(events.Key(name, character))

        burst(*"Бір", ("tab", "\t"), *"Екі")
        await settle_desk(pilot)
        assert (typed(form, "claim_kk"), typed(form, "claim_ru")) == ("Бір", "Екі")
        form.query_one("#field-claim_kk", Input).focus()  # its text selected: typing replaces it
        await pilot.pause()
        burst(*"Үш", ("enter", "\r"), *"Төрт")
        await settle_desk(pilot)
        assert (typed(form, "claim_kk"), typed(form, "claim_ru")) == ("Үш", "Төрт")
