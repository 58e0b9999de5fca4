"""The terminal prompter (``studio prompter``): the presenter's cue, full screen.

It runs in its own process and only reads. Its ``Follower`` follows a
``ShowReader``, which takes no lock and writes nothing, its SQLite
connection in ``query_only`` (studio/web/follow.py). A thread worker polls
``Follower.poll()`` ten times a second, so a take made in any other process
(the producer console, the control API) shows here within about 100 ms; each
new view is posted back as a ``ViewReady`` message and turned into a
``CueCard`` on the event loop.

Presenter keys have ids ``prompter.*`` (rebind them in the config's
``[keymap]``), labels and tooltips from the catalogue.
"""

from __future__ import annotations

import sqlite3
import time
from dataclasses import dataclass
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.css.query import NoMatches
from textual.message import Message
from textual.widgets import Footer
from textual.worker import Worker, WorkerState, get_current_worker

from studio.config import Config
from studio.i18n import catalogue, t
from studio.show import ShowReader, ShowView
from studio.tui import format as fmt
from studio.tui.base import StudioAppBase
from studio.tui.messages import ViewReady
from studio.tui.prompter.widgets import SIZES, CueText, NextLine, OnAirBar
from studio.web.cue import CueCard, cue_card
from studio.web.follow import POLL, Follower

SCROLL_TICK = 0.1
"""Seconds between auto-scroll steps."""


class PrompterApp(StudioAppBase):
    PROGRAM = "prompter"
    SAY_LANGUAGE = False  # the presenter's screen shows the text, no notices
    CSS_PATH = "prompter.tcss"
    TITLE = "studio — prompter"
    BINDING_GROUP_TITLE = "Prompter"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up,k", "nudge(-1)", "Scroll up", id="prompter.scroll_up", tooltip="Scroll back"),
        Binding("down,j", "nudge(1)", "Scroll down", id="prompter.scroll_down", tooltip="Scroll on"),
        Binding("home,g", "top", "To the top", id="prompter.top", tooltip="First line", show=False),
        Binding("plus,equals_sign", "size(1)", "Bigger", id="prompter.bigger", tooltip="Larger text"),
        Binding("minus", "size(-1)", "Smaller", id="prompter.smaller", tooltip="Smaller text"),
        Binding("space,p", "pause", "Pause", id="prompter.pause", tooltip="Pause auto-scroll"),
        Binding("f2", "cycle_language", "Language", id="prompter.language", tooltip="Language", show=False),
        Binding("ctrl+q,q", "quit", "Quit", id="prompter.quit", tooltip="Close", priority=True),
    ]

    @dataclass
    class FollowFailed(Message):
        """The store could not be read this time; the follow loop keeps trying."""

        error: str

    def __init__(self, follower: Follower, config: Config, *, live: bool = True) -> None:
        super().__init__(config)
        self.follower = follower
        self.live = live  # False: no follow loop and no auto-scroll (tests of a still frame)
        self.size_step = config.prompter.size
        self.paused = False
        self.view: ShowView | None = None
        self.card: CueCard | None = None
        self.warning = ""
        self._last_tick = time.monotonic()

    # --- set-up -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield OnAirBar(id="bar")
        yield CueText(id="cue")
        yield NextLine(id="next")
        yield Footer(show_command_palette=False)

    def on_mount(self) -> None:
        self.translate()
        self.apply_keymap()
        self._show(self.follower.view())  # pure computation on the state loaded at start
        if self.live:
            self._follow()
            self.set_interval(SCROLL_TICK, self._scroll_tick, name="auto-scroll")

    def keymap_owns(self, binding_id: str) -> bool:
        return binding_id.startswith("prompter.")

    # --- following the show ---------------------------------------------------

    @work(thread=True, exclusive=True, group="follow", exit_on_error=False)
    def _follow(self) -> None:
        worker = get_current_worker()
        while not worker.is_cancelled:
            try:
                view = self.follower.poll()
            except (sqlite3.Error, OSError) as error:  # a locked or vanished store: say so, keep trying
                self.post_message(self.FollowFailed(str(error)))
                time.sleep(1.0)
                continue
            if view is not None and not worker.is_cancelled:
                self.post_message(ViewReady(view))
            time.sleep(POLL)

    def on_view_ready(self, message: ViewReady) -> None:
        self.warning = ""
        self._show(message.view)

    def on_prompter_app_follow_failed(self, message: FollowFailed) -> None:
        self.warning = t("prompter.store_error", error=message.error)
        if self.card is not None:
            self._paint(new_segment=False)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        """The follow loop only ends on an unexpected error: show it, and follow again."""
        if event.state is WorkerState.ERROR and event.worker.group == "follow":
            self.log.error("follow loop failed", error=event.worker.error)
            self.warning = t("prompter.store_error", error=str(event.worker.error))
            self.set_timer(1.0, self._follow)

    def _show(self, view: ShowView) -> None:
        before = self.card.segment_id if self.card else None
        before_run = self.view.on_air.id if self.view and self.view.on_air else None
        self.view = view
        self.card = cue_card(view, catalogue, self.config.station.zone)
        now_run = view.on_air.id if view.on_air else None
        self._paint(new_segment=(before, before_run) != (self.card.segment_id, now_run))

    def _paint(self, *, new_segment: bool) -> None:
        card = self.card
        assert card is not None
        try:
            self.query_one(OnAirBar).show(card, *self._status())
            self.query_one(CueText).show(card.cue, card.no_cue, self.size_step, new_segment=new_segment)
            self.query_one(NextLine).show(card)
        except NoMatches:  # a view that lands while the prompter is closing
            return

    def _status(self) -> tuple[str, str]:
        """The status line and its style: a store problem first, then pause and size."""
        if self.warning:
            return self.warning, "bold #f9a825"
        scrolling = t("prompter.paused") if self.paused else t("prompter.scrolling")
        show = self.follower.show
        size = t("prompter.size", size=self.size_step, max=len(SIZES))
        text = f"{scrolling}  ·  {size}  ·  {fmt.where(show.store.location, show.show_id)}"
        return text, "bold #f9a825" if self.paused else "dim"

    def _scroll_tick(self) -> None:
        now = time.monotonic()
        seconds, self._last_tick = now - self._last_tick, now
        card = self.card
        if self.paused or card is None or card.state != "on_air":
            return
        remaining = card.planned_s - card.elapsed_s
        try:
            self.query_one(CueText).advance(seconds, remaining)
        except NoMatches:  # the timer's last tick while the prompter is closing
            return

    # --- presenter keys -------------------------------------------------------

    def action_nudge(self, lines: int) -> None:
        self.query_one(CueText).nudge(lines)

    def action_top(self) -> None:
        self.query_one(CueText).top()

    def action_size(self, change: int) -> None:
        self.size_step = max(1, min(len(SIZES), self.size_step + change))
        if self.card is not None:
            self._paint(new_segment=False)

    def action_pause(self) -> None:
        self.paused = not self.paused
        self.set_class(self.paused, "-paused")
        if self.card is not None:
            self._paint(new_segment=False)

    def language_changed(self) -> None:
        if self.view is not None:
            self._show(self.view)


def make_prompter(show: ShowReader, config: Config, *, live: bool = True) -> PrompterApp:
    """The prompter as ``studio prompter`` starts it; tests build theirs here too.

    ``show`` is a reader of the show (a controller with a switcher is refused:
    ``NotReadOnly``); from here on its store connection only reads.
    ``live=False`` leaves the follow loop and the auto-scroll off, for still
    frames in tests.
    """
    return PrompterApp(Follower(show), config, live=live)
