"""`studio import-turnout FILE --mapping M`: the commission's figures as each outlet prints them.

Every feature of a turnout mapping (columns named anything, the hour alone with the show's date,
decimal commas and stray spaces, a percent sign, bounds in Russian, Kazakh and English, the encoding
and the delimiter), every error (FILE:LINE, the column, what to do), and the arithmetic of a row that
gives voters and registered: the real file passes, an altered copy is flagged on the fact."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given
from hypothesis import strategies as st

from studio.cli import main
from studio.desk.arithmetic import CHECK, notes
from studio.desk.importer import import_reports
from studio.desk.model import Status
from studio.desk.official_mapping import TurnoutMapping
from studio.desk.published import Bound, Unreadable, bound_of, count, percent, percent_or_bound
from studio.desk.turnout import import_turnout
from studio.diagnostics import DiagnosticsError
from studio.store.desk import open_desk

from .conftest import DATA

TURNOUT = DATA / "referendum-2026-turnout.csv"
ALMATY = ZoneInfo("Asia/Almaty")
TEN = datetime(2026, 3, 15, 10, tzinfo=ALMATY)
OUTLET_MAPPING = """
delimiter = ";"
decimal_mark = ","
hours_only = true
[columns]
local_time = "Время"
region = "Регион"
turnout_percent = "Явка, %"
voters = "Проголосовали"
registered = "В списках"
source = "Ссылка"
"""
HEADER = "Время;Регион;Явка, %;Проголосовали;В списках;Ссылка\n"


def files(tmp_path: Path, rows: str, mapping: str = OUTLET_MAPPING, encoding: str = "utf-8") -> tuple[Path, Path]:
    data, toml = tmp_path / "outlet.csv", tmp_path / "outlet.toml"
    data.write_bytes((HEADER + rows).encode(encoding))
    toml.write_text(mapping, "utf-8")
    return data, toml


def only(desk, region):
    (fact,) = desk.turnout_facts(region, TEN)
    return fact


def test_an_outlets_own_layout_reads_as_the_commissions_figures(desk, tmp_path, tick) -> None:
    data, mapping = files(tmp_path, (
        "10:00;По республике;19, 21 %;2 393 844;12 461 796;https://tengrinews.kz/turnout-10\n"  # stray spaces, %
        "10.00;Астана;20,68;;;https://tengrinews.kz/turnout-10\n"  # 10.00: the hour alone too
        "10;Шымкент;%21,36;;;https://tengrinews.kz/turnout-10\n"
    ))
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert (summary.added, summary.rejected, summary.warnings) == (3, (), ())
    national = only(desk, None)
    assert (national.value, national.as_of, national.details) == (
        Decimal("19.21"), TEN, {"voters": "2393844", "registered": "12461796"})
    assert national.status is Status.IN_REVIEW and national.claim.ru == "По Казахстану: явка на 10:00 — 19,21%"
    assert (only(desk, "astana").value, only(desk, "shymkent").value) == (Decimal("20.68"), Decimal("21.36"))
    assert [s.origin for s in national.sources] == ["tengrinews.kz"]


def test_the_same_figures_from_the_sample_and_from_an_outlet_are_one_fact_with_two_sources(desk, tmp_path, tick) -> None:
    import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    data, mapping = files(tmp_path, "10:00;astana;20,68;;;https://tengrinews.kz/turnout-10\n")
    summary = import_turnout(desk, data, operator="dana", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert (summary.added, summary.corroborated) == (0, 1)
    assert [s.origin for s in only(desk, "astana").sources] == ["nur.kz", "tengrinews.kz"]
    again = import_turnout(desk, data, operator="dana", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert (again.added, again.duplicates, again.corroborated) == (0, 1, 0)


@pytest.mark.parametrize(
    ("printed", "side", "kk", "ru"),
    [
        ("более 40%", "above", "40%-дан астам", "более 40%"),
        ("свыше 40 %", "above", "40%-дан астам", "более 40%"),
        ("40%-дан астам", "above", "40%-дан астам", "более 40%"),
        ("40-тан артық", "above", "40%-дан астам", "более 40%"),
        ("over 40%", "above", "40%-дан астам", "более 40%"),
        ("More than 40 %", "above", "40%-дан астам", "более 40%"),
        ("менее 40%", "below", "40%-дан кем", "менее 40%"),
        ("40%-дан кем", "below", "40%-дан кем", "менее 40%"),
        ("less than 40,5%", "below", "40,5%-дан кем", "менее 40,5%"),
    ],
)
def test_a_bound_is_stored_as_a_bound_not_as_a_figure(desk, tmp_path, tick, printed, side, kk, ru) -> None:
    data, mapping = files(tmp_path, f"10:00;Шымкент;{printed};;;https://tengrinews.kz/turnout-10\n")
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert (summary.added, summary.rejected) == (1, ())
    fact = only(desk, "shymkent")
    assert fact.value is None  # not a figure: nothing can take it for one
    assert bound_of(fact.details) == Bound(side, Decimal(kk.split("%")[0].replace(",", ".")))
    assert fact.claim.kk.endswith(f"сайлаушылардың келуі {kk}") and fact.claim.ru.endswith(f"явка на 10:00 — {ru}")
    assert "not a figure" in notes(fact)[0] and "No board draws it" in notes(fact)[0]


def test_a_bound_from_two_outlets_is_one_fact_and_another_bound_is_kept_beside_it(desk, tmp_path, tick) -> None:
    day = date(2026, 3, 15)
    first, mapping = files(tmp_path, "10:00;Шымкент;более 40%;;;https://tengrinews.kz/turnout-10\n")
    import_turnout(desk, first, operator="aigerim", mapping=mapping, day=day, now=tick)
    second = tmp_path / "second.csv"
    second.write_text(HEADER + "10:00;Шымкент;40%-дан астам;;;https://kaz.tengrinews.kz/x\n"
                      "10:00;Шымкент;более 45%;;;https://ru.sputnik.kz/x\n", "utf-8")
    summary = import_turnout(desk, second, operator="dana", mapping=mapping, day=day, now=tick)
    assert (summary.added, summary.corroborated) == (1, 1)
    # "over 45%" does not contradict "over 40%": no disagreement (rules.disagree weighs figures, never bounds)
    assert summary.warnings == ()


def test_the_words_of_a_bound_are_the_mappings(desk, tmp_path, tick) -> None:
    words = OUTLET_MAPPING + '[bounds]\nabove = ["около", "более"]\nbelow = ["менее"]\n'
    data, mapping = files(tmp_path, (
        "10:00;Шымкент;около 40%;;;https://tengrinews.kz/x\n"
        "10:00;Астана;свыше 40%;;;https://tengrinews.kz/x\n"  # no longer a word of this mapping
    ), words)
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert summary.added == 1 and bound_of(only(desk, "shymkent").details) == Bound("above", Decimal(40))
    (bad,) = summary.rejected
    assert bad.line == 3 and bad.reason == "'Явка, %': 'свыше 40%' is neither a figure nor a bound this mapping knows (the word 'свыше')"
    assert "add the word to [bounds] above or below in the mapping" in bad.hint


def test_an_encoding_and_a_delimiter_of_the_mapping(desk, tmp_path, tick) -> None:
    data, mapping = files(tmp_path, "10:00;Абайская область;19,9;;;https://tengrinews.kz/x\n",
                          'encoding = "cp1251"\n' + OUTLET_MAPPING, "cp1251")
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert summary.rejected == () and only(desk, "abai").value == Decimal("19.9")
    plain = tmp_path / "plain.csv"  # an English header, a Windows row: read as UTF-8, refused with the remedy
    plain.write_bytes("local_time,region,turnout_percent,source\n2026-03-15T10:00,Абайская область,19.9,https://a.kz/x\n"
                      .encode("cp1251"))
    (bad,) = import_turnout(desk, plain, operator="aigerim", now=tick).rejected
    assert bad.reason == "the row is not valid utf-8-sig text" and 'set encoding = "cp1251"' in bad.hint


def test_a_file_without_a_source_column_takes_the_mappings_page_and_names_the_country_its_way(desk, tmp_path, tick) -> None:
    data = tmp_path / "plain.csv"
    data.write_text("hour,place,percent\n10:00,Республика бойынша,\"19,21\"\n10:00,Астана,\"20,68\"\n", "utf-8")
    mapping = tmp_path / "plain.toml"
    mapping.write_text(
        'decimal_mark = ","\nhours_only = true\nsource = "https://www.election.gov.kz/rus/news/turnout-1000"\n'
        '[columns]\nlocal_time = "hour"\nregion = "place"\nturnout_percent = "percent"\n', "utf-8"
    )
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert (summary.added, summary.rejected) == (2, ())
    (page,) = only(desk, None).sources
    assert page.reference.startswith("https://www.election.gov.kz/") and page.quotes is None  # the commission's own


def test_hours_alone_need_the_shows_date(desk, tmp_path) -> None:
    data, mapping = files(tmp_path, "10:00;Астана;20,68;;;https://tengrinews.kz/x\n")
    with pytest.raises(DiagnosticsError) as raised:
        import_turnout(desk, data, operator="aigerim", mapping=mapping)
    said = raised.value.render("en")
    assert f"{data}:1: error: the mapping says the time column holds the hour alone" in said
    assert "pass --date YYYY-MM-DD, or --rundown" in said
    assert desk.facts() == []


def test_every_bad_cell_names_its_line_its_column_and_what_to_do(desk, tmp_path, tick) -> None:
    data, mapping = files(tmp_path, (
        "10:00;Астана;20,68;;;https://tengrinews.kz/x\n"
        "25:00;Астана;20,68;;;https://tengrinews.kz/x\n"
        "10:00;Алматы;9.54;;;https://tengrinews.kz/x\n"
        "10:00;Алматы;девять;;;https://tengrinews.kz/x\n"
        "10:00;Алматы;109,5;;;https://tengrinews.kz/x\n"
        "10:00;Алматы;9,54;много;;https://tengrinews.kz/x\n"
        "10:00;Алматы;9,54;;;telegram\n"
    ))
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert summary.added == 1
    said = {r.line: (r.reason, r.hint) for r in summary.rejected}
    assert said == {
        3: ("'Время': cannot read the hour '25:00'",
            "the mapping has hours_only = true: write the hour like 10:00 (the date is the show's)"),
        4: ("'Явка, %': cannot read '9.54' as a percent",
            "the mapping's decimal mark is ',' but the file writes '.': set decimal_mark = '.' in the mapping (--mapping)"),
        5: ("'Явка, %': cannot read 'девять' as a percent", "write the percent like 19,21"),
        6: ("'Явка, %': '109,5' is more than 100%", "check the figure against its page; a percent is between 0 and 100"),
        7: ("'Проголосовали': 'много' is not a whole number",
            "write the count in digits (spaces between groups are fine: 2 393 844); leave the cell empty when it was "
            "not published"),
        8: ("'Ссылка': 'telegram' is not a web address",
            "give the URL the figure was read from, or set source in the mapping for a file without one"),
    }
    assert f"{data}:4: error: 'Явка, %': cannot read '9.54' as a percent\n  hint: the mapping's" in str(summary)
    assert "'Явка, %': '109,5' 100%-дан асады" in summary.render("kk")
    assert len(desk.quarantine(str(data))) == 6


def test_an_iso_time_in_the_mappings_format(desk, tmp_path, tick) -> None:
    data = tmp_path / "dated.csv"
    data.write_text("local_time,region,turnout_percent,source\n15.03.2026 10:00,astana,20.68,https://ult.kz/x\n"
                    "2026-03-15 10:00,astana,20.68,https://ult.kz/x\n", "utf-8")
    mapping = tmp_path / "dated.toml"
    mapping.write_text('time_format = "%d.%m.%Y %H:%M"\n', "utf-8")
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, now=tick)
    assert only(desk, "astana").as_of == TEN
    (bad,) = summary.rejected
    assert (bad.line, bad.reason) == (3, "'local_time': cannot read the time '2026-03-15 10:00'")
    assert bad.hint == "the mapping's time_format is '%d.%m.%Y %H:%M': write the time that way, or change time_format"


def test_the_missing_column_hint_names_the_commands_own_mapping(desk, tmp_path) -> None:
    data = tmp_path / "outlet.csv"
    data.write_text("Время,Регион,Явка\n10:00,Астана,\"20,68\"\n", "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        import_turnout(desk, data, operator="aigerim")
    said = raised.value.render("en")
    assert "no column 'local_time', 'region', 'turnout_percent', 'source' in the header" in said
    assert "(--mapping, see studio/desk/turnout_mapping.toml)" in said
    with pytest.raises(DiagnosticsError) as raised:
        import_reports(desk, data, operator="aigerim")
    assert "(--mapping, see studio/desk/mapping.toml)" in raised.value.render("en")


def test_the_real_figures_add_up_and_an_altered_copy_is_flagged_with_the_arithmetic(desk, tmp_path, tick) -> None:
    summary = import_turnout(desk, TURNOUT, operator="aigerim", now=tick)
    assert summary.warnings == () and not any(CHECK in f.details for f in desk.facts())
    checked = [f for f in desk.facts() if {"voters", "registered"} <= set(f.details)]
    assert len(checked) == 3  # 10:00, 14:00 and 18:00 give both: 19.21, 51.93, 70.98
    altered = tmp_path / "altered.csv"
    text = TURNOUT.read_text("utf-8").replace(",national,19.21,2393844,12461796,", ",national,19.31,2393844,12461796,")
    altered.write_text(text, "utf-8")
    other = open_desk(tmp_path / "other.db")
    try:
        flagged = import_turnout(other, altered, operator="aigerim", now=tick)
        (warning,) = flagged.warnings
        shown = "turnout_percent = 100 × voters / registered = 100 × 2393844 / 12461796 = 19.2095 ≠ 19.31"
        assert (warning.line, warning.message) == (2, f"the figures do not add up: {shown}")
        assert "compare 'turnout_percent', 'voters', 'registered' with the commission's page" in warning.hint
        national = other.turnout_facts(None, TEN)[0]
        assert national.details[CHECK] == shown and national.value == Decimal("19.31")  # imported, flagged, as printed
        assert notes(national)[-1].render("ru") == f"⚠ Цифры не сходятся: {shown}"
    finally:
        other.close()


def test_a_bound_that_its_own_counts_contradict_is_flagged(desk, tmp_path, tick) -> None:
    data, mapping = files(tmp_path, "10:00;Астана;более 40%;100;300;https://tengrinews.kz/x\n")
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    (warning,) = summary.warnings
    assert "turnout_percent > 40: 100 × voters / registered = 100 × 100 / 300 = 33.3333" in warning.message
    assert CHECK in only(desk, "astana").details


def test_the_command_takes_the_mapping_and_says_which_date_it_took(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("STUDIO_LANG", raising=False)
    config = tmp_path / "config.toml"
    config.write_text("[operators]\nsign_in = false\n", "utf-8")
    data, mapping = files(tmp_path, "10:00;Астана;20,68;;;https://tengrinews.kz/x\n")
    store = tmp_path / "s.db"
    common = ["--config", str(config), "--store", str(store), "--lang", "en", "import-turnout", str(data),
              "--mapping", str(mapping), "--operator", "aigerim"]
    assert main([*common, "--date", "15.03.2026"]) == 2
    assert "--date '15.03.2026' is not a date: write it like 2026-03-15" in capsys.readouterr().err
    rundown = DATA.parent.parent / "studio" / "sample" / "referendum-day.toml"
    assert main([*common, "--rundown", str(rundown)]) == 0
    captured = capsys.readouterr()
    assert f"the hours in {data} are taken on 2026-03-15, the date of the rundown {rundown}" in captured.err
    assert captured.out.startswith(f"{data}: 1 added")
    assert main([*common, "--date", "2026-03-16"]) == 0
    desk = open_desk(store)
    try:
        assert [f.as_of.astimezone(ALMATY).day for f in desk.facts()] == [15, 16]
    finally:
        desk.close()
    assert TurnoutMapping().hours_only is False  # the default mapping reads dated times: no date needed


@given(st.text(max_size=60) | st.from_regex(r"[<>a-zа-яәқ ]{0,12}[0-9 ]{1,6}([.,] ?[0-9]{1,3})? ?%?(-дан)?[ a-zа-яә]{0,10}"))
def test_any_cell_is_read_or_refused_with_its_column_never_a_traceback(text: str) -> None:
    words = TurnoutMapping().bounds.words()
    for read in (lambda: percent_or_bound(text, "Явка", ",", words), lambda: count(text, "Явка"),
                 lambda: percent(text, "Явка", ".")):
        try:
            value = read()
        except Unreadable as refused:
            assert refused.reason.startswith("'Явка'") and refused.hint
        else:
            assert value is None or isinstance(value, (Bound, Decimal, int))


def test_a_row_held_for_its_region_is_finished_through_the_mapping_it_came_by(desk, tmp_path, tick) -> None:
    from studio.desk.held import resolve

    data, mapping = files(tmp_path, "10:00;Астана;20,68;;;https://tengrinews.kz/x\n"
                                    "10:00;Нурсултанград;21,36;;;https://tengrinews.kz/x\n")
    summary = import_turnout(desk, data, operator="aigerim", mapping=mapping, day=date(2026, 3, 15), now=tick)
    assert (summary.added, summary.held) == (1, 1)
    (held,) = desk.held()
    resolve(desk, held.spelling_key, "shymkent", by="bolat", at=tick())
    fact = only(desk, "shymkent")  # the bare hour on the show's date, the decimal comma read as the mapping says
    assert fact.value == Decimal("21.36") and desk.held() == []
