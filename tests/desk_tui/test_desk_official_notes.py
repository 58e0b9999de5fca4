"""The desk's detail pane tells the verifier what the figures alone would hide: a bound is not a figure, and
an official figure whose arithmetic failed says so with the arithmetic, before anyone verifies it."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from studio.desk.turnout import import_turnout
from studio.store.desk import open_desk
from studio.tui.desk.client import Detail
from studio.tui.desk.view import detail_text


def test_the_detail_pane_shows_a_bound_and_a_failed_check(desk_path, tmp_path) -> None:
    desk = open_desk(desk_path)
    outlet, mapping = tmp_path / "outlet.csv", tmp_path / "outlet.toml"
    outlet.write_text("hour,region,turnout_percent,voters,registered,source\n"
                      "10:00,shymkent,более 40%,,,https://tengrinews.kz/x\n"
                      "10:00,national,19.31,2393844,12461796,https://tengrinews.kz/x\n", "utf-8")
    mapping.write_text('hours_only = true\n[columns]\nlocal_time = "hour"\n', "utf-8")
    import_turnout(desk, outlet, operator="aigerim", mapping=mapping, day=date(2026, 3, 15))
    bound, flagged = desk.facts()
    desk.close()
    shown = detail_text(Detail("fact", bound.id, bound, ()), "ru", ZoneInfo("Asia/Almaty"))
    assert "Граница, а не цифра: более 40%. На табло не выводится." in shown
    shown = detail_text(Detail("fact", flagged.id, flagged, ()), "kk", ZoneInfo("Asia/Almaty"))
    assert ("⚠ Сандар сәйкес келмейді: turnout_percent = 100 × voters / registered = 100 × 2393844 / 12461796 "
            "= 19.2095 ≠ 19.31") in shown
