"""Ask for a new segment to insert after the selected line: id, kind, both titles, duration, region, and what
the show needs to air it: its OBS scene, a fixed start, the live feed or the clip, its graphics and the prompter's
cue. What the rundown already has (its scenes, each region's feed, its clips and graphics) is offered to pick."""

from __future__ import annotations

import re
from datetime import time
from typing import ClassVar, Collection

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Grid, Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, SelectionList, Static, TextArea

from studio.i18n import t
from studio.onair import describe
from studio.regions import regions
from studio.rundown.model import Bilingual, GraphicCue, Kind, Rundown, Segment
from studio.tui import bindings
from studio.tui.screens.duration import check_duration

SEGMENT_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")  # the rule of the rundown file (studio/rundown/load.py)


class InsertScreen(ModalScreen[Segment | None]):
    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without inserting"),
        *bindings.FIELD_FOCUS,
    ]

    def __init__(self, after_title: str, rundown: Rundown, language: str) -> None:
        super().__init__(classes="dialog")
        self.after_title = after_title
        self.taken = frozenset(segment.id for segment in rundown.segments)
        self.language = language
        segments = rundown.segments
        self.scenes = sorted({segment.scene for segment in segments if segment.scene})
        self.scene_of_kind = {kind: next((s.scene for s in segments if s.kind is kind and s.scene), None) for kind in Kind}
        self.feed_of_region = {s.region: s.feed for s in reversed(segments) if s.region and s.feed}
        # (field, value): a clip file ("video") or an OBS source of the station's ("video_source")
        self.clips = list(dict.fromkeys(
            (field, value) for s in segments for field in ("video", "video_source") if (value := getattr(s, field))
        ))
        self.cues = list({describe(cue): cue for segment in segments for cue in segment.graphics}.values())

    def compose(self) -> ComposeResult:
        with VerticalScroll(classes="dialog-box -wide") as box:
            box.border_title = Text(t("insert.title", title=self.after_title))  # user text: no markup
            with Grid(id="insert-form"):
                yield Label(t("insert.id"))
                yield Input(id="insert-id", placeholder=t("insert.id_placeholder"), compact=True)
                yield Label(t("insert.kind"))
                yield Select(
                    [(t(f"kind.{kind.value}"), kind) for kind in Kind],
                    value=Kind.STUDIO,
                    allow_blank=False,
                    id="insert-kind",
                    compact=True,
                )
                yield Label(t("insert.title_kk"))
                yield Input(id="insert-kk", compact=True)
                yield Label(t("insert.title_ru"))
                yield Input(id="insert-ru", compact=True)
                yield Label(t("insert.duration"))
                yield Input(id="insert-duration", placeholder="5m", compact=True)
                yield Label(t("insert.region"))
                yield Select(
                    [(region.name(self.language), region.id) for region in regions().values()],
                    prompt=t("insert.no_region"),
                    id="insert-region",
                    compact=True,
                )
                yield Label(t("insert.scene"))
                yield Select([(scene, scene) for scene in self.scenes], prompt=t("insert.scene_of_kind"),
                             id="insert-scene", compact=True)
                yield Label(t("insert.fixed"))
                yield Input(id="insert-fixed", placeholder=t("insert.fixed_placeholder"), compact=True)
                yield Label(t("insert.feed"))
                yield Input(id="insert-feed", placeholder=t("insert.feed_placeholder"), compact=True)
                yield Label(t("insert.clip"))
                yield Select([(value, index) for index, (_, value) in enumerate(self.clips)], prompt=t("insert.no_clip"),
                             id="insert-clip", compact=True)
                yield Label(t("insert.graphics"))
                yield SelectionList[int](*((Text(describe(cue)), index) for index, cue in enumerate(self.cues)),
                                         id="insert-graphics", compact=True)
                yield Label(t("insert.cue"))
                yield TextArea(id="insert-cue", compact=True)
            yield Static("", id="insert-errors", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(t("button.insert"), id="insert", variant="primary")
                yield Button(t("button.cancel"), id="cancel")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.query_one("#insert-id", Input).focus()

    def _value(self, widget_id: str) -> str:
        return self.query_one(f"#{widget_id}", Input).value.strip()

    def segment(self) -> tuple[Segment | None, list[str]]:
        """The segment the form describes, or the problems to fix."""
        problems: list[str] = []
        segment_id = self._value("insert-id")
        if not SEGMENT_ID.match(segment_id):
            problems.append(t("insert.bad_id"))
        elif segment_id in self.taken:
            problems.append(t("insert.id_taken", id=segment_id))
        kind = self.query_one("#insert-kind", Select).value
        kk, ru = self._value("insert-kk"), self._value("insert-ru")
        if not kk or not ru:
            problems.append(t("insert.missing_title"))
        duration, problem = check_duration(self._value("insert-duration"))
        if duration is None:
            problems.append(problem)
        region_id = self._chosen("insert-region")
        if kind is Kind.LIVE and region_id is None:
            problems.append(t("insert.needs_region"))
        fixed = self._value("insert-fixed")
        try:
            fixed_at = time.fromisoformat(fixed) if fixed else None
        except ValueError:
            fixed_at = None
            problems.append(t("insert.bad_fixed", value=fixed))
        feed = self._value("insert-feed") or (self.feed_of_region.get(region_id) if kind is Kind.LIVE else None)
        clip_index = self.query_one("#insert-clip", Select).value
        clip = self.clips[clip_index] if kind is Kind.VIDEO and isinstance(clip_index, int) else None
        if kind is Kind.VIDEO and clip is None:
            problems.append(t("insert.needs_clip"))
        if problems or duration is None or not isinstance(kind, Kind):
            return None, problems
        graphics: tuple[GraphicCue, ...] = tuple(
            self.cues[index] for index in self.query_one("#insert-graphics", SelectionList).selected
        )
        return Segment(
            segment_id, kind, Bilingual(kk, ru), duration,
            fixed=fixed_at,
            region=region_id,
            scene=self._chosen("insert-scene") or self.scene_of_kind[kind],
            feed=feed if kind is Kind.LIVE else None,
            cue=self.query_one("#insert-cue", TextArea).text.strip(),
            graphics=graphics,
            **({clip[0]: clip[1]} if clip else {}),
        ), []

    def _chosen(self, select_id: str) -> str | None:
        value = self.query_one(f"#{select_id}", Select).value
        return value if isinstance(value, str) else None

    @on(Input.Submitted)
    @on(Button.Pressed, "#insert")
    def submit(self) -> None:
        segment, problems = self.segment()
        if segment is None:
            self.query_one("#insert-errors", Static).update(Text("\n".join(problems)))
            return
        self.dismiss(segment)

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
