"""The prompter's widgets: the on-air bar, the cue text and the next line.

Each one renders a ``CueCard`` (studio/web/cue.py) and keeps no show state.

Large text in a terminal: Textual cannot change the font, so "size" here
is measure and leading. A bigger step sets fewer characters a line and more
blank rows between lines, in a centred column of bold white on black: the
eye travels less and the line being read stands apart, which is what reads
at a distance. The terminal's own font zoom (ctrl+plus in most terminal
emulators) is the true font size and combines with these steps.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.widgets import Digits, Static

from studio.tui.widgets.text import Readout
from studio.web.cue import CueCard

SIZES: tuple[tuple[int, int], ...] = ((100, 0), (84, 1), (68, 1), (56, 2), (44, 2))
"""Per size step (1 = smallest): the measure in cells and the blank rows between lines."""

MIN_AUTO_SECONDS = 10.0
"""Auto-scroll never plans to reach the end in less than this (an overrun segment scrolls on, gently)."""


class OnAirBar(Horizontal):
    """The on-air title and its description, the countdown, and the local clock."""

    def compose(self) -> ComposeResult:
        with Vertical(id="on-air"):
            yield Readout(id="badge")
            yield Readout(id="title")
            yield Readout(id="detail")
            yield Readout(id="status")
        with Vertical(id="count"):
            yield Digits("", id="countdown")
            yield Readout(id="count-label")
        with Vertical(id="clock-box"):
            yield Digits("", id="clock")
            yield Readout(id="clock-label")

    def show(self, card: CueCard, status: str, status_style: str) -> None:
        on_air = card.state == "on_air"
        self.query_one("#badge", Readout).set(card.labels["on_air"] if on_air else "", "bold reverse")
        self.query_one("#title", Readout).set(card.title, "bold" if on_air else "dim")
        self.query_one("#detail", Readout).set(card.detail)
        self.query_one("#status", Readout).set(status, status_style)
        self.query_one("#countdown", Digits).update(card.countdown)
        self.query_one("#count-label", Readout).set(card.countdown_label, "bold" if card.overrun else "")
        self.query_one("#clock", Digits).update(card.clock)
        self.query_one("#clock-label", Readout).set(card.labels["local_time"])
        self.set_class(card.overrun, "-overrun")


class NextLine(Horizontal):
    """What comes next: its expected start, title and description."""

    def compose(self) -> ComposeResult:
        yield Readout(id="next-label")
        yield Readout(id="next-text")

    def show(self, card: CueCard) -> None:
        self.query_one("#next-label", Readout).set(card.labels["next"], "bold")
        parts = [part for part in (card.next_at, card.next_title, card.next_detail) if part]
        self.query_one("#next-text", Readout).set("  ·  ".join(parts), "" if card.next_detail else "dim")


class CueText(VerticalScroll, can_focus=False):
    """The cue in a centred column; scrolled by the presenter or automatically.

    Auto-scroll paces itself so the last line reaches the top as the
    segment's planned time runs out: each tick it moves the rest of the text
    over the rest of the time. A pause, or a manual scroll, is made up over
    the time left instead of jumping.
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._text = ""
        self._empty = ""
        self._step = 3
        self._rendered: tuple[str, str, int, int, int] | None = None
        self._position = 0.0  # rows, fractional: the auto-scroll accumulates here
        self._line_rows = 1

    def compose(self) -> ComposeResult:
        yield Static(id="cue-body", markup=False)

    @property
    def position(self) -> float:
        return self._position

    def show(self, text: str, empty: str, step: int, *, new_segment: bool) -> None:
        self._text, self._empty, self._step = text, empty, step
        if new_segment:
            self._position = 0.0
        self.rebuild()

    def on_resize(self) -> None:
        self.rebuild()

    def rebuild(self) -> None:
        width, height = self.scrollable_content_region.size
        key = (self._text, self._empty, self._step, width, height)
        if key == self._rendered or width <= 0:
            return
        self._rendered = key
        measure, spacing = SIZES[self._step - 1]
        measure = max(10, min(measure, width - 2))
        self._line_rows = 1 + spacing
        body = Text(justify="left")
        if not self._text:
            body.append(self._empty, style="dim")
        else:
            for paragraph in self._text.split("\n"):
                if not paragraph.strip():
                    body.append("\n" * self._line_rows)
                    continue
                for line in Text(paragraph, style="bold").wrap(self.app.console, measure):
                    body.append_text(line)
                    body.append("\n" * self._line_rows)
        body.append("\n" * max(0, height // 2))  # the last line can rise to the reading line
        static = self.query_one("#cue-body", Static)
        static.styles.width = measure
        static.update(body)
        self.call_after_refresh(self._apply)

    def _apply(self) -> None:
        self._position = min(self._position, float(self.max_scroll_y))
        self.scroll_to(y=round(self._position), animate=False, immediate=True)

    def nudge(self, lines: int) -> None:
        """Move by whole text lines (each line is 1 + spacing rows)."""
        self._position = max(0.0, min(float(self.max_scroll_y), self._position + lines * self._line_rows))
        self._apply()

    def top(self) -> None:
        self._position = 0.0
        self._apply()

    def advance(self, seconds: float, remaining_s: float) -> None:
        """One auto-scroll tick of ``seconds``, with ``remaining_s`` of the segment left."""
        left = float(self.max_scroll_y) - self._position
        if left <= 0:
            return
        self._position += left * seconds / max(remaining_s, MIN_AUTO_SECONDS)
        if round(self._position) != round(self.scroll_y):
            self._apply()
