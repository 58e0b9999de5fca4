"""``studio run`` on a plan dated another day: the question before anything is taken (kk, ru, en; keys
only), each flag that skips it, the store a rehearsal writes, and the first screen in REHEARSAL.

The console is built by the CLI's own factory (studio/commands/show.py ``console``) on a clock that
stands still; the sample rundown is the one ``make run`` opens.
"""

from __future__ import annotations

import shutil
from datetime import date, datetime, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from textual.widgets import Input, OptionList

from studio.cli import main
from studio.commands.parser import parser
from studio.commands.show import console
from studio.config import Config
from studio.errors import UsageError
from studio.paths import rehearsal_store_file
from studio.rundown.today import PLAN, OnToday
from studio.show.on_today import AS_PLANNED, Asked, Question
from studio.tui.on_today import OnTodayApp
from studio.tui.screens import ConfirmScreen, ProducerScreen
from studio.tui.widgets.text import Readout
from tests.clock import Clock

ALMATY = ZoneInfo("Asia/Almaty")
SAMPLE = Path(__file__).resolve().parents[2] / "studio" / "sample" / "referendum-day.toml"
TODAY = date(2026, 12, 6)
NOW = datetime(2026, 12, 6, 14, 30, 44, tzinfo=ALMATY)
SIZE = (120, 40)
STORE_SHOWN = Path("/srv/studio/studio.rehearsal-2026-12-06.db")


# --------------------------------------------------------------------------- the question


def known(*, plan: date = date(2026, 3, 15), to_come: bool = False, resumes: OnToday | None = None) -> Question:
    return Question(plan, time(7), TODAY, NOW, ALMATY, todays=False, to_come=to_come, store=STORE_SHOWN,
                    resumes=resumes)


def question_app(language: str = "en", **kw: Any) -> OnTodayApp:
    app = OnTodayApp(Config.model_validate({"station": {"language": language}}), known(**kw))
    app.animation_level = "none"
    return app


def said(app: OnTodayApp, widget: str) -> str:
    return app.screen.query_one(f"#{widget}", Readout).text


def options(app: OnTodayApp) -> list[str]:
    choices = app.screen.query_one("#on-today-choices", OptionList)
    return [str(choices.get_option_at_index(i).prompt) for i in range(choices.option_count)]


async def test_a_past_plan_is_said_plainly_and_enter_rehearses_it_on_todays_clock_from_now() -> None:
    app = question_app()
    async with app.run_test(size=SIZE) as pilot:
        assert said(app, "on-today-title") == "Plan of 2026-03-15, today is 2026-12-06"
        assert options(app) == [
            "Rehearse it on today's clock, starting now (14:31)",
            "Rehearse it on today's clock, at the plan's own time of day (07:00)",
            "Rehearse it on today's clock, starting at a time you type",
        ]  # its day is past: it cannot run as planned, so that is not offered
        assert str(STORE_SHOWN) in said(app, "on-today-store")
        await pilot.press("enter")
    assert app.asked == Asked(on_today=True)


async def test_the_plans_own_time_of_day_is_a_choice() -> None:
    app = question_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("down", "enter")
    assert app.asked == Asked(on_today=True, start=PLAN)


async def test_a_typed_start_is_checked_and_escape_goes_back_to_the_choices() -> None:
    app = question_app()
    async with app.run_test(size=SIZE) as pilot:
        field = app.screen.query_one("#on-today-start", Input)
        assert not field.display
        await pilot.press("down", "down", "enter")
        assert field.display and field.has_focus
        await pilot.press("escape")
        assert not field.display and app.screen.query_one("#on-today-choices", OptionList).has_focus
        await pilot.press("enter")
        await pilot.press(*"25:00", "enter")
        assert said(app, "on-today-status") == "25:00 is not a time: type it as HH:MM, e.g. 09:30"
        assert app.is_running and app.asked is None
        field.value = ""
        await pilot.press(*"9:15", "enter")
    assert app.asked == Asked(on_today=True, start=time(9, 15))


async def test_a_plan_still_to_come_may_run_as_planned() -> None:
    app = question_app(plan=date(2026, 12, 20), to_come=True)
    async with app.run_test(size=SIZE) as pilot:
        assert options(app)[-1] == "Run it as planned, on 2026-12-20: a show still to come"
        await pilot.press("end", "enter")
    assert app.asked == AS_PLANNED


async def test_a_rehearsal_begun_today_is_offered_to_resume_and_ctrl_q_leaves_without_an_answer() -> None:
    app = question_app(resumes=OnToday(TODAY, time(9, 5)))
    async with app.run_test(size=SIZE) as pilot:
        assert options(app) == ["Resume today's rehearsal (on today's clock, begun at 09:05)"]
        await pilot.press("ctrl+q")
    assert app.asked is None


async def test_f2_says_the_question_in_kazakh_then_russian() -> None:
    app = question_app()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("f2")
        assert said(app, "on-today-title") == "Жоспардың күні 2026-03-15, бүгін 2026-12-06"
        assert options(app)[0] == "Бүгінгі уақытпен репетиция, дәл қазір басталады (14:31)"
        await pilot.press("f2")
        assert said(app, "on-today-title") == "План на 2026-03-15, сегодня 2026-12-06"
        assert app.screen.query_one("#on-today-start", Input).placeholder == "ЧЧ:ММ"


def test_the_question_in_kazakh(snap_compare) -> None:
    assert snap_compare(question_app("kk"), terminal_size=SIZE)


# --------------------------------------------------------------------------- the flags, through `studio run`'s factory


@pytest.fixture
def station(tmp_path: Path) -> Path:
    """A station config with sign-in off (a rehearsal machine): the console opens without a passphrase."""
    path = tmp_path / "config.toml"
    path.write_text('[station]\nlanguage = "en"\noperator = "aigerim"\n[operators]\nsign_in = false\n', "utf-8")
    return path


@pytest.fixture
def show_store(tmp_path: Path) -> Path:
    return tmp_path / "studio.db"


@pytest.fixture
def no_question(monkeypatch: pytest.MonkeyPatch) -> None:
    def asked(*_: Any) -> None:
        raise AssertionError("a flag or a plan of today must not ask")

    monkeypatch.setattr("studio.tui.on_today.asked_on_console", asked)


def dated(tmp_path: Path, day: date) -> Path:
    """The sample plan, dated ``day`` (its video beside it, as in rundowns/)."""
    folder = tmp_path / "rundowns"
    shutil.copytree(SAMPLE.parent, folder, dirs_exist_ok=True)
    path = folder / SAMPLE.name
    path.write_text(SAMPLE.read_text("utf-8").replace("date = 2026-03-15", f"date = {day.isoformat()}"), "utf-8")
    return path


def started(station: Path, store: Path, *arguments: str, at: datetime = NOW, rundown: Path = SAMPLE):
    args = parser().parse_args(["--config", str(station), "--store", str(store), "run", *arguments, str(rundown)])
    return console(args, Clock(at))


def header(app: Any) -> str:
    return app.screen.query_one("#mode", Readout).text


async def test_on_today_maps_the_sample_onto_now_in_todays_rehearsal_store(station, show_store, no_question) -> None:
    services, app = started(station, show_store, "--on-today", "--rehearsal")
    rehearsal = rehearsal_store_file(show_store, TODAY)
    assert services.store_path == rehearsal and not show_store.exists()  # the show's store is never written
    async with app.run_test(size=SIZE):
        assert header(app) == "REHEARSAL — plan of 2026-03-15, no switcher"
        assert "-rehearsal" in app.screen.query_one("#mode", Readout).classes
        timing = app.view.timing
        assert app.view.rundown.show.start == time(14, 31)
        assert timing.next_fixed is not None and timing.next_fixed.backtime == timedelta(0)
        assert timing.next_fixed.start == datetime(2026, 12, 6, 17, 31, tzinfo=ALMATY)
        assert timing.next_turnout == datetime(2026, 12, 6, 17, 31, tzinfo=ALMATY)
    services.controller.close()


@pytest.mark.parametrize(("start", "expected"), [("09:00", time(9)), ("plan", time(7))])
async def test_start_sets_the_shows_time_today_and_implies_on_today(station, show_store, no_question, start, expected):
    services, app = started(station, show_store, "--start", start, "--rehearsal")
    assert services.controller.rundown.show.start == expected
    assert services.controller.rundown.show.date == TODAY and services.store_path != show_store
    services.controller.close()


async def test_with_obs_a_plan_on_todays_clock_still_says_rehearsal(station, show_store, no_question) -> None:
    services, app = started(station, show_store, "--on-today")
    assert services.has_obs  # the switcher is built; it connects only when the console runs
    async with app.run_test(size=SIZE):
        assert header(app) == "REHEARSAL — plan of 2026-03-15 on today's clock"
    services.controller.close()


async def test_a_plan_of_today_runs_as_it_is_in_the_shows_store(station, show_store, no_question, tmp_path) -> None:
    services, app = started(station, show_store, "--rehearsal", rundown=dated(tmp_path, TODAY))
    assert services.store_path == show_store
    show = services.controller.rundown.show
    assert show.plan_date is None and show.start == time(7)
    async with app.run_test(size=SIZE):
        assert header(app) == "REHEARSAL — no switcher"  # as before: no OBS
    services.controller.close()


async def test_as_planned_runs_a_show_still_to_come_on_its_own_day(station, show_store, no_question, tmp_path) -> None:
    later = date(2026, 12, 20)
    services, app = started(station, show_store, "--as-planned", "--rehearsal", rundown=dated(tmp_path, later))
    assert services.store_path == show_store and services.controller.rundown.show.date == later
    services.controller.close()


def test_as_planned_refuses_a_plan_whose_day_is_past(station, show_store, capsys) -> None:
    code = main(["--config", str(station), "--store", str(show_store), "run", "--as-planned", str(SAMPLE)])
    assert code == 2
    assert "the plan is of 2026-03-15 and today is" in capsys.readouterr().err and not show_store.exists()


def test_start_does_not_go_with_as_planned(station, show_store, capsys) -> None:
    code = main(["--config", str(station), "--lang", "ru", "--store", str(show_store), "run", "--as-planned",
                 "--start", "09:00", str(SAMPLE)])
    assert code == 2 and "--start нельзя вместе с --as-planned" in capsys.readouterr().err


def test_a_start_that_is_no_time_is_refused_by_the_parser(station, capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        parser().parse_args(["run", "--start", "noon"])
    assert exit.value.code == 2 and "argument --start: invalid" in capsys.readouterr().err


async def test_without_a_flag_a_plan_of_another_day_asks_first(station, show_store, monkeypatch) -> None:
    asked: list[Question] = []

    def answer(config: Config, question: Question) -> Asked:
        asked.append(question)
        return Asked(on_today=True, start=time(8, 30))

    monkeypatch.setattr("studio.tui.on_today.asked_on_console", answer)
    services, _ = started(station, show_store, "--rehearsal")
    assert [(q.plan_date, q.today, q.todays, q.to_come) for q in asked] == [(date(2026, 3, 15), TODAY, False, False)]
    assert asked[0].store == rehearsal_store_file(show_store, TODAY)
    assert services.controller.rundown.show.start == time(8, 30)
    services.controller.close()


def test_leaving_the_question_starts_nothing(station, show_store, monkeypatch) -> None:
    monkeypatch.setattr("studio.tui.on_today.asked_on_console", lambda config, question: None)
    from studio.commands.common import Quit

    with pytest.raises(Quit):
        started(station, show_store, "--rehearsal")
    assert not show_store.exists() and not rehearsal_store_file(show_store, TODAY).exists()


def test_the_rehearsals_graphics_show_the_figures_of_the_day_it_was_planned_for(station, show_store, no_question):
    """The sample day's desk (make run loads it into the rehearsal's store) holds the commission's figures of
    2026-03-15: a turnout board in the rehearsal finds them there (in review, so refused), not on today."""
    from studio.desk.demo import load_demo
    from studio.onair import GraphicRefused
    from studio.rundown.model import GraphicCue
    from studio.store.desk import open_desk

    desk = open_desk(rehearsal_store_file(show_store, TODAY))
    load_demo(desk)
    desk.close()
    services, _ = started(station, show_store, "--on-today", "--rehearsal")
    assert services.controller.renderer is not None
    with pytest.raises(GraphicRefused) as refused:
        services.controller.renderer.render(GraphicCue("turnout-board", {"hour": "10:00", "language": "kk"}))
    assert "the national figure for 10:00 is 'in_review'" in str(refused.value)  # found on the plan's day
    services.controller.close()


# --------------------------------------------------------------------------- a rehearsal begun, resumed


def test_a_rehearsal_begun_resumes_on_its_clock_and_one_not_begun_takes_the_new_one(station, show_store, no_question):
    services, _ = started(station, show_store, "--on-today", "--rehearsal")
    services.controller.close()  # opened at 14:30, nothing taken
    services, _ = started(station, show_store, "--on-today", "--rehearsal", at=NOW + timedelta(hours=1))
    assert services.controller.rundown.show.start == time(15, 31)  # not begun: on the clock asked for now
    services.controller.take_next()
    services.controller.close()

    later = NOW + timedelta(hours=3)
    services, _ = started(station, show_store, "--on-today", "--rehearsal", at=later)
    assert services.controller.rundown.show.start == time(15, 31)  # begun: resumed as it was
    assert services.controller.state.on_air is not None
    services.controller.close()
    with pytest.raises(UsageError) as refused:
        started(station, show_store, "--start", "09:00", "--rehearsal", at=later)
    assert "began on today's clock at 15:31" in str(refused.value)
    # Another day, another rehearsal: a store of its own.
    services, _ = started(station, show_store, "--on-today", "--rehearsal", at=NOW + timedelta(days=1))
    assert services.store_path == rehearsal_store_file(show_store, TODAY + timedelta(days=1))
    assert services.controller.state.on_air is None
    services.controller.close()


async def test_the_rundown_file_read_again_stays_on_todays_clock(station, show_store, no_question, tmp_path, settle):
    rundown = dated(tmp_path, date(2026, 3, 15))
    services, app = started(station, show_store, "--on-today", "--rehearsal", rundown=rundown)
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ProducerScreen)  # the file, on the live clock, is the live plan: no offer
        rundown.write_text(rundown.read_text("utf-8").replace('duration = "10m"', 'duration = "12m"', 1), "utf-8")
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        live = services.controller.rundown
        assert live.get("open").duration == timedelta(minutes=12)  # type: ignore[union-attr]
        assert live.show.start == time(14, 31) and live.get("crc-1000").fixed == time(17, 31)  # type: ignore[union-attr]
    services.controller.close()


# --------------------------------------------------------------------------- the first screen


def test_the_first_screen_of_make_run_in_rehearsal(snap_compare, station, show_store, no_question) -> None:
    """What a newcomer sees after `make run`: the sample day on today's clock, starting now, REHEARSAL."""
    services, app = started(station, show_store, "--on-today", "--rehearsal")
    app.animation_level = "none"
    try:
        assert snap_compare(app, terminal_size=SIZE)
    finally:
        services.controller.close()


async def test_the_trainees_console_lives_on_the_day_a_manual_rehearsal_plays(station, show_store, no_question):
    """`studio rehearse --manual` prints `studio --store ITS-STORE run --rehearsal`: that console reads the
    rehearsal's clock from the wall (here 10 real seconds after the day began, at 60x: ten minutes in)."""
    from studio.store import open_store
    from studio.store.show import RehearsalMark

    begun = datetime(2026, 12, 6, 14, 0, tzinfo=ALMATY)
    store = open_store(show_store)
    with store.write():
        store.mark_rehearsal(RehearsalMark("referendum-2026", begun, datetime(2026, 3, 15, 9, 0, tzinfo=ALMATY), 60, 1))
    store.close()

    services, app = started(station, show_store, "--rehearsal", at=begun + timedelta(seconds=10))
    assert services.store_path == show_store  # the rehearsal's store, not one beside it
    assert services.controller.clock() == datetime(2026, 3, 15, 9, 10, tzinfo=ALMATY)
    async with app.run_test(size=SIZE):
        assert header(app).startswith("REHEARSAL")
    services.controller.close()
