"""The producer console: the app, its workers and the one place worker results land.

The app is given the show's services (studio/show/services.py: the controller,
OBS, YouTube) and never talks to a device itself. Threads: every controller
call (SQLite, OBS through the switcher) runs in a thread worker; the producer
screen asks for one with ``ProducerScreen.Act``. Workers post messages
(``studio.tui.messages``); failures of any worker end up in
``_worker_changed``: an expected failure (any ``StudioError``: a refused take,
a graphic the gate refused, YouTube or OBS saying no) becomes one translated
notification with its kind's severity (a YouTube action's in the YouTube
panel), anything else an error dialog. The event loop only renders.
"""

from __future__ import annotations

import gc
import os
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar

from textual import on, work
from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.widgets import DataTable
from textual.worker import Worker, WorkerState

from studio._start_time import START_NS
from studio.config import Config
from studio.diagnostics import DiagnosticsError
from studio.errors import StudioError
from studio.i18n import Msg, t
from studio.machine import utc_now
from studio.store.db import StoreLost
from studio.store.telegram import HEALTH_SOURCE as BOT_HEALTH
from studio.rundown.load import load_rundown
from studio.rundown.today import like_live
from studio.show import Controller, ShowView
from studio.tui.base import StudioAppBase
from studio.tui.commands import StudioCommands
from studio.tui.messages import (
    ControlDone,
    FeedLost,
    LanguageChanged,
    PreflightDone,
    RundownFileRead,
    StoreRang,
    ViewReady,
)
from studio.tui.screens import (
    ConfirmScreen,
    DurationScreen,
    FactPickerScreen,
    InsertScreen,
    ProducerScreen,
    TextScreen,
)
from studio.tui.widgets.rundown import RundownTable

if TYPE_CHECKING:
    from studio.show.services import ShowServices
    from studio.show.watch import StoreWatch
    from studio.store.health import Health
    from studio.tui.desk.client import DeskClient

DIALOGS = (ConfirmScreen, DurationScreen, FactPickerScreen, InsertScreen, TextScreen)

TICK = 0.25
"""Seconds between refreshes: clocks tick and other processes' writes show within a second."""

FILE_POLL = 1.0
"""Seconds between looks at the rundown file's modification time."""

NOTICE = 20.0
"""Seconds the rehearsal's first notice stays: long enough to read what to do first."""

PREFLIGHT = 2.0
"""Seconds between pre-flight checks of the next segment's feed (each blocks ~0.4 s in a worker)."""


class StudioApp(StudioAppBase):
    producer: ProducerScreen
    PROGRAM = "app"
    CSS_PATH = "app.tcss"
    TITLE = "studio"
    COMMANDS: ClassVar = {StudioCommands}
    BINDING_GROUP_TITLE = "App"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+r", "reload", "Reload file", id="app.reload", tooltip="Reload the rundown file", show=False),
        Binding("f2", "cycle_language", "Language", id="app.language", tooltip="Switch language", show=False),
        Binding("f3", "desk", "Desk", id="app.desk", tooltip="Open the verification desk", show=False),
        Binding(
            "ctrl+p", "command_palette", "Commands", id="app.palette", tooltip="Every action", priority=True, show=False
        ),
        Binding("ctrl+q", "quit", "Quit", id="app.quit", tooltip="Quit the console", priority=True, show=False),
    ]

    def __init__(
        self,
        services: ShowServices,
        config: Config,
        *,
        rundown_path: Path | None = None,
        live: bool = True,
    ) -> None:
        """The console as ``studio run`` starts it (studio/commands/show.py); tests build theirs the same way.

        ``services``: the show (studio/show/services.py): its controller; in the show process
        also OBS, whose feed watchdog reports to the console and whose health the OBS panel
        shows (and the services publish for the control API), and YouTube, for its panel and
        actions. ``rundown_path`` is the file the live plan came from: it is watched and
        offered for reload when it changes. ``live=False`` leaves the refresh and
        file timers off, for still frames in tests.
        """
        super().__init__(config)
        self.services = services
        self.controller = services.controller
        services.on_feed_lost(self.feed_lost)  # the watchdog's alarm comes here
        self.preflight: tuple[str, bool | None] | None = None
        self.rundown_path = Path(rundown_path) if rundown_path is not None else None
        self.live = live  # False: no refresh or file timers (tests of a still frame)
        self.view: ShowView | None = None
        self._actions: dict[Worker[Any], str] = {}
        self._refreshing = False
        self._refresh_again = False
        self._refresh_failed = False
        self._file_mtime: float | None = None
        self._file_dialog_open = False
        self.startup_ms: float | None = None
        self._desk: DeskClient | None = None  # the desk screen's store connection, opened on first use
        self._store_watch: StoreWatch | None = None  # follows other machines' commits as they happen
        self._store_lost = False
        self._bot: Health | None = None  # the bot's last snapshot: kept on screen while the store is lost

    # --- set-up -------------------------------------------------------------

    def get_default_screen(self) -> ProducerScreen:
        # The first view: pure computation on the state the controller loaded at start.
        self.view = self.controller.view()
        self.producer = ProducerScreen(self.services, self.config.station.zone, self.view)
        return self.producer

    def on_mount(self) -> None:
        self.translate()
        self.apply_keymap()
        if self.live:
            self.set_interval(TICK, self.request_view, name="refresh")
            if self.services.has_obs:
                self.set_interval(PREFLIGHT, self._check_next_feed, name="preflight")
        self._say_the_clock()
        if self.rundown_path is not None:
            self._file_mtime = self._mtime()
            self._read_rundown(explicit=False)  # at start: offer the file if it differs from the live plan
            if self.live:
                self.set_interval(FILE_POLL, self._poll_file, name="file-poll")

    def on_unmount(self) -> None:
        if self._store_watch is not None:
            self._store_watch.stop()

    def _say_the_clock(self) -> None:
        """A plan on today's clock (a rehearsal) says so once, with what to do first."""
        assert self.view is not None
        show = self.view.rundown.show
        if show.plan_date is None:
            return
        begun = bool(self.view.played) or self.view.on_air is not None
        self.notify(
            t("on_today.notice.resumed" if begun else "on_today.notice.starts", plan=show.plan_date.isoformat(),
              start=f"{show.start:%H:%M}"),
            title=t("on_today.notice.title"),
            timeout=NOTICE,
        )

    def on_ready(self) -> None:
        """First frame painted: log the startup time (``textual console`` shows it); collect garbage from now on."""
        gc.enable()  # off while `studio run` started (studio/commands/show.py)
        self.startup_ms = (time.perf_counter_ns() - START_NS) / 1e6
        self.log.info(f"studio ready in {self.startup_ms:.0f} ms")
        self.producer.watch_youtube(self.live)  # signing in builds Google's client (~0.5 s): after the first paint
        if self.live:  # after the first paint too: its first ring asks for a view at once
            self._store_watch = self.services.watch_store(lambda: self.post_message(StoreRang()))

    def keymap_owns(self, binding_id: str) -> bool:
        return not binding_id.startswith("prompter.")  # the console has the desk's ids too

    def keymap_chains(self) -> list[tuple[type[DOMNode], ...]]:
        from studio.tui.desk.app import DIALOGS as DESK_DIALOGS
        from studio.tui.desk.screen import DeskScreen

        chains: list[tuple[type[DOMNode], ...]] = [
            (RundownTable, ProducerScreen, StudioApp),
            (DataTable, DeskScreen, StudioApp),
        ]
        return chains + [(dialog,) for dialog in (*DIALOGS, *DESK_DIALOGS)]

    # --- the verification desk --------------------------------------------------

    def action_desk(self) -> None:
        """Push the desk screen (the same one ``studio desk`` shows) on its own store connection."""
        from studio.tui.desk.screen import (
            DeskScreen,  # the desk's modules: only when first opened
        )

        if isinstance(self.screen, DeskScreen):
            return
        self.push_screen(DeskScreen(self._desk_client(), zone=self.config.station.zone, live=self.live))

    def _desk_client(self) -> DeskClient:
        if self._desk is None:
            from studio.tui.desk.client import DeskClient

            clock = getattr(self.controller, "clock", None) or utc_now
            desk = self.services.open_desk(self.config.desk.evidence_policy())
            self._desk = DeskClient(desk, self.controller.operator, clock)
        return self._desk

    # --- language -------------------------------------------------------------

    def language_changed(self) -> None:
        self.producer.post_message(LanguageChanged(self.language))
        for screen in self.screen_stack:
            if self._desk is not None and hasattr(screen, "client") and hasattr(screen, "translate"):
                screen.translate()  # the desk screen, when pushed

    # --- the live view --------------------------------------------------------

    def request_view(self) -> None:
        """Recompute the view in a worker (at most one at a time; a request meanwhile runs after it)."""
        if self._refreshing:
            self._refresh_again = True
            return
        self._refreshing = True
        self._refresh()

    def on_store_rang(self, _: StoreRang) -> None:
        self.request_view()

    @work(thread=True, group="refresh", exit_on_error=False)
    def _refresh(self) -> None:
        lost = None
        try:
            changed = self.controller.refresh()  # one cheap "store changed?" unless another process wrote
            bot = self.controller.health().get(BOT_HEALTH)  # one small read: the bot's snapshot, if it ever ran
        except StoreLost as error:  # the last state read stays on screen, and OBS on what is on air
            changed, bot, lost = False, self._bot, error
        health = self.services.read_obs()  # published: a store write at most every 5 s, here off the loop
        self.post_message(ViewReady(self.controller.view(), changed, health, bot, lost))

    def on_view_ready(self, message: ViewReady) -> None:
        self._refreshing = False
        self._refresh_failed = False
        self._bot = message.bot
        self.producer.show_obs(message.health, self._preflight_for(message.view))
        self._show(message.view)
        self.producer.show_bot(message.bot, message.view.timing.now)
        self._show_store(message.store_lost)
        if self._refresh_again:
            self._refresh_again = False
            self.request_view()

    def _show(self, view: ShowView) -> None:
        self.view = view
        self.producer.show_view(view)

    def _show_store(self, lost: StoreLost | None) -> None:
        """The store's server lost or reached again: said once as a notice, and on the health line while lost."""
        assert self.view is not None
        self.producer.show_store(lost, self.view.timing.now)
        if (lost is not None) == self._store_lost:
            return
        self._store_lost = lost is not None
        if lost is not None:
            self.notify(lost.render(self.language), title=t("notify.store_lost.title"), severity="error", timeout=30)
            self.bell()
        else:
            self.notify(t("notify.store_back.body"), title=t("notify.store_back.title"))

    # --- OBS: the feed watchdog and the pre-flight of the next feed ------------

    def feed_lost(self, segment_id: str) -> None:
        """Called on the watchdog's thread when the on-air feed dies."""
        if self.controller.feed_lost(segment_id):
            self.post_message(FeedLost(segment_id))

    def on_feed_lost(self, message: FeedLost) -> None:
        segment = self.view.rundown.get(message.segment_id) if self.view else None
        title = segment.title.text(self.language) if segment else message.segment_id
        self.notify(
            t("notify.feed_lost.body", segment=title), title=t("notify.feed_lost.title"), severity="error", timeout=30
        )
        self.bell()
        self.request_view()

    def _check_next_feed(self) -> None:
        upcoming = self.view.next if self.view else None
        if upcoming is not None and upcoming.feed:
            self._preflight(upcoming.id)

    @work(thread=True, group="preflight", exclusive=True, exit_on_error=False)
    def _preflight(self, segment_id: str) -> None:
        self.post_message(PreflightDone(segment_id, self.controller.preflight()))

    def on_preflight_done(self, message: PreflightDone) -> None:
        self.preflight = (message.segment_id, message.up)

    def _preflight_for(self, view: ShowView) -> bool | None:
        """The last pre-flight answer, if it is about the segment that is next now."""
        if self.preflight and view.next and self.preflight[0] == view.next.id:
            return self.preflight[1]
        return None

    # --- controller actions ---------------------------------------------------

    def control(self, action: str, call: Callable[[Controller], Any], *, subject: str | None = None) -> None:
        """Run ``call(controller)`` in a worker; ``action`` is the binding id, for messages."""
        worker = self._control(action, call, subject)
        self._actions[worker] = action

    @work(thread=True, group="control", exit_on_error=False)
    def _control(self, action: str, call: Callable[[Controller], Any], subject: str | None) -> None:
        result = call(self.controller)
        self.post_message(ControlDone(action, result, subject))

    def on_control_done(self, message: ControlDone) -> None:
        self.request_view()
        self.producer.after(message)

    def on_producer_screen_act(self, message: ProducerScreen.Act) -> None:
        self.control(message.action, message.call, subject=message.subject)

    def on_producer_screen_refused(self, message: ProducerScreen.Refused) -> None:
        self.refused(message.action, message.error)

    def refused(self, action: str, error: StudioError) -> None:
        """Show an action's expected failure: its message, titled by the action, with its kind's severity.

        A segment id in the message's params is shown as its title: the producer
        reads titles on screen, not ids.
        """
        said, params = error.message, error.message.params
        segment = self.view.rundown.get(params["segment"]) if self.view and params.get("segment") else None
        if segment is not None:
            said = Msg(said.key, **{**params, "segment": segment.title.text(self.language)})
        self.notify(
            said.render(self.language),
            title=t("notify.refused", action=t(f"binding.{action}.label")),
            severity=error.severity,
        )

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return
        action = self._actions.pop(worker, "")
        if event.state is not WorkerState.ERROR:
            return
        if worker.group == "control":
            self.request_view()  # a refusal often means this screen was behind: show the truth
        error = worker.error
        if worker.group == "refresh":
            self._refreshing = False
            if self._refresh_failed:  # already told: do not repeat it four times a second
                return
            self._refresh_failed = True
        if isinstance(error, StudioError):
            if action.startswith("youtube."):  # the YouTube panel says it, where the action was asked
                self.producer.youtube_refused(action, error)
            else:
                self.refused(action, error)
            return
        label = t(f"binding.{action}.label") if action else worker.group
        detail = traceback.format_exception(error) if error is not None else []
        self.log.error("worker failed", worker=worker, error=error)
        self.push_screen(TextScreen(t("error.unexpected.title", action=label), str(error), detail))

    # --- the rundown file -----------------------------------------------------

    def _mtime(self) -> float | None:
        try:
            return os.stat(self.rundown_path).st_mtime if self.rundown_path else None
        except OSError:
            return None

    def _poll_file(self) -> None:
        mtime = self._mtime()
        if mtime is None or mtime == self._file_mtime or self._file_dialog_open:
            return
        self._file_mtime = mtime
        self._read_rundown(explicit=False)

    def action_reload(self) -> None:
        if self.rundown_path is None:
            self.notify(t("notify.no_file"), severity="warning")
            return
        self._read_rundown(explicit=True)

    @work(thread=True, group="file", exclusive=True, exit_on_error=False)
    def _read_rundown(self, explicit: bool) -> None:
        assert self.rundown_path is not None
        try:
            rundown = like_live(self.controller.rundown.show, load_rundown(self.rundown_path))
        except DiagnosticsError as error:
            self.post_message(RundownFileRead(None, error.diagnostics, False, explicit))
            return
        self.post_message(RundownFileRead(rundown, [], self.controller.differs_from(rundown), explicit))

    def on_rundown_file_read(self, message: RundownFileRead) -> None:
        if self._file_dialog_open:
            return
        if message.rundown is None:
            self._file_dialog_open = True
            self.push_screen(
                TextScreen(
                    t("reload.broken.title"),
                    t("reload.broken.body"),
                    [diagnostic.render(self.language) for diagnostic in message.diagnostics],
                ),
                self._file_dialog_closed,
            )
            return
        if not message.differs:
            if message.explicit:
                self.notify(t("notify.file_unchanged"))
            return
        rundown = message.rundown

        def reload(controller: Controller) -> int:
            controller.reload(rundown)
            return len(controller.rundown.segments)

        def answered(confirmed: bool | None) -> None:
            self._file_dialog_closed()
            if confirmed:
                self.control("app.reload", reload)

        self._file_dialog_open = True
        self.push_screen(
            ConfirmScreen(
                t("reload.changed.body", path=str(self.rundown_path)),
                title=t("reload.changed.title"),
                confirm=t("button.reload"),
            ),
            answered,
        )

    def _file_dialog_closed(self, _: object = None) -> None:
        self._file_dialog_open = False
        self._file_mtime = self._mtime()

