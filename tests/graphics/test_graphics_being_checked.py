"""A turnout figure that is not verified never reaches the image: its region is
drawn as «тексерілуде» / «проверяется», and the source line credits the
commission, via the outlet that quoted it."""

from __future__ import annotations

from dataclasses import replace
from datetime import time
from decimal import Decimal

from hypothesis import given, settings
from hypothesis import strategies as st
from PIL import ImageChops

from studio.graphics.render import draw, prepare
from studio.graphics import load_templates
from studio.graphics.gate import Credit, MemoryFacts, turnout_board
from studio.graphics.gate import percent_text
from studio.graphics.resolve import sources_text
from studio.regions import regions

from .conftest import OVERLAYS, turnout_facts

TEMPLATES = load_templates(OVERLAYS)
TEN = [view for view in turnout_facts() if view.as_of.hour == 10]
SHYMKENT = next(view for view in TEN if view.region == "shymkent")
FIGURES = st.decimals(min_value=0, max_value=100, places=2).map(str)


def board_with_shymkent(templates, language: str = "kk", **change):
    """The 10:00 board; Shymkent's figure changed by ``change`` (e.g. not verified), or left out (None)."""
    views = [view for view in TEN if view is not SHYMKENT]
    if change:
        views.append(replace(SHYMKENT, **change))
    prepared = prepare(templates["turnout-board"], {"hour": "10:00", "language": language}, MemoryFacts().add(*views))
    return prepared, draw(prepared).image


@settings(max_examples=12, deadline=None)
@given(first=FIGURES, second=FIGURES, status=st.sampled_from(["new", "in_review", "conflict", "unproven"]))
def test_an_unverified_figure_never_reaches_the_image(first: str, second: str, status: str) -> None:
    templates = TEMPLATES
    one, one_image = board_with_shymkent(templates, status=status, value=first)
    other, other_image = board_with_shymkent(templates, status=status, value=second)
    # the picture does not depend on the unverified number at all: it is not drawn
    assert ImageChops.difference(one_image, other_image).getbbox(alpha_only=False) is None
    printed = set(one.resolved.values.values())
    assert percent_text(first) not in printed and first not in printed
    board = one.resolved.boards["hour"]
    assert board.checking == ("shymkent",) and "shymkent" not in {v.region for v in board.rows}
    assert one.resolved.values["hour.count"] == f"19/{len(regions())}"


def test_a_region_being_checked_is_drawn_as_such_in_each_language(templates) -> None:
    _, missing = board_with_shymkent(templates)
    _, checking = board_with_shymkent(templates, status="in_review")
    _, verified = board_with_shymkent(templates, status="verified")
    assert ImageChops.difference(missing, checking).getbbox(alpha_only=False) is not None  # a row is drawn: "being checked"
    assert ImageChops.difference(checking, verified).getbbox(alpha_only=False) is not None  # and it is not the figure
    _, russian = board_with_shymkent(templates, "ru", status="in_review")
    assert ImageChops.difference(checking, russian).getbbox(alpha_only=False) is not None


def test_a_withheld_national_figure_still_refuses_the_board() -> None:
    views = [replace(v, status="in_review") if v.region == "national" else v for v in TEN]
    try:
        turnout_board("turnout-board", time(10), MemoryFacts().add(*views), regions())
    except Exception as refused:
        assert "in_review" in str(refused)
    else:
        raise AssertionError("a board without a verified national figure went through")


def test_the_source_line_credits_the_commission_via_the_outlet() -> None:
    nur, ult = Credit("nur.kz", commission=True), Credit("ult.kz", commission=True)
    own, tengri = Credit("", commission=True), Credit("tengrinews.kz")
    assert sources_text((nur,), "kk") == "ОРК / ЦРК, nur.kz арқылы"
    assert sources_text((nur,), "ru") == "ЦРК, через nur.kz"
    assert sources_text((nur, ult, nur), "ru") == "ЦРК, через nur.kz, ult.kz"
    assert sources_text((nur, own), "kk") == "ОРК / ЦРК"  # the commission's own page says it all
    assert sources_text((tengri, nur), "kk") == "ОРК / ЦРК, nur.kz арқылы, tengrinews.kz"
    assert sources_text((tengri,), "ru") == "tengrinews.kz"
    many = tuple(Credit(f"site{n}.kz", commission=n < 2) for n in range(6))
    assert sources_text(many, "ru") == "ЦРК, через site0.kz, site1.kz, site2.kz +3"


def test_the_board_prints_the_credit_line(templates) -> None:
    credited = [replace(v, credits=(Credit("nur.kz", commission=True),)) for v in TEN]
    prepared = prepare(templates["turnout-board"], {"hour": "10:00"}, MemoryFacts().add(*credited))
    assert prepared.resolved.values["hour.sources"] == "ОРК / ЦРК, nur.kz арқылы"
    assert prepared.resolved.values["hour.sources_ru"] == "ЦРК, через nur.kz"
    assert Decimal(prepared.resolved.boards["hour"].national.value) == Decimal("19.21")
