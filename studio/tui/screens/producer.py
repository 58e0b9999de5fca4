"""The producer's screen: the clocks and panels on top, the rundown below.

Attributes go down, messages go up: the app gives the screen the show's
services and sends it each view (``show_view``) and each result (``after``);
every action is a named binding (``rundown.*``) that posts ``Act`` up for the
app to run the controller call in a worker; the screen never waits on the store.
Actions that take out of order or cannot be undone on air ask first.
In the show process a YouTube panel sits beside the OBS panel, with the
``youtube.*`` actions (going live and ending ask first).

One piece (~490 lines) on purpose: Textual looks a binding's action up on the
screen that declares it, so every console action is a method here; each is a
few lines that ask, then post ``Act``.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import TYPE_CHECKING, Any, Callable, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Footer

from studio.errors import StudioError
from studio.i18n import catalogue, t
from studio.rundown.load import format_duration
from studio.rundown.model import GraphicCue, Segment
from studio.show import FEED_LOST, ControlError, Controller, ShowView
from studio.show.health import Problem
from studio.store.db import StoreLost
from studio.store.health import Health
from studio.tui import bindings
from studio.tui.messages import ControlDone, LanguageChanged
from studio.tui.screens.confirm import ConfirmScreen
from studio.tui.screens.duration import DurationScreen
from studio.tui.screens.insert import InsertScreen
from studio.tui.screens.fact_picker import FactPickerScreen
from studio.tui.widgets.graphics import GraphicsPanel
from studio.tui.widgets.health import HealthLine
from studio.tui.widgets.obs import ObsPanel
from studio.tui.widgets.onair import ClockPanel, NextPanel, OnAirPanel, StatusBar, TimingPanel
from studio.tui.widgets.onair.panels import Frame
from studio.tui.widgets.rundown import RundownTable
from studio.tui.widgets.youtube import YouTubePanel

if TYPE_CHECKING:
    from studio.broadcast import Broadcaster
    from studio.show.health import Broadcast
    from studio.show.services import ShowServices


@dataclass(frozen=True)
class FeedDown:
    """A take refused because its segment's feed is down or shows no picture yet: the screen asks."""

    segment_id: str


class ProducerScreen(Screen[None]):
    BINDING_GROUP_TITLE = "Rundown"
    # Labels and tooltips here are the English fallbacks; bindings.translate()
    # replaces them from the catalogue (binding.<id>.label / .tooltip).
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("space,f1", "take_next", "Take next", id="rundown.take_next", tooltip="Put the next segment on air"),
        Binding("enter", "take_selected", "Take selected", id="rundown.take_selected", tooltip="Take the selection"),
        Binding("h", "hold", "Hold", id="rundown.hold", tooltip="Hold or release the selected segment"),
        Binding("s", "skip", "Skip", id="rundown.skip", tooltip="Skip or bring back the selected segment"),
        Binding("u", "undo", "Undo take", id="rundown.undo", tooltip="Undo the last take"),
        Binding("d", "duration", "Duration", id="rundown.duration", tooltip="Change the planned duration"),
        Binding("i,insert", "insert", "Insert", id="rundown.insert", tooltip="Insert after the selection", show=False),
        Binding("delete,x", "drop", "Drop", id="rundown.drop", tooltip="Drop the selected segment", show=False),
        Binding("shift+up", "move(-1)", "Move up", id="rundown.move_up", tooltip="Move one line up", show=False),
        Binding("shift+down", "move(1)", "Move down", id="rundown.move_down", tooltip="Move one line down", show=False),
        Binding("ctrl+e", "end_show", "End show", id="rundown.end_show", tooltip="End the show", show=False),
        # Graphics of the on-air segment. Panic is ctrl+x: one chord, never a stray letter.
        Binding("g", "graphic_take", "Graphic", id="graphics.take", tooltip="Put the armed graphic on air"),
        Binding("c", "graphic_clear", "Clear", id="graphics.clear", tooltip="Take the armed graphic off air"),
        Binding("ctrl+x", "graphics_panic", "All off", id="graphics.panic", tooltip="Every graphic off air now"),
        Binding("a", "next_armed", "Arm next", id="graphics.next_armed", tooltip="Arm the next graphic", show=False),
        Binding("f", "pick_fact", "Pick fact", id="graphics.pick_fact", tooltip="Arm a fact from the desk"),
        # YouTube, in the show process once signed in: function keys, never a stray letter; F7 and F8 ask first.
        Binding("f6", "youtube_schedule", "Schedule", id="youtube.schedule", tooltip="Schedule it", show=False),
        Binding("f7", "youtube_go_live", "Go live", id="youtube.go_live", tooltip="Go live on YouTube", show=False),
        Binding("f8", "youtube_end", "End broadcast", id="youtube.end", tooltip="End the broadcast", show=False),
    ]

    @dataclass
    class Act(Message):
        """Run ``call(controller)`` in a worker; ``action`` is the binding id, for what the producer is told."""

        action: str
        call: Callable[[Controller], Any]
        subject: str | None = None  # the segment id the action is about

    @dataclass
    class Refused(Message):
        """Refused here, before asking the controller: tell it the way a controller's refusal is told."""

        action: str
        error: StudioError

    def __init__(self, services: ShowServices, zone: tzinfo, first_view: ShowView) -> None:
        """``first_view``: what the screen paints first (the state the controller loaded at start),
        so the first frame is complete."""
        super().__init__(id="producer")
        self.services = services
        self.zone = zone
        self.first_view = first_view
        self.view: ShowView | None = None
        self._select_after: str | None = None
        self.armed = 0  # index into the cues that can be armed (_cues)
        self._armed_for: str | None = None  # the on-air segment the index is about
        self.picked: GraphicCue | None = None  # a fact card picked from the desk, armable after the segment's own
        self._asking: dict[str, Callable[[FeedDown], None]] = {}  # a take refused for its feed: ask, by action

    GRAPHICS_ACTIONS: ClassVar[frozenset[str]] = frozenset(
        {"graphic_take", "graphic_clear", "graphics_panic", "next_armed", "pick_fact"}
    )
    YOUTUBE_ACTIONS: ClassVar[frozenset[str]] = frozenset({"youtube_schedule", "youtube_go_live", "youtube_end"})

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Graphics keys exist only where graphics can go to air (a renderer was given); YouTube's
        only in the show process once signed in (the panel says how to sign in)."""
        if action in self.GRAPHICS_ACTIONS:
            return self.services.controller.renderer is not None
        if action in self.YOUTUBE_ACTIONS:
            return self.services.youtube is not None and self.services.youtube.signed_in
        return True

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status-bar")
        yield HealthLine(id="health-line")
        with Horizontal(id="top"):
            yield OnAirPanel(id="on-air")
            yield TimingPanel(id="timing")
            yield ClockPanel(id="clock")
        youtube = self.services.youtube
        graphics = self.services.controller.renderer is not None  # no renderer: no graphics, no panel
        with Horizontal(id="middle", classes="-graphics" if graphics else None):  # taller: room for the picture
            yield NextPanel(id="next")
            if self.services.has_obs and youtube is None:  # rehearsal: no OBS, no panel (the status bar says so)
                yield ObsPanel(id="obs")
            if graphics:
                yield GraphicsPanel(self.services.controller.preview, cards=self.services.social_cards, id="graphics")
        if youtube is not None:  # the show process: what leaves the building, OBS sending beside YouTube receiving
            with Horizontal(id="outputs"):
                yield ObsPanel(id="obs")
                yield YouTubePanel(youtube, self.zone, id="youtube")
        yield RundownTable(id="rundown")
        yield Footer()

    def on_mount(self) -> None:
        bindings.translate(self, "rundown")
        view = self.first_view
        self.show_view(view)
        self.show_obs(self.services.obs_now(), None)
        table = self.query_one(RundownTable)
        # After a restart mid-show, start where the show is, not at the top.
        current = view.on_air.segment_id if view.on_air else (view.next.id if view.next else None)
        if current is not None:
            table.select(current)
        table.focus()

    def on_language_changed(self, message: LanguageChanged) -> None:
        bindings.translate(self, "rundown")
        if self.view is not None:
            self.show_view(self.view)
        for panel in self.query(YouTubePanel):
            panel.translate()

    def watch_youtube(self, live: bool) -> None:
        """The first frame is painted: the YouTube panel signs in and starts watching."""
        for panel in self.query(YouTubePanel):
            panel.start(live)

    # --- rendering ---------------------------------------------------------

    def show_obs(self, health: Any, preflight: bool | None) -> None:
        if health is None:  # rehearsal: there is no OBS panel
            return
        try:
            self.query_one(ObsPanel).show(health, preflight)
        except NoMatches:  # rehearsal, or closing
            pass

    def show_bot(self, health: Health | None, now: datetime) -> None:
        """The observers' bot on the health line, as ``studio bot`` last published it (None: it never ran here)."""
        try:
            self.query_one(HealthLine).show_bot(health, now, self.zone)
        except NoMatches:  # closing
            pass

    def show_store(self, lost: StoreLost | None, now: datetime) -> None:
        """The store's server lost (the health line says since when and why), or reached."""
        try:
            self.query_one(HealthLine).show_store(lost, now, self.zone)
        except NoMatches:  # closing
            pass

    def show_view(self, view: ShowView) -> None:
        self.view = view
        controller = self.services.controller
        frame = Frame(
            catalogue.language, self.zone, controller.rehearsal, controller.operator, controller.store.location
        )
        try:
            for panel in (StatusBar, OnAirPanel, TimingPanel, ClockPanel, NextPanel):
                self.query_one(panel).show(view, frame)
            table = self.query_one(RundownTable)
        except NoMatches:  # a refresh that lands while the console is closing
            return
        table.show(view, frame.language, frame.zone)
        self._show_graphics(view)
        if self._select_after is not None:
            table.select(self._select_after)
            self._select_after = None

    @on(GraphicsPanel.CardsListed)
    def _room_for_cards(self, message: GraphicsPanel.CardsListed) -> None:
        self.query_one("#middle").set_class(message.shown, "-cards")

    def _show_graphics(self, view: ShowView) -> None:
        on_air = self._on_air_id()
        if on_air != self._armed_for:  # a new segment: arm its first graphic; a picked fact stays with its segment
            self.armed, self._armed_for, self.picked = 0, on_air, None
        for panel in self.query(GraphicsPanel):
            panel.show(view, self._cues(), self.armed)

    def _cues(self) -> tuple[GraphicCue, ...]:
        """What can be armed: the on-air segment's graphics, then the fact card picked from the desk."""
        segment = self.view.on_air_segment if self.view else None
        if segment is None:
            return ()
        return segment.graphics + ((self.picked,) if self.picked and self.picked not in segment.graphics else ())

    def _armed_cue(self) -> tuple[int, GraphicCue] | None:
        cues = self._cues()
        if not cues:
            return None
        index = self.armed % len(cues)
        return index, cues[index]

    @property
    def selected_id(self) -> str | None:
        return self.query_one(RundownTable).selected_id

    def _title(self, segment_id: str | None) -> str:
        segment = self.view.rundown.get(segment_id) if self.view and segment_id else None
        return segment.title.text(catalogue.language) if segment else (segment_id or "—")

    def _on_air_id(self) -> str | None:
        return self.view.on_air.segment_id if self.view and self.view.on_air else None

    def _feed_lost(self) -> bool:
        """Whether the on-air inclusion lost its feed: the one segment that may be taken again while on air."""
        return bool(self.view and self.view.on_air and self.view.on_air.note == FEED_LOST)

    # --- actions -----------------------------------------------------------

    def _control(self, action: str, call: Callable[[Controller], Any], subject: str | None = None) -> None:
        self.post_message(self.Act(action, call, subject))

    def _ask(self, question: str, action: str, then: Callable[[], None]) -> None:
        def answered(confirmed: bool | None) -> None:
            if confirmed:
                then()

        label = t(f"binding.{action}.label")
        self.app.push_screen(ConfirmScreen(question, title=label, confirm=label), answered)

    def _selected(self) -> str | None:
        selected = self.selected_id
        if selected is None:
            self.app.notify(t("notify.no_selection"), severity="warning")
        return selected

    def _frozen(self, action: str, segment_id: str) -> bool:
        """Edits that open a dialog check first that the line is not on air (the controller would refuse)."""
        if segment_id != self._on_air_id():
            return False
        self.post_message(self.Refused(action, StudioError.of("error.on_air_frozen", segment=segment_id)))
        return True

    def _take(self, action: str, take: Callable[[Controller, bool], Segment], subject: str | None = None) -> None:
        """A take; if its feed is down (or shows no picture yet) ask first, then take it confirmed:
        the slate goes up at once and the programme cuts to the feed at its first frames."""

        def unconfirmed(controller: Controller) -> Segment | FeedDown:
            try:
                return take(controller, False)
            except ControlError as error:
                if error.code != "feed_down":
                    raise
                return FeedDown(error.params["segment"])

        def asked(result: FeedDown) -> None:
            self._ask(
                t("confirm.take_feed_down", title=self._title(result.segment_id)),
                action,
                lambda: self._control(action, lambda c: take(c, True), subject),
            )

        self._asking[action] = asked
        self._control(action, unconfirmed, subject)

    def action_take_next(self) -> None:
        # The on-air id this screen shows: if another terminal took meanwhile,
        # the controller refuses instead of taking the segment after that one.
        expected = self._on_air_id()
        self._take("rundown.take_next", lambda c, confirm: c.take_next(expected, check=True, confirm=confirm))

    def action_take_selected(self) -> None:
        selected = self._selected()
        if selected is None or self.view is None:
            return
        if self.view.next is not None and selected == self.view.next.id:
            self.action_take_next()  # in order: nothing to ask
            return

        def take(controller: Controller, confirm: bool) -> Segment:
            return controller.take(selected, confirm=confirm)

        if selected == self._on_air_id() and not self._feed_lost():
            self._take("rundown.take_selected", take, selected)  # refused: already on air
            return
        question = "confirm.retake" if selected == self._on_air_id() else "confirm.take_selected"
        self._ask(
            t(question, title=self._title(selected)),
            "rundown.take_selected",
            lambda: self._take("rundown.take_selected", take, selected),
        )

    def action_hold(self) -> None:
        if (selected := self._selected()) is not None:
            self._control("rundown.hold", lambda c: c.hold(selected), selected)

    def action_skip(self) -> None:
        if (selected := self._selected()) is not None:
            self._control("rundown.skip", lambda c: c.skip(selected), selected)

    def action_undo(self) -> None:
        self._on_air_action("rundown.undo", "confirm.undo", lambda c: c.undo_take())

    def action_end_show(self) -> None:
        self._on_air_action("rundown.end_show", "confirm.end_show", lambda c: c.end_show())

    def _on_air_action(self, action: str, question: str, call: Callable[[Controller], Any]) -> None:
        """An action on the on-air segment, after confirmation; with nothing on air, the controller's refusal."""
        on_air = self._on_air_id()
        if on_air is None:
            self._control(action, call)
            return
        self._ask(t(question, title=self._title(on_air)), action, lambda: self._control(action, call, on_air))

    def action_move(self, offset: int) -> None:
        if (selected := self._selected()) is not None:
            action = "rundown.move_up" if offset < 0 else "rundown.move_down"
            self._control(action, lambda c: c.move(selected, offset), selected)

    def action_drop(self) -> None:
        selected = self._selected()
        if selected is None or self._frozen("rundown.drop", selected):
            return
        self._ask(
            t("confirm.drop", title=self._title(selected)),
            "rundown.drop",
            lambda: self._control("rundown.drop", lambda c: c.drop(selected), selected),
        )

    def action_duration(self) -> None:
        selected = self._selected()
        if selected is None or self.view is None or self._frozen("rundown.duration", selected):
            return
        segment = self.view.rundown.get(selected)
        if segment is None:
            return

        def chosen(duration: timedelta | None) -> None:
            if duration is None:
                return

            def call(controller: Controller) -> timedelta:
                controller.set_duration(selected, duration)
                return duration

            self._control("rundown.duration", call, selected)

        self.app.push_screen(DurationScreen(self._title(selected), segment.duration), chosen)

    def action_insert(self) -> None:
        selected = self._selected()
        if selected is None or self.view is None:
            return
        def chosen(segment: Segment | None) -> None:
            if segment is None:
                return

            def call(controller: Controller) -> Segment:
                controller.insert(selected, segment)
                return segment

            self._control("rundown.insert", call, segment.id)

        self.app.push_screen(InsertScreen(self._title(selected), self.view.rundown, catalogue.language), chosen)

    def action_graphic_take(self) -> None:
        armed = self._armed_cue()
        cue = armed[1] if armed else 0  # nothing armed: the controller says why
        self._control("graphics.take", lambda c: c.graphic_take(cue), self._on_air_id())

    def action_graphic_clear(self) -> None:
        armed = self._armed_cue()
        if armed is None:
            self.app.notify(t("graphics.none_armed"), severity="warning")
            return
        template = armed[1].template
        self._control("graphics.clear", lambda c: template if c.graphic_clear(template) else None)

    def action_graphics_panic(self) -> None:
        self._control("graphics.panic", lambda c: c.graphics_clear_all())  # never asks: it must be instant

    def _youtube(self, action: str, call: Callable[[Broadcaster], Broadcast], question: str | None = None) -> None:
        """Run a YouTube action in a worker, one at a time; the panel shows its progress."""
        panel = self.query_one(YouTubePanel)

        def run() -> None:
            if panel.busy is not None:
                self.app.notify(t("youtube.busy", action=t(f"binding.{panel.busy}.label")), severity="warning")
                return
            panel.begin(action)
            self._control(action, lambda _: panel.watch.act(call))

        if question is None:
            run()
        else:
            self._ask(question, action, run)

    def action_youtube_schedule(self) -> None:
        self._youtube("youtube.schedule", lambda youtube: youtube.schedule())

    def action_youtube_go_live(self) -> None:
        progress = self.query_one(YouTubePanel).progress
        self._youtube("youtube.go_live", lambda youtube: youtube.go_live(progress), t("confirm.youtube.go_live"))

    def action_youtube_end(self) -> None:
        self._youtube("youtube.end", lambda youtube: youtube.end(), t("confirm.youtube.end"))

    def youtube_refused(self, action: str, error: StudioError) -> None:
        for panel in self.query(YouTubePanel):
            panel.failed(action, Problem.of(error))

    def action_pick_fact(self) -> None:
        if self._on_air_id() is None:
            self.app.notify(t("error.nothing_on_air"), severity="warning")
            return

        def picked(cue: GraphicCue | None) -> None:
            if cue is None or self.view is None:
                return
            self.picked = cue
            self.armed = self._cues().index(cue)
            self._show_graphics(self.view)

        self.app.push_screen(FactPickerScreen(self.services.desk_facts), picked)

    def action_next_armed(self) -> None:
        if self._armed_cue() is not None:
            self.armed += 1
            if self.view is not None:
                self._show_graphics(self.view)

    # --- results -----------------------------------------------------------

    def after(self, done: ControlDone) -> None:
        """Tell the operator what an action did (the panels show the rest)."""
        title = self._title(done.subject)
        if isinstance(done.result, FeedDown):
            self._asking[done.action](done.result)
        elif done.action == "rundown.take_selected":  # out of order: say what went on air
            self.app.notify(t("notify.taken", title=done.result.title.text(catalogue.language)))
        elif done.action == "rundown.hold":
            self.app.notify(t("notify.held" if done.result else "notify.released", title=title))
        elif done.action == "rundown.skip":
            self.app.notify(t("notify.skipped" if done.result else "notify.unskipped", title=title))
        elif done.action == "rundown.undo":
            self.app.notify(t("notify.undone"))
        elif done.action == "rundown.end_show":
            self.app.notify(t("notify.ended"))
        elif done.action == "rundown.drop":
            self.app.notify(t("notify.dropped", title=title))
        elif done.action == "rundown.duration":
            self.app.notify(t("notify.duration", title=title, duration=format_duration(done.result)))
        elif done.action == "graphics.take":
            self.app.notify(t("notify.graphic_on", template=done.result.template))
        elif done.action == "graphics.clear" and done.result:
            self.app.notify(t("notify.graphic_off", template=done.result))
        elif done.action == "graphics.panic":
            self.app.notify(t("notify.graphics_cleared", count=done.result), severity="warning")
        elif done.action == "app.reload":
            self.app.notify(t("notify.reloaded", count=done.result))
        elif done.action.startswith("youtube."):
            for panel in self.query(YouTubePanel):
                panel.done(done.action, done.result)
        elif done.action == "rundown.insert":
            self._select_after = done.subject
            self.app.notify(t("notify.inserted", title=done.result.title.text(catalogue.language)))
