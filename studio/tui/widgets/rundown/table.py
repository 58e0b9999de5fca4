"""The rundown table, updated cell by cell so a 500-line show stays cheap.

Each refresh turns every line into a row of plain ``(text, style)`` cells and
compares them with what the table shows; only cells that differ are replaced.
The table is rebuilt only when the lines themselves change (a move, a drop,
an insert, a reload) or the language does.
"""

from __future__ import annotations

import time
from datetime import datetime, timedelta, tzinfo
from typing import Callable, ClassVar, NamedTuple

from rich.text import Text
from textual import events
from textual.binding import Binding, BindingType
from textual.widgets import DataTable
from textual.widgets.data_table import ColumnKey

from studio.i18n import t
from studio.regions import regions
from studio.rundown.model import Rundown
from studio.rundown.timing import Timing
from studio.show.view import Line, ShowView, Status
from studio.tui import format as fmt

COLUMNS: tuple[tuple[str, int | None], ...] = (
    ("status", 10),
    ("planned", 8),
    ("expected", 8),
    ("duration", 7),
    ("title", None),
    ("kind", 9),
    ("region", 18),
    ("id", 13),
)
"""Column keys and widths; the title (None) takes the room the others leave, and the id grows to the
rundown's longest id, up to ID_MAX (a cut id cannot be told from its neighbour: live-shymkent-morning)."""

ID_MAX = 32

FIRST_ROWS = 60
"""Rows laid out before the first paint; the others follow right after it (a 500-line show starts fast)."""

FOLLOW_AFTER = 5.0
"""Seconds since the producer last moved the cursor after which it follows a new on-air row (a take from the API
or another terminal); sooner, the cursor stays where the producer put it."""

TITLE_MIN = 24
_SCROLLBAR = 2

_ROW_STYLE = {
    Status.PLAYED: "dim",
    Status.ON_AIR: "bold",
    Status.NEXT: "",
    Status.HELD: "italic",
    Status.SKIPPED: "dim strike",
    Status.PENDING: "",
}
_STATUS_STYLE = {
    Status.PLAYED: "dim",
    Status.ON_AIR: "bold #ffffff on #c62828",
    Status.NEXT: "bold #43a047",
    Status.HELD: "bold #f9a825",
    Status.SKIPPED: "dim",
    Status.PENDING: "",
}


class Cell(NamedTuple):
    text: str
    style: str = ""

    def render(self) -> Text:
        return Text(self.text, style=self.style, no_wrap=True, overflow="ellipsis")


Row = tuple[Cell, ...]


class RundownTable(DataTable[Text], inherit_bindings=False):
    """The rundown: one row per segment, keyed by segment id."""

    # DataTable's own "enter" (select) is left out: enter takes the selected line.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("up", "by_hand('cursor_up')", "Cursor up", show=False),
        Binding("down", "by_hand('cursor_down')", "Cursor down", show=False),
        Binding("pageup", "by_hand('page_up')", "Page up", show=False),
        Binding("pagedown", "by_hand('page_down')", "Page down", show=False),
        Binding("home,ctrl+home", "by_hand('scroll_top')", "Top", show=False),
        Binding("end,ctrl+end", "by_hand('scroll_bottom')", "Bottom", show=False),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cursor_foreground_priority="renderable")
        self._ids: tuple[str, ...] = ()
        self._rows: dict[str, Row] = {}
        self._language = ""
        self.rebuilds = 0  # how often the rows were laid out from scratch (a tick must not)
        self._added = 0  # rows of self._ids already in the DataTable
        self._id_width = dict(COLUMNS)["id"]
        self._plan: Rundown | None = None
        self._plain: dict[tuple[str, Status], tuple[Cell, Cell, tuple[Cell, ...]]] = {}
        self._on_air: str | None = None
        self.monotonic: Callable[[], float] = time.monotonic
        self._moved_at = -FOLLOW_AFTER  # when the producer last moved the cursor (monotonic)

    def action_by_hand(self, move: str) -> None:
        """A cursor move of the producer's (``move``: one of DataTable's cursor actions); the table
        does not follow the on-air row for FOLLOW_AFTER seconds after one."""
        self._moved_at = self.monotonic()
        getattr(self, f"action_{move}")()

    async def _on_click(self, event: events.Click) -> None:
        self._moved_at = self.monotonic()
        await super()._on_click(event)

    @property
    def selected_id(self) -> str | None:
        """The segment id under the cursor."""
        if not self._ids:
            return None
        return self._ids[min(self.cursor_row, len(self._ids) - 1)]

    def select(self, segment_id: str) -> None:
        """Put the cursor on a segment's row for the producer (after an insert or a move): a move by hand."""
        self._moved_at = self.monotonic()
        self._place(segment_id)

    def _place(self, segment_id: str) -> None:
        if segment_id in self._rows:
            index = self._ids.index(segment_id)
            self._add_until(index + FIRST_ROWS)
            self.move_cursor(row=index, animate=False)

    def show(self, view: ShowView, language: str, zone: tzinfo) -> None:
        """Bring the table in line with ``view``, touching only what changed."""
        started = {row.segment_id: row.started_at for row in view.played}
        if view.on_air is not None:
            started[view.on_air.segment_id] = view.on_air.started_at
        if view.rundown is not self._plan or language != self._language:
            # Cells that depend only on the plan are made once per plan (and language).
            self._plan, self._plain = view.rundown, {}
        plain = self._plain
        rows: dict[str, Row] = {}
        for line in view.lines:
            key = (line.segment.id, line.status)
            if (fixed := plain.get(key)) is None:
                fixed = plain[key] = _plan_cells(line, language, zone)
            status, planned, rest = fixed
            rows[line.segment.id] = (status, planned, _expected(line, view.timing, started.get(key[0]), zone), *rest)
        ids = tuple(rows)
        if ids != self._ids or language != self._language:
            self._rebuild(ids, rows, language)
        else:
            self._update(rows)
        self._follow(view.on_air.segment_id if view.on_air else None)

    def _follow(self, on_air: str | None) -> None:
        """A new on-air row takes the cursor, unless the producer moved it within FOLLOW_AFTER."""
        if on_air == self._on_air:
            return
        self._on_air = on_air
        if on_air is not None and self.monotonic() - self._moved_at >= FOLLOW_AFTER:
            self._place(on_air)

    def _update(self, rows: dict[str, Row]) -> None:
        """Replace the cells that differ from what the table shows."""
        for position, (segment_id, row) in enumerate(rows.items()):
            old = self._rows[segment_id]
            if row == old:
                continue
            self._rows[segment_id] = row
            if position >= self._added:
                continue  # not laid out yet: it will be added with these cells
            for (key, _), new, before in zip(COLUMNS, row, old):
                if new != before:
                    self.update_cell(segment_id, key, new.render())

    def _rebuild(self, ids: tuple[str, ...], rows: dict[str, Row], language: str) -> None:
        """Lay the rows out again: the first screenful now, the rest right after the next paint."""
        self.rebuilds += 1
        selected = self.selected_id
        index = self.cursor_row
        self.clear(columns=language != self._language or not self.columns)
        self._id_width = min(ID_MAX, max([len(segment_id) for segment_id in ids] + [dict(COLUMNS)["id"]]))
        if not self.columns:
            for key, _ in COLUMNS:
                self.add_column(Text(t(f"column.{key}")), width=self._width(key), key=key)
        else:
            self._fit_widths()
        self._ids, self._rows, self._language, self._added = ids, rows, language, 0
        if selected in rows:
            index = ids.index(selected)
        self._add_until(index + FIRST_ROWS)
        if self._added < len(ids):
            self.call_after_refresh(self._add_until, len(ids))
        if ids:
            self.move_cursor(row=min(index, len(ids) - 1), animate=False)

    def _add_until(self, count: int) -> None:
        """Add rows (with their latest cells) until ``count`` of them are in the table."""
        for segment_id in self._ids[self._added : count]:
            self.add_row(*(cell.render() for cell in self._rows[segment_id]), key=segment_id)
        self._added = max(self._added, min(count, len(self._ids)))

    def _width(self, key: str) -> int:
        if key == "title":
            others = sum(self._width(other) for other, _ in COLUMNS if other != "title")
            return max(TITLE_MIN, self.size.width - others - 2 * self.cell_padding * len(COLUMNS) - _SCROLLBAR)
        return self._id_width if key == "id" else dict(COLUMNS)[key] or 0

    def _fit_widths(self) -> None:
        """The id and title columns after the window or the longest id changed."""
        changed = False
        for key in ("id", "title"):
            column = self.columns.get(ColumnKey(key))
            if column is not None and column.width != (width := self._width(key)):
                column.width = width
                changed = True
        if changed:
            self._require_update_dimensions = True  # DataTable's own flag: recompute the virtual size
            self.refresh()

    def on_resize(self) -> None:
        self._fit_widths()


def _plan_cells(line: Line, language: str, zone: tzinfo) -> tuple[Cell, Cell, tuple[Cell, ...]]:
    """The cells that change only with the plan or the line's status: all but the expected start."""
    segment, status = line.segment, line.status
    style = _ROW_STYLE[status]
    region = regions().get(segment.region) if segment.region else None
    planned_style = f"{style} bold underline".strip() if line.planned.fixed else style
    return (
        Cell(t(f"status.{status.value}"), _STATUS_STYLE[status]),
        Cell(fmt.clock(line.planned.start, zone), planned_style),
        (
            Cell(fmt.span(segment.duration), style),
            Cell(segment.title.text(language), style),
            Cell(t(f"kind.{segment.kind.value}"), style),
            Cell(region.name(language) if region else (segment.region or ""), style),
            Cell(segment.id, f"{style} dim".strip()),
        ),
    )


def _expected(line: Line, timing: Timing, started: datetime | None, zone: tzinfo) -> Cell:
    """When a line is expected to start; for played and on-air lines, when it did."""
    style = _ROW_STYLE[line.status]
    if started is not None and line.status in (Status.ON_AIR, Status.PLAYED):
        return Cell(fmt.clock(started, zone), style)
    if line.expected_start is None:
        return Cell("—", "dim")
    text = fmt.clock(line.expected_start, zone)
    expected = timing.expected_for(line.segment.id) if line.planned.fixed else None
    if expected is not None and expected.backtime is not None:
        # A fixed start keeps its time; the colour says whether the flow makes it.
        if expected.backtime < timedelta(0):
            return Cell(text, "bold #e53935")
        return Cell(text, f"{style} bold".strip())
    return Cell(text, style)
