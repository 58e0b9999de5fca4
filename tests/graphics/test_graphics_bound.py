"""A bound («более 40%») is never drawn on a turnout board as a number, through the real path: imported by
`studio import-turnout` with an outlet's mapping, verified at the desk, read by the graphics' adapter,
judged by the gate, drawn by the renderer. The picture does not depend on the bound's number at all."""

from __future__ import annotations

from datetime import date, time
from pathlib import Path

import pytest
from PIL import ImageChops

from studio.desk import rules
from studio.desk.model import Status
from studio.desk.turnout import import_turnout
from studio.desk.views import GraphicsFacts
from studio.graphics.errors import FactRefused
from studio.graphics.gate import turnout_board
from studio.graphics.render import draw, prepare
from studio.regions import regions
from studio.store.desk import open_desk

from .conftest import NOW, TURNOUT_CSV

DAY = date(2026, 3, 15)
MAPPING = 'decimal_mark = ","\nhours_only = true\n[columns]\nlocal_time = "час"\nregion = "регион"\n' \
          'turnout_percent = "явка"\nsource = "ссылка"\n'


def board_day(tmp_path: Path, bound: str | None, *, national_bound: bool = False) -> GraphicsFacts:
    """The real 10:00 release, all verified, with Shymkent's figure replaced by ``bound`` (None: no Shymkent)."""
    folder = tmp_path / (bound or "none").replace(" ", "-").replace("%", "pc")
    folder.mkdir()
    release = folder / "release.csv"
    keep = [line for line in TURNOUT_CSV.read_text("utf-8").splitlines()
            if line.startswith("local_time") or (line.startswith("2026-03-15T10:00") and ",shymkent," not in line)]
    if national_bound:
        keep = [line for line in keep if ",national," not in line]
    release.write_text("\n".join(keep) + "\n", "utf-8")
    # lenient: a reprint counts as the commission's word, so one verdict verifies each figure
    desk = open_desk(folder / "desk.db", rules.EvidencePolicy(reprint_counts_as_official=True))
    import_turnout(desk, release, operator="aigerim")
    if bound is not None:
        outlet, mapping = folder / "outlet.csv", folder / "outlet.toml"
        place = "По республике" if national_bound else "Шымкент"
        outlet.write_text(f"час,регион,явка,ссылка\n10:00,{place},{bound},https://tengrinews.kz/x\n", "utf-8")
        mapping.write_text(MAPPING, "utf-8")
        summary = import_turnout(desk, outlet, operator="aigerim", mapping=mapping, day=DAY)
        assert summary.added == 1
    for fact in desk.facts(status=Status.IN_REVIEW):
        desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=fact.created_at)
    return GraphicsFacts(desk, DAY)


def test_a_verified_bound_is_never_drawn_as_a_number(tmp_path, templates) -> None:
    template = templates["turnout-board"]
    images, values = {}, {}
    for bound in ("более 40%", "более 60%", None):
        facts = board_day(tmp_path, bound)
        if bound is not None:
            (shymkent,) = [v for v in facts.turnout(time(10)) if v.region == "shymkent"]
            assert shymkent.status == "verified" and shymkent.value is None  # verified, and still no figure
        prepared = prepare(template, {"hour": "10:00", "language": "kk"}, facts, now=NOW)
        board = prepared.resolved.boards["hour"]
        assert "shymkent" not in {v.region for v in board.rows} and "shymkent" not in board.checking
        images[bound], values[bound] = draw(prepared).image, prepared.resolved.values
    # the bound's number changes nothing in the picture: it is not drawn, nor anything standing for it
    assert ImageChops.difference(images["более 40%"], images["более 60%"]).getbbox(alpha_only=False) is None
    assert ImageChops.difference(images["более 40%"], images[None]).getbbox(alpha_only=False) is None
    assert not any(text in str(value) for value in values["более 40%"].values() for text in ("40", "более"))
    assert values["более 40%"]["hour.count"] == f"19/{len(regions())}"


def test_the_gate_withholds_the_bound_and_keeps_it_in_the_provenance(tmp_path, templates) -> None:
    facts = board_day(tmp_path, "40%-дан астам")
    board = turnout_board("turnout-board", time(10), facts, regions())
    (withheld,) = board.withheld
    assert (withheld.region, withheld.status, withheld.value) == ("shymkent", "verified", None)
    prepared = prepare(templates["turnout-board"], {"hour": "10:00"}, facts, now=NOW)
    assert [(w["region"], w["value"]) for w in prepared.resolved.withheld] == [("shymkent", None)]


def test_a_national_bound_refuses_the_board(tmp_path) -> None:
    facts = board_day(tmp_path, "более 19%", national_bound=True)
    with pytest.raises(FactRefused) as refused:
        turnout_board("turnout-board", time(10), facts, regions())
    assert "the national figure for 10:00 is a bound, not a figure: the board is refused" in str(refused.value)
    assert "табло не выдаётся" in refused.value.render("ru")
