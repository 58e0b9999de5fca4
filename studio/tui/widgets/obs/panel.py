"""OBS health for the producer: is it there, what is on programme, is it healthy."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.app import ComposeResult
from textual.containers import Vertical

from studio.i18n import catalogue, render, t
from studio.tui.widgets.text import Readout

if TYPE_CHECKING:  # the console reads a snapshot; it never talks to OBS itself
    from studio.show.health import ObsHealth


def _on_off(value: bool | None) -> str:
    return t("obs.unknown") if value is None else t("obs.on") if value else t("obs.off")


def _number(value: float | int | None, digits: int = 0) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


class ObsPanel(Vertical):
    """Five lines: link, scenes, outputs, frames, and the feeds (on air and next)."""

    def compose(self) -> ComposeResult:
        for line in ("link", "scenes", "outputs", "frames", "feeds"):
            yield Readout(id=f"obs-{line}", classes="-wrap" if line == "scenes" else None)

    def show(self, health: ObsHealth, preflight: bool | None) -> None:
        self.border_title = t("obs.title")
        link = self.query_one("#obs-link", Readout)
        self.set_class(not health.connected, "-disconnected")
        if not health.connected:
            # Nothing to read from OBS: say so plainly, and why, on the lines below. The why is an
            # ObsError's Msg (studio/obs/errors.py): said in the console's language, redacted.
            link.set(t("obs.disconnected"), "bold")
            for index, line in enumerate(("scenes", "outputs", "frames", "feeds")):
                self.query_one(f"#obs-{line}", Readout).set(render(health.reason, catalogue.language) if index == 0 else "")
            return
        link.set(t("obs.connected") + ("" if health.in_sync else " · " + t("obs.syncing")), "bold green")
        program = health.program_scene or "—"
        preview = health.preview_scene or "—"
        self.query_one("#obs-scenes", Readout).set(
            t("obs.scenes", program=program, preview=preview)
            + (" · " + t("obs.refused", error=render(health.error, catalogue.language)) if health.error else "")
        )
        congestion = None if health.stream_congestion is None else health.stream_congestion * 100
        self.query_one("#obs-outputs", Readout).set(
            t("obs.outputs", stream=_on_off(health.streaming), record=_on_off(health.recording), congestion=_number(congestion))
        )
        skipped = sum(v for v in (health.render_skipped_frames, health.encoder_skipped_frames) if v is not None)
        self.query_one("#obs-frames", Readout).set(
            t(
                "obs.frames",
                dropped=_number(health.stream_dropped_frames),
                skipped=skipped,
                fps=_number(health.active_fps, 1),
                cpu=_number(health.cpu_percent, 1),
            )
        )
        on_air = t(f"obs.verdict.{health.feed.verdict.value}") if health.feed.segment_id else "—"
        if health.awaiting_feed:  # a take onto a feed with no picture yet: the slate stands in
            on_air = t("obs.awaiting_feed")
        upcoming = t("obs.unknown") if preflight is None else t("obs.up") if preflight else t("obs.down")
        feeds = self.query_one("#obs-feeds", Readout)
        style = "bold red" if preflight is False else "bold yellow" if health.awaiting_feed else ""
        feeds.set(t("obs.feeds", on_air=on_air, next=upcoming), style)
