"""The producer console driven by keys: every test checks the store, not just the screen."""

from __future__ import annotations

import os
from datetime import time, timedelta
from pathlib import Path

from textual.widgets import Input, Select, SelectionList, Static, TextArea

from studio.i18n import Catalogue, catalogue
from studio.regions import regions
from studio.rundown.model import Kind
from studio.tui.screens import ConfirmScreen, DurationScreen, InsertScreen, ProducerScreen, TextScreen
from studio.tui.widgets.rundown import RundownTable
from studio.tui.widgets.rundown.table import FOLLOW_AFTER, TITLE_MIN

SIZE = (120, 40)
EN = Catalogue("en")


def on_air(app) -> str | None:
    state = app.controller.store.state(app.controller.show_id)
    return state.on_air.segment_id if state.on_air else None


def status_cell(app, segment_id: str) -> str:
    return app.query_one(RundownTable).get_cell(segment_id, "status").plain


def notices(app) -> list[tuple[str, str, str]]:
    return [(n.message, n.title, n.severity) for n in app._notifications]


async def select(pilot, segment_id: str) -> None:
    pilot.app.query_one(RundownTable).select(segment_id)
    await pilot.pause()


# --- taking ---------------------------------------------------------------------


async def test_take_next_puts_the_first_segment_on_air(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        assert on_air(app) == "open"
        assert status_cell(app, "open") == EN.t("status.on_air")
        assert status_cell(app, "astana-live") == EN.t("status.next")
        await pilot.press("f1")  # the second default key
        await settle(pilot)
        assert on_air(app) == "astana-live"
        assert status_cell(app, "open") == EN.t("status.played")


async def test_take_selected_asks_first_and_takes_out_of_order(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "briefing-10")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("enter")  # the focused button is Cancel: a double press never takes
        await settle(pilot)
        assert isinstance(app.screen, ProducerScreen)
        assert on_air(app) is None

        await pilot.press("enter")
        await pilot.pause()
        await pilot.press("y")
        await settle(pilot)
        assert on_air(app) == "briefing-10"


async def test_take_selected_on_the_next_line_needs_no_question(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "open")
        await pilot.press("enter")
        await settle(pilot)
        assert on_air(app) == "open"


async def test_hold_and_release(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one(RundownTable).monotonic = lambda: 0.0  # the cursor stays where the producer put it
        await select(pilot, "astana-live")
        await pilot.press("h")
        await settle(pilot)
        assert "astana-live" in app.controller.store.state("referendum").held
        assert status_cell(app, "astana-live") == EN.t("status.held")
        for _ in range(2):  # open, then the briefing: the held line is passed over
            await pilot.press("space")
            await settle(pilot)
        assert on_air(app) == "briefing-10"
        await pilot.press("h")
        await settle(pilot)
        assert "astana-live" not in app.controller.store.state("referendum").held
        assert (EN.t("notify.released", title="Прямое включение из Астаны"), "", "information") in notices(app)


async def test_skip(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "open")
        await pilot.press("s")
        await settle(pilot)
        assert app.controller.store.state("referendum").skipped == {"open"}
        assert status_cell(app, "open") == EN.t("status.skipped")
        await pilot.press("space")
        await settle(pilot)
        assert on_air(app) == "astana-live"


async def test_the_id_column_fits_the_longest_id_an_insert_brings(make, settle) -> None:
    from studio.rundown.model import Bilingual, Segment

    app = make()
    async with app.run_test(size=SIZE) as pilot:
        table = app.query_one(RundownTable)
        long_id = "live-shymkent-afternoon"  # 23 characters, as in the sample day
        assert table.columns["id"].width < len(long_id)
        title_before = table.columns["title"].width
        segment = Segment(long_id, Kind.STUDIO, Bilingual("Қосымша", "Дополнительно"), timedelta(minutes=3))
        app.controller.insert("open", segment)
        app.request_view()
        await settle(pilot)
        assert table.columns["id"].width == len(long_id)
        assert table.get_cell(long_id, "id").plain == long_id
        assert table.columns["title"].width == max(TITLE_MIN, title_before - (len(long_id) - 13))  # it gives the room


async def test_hold_and_skip_on_played_and_on_air_rows_are_refused_with_a_message(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        app.screen.query_one(RundownTable).monotonic = lambda: 0.0  # the cursor stays where the producer put it
        for _ in range(2):
            await pilot.press("space")
            await settle(pilot)
        for row, key, said in [("open", "h", "error.already_played"), ("open", "s", "error.already_played"),
                               ("astana-live", "s", "error.on_air_frozen")]:
            await select(pilot, row)
            await pilot.press(key)
            await settle(pilot)
            title = app.controller.rundown.get(row).title.text("en")
            assert EN.t(said, segment=title) in [message for message, _, _ in notices(app)]
        assert status_cell(app, "open") == EN.t("status.played")
        assert app.controller.store.state("referendum").held == set() == app.controller.store.state("referendum").skipped


async def test_undo_asks_then_puts_back_the_previous_segment(make, settle, clock) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        clock.advance(minutes=3)
        await pilot.press("space")
        await settle(pilot)
        assert on_air(app) == "astana-live"
        await pilot.press("u")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert on_air(app) == "open"
        assert status_cell(app, "open") == EN.t("status.on_air")


async def test_end_show_asks_first(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        await pilot.press("ctrl+e")
        await pilot.pause()
        await pilot.press("escape")
        await settle(pilot)
        assert on_air(app) == "open"
        await pilot.press("ctrl+e", "y")
        await settle(pilot)
        assert on_air(app) is None


# --- editing ----------------------------------------------------------------------


async def test_duration_dialog_checks_the_value_then_sets_it(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "astana-live")
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, DurationScreen)
        field = dialog.query_one("#duration", Input)
        field.value = "4 minutes"
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # stays open, says why
        assert str(dialog.query_one("#duration-error", Static).render()) == EN.t("duration.invalid", value="4 minutes")
        field.value = "0s"
        await pilot.press("enter")
        await pilot.pause()
        assert str(dialog.query_one("#duration-error", Static).render()) == EN.t("duration.not_positive")
        field.value = "999999h"
        await pilot.press("enter")
        await pilot.pause()
        assert str(dialog.query_one("#duration-error", Static).render()) == EN.t("duration.too_long", longest="24h")
        field.value = "4m30s"
        await pilot.press("enter")
        await settle(pilot)
        assert isinstance(app.screen, ProducerScreen)
        assert app.controller.rundown.get("astana-live").duration == timedelta(minutes=4, seconds=30)
        assert app.query_one(RundownTable).get_cell("astana-live", "duration").plain == "4:30"


async def test_duration_of_the_on_air_segment_is_refused_without_a_dialog(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        await select(pilot, "open")
        await pilot.press("d")
        await pilot.pause()
        assert isinstance(app.screen, ProducerScreen)
        message, title, severity = notices(app)[-1]
        assert message == EN.t("error.on_air_frozen", segment="Открытие эфира")  # ids show as titles
        assert severity == "error"


async def test_drop_asks_first(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "analysis")
        await pilot.press("delete")
        await pilot.pause()
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.controller.rundown.get("analysis") is None
        assert "analysis" not in app.query_one(RundownTable).rows


async def test_move_down_keeps_the_cursor_on_the_moved_line(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "almaty-live")
        await pilot.press("shift+down")
        await settle(pilot)
        ids = [s.id for s in app.controller.rundown.segments]
        assert ids.index("konaev-live") + 1 == ids.index("almaty-live")
        assert app.query_one(RundownTable).selected_id == "almaty-live"
        await pilot.press("shift+up")
        await settle(pilot)
        ids = [s.id for s in app.controller.rundown.segments]
        assert ids.index("almaty-live") + 1 == ids.index("konaev-live")


async def test_insert_after_the_selected_line(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "astana-live")
        await pilot.press("i")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, InsertScreen)
        dialog.query_one("#insert-id", Input).value = "aktobe-live"
        dialog.query_one("#insert-kind", Select).value = Kind.LIVE
        dialog.query_one("#insert-kk", Input).value = "Ақтөбеден тікелей"
        dialog.query_one("#insert-ru", Input).value = "Включение из Актобе"
        dialog.query_one("#insert-duration", Input).value = "3m"
        await pilot.press("enter")  # in the id field: the form is checked whole
        await pilot.pause()
        assert app.screen is dialog
        assert EN.t("insert.needs_region") in str(dialog.query_one("#insert-errors", Static).render())
        dialog.query_one("#insert-region", Select).value = "aktobe"
        await pilot.press("enter")
        await settle(pilot)
        ids = [s.id for s in app.controller.rundown.segments]
        assert ids[ids.index("astana-live") + 1] == "aktobe-live"
        inserted = app.controller.rundown.get("aktobe-live")
        assert inserted.region == "aktobe" and inserted.duration == timedelta(minutes=3)
        assert app.query_one(RundownTable).selected_id == "aktobe-live"
        assert app.query_one(RundownTable).get_cell("aktobe-live", "region").plain == regions()["aktobe"].en


WITH_GRAPHICS_AND_A_CLIP = """
[[segment]]
id = "results-clip"
kind = "video"
title = { kk = "Ролик", ru = "Ролик" }
duration = "1m"
video_source = "Results clip"
graphics = [{ template = "lower-third", data = { name = "Дана Ким", role = "корреспондент" } }]
"""


async def insert_dialog(pilot, after: str, fields: dict[str, str]) -> InsertScreen:
    """The insert dialog opened after the line ``after``, its text fields (by selector) filled in."""
    await select(pilot, after)
    await pilot.press("i")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, InsertScreen)
    for selector, value in fields.items():
        dialog.query_one(selector, Input).value = value
    return dialog


async def test_insert_gives_the_new_segment_its_scene_fixed_start_feed_graphics_and_cue(
    make, settle, rundown_file
) -> None:
    """What the show needs to air an inserted segment: the dialog offers what the rundown already has."""
    rundown_file.write_text(rundown_file.read_text() + WITH_GRAPHICS_AND_A_CLIP)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        form = {"#insert-id": "astana-again", "#insert-kk": "Астанадан тағы", "#insert-ru": "Снова Астана",
                "#insert-duration": "4m", "#insert-fixed": "25:70"}
        dialog = await insert_dialog(pilot, "astana-live", form)
        astana = app.controller.rundown.get("astana-live")
        dialog.query_one("#insert-kind", Select).value = Kind.LIVE
        dialog.query_one("#insert-region", Select).value = astana.region
        dialog.query_one("#insert-cue", TextArea).text = "Айгерім, сізге сөз."
        graphics = dialog.query_one("#insert-graphics", SelectionList)
        assert graphics.option_count == len(dialog.cues) > 0
        graphics.select(0)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen is dialog  # a fixed start that is no time of day: said, nothing inserted
        assert EN.t("insert.bad_fixed", value="25:70") in str(dialog.query_one("#insert-errors", Static).render())
        dialog.query_one("#insert-fixed", Input).value = "14:30"
        dialog.query_one("#insert-fixed", Input).focus()
        await pilot.press("enter")
        await settle(pilot)
        inserted = app.controller.rundown.get("astana-again")
        assert inserted.fixed == time(14, 30) and inserted.cue == "Айгерім, сізге сөз."
        assert inserted.scene == astana.scene and inserted.feed == astana.feed  # the region's own, from the rundown
        assert inserted.graphics == (dialog.cues[0],)


async def test_insert_of_a_video_segment_needs_a_clip(make, settle, rundown_file) -> None:
    rundown_file.write_text(rundown_file.read_text() + WITH_GRAPHICS_AND_A_CLIP)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        form = {"#insert-id": "clip-again", "#insert-kk": "Ролик", "#insert-ru": "Ролик", "#insert-duration": "1m"}
        dialog = await insert_dialog(pilot, "astana-live", form)
        dialog.query_one("#insert-kind", Select).value = Kind.VIDEO
        await pilot.press("enter")
        await pilot.pause()
        assert EN.t("insert.needs_clip") in str(dialog.query_one("#insert-errors", Static).render())
        dialog.query_one("#insert-clip", Select).value = 0
        await pilot.press("enter")
        await settle(pilot)
        clip = app.controller.rundown.get("clip-again")
        assert clip.kind is Kind.VIDEO and clip.video_source == "Results clip" and clip.video is None


# --- refusals and failures ----------------------------------------------------------------


async def test_a_refused_action_is_a_notification_not_a_traceback(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+e")  # nothing on air: nothing to end
        await settle(pilot)
        assert notices(app)[-1] == (
            EN.t("error.nothing_on_air"),
            EN.t("notify.refused", action=EN.t("binding.rundown.end_show.label")),
            "error",
        )
        assert isinstance(app.screen, ProducerScreen)
    assert app.return_code in (0, None)


async def test_a_double_take_from_two_terminals_never_skips_a_segment(make, settle, second_terminal) -> None:
    app = make()  # live=False: this screen still shows nothing on air
    async with app.run_test(size=SIZE) as pilot:
        second_terminal().take_next()  # another terminal takes "open" meanwhile
        await pilot.press("space")
        await settle(pilot)
        assert on_air(app) == "open"  # not astana-live: the stale press was refused
        message, _, severity = notices(app)[-1]
        assert message == EN.t("error.take_conflict", segment="Открытие эфира")
        assert severity == "error"
        assert status_cell(app, "open") == EN.t("status.on_air")  # the refresh after it shows the truth


async def test_an_unexpected_worker_failure_opens_an_error_dialog(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:

        def broken(controller):
            raise RuntimeError("the store went away")

        app.control("rundown.hold", broken)
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)
        assert "the store went away" in app.screen.intro


async def test_another_process_take_shows_within_a_second(make, second_terminal, clock) -> None:
    app = make(live=True)
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        second_terminal().take_next()
        for _ in range(20):  # the console refreshes four times a second; give it up to a second
            await pilot.pause(0.05)
            if app.view and app.view.on_air and status_cell(app, "open") == EN.t("status.on_air"):
                break
        assert status_cell(app, "open") == EN.t("status.on_air")
        assert app.view.on_air.taken_by == "dana"


async def test_the_table_follows_takes_from_elsewhere_unless_the_producer_just_moved_the_cursor(
    make, settle, second_terminal
) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        table = app.screen.query_one(RundownTable)
        now = [table.monotonic() + FOLLOW_AFTER]  # the console opened on the next row a while ago
        table.monotonic = lambda: now[0]
        other = second_terminal()
        for _ in range(2):  # the API or another terminal takes: the cursor follows the on-air row
            other.take_next()
            app.request_view()
            await settle(pilot)
        assert on_air(app) == table.selected_id == "astana-live"
        await pilot.press("down", "down")  # the producer's hand: the cursor stays where it was put
        chosen = table.selected_id
        other.take_next()
        app.request_view()
        await settle(pilot)
        assert table.selected_id == chosen != on_air(app)
        now[0] += FOLLOW_AFTER  # some seconds later, the next take from elsewhere takes the cursor again
        other.take_next()
        app.request_view()
        await settle(pilot)
        assert table.selected_id == on_air(app)


# --- keymap -----------------------------------------------------------------------------------


async def test_keymap_rebinds_an_action_by_id(make, settle) -> None:
    app = make(keymap={"rundown.take_next": "t"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        assert on_air(app) is None
        await pilot.press("t")
        await settle(pilot)
        assert on_air(app) == "open"


async def test_unknown_keymap_ids_are_reported_once(make) -> None:
    # the prompter's ids share the keymap: they are not unknown to the producer's console
    app = make(keymap={"rundown.tkae_next": "t", "app.nope": "z", "rundown.hold": "j", "prompter.bigger": "plus"})
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        keymap_notes = [n for n in notices(app) if n[1] == EN.t("error.keymap.title")]
        unknown = EN.t("error.keymap.unknown", ids="app.nope, rundown.tkae_next")
        assert keymap_notes == [(unknown, EN.t("error.keymap.title"), "warning")]


async def test_a_keymap_clash_is_reported_once(make, settle) -> None:
    app = make(keymap={"rundown.hold": "s"})  # "s" is skip's key
    async with app.run_test(size=SIZE) as pilot:
        await select(pilot, "astana-live")
        await pilot.press("s")
        await pilot.press("down", "up")
        await settle(pilot)
        clashes = [n for n in notices(app) if "rundown.skip" in n[0] and "rundown.hold" in n[0]]
        assert len(clashes) == 1
        assert "astana-live" in app.controller.store.state("referendum").held  # the keymap wins


# --- the rundown file --------------------------------------------------------------------------------


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text("utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), "utf-8")
    stat = os.stat(path)
    os.utime(path, (stat.st_atime, stat.st_mtime + 5))  # a different mtime even on coarse clocks


async def test_a_changed_file_is_offered_for_reload_keeping_the_on_air_segment(make, settle, rundown_file) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        edit(rundown_file, 'duration = "10m"', 'duration = "12m"')
        app._poll_file()  # what the one-second timer does
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("y")
        await settle(pilot)
        assert app.controller.rundown.get("analysis").duration == timedelta(minutes=12)
        assert on_air(app) == "open"
        assert notices(app)[-1][0] == EN.t("notify.reloaded", count=9)


async def test_a_broken_file_shows_file_and_line_and_keeps_the_plan(make, settle, rundown_file) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        edit(rundown_file, 'duration = "10m"', 'duration = "ten minutes"')
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, TextScreen)
        line = next(n for n, text in enumerate(rundown_file.read_text().splitlines(), 1) if "ten minutes" in text)
        assert any(f"{rundown_file}:{line}" in entry for entry in app.screen.lines)
        await pilot.press("escape")
        assert app.controller.rundown.get("analysis").duration == timedelta(minutes=10)


async def test_an_unchanged_file_on_reload_says_so(make, settle) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("ctrl+r")
        await settle(pilot)
        assert isinstance(app.screen, ProducerScreen)
        assert notices(app)[-1][0] == EN.t("notify.file_unchanged")


async def test_at_start_a_file_that_differs_from_the_live_plan_is_offered(make, settle, second_terminal) -> None:
    second_terminal().set_duration("analysis", timedelta(minutes=11))  # a live edit made earlier
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)
        await pilot.press("escape")
        await settle(pilot)
        assert app.controller.rundown.get("analysis").duration == timedelta(minutes=11)


# --- language ------------------------------------------------------------------------------------------


async def test_language_switch_from_the_command_palette(make, settle) -> None:
    app = make("kk")
    async with app.run_test(size=SIZE) as pilot:
        assert app.query_one(RundownTable).columns["title"].label.plain == "Атауы"
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Русский")
        await pilot.pause(0.3)  # the palette searches asynchronously
        await pilot.press("enter")
        await settle(pilot)
        assert catalogue.language == "ru"
        assert app.query_one(RundownTable).columns["title"].label.plain == "Название"
        assert app.query_one(RundownTable).get_cell("open", "title").plain == "Открытие эфира"


async def test_every_rundown_action_is_in_the_command_palette(make, tmp_path) -> None:
    from studio.graphics import Renderer
    from studio.onair import RendererGraphics
    from studio.tui.commands import StudioCommands

    app = make(graphics=RendererGraphics(Renderer(out=tmp_path)))
    async with app.run_test(size=SIZE) as pilot:
        await pilot.pause()
        provider = StudioCommands(app.screen)
        titles = [command.title for command in provider.commands()]
        for binding_id in (
            "rundown.take_next", "rundown.take_selected", "rundown.hold", "rundown.skip", "rundown.undo",
            "rundown.end_show", "rundown.move_up", "rundown.move_down", "rundown.drop", "rundown.duration",
            "rundown.insert",
        ):
            assert f"{EN.t('group.rundown')}: {EN.t(f'binding.{binding_id}.label')}" in titles
        assert "Rundown: Take next" in titles
        assert f"{EN.t('group.app')}: {EN.t('binding.app.reload.label')}" in titles
        assert "Language: Қазақша" in titles and "Language: Русский" in titles
        graphics = [title for title in titles if title.endswith(EN.t("binding.graphics.take.label"))]
        assert graphics == [f"{EN.t('group.graphics')}: {EN.t('binding.graphics.take.label')}"]  # not "Rundown:"
        helps = {command.title: command.help for command in provider.commands()}
        assert helps["Rundown: Take next"].startswith("space · ")  # the key, as the footer shows it


# --- the clock ticking --------------------------------------------------------------------------------


async def test_ticks_update_cells_without_rebuilding_the_table(make, settle, clock) -> None:
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await pilot.press("space")
        await settle(pilot)
        table = app.query_one(RundownTable)
        rebuilds = table.rebuilds
        clock.advance(minutes=4, seconds=30)  # 1:30 past the planned 3:00 of "open"
        app.request_view()
        await settle(pilot)
        assert table.rebuilds == rebuilds
        assert table.get_cell("astana-live", "expected").plain == "10:02:30"
        panel = app.query_one("#on-air")
        assert panel.has_class("-overrun")
        assert app.query_one("#on-air-remaining").value == "+01:30"
        assert app.query_one("#over-under").text == EN.t("timing.over", amount="1:30")
        assert app.query_one("#backtime").text == EN.t(
            "backtime.fill", time="10:10", title="Брифинг ЦРК", countdown="7:30", amount="3:30"
        )


async def test_titles_that_look_like_markup_are_shown_as_written(make, settle, second_terminal) -> None:
    from studio.rundown.model import Bilingual, Segment

    odd = Segment("odd", Kind.STUDIO, Bilingual("Қорытынды [b", "Итоги [дня"), timedelta(minutes=2))
    second_terminal().insert("open", odd)
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        assert isinstance(app.screen, ConfirmScreen)  # the live plan differs from the file: offered
        await pilot.press("escape")
        await select(pilot, "odd")
        await pilot.press("h")
        await settle(pilot)
        assert app.query_one(RundownTable).get_cell("odd", "title").plain == "Итоги [дня"
        assert notices(app)[-1][0] == EN.t("notify.held", title="Итоги [дня")


async def test_a_long_rundown_is_laid_out_in_full_after_the_first_screen(make, settle, rundown_file) -> None:
    text = rundown_file.read_text("utf-8")
    extra = "".join(
        f'\n[[segment]]\nid = "extra-{n:03d}"\nkind = "studio"\n'
        f'title = {{ kk = "Қосымша {n}", ru = "Дополнительно {n}" }}\nduration = "1m"\n'
        for n in range(150)
    )
    rundown_file.write_text(text + extra, "utf-8")
    app = make()
    async with app.run_test(size=SIZE) as pilot:
        await settle(pilot)
        table = app.query_one(RundownTable)
        assert table.row_count == 159
        await select(pilot, "extra-140")
        await pilot.press("h")
        await settle(pilot)
        assert table.get_cell("extra-140", "status").plain == EN.t("status.held")
        assert table.get_cell("extra-140", "title").plain == "Дополнительно 140"
