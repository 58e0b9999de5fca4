"""YouTube for the producer: the broadcast, what YouTube receives beside what OBS sends, and the quota.

The panel starts the watch (studio/youtube/watch.py, given through the show's
services) on a thread worker once the first frame is painted; the watch posts ``Changed`` on every
step. Actions run in the app's action workers and post ``Progress`` here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import tzinfo
from typing import TYPE_CHECKING, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from studio.i18n import t
from studio.tui.widgets.text import Readout

if TYPE_CHECKING:
    from studio.show.health import Broadcast, Problem, YouTubeView, YouTubeWatch

STEPS = ("obs", "receiving", "testing", "live")
"""Going live, as Broadcaster.go_live reports it."""
DONE = {"youtube.schedule": "youtube.scheduled", "youtube.go_live": "youtube.went_live", "youtube.end": "youtube.ended"}
"""What the producer is told when an action has done its work."""
BLOCK = "▇"
COLOURS = {"off": "grey50", "good": "green", "warn": "yellow", "bad": "bold red"}


def _known(key: str, fallback: str) -> str:
    text = t(key)
    return fallback if text == key else text


def word(prefix: str, value: str | None) -> str:
    """A value YouTube or the health judge gives, in the interface language (an unknown one as it is)."""
    return "—" if value is None else _known(f"{prefix}.{value}", value)


def problem_text(problem: Problem) -> str:
    """A failure in the interface language by its code; a code without a message: YouTube's English detail."""
    return _known(f"youtube.error.{problem.code}", problem.detail)


def _blamed(view: YouTubeView, side: str) -> bool:
    """The joined verdict is bad for a reason on this side (``obs_``, ``youtube_``): that line goes red."""
    verdict, reason = view.verdict
    return verdict == "bad" and reason.startswith(side)


class YouTubePanel(Vertical):
    """Six lines: broadcast, watch link, YouTube receiving, OBS sending, the joined verdict, the quota."""

    LINES: ClassVar[tuple[str, ...]] = ("broadcast", "link", "receiving", "sending", "verdict", "quota")

    @dataclass
    class Changed(Message, bubble=False):
        """The watch took a step; ``alert``: the joined verdict just turned bad, for this reason."""

        view: YouTubeView
        alert: str | None

    @dataclass
    class Progress(Message, bubble=False):
        """The running action reached a step of going live (obs, receiving, testing, live)."""

        step: str

    def __init__(self, watch: YouTubeWatch, zone: tzinfo, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.watch = watch
        self.zone = zone
        self.view = watch.view()
        self.busy: str | None = None  # the binding id of the action running
        self._step: str | None = None
        self._history = Text()  # the verdict line as last drawn
        watch.report = lambda view, alert: self.post_message(self.Changed(view, alert))

    def compose(self) -> ComposeResult:
        for line in self.LINES:
            if line == "verdict":
                yield Static(id="youtube-verdict", markup=False)
            else:
                yield Readout(id=f"youtube-{line}")

    def on_mount(self) -> None:
        self.show(self.view)

    # --- the watch ----------------------------------------------------------------

    def start(self, live: bool) -> None:
        """Sign in and watch; ``live=False``: one look only (a still frame in tests)."""
        self._watch(live)

    @work(thread=True, group="youtube-watch", exit_on_error=False)
    def _watch(self, live: bool) -> None:
        # The app cancels its workers on exit: that sets the event the watch sleeps on.
        self.watch.run(get_current_worker().cancelled_event if live else None)

    @on(Changed)
    def _changed(self, message: Changed) -> None:
        signed_in = self.view.signed_in
        self.show(message.view)
        if message.view.signed_in != signed_in:
            self.screen.refresh_bindings()  # the YouTube actions appear once signed in
        if message.alert:
            self.app.notify(
                t(f"youtube.reason.{message.alert}"), title=t("youtube.alert"), severity="error", timeout=30
            )
            self.app.bell()

    # --- actions ------------------------------------------------------------------

    def begin(self, action: str | None) -> None:
        """``action`` (a binding id) runs from now on; None: no action runs any more."""
        self.busy, self._step = action, None
        self._subtitle()

    def progress(self, step: str) -> None:
        """Broadcaster.go_live's progress callback, called on the action's thread."""
        self.post_message(self.Progress(step))

    @on(Progress)
    def _progress(self, message: Progress) -> None:
        self._step = message.step
        self._subtitle()

    def done(self, action: str, broadcast: Broadcast) -> None:
        self.begin(None)
        state = word("youtube.state", broadcast.life_cycle)
        self.app.notify(t(DONE[action], url=broadcast.watch_url, state=state), title=t("youtube.title"))

    def failed(self, action: str, problem: Problem) -> None:
        """The action was refused: say why in the interface language, with YouTube's English detail below."""
        self.begin(None)
        text = problem_text(problem)
        detail = "" if text == problem.detail else "\n" + problem.detail
        self.app.notify(
            text + detail, title=t("notify.refused", action=t(f"binding.{action}.label")), severity="error", timeout=20
        )

    def _subtitle(self) -> None:
        if self.busy is None:
            self.border_subtitle = ""
            return
        steps = []
        reached = STEPS.index(self._step) if self._step in STEPS else -1
        for index, step in enumerate(STEPS if self.busy == "youtube.go_live" else ()):
            mark = " ✓" if index < reached else "…" if index == reached else ""
            steps.append(t(f"youtube.step.{step}") + mark)
        action = t(f"binding.{self.busy}.label")
        self.border_subtitle = t("youtube.working", action=action, steps=" › ".join(steps) or "…")

    # --- rendering ----------------------------------------------------------------

    def translate(self) -> None:
        self.show(self.view)
        self._subtitle()

    def _line(self, name: str) -> Readout:
        return self.query_one(f"#youtube-{name}", Readout)

    def show(self, view: YouTubeView) -> None:
        self.view = view
        self.border_title = t("youtube.title")
        verdict, reason = view.verdict
        self.set_class(verdict == "bad", "-bad")
        if not view.signed_in:
            self._line("broadcast").set(t("youtube.signed_out"), "bold")
            self._line("link").set(t("youtube.sign_in"))
            for line in ("receiving", "sending", "quota"):
                self._line(line).set("")
            self._history = Text()
            self.query_one("#youtube-verdict", Static).update(self._history)
            return
        self._broadcast(view)
        self._receiving(view)
        self._sending(view)
        history = Text()  # the last verdicts first, oldest on the left, so a long reason cannot push them out
        for past in view.verdicts:
            history.append(BLOCK, style=COLOURS[past])
        said = word("youtube.verdict", verdict) + (f" · {word('youtube.reason', reason)}" if reason else "")
        history.append((" " if view.verdicts else "") + said, style=COLOURS[verdict])
        if history != self._history:  # a new look every second: redraw only what changed
            self._history = history
            self.query_one("#youtube-verdict", Static).update(history)
        next_look = view.next_look.astimezone(self.zone).strftime("%H:%M:%S") if view.next_look else "—"
        quota = "youtube.quota" if view.polling else "youtube.quota_stopped"
        self._line("quota").set(
            t(quota, spent=view.spent, allowance=view.allowance, next=next_look), "" if view.polling else "bold"
        )

    def _sending(self, view: YouTubeView) -> None:
        sample = view.sample
        if sample is None:
            self._line("sending").set("")
            return
        streaming = "disconnected" if sample.obs_streaming is None else "on" if sample.obs_streaming else "off"
        congestion = f"{sample.obs_congestion * 100:.0f}"
        text = t(
            "youtube.sending", streaming=word("youtube.obs", streaming), congestion=congestion, dropped=sample.obs_dropped
        )
        if sample.obs_reconnecting:
            text += " · " + t("youtube.reconnecting")
        self._line("sending").set(text, "bold red" if _blamed(view, "obs_") else "")

    def _broadcast(self, view: YouTubeView) -> None:
        broadcast, line, link = view.broadcast, self._line("broadcast"), self._line("link")
        if not view.connected:
            line.set(t("youtube.connecting"), "dim")
            link.set("")
        elif broadcast is None:
            line.set(t("youtube.no_broadcast"), "dim")
            link.set("")
        else:
            state = word("youtube.state", broadcast.life_cycle)
            style = "bold red" if broadcast.life_cycle == "live" else "bold"
            line.set(t("youtube.broadcast", state=state, privacy=word("youtube.privacy", broadcast.privacy)), style)
            link.set(broadcast.watch_url)

    def _receiving(self, view: YouTubeView) -> None:
        sample, line = view.sample, self._line("receiving")
        if view.problem is not None:
            line.set(t("youtube.failed", error=problem_text(view.problem)), "bold red")
        elif view.broadcast is None or sample is None or sample.stream_status is None:
            line.set("")
        else:
            text = t(
                "youtube.receiving",
                status=word("youtube.stream", sample.stream_status),
                health=word("youtube.health", sample.youtube_health),
            )
            if sample.issues:
                text += " · " + t("youtube.issues", count=len(sample.issues), first=sample.issues[0])
            line.set(text, "bold red" if _blamed(view, "youtube_") else "")
