"""Panels above the rundown table. Each one renders a ``ShowView``; none keeps state of its own."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, timedelta, tzinfo
from pathlib import Path

from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.widgets import Digits

from studio.i18n import catalogue, t
from studio.show import ShowView
from studio.tui import format as fmt
from studio.tui.widgets.text import Readout

_ZERO = timedelta(0)


@dataclass(frozen=True, slots=True)
class Frame:
    """What every panel needs besides the view."""

    language: str
    zone: tzinfo
    rehearsal: bool
    operator: str
    store: Path | str  # the console's store (its file or its URL), named in its top line


class OnAirPanel(Vertical):
    """The on-air segment: its title, elapsed time and the remaining countdown."""

    def compose(self) -> ComposeResult:
        yield Readout(id="on-air-title")
        yield Readout(id="on-air-elapsed")
        with Horizontal(id="on-air-count"):
            yield Digits("", id="on-air-remaining")
            yield Readout(id="on-air-remaining-label")

    def show(self, view: ShowView, frame: Frame) -> None:
        self.border_title = t("panel.on_air")
        title = self.query_one("#on-air-title", Readout)
        elapsed = self.query_one("#on-air-elapsed", Readout)
        digits = self.query_one("#on-air-remaining", Digits)
        label = self.query_one("#on-air-remaining-label", Readout)
        timing = view.timing
        segment = view.on_air_segment
        if view.on_air is None or timing.on_air_remaining is None:
            title.set(t("panel.show_ended") if view.ended else t("panel.nothing_on_air"), "dim")
            elapsed.set("")
            digits.update("")
            label.set("")
            self.set_class(False, "-overrun")
            return
        name = (view.on_air.title_kk if frame.language == "kk" else view.on_air.title_ru)
        title.set(name + (f"  ·  {fmt.describe(segment, catalogue)}" if segment else ""), "bold")
        elapsed.set(t("panel.elapsed", elapsed=fmt.span(timing.on_air_elapsed), planned=fmt.span(view.on_air.planned)))
        overrun = timing.on_air_remaining <= _ZERO
        digits.update(fmt.countdown(timing.on_air_remaining))
        label.set(t("panel.overrun") if overrun else t("panel.remaining"), "bold" if overrun else "")
        self.set_class(overrun, "-overrun")


class TimingPanel(Vertical):
    """Show over/under, back-time to the next fixed start, projected end, next turnout hour."""

    def compose(self) -> ComposeResult:
        yield Readout(id="over-under")
        yield Readout(id="backtime")
        yield Readout(id="projected-end")
        yield Readout(id="turnout")

    def show(self, view: ShowView, frame: Frame) -> None:
        self.border_title = t("panel.timing")
        timing, zone = view.timing, frame.zone
        over = timing.show_over_under
        if int(over.total_seconds()) > 0:
            text, style = t("timing.over", amount=fmt.span(over)), "bold #e53935"
        elif int(over.total_seconds()) < 0:
            text, style = t("timing.under", amount=fmt.span(over)), "#43a047"
        else:
            text, style = t("timing.on_time"), ""
        self.query_one("#over-under", Readout).set(text, style)
        self.query_one("#backtime", Readout).set(*self._backtime(view, frame))
        projected = fmt.clock(timing.projected_end, zone)
        self.query_one("#projected-end", Readout).set(t("timing.projected_end", time=projected))
        if timing.next_turnout is None:
            self.query_one("#turnout", Readout).set(t("timing.no_turnout"), "dim")
        else:
            self.query_one("#turnout", Readout).set(
                t(
                    "timing.turnout",
                    time=fmt.short_clock(timing.next_turnout, zone),
                    countdown=fmt.span(timing.next_turnout - timing.now),
                )
            )

    @staticmethod
    def _backtime(view: ShowView, frame: Frame) -> tuple[str, str]:
        fixed = view.timing.next_fixed
        if fixed is None or fixed.backtime is None:
            return t("backtime.none"), "dim"
        segment = view.rundown.get(fixed.segment_id)
        params = {
            "time": fmt.short_clock(fixed.start, frame.zone),
            "title": segment.title.text(frame.language) if segment else fixed.segment_id,
            "countdown": fmt.span(max(fixed.start - view.timing.now, _ZERO)),
            "amount": fmt.span(fixed.backtime),
        }
        seconds = int(fixed.backtime.total_seconds())
        if seconds < 0:
            return t("backtime.cut", **params), "bold #e53935"
        if seconds > 0:
            return t("backtime.fill", **params), "#f9a825"
        return t("backtime.exact", **params), "#43a047"


class ClockPanel(Vertical):
    """Local time in the station's zone, large, and UTC beneath it."""

    def compose(self) -> ComposeResult:
        yield Digits("", id="local-clock")
        yield Readout(id="utc-clock")

    def show(self, view: ShowView, frame: Frame) -> None:
        self.border_title = t("panel.clock")
        now = view.timing.now
        self.query_one("#local-clock", Digits).update(fmt.clock(now, frame.zone))
        zone_name = str(getattr(frame.zone, "key", frame.zone))
        self.query_one("#utc-clock", Readout).set(f"{zone_name} · " + t("clock.utc", time=fmt.clock(now, UTC)))


class NextPanel(Vertical):
    """The next segment and its cue text, so the presenter can be briefed."""

    def compose(self) -> ComposeResult:
        yield Readout(id="next-title")
        yield Readout(id="next-cue")

    def show(self, view: ShowView, frame: Frame) -> None:
        self.border_title = t("panel.next")
        title = self.query_one("#next-title", Readout)
        cue = self.query_one("#next-cue", Readout)
        segment = view.next
        if segment is None:
            title.set(t("panel.nothing_next"), "dim")
            cue.set("")
            return
        expected = view.timing.expected_for(segment.id)
        at = fmt.clock(expected.start, frame.zone) + "  " if expected else ""
        title.set(f"{at}{segment.title.text(frame.language)}  ·  {fmt.describe(segment, catalogue)}", "bold")
        text = " ".join(segment.cue.split())  # the cue flows on two lines at most (CSS)
        cue.set(text or t("panel.no_cue"), "" if text else "dim")


class StatusBar(Horizontal):
    """Top line: the show, the store and the show's id it is on, REHEARSAL when no switcher is attached or the
    plan is on today's clock, and the operator."""

    def compose(self) -> ComposeResult:
        yield Readout(id="show-title")
        yield Readout(id="where")
        yield Readout(id="mode")
        yield Readout(id="operator")

    def show(self, view: ShowView, frame: Frame) -> None:
        show = view.rundown.show
        self.query_one("#show-title", Readout).set(f"{show.title.text(frame.language)} · {show.date:%Y-%m-%d}", "bold")
        self.query_one("#where", Readout).set(fmt.where(frame.store, show.id), "dim")
        mode = self.query_one("#mode", Readout)
        if show.plan_date is not None:  # a plan of another day on today's clock: a rehearsal, with or without OBS
            key = "on_today.statusbar.no_switcher" if frame.rehearsal else "on_today.statusbar.switcher"
            mode.set(t(key, plan=show.plan_date.isoformat()))
        else:
            mode.set(t("statusbar.rehearsal") if frame.rehearsal else t("statusbar.switcher"))
        mode.set_class(frame.rehearsal or show.plan_date is not None, "-rehearsal")
        self.query_one("#operator", Readout).set(t("statusbar.operator", name=fmt.operator(frame.operator)))
