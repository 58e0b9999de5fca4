"""The cue card: what a prompter shows, computed once for the terminal and the browser.

A ``CueCard`` is plain data made from a ``ShowView`` in one language: the
on-air title, its cue text, the countdown (``studio.tui.format.countdown``,
the producer console's own figure), the local clock and the next item. The
terminal prompter renders it with widgets; the browser prompter sends it as
JSON over server-sent events, so both show the same words and figures.

Importing ``studio.tui.format`` runs ``studio/tui/__init__.py`` and so loads
Textual (~0.2 s) in the web process too; moving ``format.py`` into the core
would spare that (noted for the lead).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import timedelta, tzinfo
from typing import Any

from studio.i18n import Catalogue
from studio.show import ShowView
from studio.tui import format as fmt
from studio.tui.format import describe

_ZERO = timedelta(0)

LABEL_KEYS = ("prompter.on_air", "prompter.next", "prompter.local_time")
"""The fixed words a card carries, so a language switch needs no second request."""


@dataclass(frozen=True, slots=True)
class CueCard:
    language: str
    state: str  # "on_air", "idle" (nothing on air yet) or "ended"
    segment_id: str | None
    title: str  # the on-air title, or what the state means ("Nothing on air")
    detail: str  # kind · region · planned duration
    cue: str  # the presenter's text, line breaks kept; "" when there is none
    no_cue: str
    countdown: str  # "03:37" counting down, "+01:23" over; "" when nothing is on air
    countdown_label: str
    overrun: bool
    planned_s: int
    elapsed_s: int
    clock: str  # local wall-clock time, HH:MM:SS
    next_title: str
    next_detail: str
    next_at: str  # expected local start of the next item
    revision: int
    labels: dict[str, str]

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def cue_text(text: str) -> str:
    """The cue as written, without the blank edges a TOML multi-line string leaves."""
    lines = [line.rstrip() for line in text.strip("\n").splitlines()]
    return "\n".join(lines).strip()


def cue_card(view: ShowView, catalogue: Catalogue, zone: tzinfo) -> CueCard:
    t = catalogue.t
    language = catalogue.language
    timing = view.timing
    on_air, segment = view.on_air, view.on_air_segment
    if on_air is None or timing.on_air_remaining is None:
        state = "ended" if view.ended else "idle"
        title = t("panel.show_ended") if view.ended else t("panel.nothing_on_air")
        detail = cue = countdown = label = ""
        overrun = False
        planned = elapsed = 0
        segment_id = None
    else:
        state = "on_air"
        segment_id = on_air.segment_id
        title = on_air.title_kk if language == "kk" else on_air.title_ru
        detail = describe(segment, catalogue) if segment else ""
        cue = cue_text(segment.cue) if segment else ""
        overrun = timing.on_air_remaining <= _ZERO
        countdown = fmt.countdown(timing.on_air_remaining)
        label = t("panel.overrun") if overrun else t("panel.remaining")
        planned = int(on_air.planned.total_seconds())
        elapsed = int((timing.on_air_elapsed or _ZERO).total_seconds())
    upcoming = view.next
    if upcoming is None:
        next_title, next_detail, next_at = t("panel.nothing_next"), "", ""
    else:
        expected = timing.expected_for(upcoming.id)
        next_title = upcoming.title.text(language)
        next_detail = describe(upcoming, catalogue)
        next_at = fmt.clock(expected.start, zone) if expected else ""
    return CueCard(
        language=language,
        state=state,
        segment_id=segment_id,
        title=title,
        detail=detail,
        cue=cue,
        no_cue=t("panel.no_cue"),
        countdown=countdown,
        countdown_label=label,
        overrun=overrun,
        planned_s=planned,
        elapsed_s=elapsed,
        clock=fmt.clock(timing.now, zone),
        next_title=next_title,
        next_detail=next_detail,
        next_at=next_at,
        revision=view.revision,
        labels={key.removeprefix("prompter."): t(key) for key in LABEL_KEYS},
    )
