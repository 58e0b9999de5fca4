"""`studio import-results FILE`: the final result of 17 March 2026 as facts with their sources, and its
arithmetic: the real file adds up exactly, and every altered copy is flagged with the arithmetic shown."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from studio.cli import main
from studio.desk import rules
from studio.desk.arithmetic import CHECK, Failed, flagged_lines, notes, percent_failure, results_failures
from studio.desk.model import ReportKind, SourceKind, Status
from studio.desk.official_mapping import Measure
from studio.desk.results import RESULT, import_results, result_facts
from studio.desk.rules import RuleError

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "studio" / "sample" / "referendum-2026" / "referendum-2026-results.csv"
REAL = {
    Measure.REGISTERED: Decimal(12482613), Measure.TOOK_PART: Decimal(9127192), Measure.TURNOUT_PERCENT: Decimal("73.12"),
    Measure.YES: Decimal(7954667), Measure.YES_PERCENT: Decimal("87.15"), Measure.NO: Decimal(898099),
    Measure.INVALID: Decimal(146558), Measure.NOT_COUNTED: Decimal(127868),
}


def altered(tmp_path: Path, item: str, value: str) -> Path:
    """A copy of the real file with one line's figure changed."""
    lines = RESULTS.read_text("utf-8").splitlines()
    copy = tmp_path / f"results-{item}.csv"
    copy.write_text("\n".join(
        f"{item},{value},{line.split(',', 2)[2]}" if line.startswith(f"{item},") else line for line in lines
    ) + "\n", "utf-8")
    return copy


def by_item(desk) -> dict[str, object]:
    return {f.details[RESULT]: f for f in desk.facts(kind=ReportKind.OTHER)}


def test_the_final_result_becomes_facts_in_review_with_their_sources(desk, tick) -> None:
    summary = import_results(desk, RESULTS, operator="aigerim", now=tick)
    assert (summary.added, summary.rejected, summary.warnings) == (8, (), ())
    facts = by_item(desk)
    assert {item: f.value for item, f in facts.items()} == {m.value: v for m, v in REAL.items()}
    assert all(f.status is Status.IN_REVIEW and f.region is None and f.as_of is None for f in facts.values())
    assert not any(CHECK in f.details for f in facts.values())
    yes = facts["yes"]
    assert yes.claim.ru == "Итоги референдума: проголосовали «за» — 7\u202f954\u202f667"
    assert yes.claim.kk == "Референдум қорытындысы: «Иә» деп дауыс бергендер — 7\u202f954\u202f667"
    assert facts["turnout_percent"].claim.ru == "Итоги референдума: явка — 73,12%"
    (source,) = yes.sources
    assert (source.kind, source.reference, source.origin) == (SourceKind.MEDIA, "https://m.interfax.ru/1078292", "interfax.ru")
    assert source.quotes_commission and source.quotes.reference == "final result"
    assert [e.action for e in desk.audit(yes.id)] == ["create", "start_review"]
    assert desk.audit(yes.id)[0].why == f"imported from {RESULTS.name}:5"
    with pytest.raises(RuleError, match="four eyes"):  # the importer never verifies
        desk.change(yes.id, yes.version, rules.Verify(), by="aigerim", at=tick())
    again = import_results(desk, RESULTS, operator="bolat", now=tick)
    assert (again.added, again.duplicates) == (0, 8) and len(result_facts(desk, Measure.YES)) == 1


@pytest.mark.parametrize(
    ("item", "value", "flagged", "shown"),
    [
        ("yes", "7954676", {"took_part", "yes", "no", "invalid", "not_counted_both_marked"},  # 87.15% still holds
         "yes + no + invalid + not_counted_both_marked = 7954676 + 898099 + 146558 + 127868 = 9127201 ≠ took_part 9127192"),
        ("took_part", "9127129", {"took_part", "yes", "no", "invalid", "not_counted_both_marked"},
         "yes + no + invalid + not_counted_both_marked = 7954667 + 898099 + 146558 + 127868 = 9127192 ≠ took_part 9127129"),
        ("turnout_percent", "73.21", {"turnout_percent", "took_part", "registered"},
         "turnout_percent = 100 × took_part / registered = 100 × 9127192 / 12482613 = 73.1192 ≠ 73.21"),
        ("yes_percent", "78.15", {"yes_percent", "yes", "took_part"},
         "yes_percent = 100 × yes / took_part = 100 × 7954667 / 9127192 = 87.1535 ≠ 78.15"),
        ("registered", "9000000", {"registered", "took_part", "turnout_percent"}, "took_part 9127192 > registered 9000000"),
    ],
)
def test_an_altered_copy_is_flagged_with_the_arithmetic_shown(desk, tmp_path, tick, item, value, flagged, shown) -> None:
    summary = import_results(desk, altered(tmp_path, item, value), operator="aigerim", now=tick)
    assert summary.added == 8 and summary.rejected == ()  # imported all the same: the desk decides
    assert any(w.message == f"the figures do not add up: {shown}" for w in summary.warnings)
    assert ": warning: the figures do not add up: " in str(summary)
    facts = by_item(desk)
    assert {name for name, f in facts.items() if CHECK in f.details} == flagged
    assert shown in facts[item].details[CHECK]
    assert any(shown in note for note in notes(facts[item]))


def test_with_two_outlets_only_the_figure_that_does_not_add_up_is_flagged(desk, tmp_path, tick) -> None:
    import_results(desk, RESULTS, operator="aigerim", now=tick)
    typo = tmp_path / "typo.csv"
    typo.write_text("item,value,source\ntook_part,9127129,https://tengrinews.kz/result\n"
                    "yes,7954667,https://tengrinews.kz/result\n", "utf-8")
    summary = import_results(desk, typo, operator="dana", now=tick)
    assert (summary.added, summary.corroborated) == (1, 1)
    differ = [w for w in summary.warnings if "differs" in w.message]
    assert [(w.line, w.message) for w in differ] == [
        (2, f"took_part: 9127129 (new fact F{summary.added + 8}) differs from 9127192 (F2, In review)")
    ]
    right, wrong = result_facts(desk, Measure.TOOK_PART)
    assert wrong.value == Decimal(9127129) and wrong.details[CHECK].endswith("= 9127192 ≠ took_part 9127129")
    assert CHECK not in right.details
    # the two took_part figures are a conflict of that results line: both held until the desk settles it
    (conflict,) = desk.conflicts()
    assert set(conflict.fact_ids) == {right.id, wrong.id} and conflict.measure[4] == "took_part"
    assert [f.sources[-1].origin for f in result_facts(desk, Measure.YES)] == ["tengrinews.kz"]
    # in a file that gives took_part twice, the reading that adds up clears the right figure, not the wrong one
    both = dict(REAL) | {Measure.TOOK_PART: [REAL[Measure.TOOK_PART], Decimal(9127129)]}
    lines = flagged_lines({m: v if isinstance(v, list) else [v] for m, v in both.items()})
    assert set(lines) == {(Measure.TOOK_PART, Decimal(9127129))}


def test_the_checks_at_the_published_precision() -> None:
    assert results_failures(REAL) == []
    assert percent_failure("p", Decimal("73.12"), ("a", 9127192), ("b", 12482613)) is None
    assert percent_failure("p", Decimal("73.1"), ("a", 9127192), ("b", 12482613)) is None  # less precise, still right
    assert percent_failure("p", Decimal("73"), ("a", 9127192), ("b", 12482613)) is None
    assert percent_failure("p", Decimal("73.13"), ("a", 9127192), ("b", 12482613)) == (
        "p = 100 × a / b = 100 × 9127192 / 12482613 = 73.1192 ≠ 73.13")
    assert percent_failure("p", Decimal("19.21"), ("voters", 2393844), ("registered", 0)) == (
        "p = 100 × voters / registered: registered = 0")
    # without invalid ballots the sum is not checked: the figures do not allow it
    partial = {m: v for m, v in REAL.items() if m is not Measure.INVALID}
    assert results_failures(partial) == []
    # not counted is optional in the sum: yes + no + invalid alone must then be took part
    short = {m: v for m, v in REAL.items() if m is not Measure.NOT_COUNTED}
    assert results_failures(short) == [Failed(
        (Measure.TOOK_PART, Measure.YES, Measure.NO, Measure.INVALID),
        "yes + no + invalid = 7954667 + 898099 + 146558 = 8999324 ≠ took_part 9127192",
    )]


def test_a_mapping_reads_another_layout(desk, tmp_path, tick) -> None:
    data = tmp_path / "itogi.csv"
    data.write_text(
        "Показатель;Значение\n"
        "Всего избирателей;12 482 613\n"
        "Приняли участие;9 127 192\n"
        "Явка;73,12 %\n"
        "За;7 954 667\n"
        "Против;898 099\n"
        "Недействительные;146 558\n"
        "Не учтены;127 868\n"
        "Воздержались;5\n",
        "utf-8",
    )
    mapping = tmp_path / "itogi.toml"
    mapping.write_text(
        'delimiter = ";"\ndecimal_mark = ","\nsource = "https://www.election.gov.kz/rus/result"\n'
        '[columns]\nitem = "Показатель"\nvalue = "Значение"\n'
        '[items]\n"Всего избирателей" = "registered"\n"Не учтены" = "not_counted_both_marked"\n', "utf-8"
    )
    summary = import_results(desk, data, operator="aigerim", mapping=mapping, now=tick)
    assert summary.added == 7 and summary.warnings == ()
    assert {item: f.value for item, f in by_item(desk).items()} == {
        m.value: v for m, v in REAL.items() if m is not Measure.YES_PERCENT}
    assert by_item(desk)["yes"].sources[0].kind is SourceKind.OFFICIAL  # the commission's own page
    (bad,) = summary.rejected
    assert (bad.line, bad.reason) == (9, "'Показатель': unknown line of the result 'Воздержались'")
    assert "add the spelling under [items] in the mapping (--mapping, see studio/desk/results_mapping.toml)" in bad.hint


def test_bad_lines_are_rejected_with_their_column(desk, tmp_path, tick) -> None:
    data = tmp_path / "bad.csv"
    data.write_text("item,value,source\nyes,7954667.5,https://a.kz/x\nyes_percent,187.15,https://a.kz/x\n"
                    "no,,https://a.kz/x\nno,898099,\n" f"invalid,{'9' * 5000},https://a.kz/x\n", "utf-8")
    summary = import_results(desk, data, operator="aigerim", now=tick)
    assert summary.added == 0
    assert [(r.line, r.reason) for r in summary.rejected] == [
        (2, "'value': '7954667.5' is not a whole number"),
        (3, "'value': '187.15' is more than 100%"),
        (4, "'value' is empty"),
        (5, "'source': '' is not a web address"),
        (6, f"'value': '{'9' * 5000}' has more digits than any count of voters or ballots"),
    ]


def test_the_command_in_the_readers_language(tmp_path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("STUDIO_LANG", raising=False)
    config = tmp_path / "config.toml"
    config.write_text("[operators]\nsign_in = false\n", "utf-8")
    common = ["--config", str(config), "--store", str(tmp_path / "s.db")]
    copy = altered(tmp_path, "yes", "7954676")
    assert main([*common, "--lang", "ru", "import-results", str(copy), "--operator", "aigerim"]) == 0
    out = capsys.readouterr().out
    assert f"{copy}:3: warning: цифры не сходятся: yes + no + invalid" in out  # at took part, the line checked
    assert main([*common, "--lang", "en", "fact", "show", "F2"]) == 0
    assert "⚠ The figures do not add up: yes + no + invalid + not_counted_both_marked = " in capsys.readouterr().out
