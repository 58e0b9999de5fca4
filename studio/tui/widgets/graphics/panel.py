"""Graphics for the producer: the armed graphic (g takes it) with its picture, and those on air (c, panic clear).

The armed graphic is rendered off air through the controller's fact gate
(``Controller.preview``) on a thread worker and drawn in half blocks
(picture.py) beside its description and file, so the producer sees what goes
up and where before the take, in any terminal. A refusal by the gate shows as
its reason. The last preview is kept: it is drawn again when the armed cue or
the panel's size changes, and every few seconds while it stays armed, because
the desk may verify or withdraw its fact meanwhile (a render costs ~3-5 ms on
the worker thread; the gate at the take decides anyway).

Below, the social cards of the hour that ``studio social`` wrote (studio/social/listing.py), each with its
state (ready, published, withdrawn), read from the folder on a thread worker every few seconds; the line is
there only when the hour has cards, and the panel says so (``CardsListed``) so the screen makes room.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import TYPE_CHECKING, Callable

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.message import Message
from textual.widgets import Static
from textual.worker import get_current_worker

from studio.i18n import t
from studio.machine import short_path
from studio.onair import RenderedGraphic, describe
from studio.rundown.model import GraphicCue
from studio.show import ControlError
from studio.tui.widgets.text import Readout

if TYPE_CHECKING:
    from studio.show import ShowView
    from studio.social.listing import HourCards

Armed = tuple[int, GraphicCue]  # the index among the cues that can be armed, and that cue
Size = tuple[int, int]  # the picture's cells and rows

ASPECT = 16 / 9
"""The programme's shape, which the picture keeps whatever room it is given."""
TEXT_WIDTH = 28
"""The cells the lines keep beside the picture: in a narrower panel (beside OBS at 120 columns) no picture."""
PICTURE_WIDTH = 12
"""The narrowest picture worth drawing: a lower third in it is six cells wide."""
CARDS_ROWS = 2
"""The most rows the social cards' line takes (app.tcss ``#graphics-cards``): the picture keeps clear of them."""
FRESH = 5.0
"""Seconds a preview stands before the armed graphic goes through the gate again."""


def fit(width: int, rows: int, aspect: float = ASPECT) -> Size:
    """The largest picture of ``aspect`` within ``width`` cells and ``rows`` rows (a cell: two square pixels)."""
    cells = min(width, round(2 * rows * aspect))
    rows = min(rows, round(cells / aspect / 2))
    return (cells, rows) if cells > 0 and rows > 0 else (0, 0)


@dataclass(frozen=True, slots=True)
class Preview:
    """The armed graphic rendered off air for one cue and size: its picture, or why there is none."""

    armed: Armed
    size: Size
    rendered: RenderedGraphic | None = None
    picture: Text | None = None
    problem: Exception | None = None  # a ControlError is the gate's refusal; anything else, an unreadable file


class GraphicsPanel(Vertical):
    """The armed graphic, its file (or refusal) and one line per graphic on air; its picture on the right."""

    LINES = 4

    @dataclass
    class Drawn(Message, bubble=False):
        """The worker has rendered and drawn a preview."""

        preview: Preview

    @dataclass
    class CardsRead(Message, bubble=False):
        """The worker has read the hour's social cards."""

        cards: HourCards

    @dataclass
    class CardsListed(Message):
        """The social cards' line is shown (the hour has cards) or hidden: the screen gives it a row."""

        shown: bool

    def __init__(
        self, render: Callable[[GraphicCue], RenderedGraphic], *, cards: Callable[[], HourCards] | None = None,
        id: str | None = None,
    ) -> None:
        """``render(cue)`` renders the armed graphic off air (Controller.preview), on a worker; ``cards()`` reads
        the hour's social cards (ShowServices.social_cards; None: no list), on a worker too."""
        super().__init__(id=id)
        self._render_armed = render
        self._read_cards = cards
        self._cards: HourCards | None = None
        self._cards_read_at = -FRESH  # time.monotonic() when they were last asked for
        self._armed: Armed | None = None
        self._picture_size: Size = (0, 0)
        self._preview: Preview | None = None  # the last one drawn
        self._drawn_at = 0.0  # time.monotonic() when it was
        self._picture: Text | None = None  # the picture on screen: updated only when it changes

    def compose(self) -> ComposeResult:
        with Horizontal(id="graphics-top"):
            with Vertical(id="graphics-lines"):
                yield Readout(id="graphics-armed")
                yield Readout(id="graphics-file")
                for index in range(self.LINES):
                    yield Readout(id=f"graphics-on-{index}")
            yield Static(id="graphics-picture")
        yield Readout(id="graphics-cards")  # the whole width, under the picture too

    def on_mount(self) -> None:
        self.query_one("#graphics-cards").display = False

    def show(self, view: ShowView, cues: tuple[GraphicCue, ...], armed: int) -> None:
        """``cues``: what can be armed over the on-air segment (its graphics, then a fact the producer picked)."""
        self.border_title = t("graphics.title")
        line = self.query_one("#graphics-armed", Readout)
        segment = view.on_air_segment
        if cues:
            index = armed % len(cues)
            description = describe(cues[index])
            if segment is None or cues[index] not in segment.graphics:
                description += f" ({t('graphics.picked')})"
            line.set(t("graphics.armed", index=index + 1, count=len(cues), description=description), "bold")
            self._arm((index, cues[index]))
            if self._current() is not None and time.monotonic() - self._drawn_at > FRESH:
                self._preview_worker(self._armed, self._picture_size)  # the old picture stays until then
        else:
            line.set(t("graphics.none_armed"), "dim")
            self._arm(None)
        on_air = list(view.graphics)
        # Under the slate (a dead feed), the graphics are up but nobody sees them: never say ON AIR then.
        said, style = ("graphics.under_slate", "bold yellow") if view.under_slate else ("graphics.on_air", "bold red")
        for index in range(self.LINES):
            readout = self.query_one(f"#graphics-on-{index}", Readout)
            if index < len(on_air):
                graphic = on_air[index]
                readout.set(t(said, description=graphic.description, file=short_path(graphic.file)), style)
            else:
                readout.set(t("graphics.nothing_on_air") if index == 0 and not on_air else "", "dim")
        self._show_preview()  # after a language change too
        if self._read_cards is not None and time.monotonic() - self._cards_read_at > FRESH:
            self._cards_read_at = time.monotonic()
            self._cards_worker()
        self._show_cards()  # after a language change too

    # --- the hour's social cards -----------------------------------------------------

    @work(thread=True, exclusive=True, exit_on_error=False, group="graphics-cards")
    def _cards_worker(self) -> None:
        assert self._read_cards is not None
        try:
            cards = self._read_cards()
        except OSError as error:  # the folder on a disk gone: said on the line, the console goes on
            self.log.error("social cards unreadable", error=error)
            return
        if not get_current_worker().is_cancelled:
            self.post_message(self.CardsRead(cards))

    @on(CardsRead)
    def _cards_read(self, message: CardsRead) -> None:
        shown = bool(message.cards.cards)
        if shown != bool(self._cards and self._cards.cards):
            self.post_message(self.CardsListed(shown))
        self._cards = message.cards
        self._show_cards()

    def _show_cards(self) -> None:
        line = self.query_one("#graphics-cards", Readout)
        line.display = bool(self._cards and self._cards.cards)
        if self._cards is None or not self._cards.cards:
            return
        listed = " · ".join(f"{card.name} {t(f'graphics.cards.state.{card.state}')}" for card in self._cards.cards)
        line.set(f"{t('graphics.cards.title', hour=self._cards.hour)}: {listed}", "cyan")

    # --- the preview ----------------------------------------------------------------

    def on_resize(self) -> None:
        rows = self.content_size.height - (CARDS_ROWS if self.query_one("#graphics-cards").display else 0)
        size = fit(self.content_size.width - TEXT_WIDTH - 1, rows)  # 1: the picture's margin
        if size[0] < PICTURE_WIDTH:
            size = (0, 0)
        if size != self._picture_size:
            self._picture_size = size
            self.query_one("#graphics-picture").styles.width = size[0]
            self._draw()

    def _arm(self, armed: Armed | None) -> None:
        if armed != self._armed:
            self._armed = armed
            self._draw()

    def _wanted(self, preview: Preview) -> bool:
        """Whether ``preview`` is of what is armed now, at the size shown now."""
        return (preview.armed, preview.size) == (self._armed, self._picture_size)

    def _current(self) -> Preview | None:
        """The last preview, if it is still the one wanted."""
        return self._preview if self._preview is not None and self._wanted(self._preview) else None

    def _draw(self) -> None:
        """Render the armed graphic at the panel's size, unless the last preview is of just that."""
        if self._armed is not None and self._current() is None:
            self._preview_worker(self._armed, self._picture_size)
        self._show_preview()

    @work(thread=True, exclusive=True, exit_on_error=False, group="graphics-preview")
    def _preview_worker(self, armed: Armed, size: Size) -> None:
        # Pillow costs ~27 ms to import: paid here, on this thread, not by the console's start.
        from studio.tui.widgets.graphics.picture import thumbnail

        rendered: RenderedGraphic | None = None
        picture: Text | None = None
        problem: Exception | None = None
        try:
            rendered = self._render_armed(armed[1])
            picture = thumbnail(rendered, *size) if size != (0, 0) else None
        except Exception as error:  # a preview never takes the console down: the panel says why
            problem = error
        if not get_current_worker().is_cancelled:
            self.post_message(self.Drawn(Preview(armed, size, rendered, picture, problem)))

    @on(Drawn)
    def _drawn(self, message: Drawn) -> None:
        preview = message.preview
        if preview.problem is not None and not isinstance(preview.problem, ControlError):
            self.log.error("graphics preview failed", error=preview.problem)
        if self._wanted(preview):  # else something newer is being drawn
            self._preview, self._drawn_at = preview, time.monotonic()
            self._show_preview()

    def _show_preview(self) -> None:
        file = self.query_one("#graphics-file", Readout)
        picture = self.query_one("#graphics-picture", Static)
        preview = self._current()
        problem = preview.problem if preview else None
        refusal = problem if isinstance(problem, ControlError) else None  # the gate: a fact not verified...
        # A refusal's reason gets the whole width.
        picture.display = self._armed is not None and refusal is None and self._picture_size != (0, 0)
        if (preview.picture if preview else None) is not self._picture:
            self._picture = preview.picture if preview else None
            picture.update(self._picture or "")
        if self._armed is None:
            file.set("")
        elif preview is None:
            file.set(t("graphics.preview_pending"), "dim")
        elif refusal is not None:
            file.set(t(f"error.{refusal.code}", **refusal.params), "bold red")
        else:
            shown = [short_path(preview.rendered.path)] if preview.rendered else []
            if problem is not None:
                shown.append(t("graphics.no_picture", error=problem))
            file.set(" · ".join(shown), "yellow" if problem else "dim")
