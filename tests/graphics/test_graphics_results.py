"""The results board (issue 21, part 2): the verified result of the sample, by-region lines only where
verified, numbers the Kazakh and Russian way, and the gate's refusals (not verified, in conflict, does not add up)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import ImageChops

from studio.graphics import render
from studio.graphics.errors import FactRefused
from studio.graphics.gate import FactView, MemoryFacts
from studio.graphics.results import THIN, decimal_comma, grouped

from .conftest import RESULTS_VERIFIED, results_facts

TRIBUNE = "https://tribune.kz/results"


def region_lines(region: str, yes: int, no: int, invalid: int, status: str = "verified", source: str = TRIBUNE,
                 ) -> list[FactView]:
    """A region's verified counts that add up (nothing uncounted): yes, no, invalid and took part."""
    counts = {"yes": yes, "no": no, "invalid": invalid, "took_part": yes + no + invalid}
    return [FactView(id=f"{region}-{line}", status=status, value=str(value), region=region, sources=(source,),
                     as_of=RESULTS_VERIFIED, version=1, line=line) for line, value in counts.items()]


def sample(*more: FactView) -> MemoryFacts:
    return MemoryFacts().add(*results_facts(), *more)


def with_line(line: str, **changes) -> MemoryFacts:
    """The sample with one line changed."""
    facts = sample()
    facts.add(replace(facts.facts[f"result-{line}"], **changes))
    return facts


def board(templates, facts, language: str = "kk"):
    return render(templates["results-board"], {"result": "final", "language": language}, facts)


def test_the_final_result_of_the_sample_reads_the_kazakh_and_russian_way(templates) -> None:
    kk = board(templates, sample()).prepared.resolved
    ru = board(templates, sample(), "ru").prepared.resolved
    assert kk.get("result", "yes_percent") == "87,15%" and kk.get("result", "yes") == f"7{THIN}954{THIN}667"
    assert kk.get("result", "no_percent") == "9,84%"  # not published: 100 × 898 099 / 9 127 192, to two places
    assert kk.get("result", "no") == f"898{THIN}099"
    assert ru.get("result", "turnout") == f"73,12% · проголосовали 9{THIN}127{THIN}192"
    assert ru.get("result", "invalid") == f"146{THIN}558 · не учтены 127{THIN}868"
    assert kk.get("result", "stage") == "Түпкілікті нәтиже · сағат 11:00"
    assert ru.get("result", "stage") == "Окончательные итоги · на 11:00"
    assert ru.get("result", "sources") == "Источник: interfax.ru"
    assert kk.get("result", "regions_title") is None and kk.results["result"].regions == ()  # none in the sample
    assert {f["id"] for f in kk.facts} == {f.id for f in results_facts()}  # every line it states, recorded
    preliminary = render(templates["results-board"], {"result": "preliminary", "language": "ru"}, sample())
    assert preliminary.prepared.resolved.get("result", "stage") == "Предварительные итоги · на 11:00"


@pytest.mark.parametrize(("language", "heading"), [("kk", "Өңірлер бойынша"), ("ru", "По регионам")])
def test_by_region_lines_only_where_verified_results_exist(templates, golden, language, heading) -> None:
    regions = [
        *region_lines("north-kz", 301_204, 41_377, 5_112),
        *region_lines("west-kz", 288_930, 39_480, 4_871),
        *region_lines("astana", 512_044, 88_213, 7_006),
        *region_lines("abai", 200_000, 30_000, 1_000, status="in_review"),  # not verified: no line
        *region_lines("atyrau", 150_000, 20_000, 999)[:2],  # no took part: no line
    ]
    rendered = board(templates, sample(*regions), language)
    resolved = rendered.prepared.resolved
    shown = resolved.results["result"].regions
    assert [region for region, _ in shown] == ["astana", "north-kz", "west-kz"]  # the order of regions.toml
    assert resolved.get("result", "regions_title") == heading
    assert {f["id"] for f in resolved.withheld} == {v.id for v in regions if v.region in ("abai", "atyrau")}
    golden(rendered.image, f"results-board-regions-{language}")


def test_a_region_whose_lines_do_not_add_up_gets_no_line(templates) -> None:
    wrong = [replace(v, value="1") if v.line == "invalid" else v for v in region_lines("jambyl", 100, 20, 5)]
    resolved = board(templates, sample(*wrong)).prepared.resolved
    assert resolved.results["result"].regions == ()
    assert {f["id"] for f in resolved.withheld} == {v.id for v in wrong}


def test_region_lines_stay_inside_their_table_and_the_title_safe_area(templates) -> None:
    """Twenty regions with the longest names: everything they add to the image is inside the table and its
    heading, and those are inside title-safe, at 1080p and at 720p."""
    from studio.regions import regions

    interfax = results_facts()[0].sources[0]  # the country's source: the source line stays as it is
    every = [line for index, region in enumerate(regions())
             for line in region_lines(region, 900_000 + index, 99_999, 9_999, source=interfax)]
    template = templates["results-board"]
    for canvas in ((1920, 1080), (1280, 720)):
        with_regions = render(template, {"result": "final"}, sample(*every), canvas=canvas)
        without = render(template, {"result": "final"}, sample(), canvas=canvas)
        assert len(with_regions.prepared.resolved.results["result"].regions) == 20
        drawn = with_regions.prepared.template
        table = next(box for box in drawn.boxes if getattr(box, "id", "") == "regions")
        heading = next(box for box in drawn.boxes if getattr(box, "text", "") == "{result.regions_title}")
        changed = ImageChops.difference(with_regions.image, without.image).convert("RGB").getbbox()
        region = drawn.region
        assert changed is not None
        left, top, right, bottom = (changed[0] + region.x, changed[1] + region.y, changed[2] + region.x,
                                    changed[3] + region.y)
        assert heading.x <= left and heading.y <= top and right <= table.right and bottom <= table.bottom
        assert drawn.safe.contains(table) and drawn.safe.contains(heading)


@given(st.integers(min_value=0, max_value=10**12))
def test_any_count_is_grouped_by_threes_with_a_narrow_no_break_space_and_reads_back(count: int) -> None:
    text = grouped(count)
    groups = text.split(THIN)
    assert int("".join(groups)) == count
    assert 1 <= len(groups[0]) <= 3 and all(len(group) == 3 for group in groups[1:])
    assert text.replace(THIN, "").isdigit()


@given(st.decimals(min_value=0, max_value=100, places=2))
def test_a_percent_has_a_decimal_comma_and_reads_back(number: Decimal) -> None:
    text = decimal_comma(number)
    assert "." not in text and Decimal(text.replace(",", ".")) == number


def test_a_line_not_verified_refuses_the_board(templates) -> None:
    with pytest.raises(FactRefused, match="'result-no' is 'in_review', not 'verified'"):
        board(templates, with_line("no", status="in_review"))
    facts = sample()
    del facts.facts["result-invalid"]
    with pytest.raises(FactRefused, match="the line invalid of the result is not in the store"):
        board(templates, facts)
    with pytest.raises(FactRefused, match="the line yes of the result is 'retracted'"):
        board(templates, with_line("yes", status="retracted"))


def test_a_line_in_conflict_refuses_the_board_naming_the_figures(templates) -> None:
    conflict = "C4: F12 7954667 interfax.ru · F19 7954676 tengrinews.kz"
    with pytest.raises(FactRefused, match=f"(?s)'result-yes' is 'conflict'.*sources disagree \\({conflict}\\)"):
        board(templates, with_line("yes", status="conflict", conflict=conflict))


def test_a_result_that_does_not_add_up_is_refused_with_the_sums(templates) -> None:
    with pytest.raises(FactRefused) as refused:
        board(templates, with_line("no", value="898100"))
    said = str(refused.value)
    assert ("yes + no + invalid + not_counted_both_marked = 7954667 + 898100 + 146558 + 127868 = 9127193 "
            "≠ took_part 9127192") in said
    assert "result-took_part" in said and "the board is refused" in said
    with pytest.raises(FactRefused, match="yes_percent = 100 × yes / took_part = 100 × 7954667 / 9127192 = "
                                          "87.1535 ≠ 87.51"):
        board(templates, with_line("yes_percent", value="87.51"))


def test_two_verified_figures_for_one_line_are_for_the_desk_to_settle(templates) -> None:
    facts = sample(FactView(id="result-no-2", status="verified", value="898199", region="national",
                            sources=(TRIBUNE,), as_of=RESULTS_VERIFIED, line="no"))
    with pytest.raises(FactRefused, match="two verified figures for the line no"):
        board(templates, facts)


def test_the_refusal_is_said_in_kazakh_and_russian_too(templates) -> None:
    with pytest.raises(FactRefused) as refused:
        board(templates, with_line("invalid", value="146000"))
    sums = "7954667 + 898099 + 146000 + 127868 = 9126634 ≠ took_part 9127192"
    assert "сәйкес келмейді: yes + no" in refused.value.said.render("kk") and sums in refused.value.said.render("kk")
    assert "не сходятся: yes + no" in refused.value.said.render("ru") and sums in refused.value.said.render("ru")


def test_the_stage_is_preliminary_or_final_and_nothing_else(templates) -> None:
    from studio.graphics.errors import DataError
    from studio.graphics.render import check

    for bad in ("Final", "official"):
        with pytest.raises(DataError, match="final"):
            render(templates["results-board"], {"result": bad}, sample())
        with pytest.raises(DataError):
            check(templates["results-board"], {"result": bad})
    check(templates["results-board"], {"result": "preliminary"})
