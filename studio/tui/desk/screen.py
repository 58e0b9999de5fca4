"""The desk screen: the queue with its filters, the open item, and every
desk action on it: create and edit facts, link reports, verdicts.

Used by ``studio desk`` (DeskApp) and pushed by the producer console
(``app.desk``). Every store call goes through a ``DeskClient`` in a thread
worker. The forms (fact_form, verdict, links) save on their own workers and
show their refusals themselves; the screen's own workers post the messages
below, and their failures land in ``_worker_changed``: a refused change
(``RuleError``) becomes the rule's translated message, a fact someone else
changed meanwhile (``ConflictError``) a notification and the fresh version,
an item open at another desk (``Taken``) a notice.

Several desks share one store: a poll loop asks ``changed_elsewhere()``
four times a second and reloads when another terminal wrote (a verdict, or
a claim: opening an item claims it, so the others show it as taken). Such a
reload never re-sorts the queue under the operator: known rows keep their
places, new ones come in at the top, and the selected row stays selected
(even when it no longer passes the filters, until the cursor leaves it).
The queue is sorted afresh when the filters change and on ctrl+l.
"""

from __future__ import annotations

import sqlite3
import time
import traceback
from dataclasses import dataclass
from typing import Any, ClassVar
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, VerticalScroll
from textual.css.query import NoMatches
from textual.message import Message
from textual.screen import Screen
from textual.widgets import DataTable, Footer
from textual.widgets.data_table import CellDoesNotExist, RowDoesNotExist
from textual.worker import Worker, WorkerState, get_current_worker

from studio.desk.rules import RuleError
from studio.errors import StudioError
from studio.i18n import catalogue, t
from studio.store.claims import CLAIM_REFRESH
from studio.store.desk import ConflictError
from studio.tui import bindings, format as fmt
from studio.tui.desk import view
from studio.tui.desk.attachments import Attachments, Opener, attachments_of, system_opener
from studio.tui.desk.client import DeskClient, Detail, Filters, Queue, QueueItem, Taken
from studio.tui.desk.actions import DeskActions
from studio.tui.desk.filters import FilterBar
from studio.tui.desk.held import HeldQueue
from studio.tui.desk.refusals import conflict_text, said
from studio.tui.screens.text import TextScreen
from studio.tui.widgets.text import Readout

POLL = 0.25
"""Seconds between looks at the store for other terminals' writes."""

REREAD = 15.0
"""Seconds between full reloads anyway: ages move on and stale claims expire."""

ALMATY = ZoneInfo("Asia/Almaty")


class DeskScreen(DeskActions, Screen[None]):
    CSS_PATH = "desk.tcss"
    BINDING_GROUP_TITLE = "Desk"  # translated on mount
    # English fallbacks; bindings.translate() replaces them from the catalogue.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="desk.open", tooltip="Open the selected item"),
        Binding("escape", "close", "Close", id="desk.close", tooltip="Close the open item"),
        Binding("i", "attachment", "Attachment", id="desk.attachment", tooltip="Open a file of the open item"),
        Binding("n", "create", "New fact", id="desk.create", tooltip="A new fact, from the open group of reports"),
        Binding("m", "edit", "Edit", id="desk.edit", tooltip="Edit what the open fact says"),
        Binding("l", "link", "Reports", id="desk.link", tooltip="Link or unlink reports"),
        Binding("o", "source", "Source", id="desk.source", tooltip="Add a source to the open fact"),
        Binding("t", "split", "Split", id="desk.split", tooltip="Split reports out of the open group"),
        Binding("b", "release", "Release", id="desk.release", tooltip="Verify the open fact's release in one act"),
        Binding("e", "review", "Review", id="desk.review", tooltip="Take the fact into review"),
        Binding("v", "verdict('verify')", "Verify", id="desk.verify", tooltip="Verify the fact"),
        Binding("f", "verdict('false')", "False", id="desk.false", tooltip="Mark the fact false"),
        Binding("u", "verdict('unproven')", "Unproven", id="desk.unproven", tooltip="Mark unproven"),
        Binding("x", "verdict('retract')", "Retract", id="desk.retract", tooltip="Retract the fact"),
        Binding("p", "settle", "Settle", id="desk.settle", tooltip="Propose how the open conflict is settled"),
        Binding("y", "confirm", "Confirm", id="desk.confirm", tooltip="Confirm another's settlement of the conflict"),
        Binding("s", "filter('status')", "Status", id="desk.filter_status", tooltip="Filter by status"),
        Binding("r", "filter('region')", "Region", id="desk.filter_region", tooltip="Filter by region"),
        Binding("k", "filter('kind')", "Kind", id="desk.filter_kind", tooltip="Filter by kind"),
        Binding("a", "filter('age')", "Age", id="desk.filter_age", tooltip="Filter by age"),
        Binding("c", "clear_filters", "All", id="desk.filter_clear", tooltip="Clear the filters", show=False),
        Binding("h", "held", "Needs a region", id="desk.held", tooltip="Rows waiting for a person to name their region"),
        Binding("ctrl+l", "reload", "Reload", id="desk.reload", tooltip="Read the store again", show=False),
    ]

    @dataclass
    class QueueLoaded(Message):
        queue: Queue

    @dataclass
    class DetailLoaded(Message):
        detail: Detail
        opened: bool = False  # this desk has just opened (claimed) the item

    @dataclass
    class StoreChanged(Message):
        """Another terminal wrote to the store (or it is time to re-read anyway)."""

    def __init__(
        self,
        client: DeskClient,
        *,
        zone: ZoneInfo = ALMATY,
        live: bool = True,
        opener: Opener = system_opener,
        id: str = "desk",
    ) -> None:
        super().__init__(id=id)
        self.client = client
        self.opener = opener  # shows an attachment in the system viewer (tests give their own)
        self.zone = zone
        self.live = live  # False: no poll loop (tests of a still frame)
        self.queue: Queue | None = None
        self.filters = Filters()
        self.opened: tuple[str, int] | None = None
        self.detail: Detail | None = None
        self.order: list[str] = []  # the queue's row keys in the order shown; kept across reloads
        self.sticky: str | None = None  # the selected row, kept while the cursor is on it
        self.resort = True  # the next paint sorts the queue afresh
        self.then_open: str | None = None  # a row to select and open once the queue has it (a new fact)
        self._actions: dict[Worker[Any], tuple[str, int]] = {}

    # --- set-up -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Readout(id="desk-status")
        yield FilterBar(id="desk-filters")
        yield DataTable(id="desk-queue", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="desk-detail"):
            with VerticalScroll(id="desk-info-box"):
                yield Readout(id="desk-info")
                yield Attachments(self.opener, id="desk-attachments")
            with VerticalScroll(id="desk-history-box"):
                yield Readout(id="desk-history")
        yield Footer()

    def on_mount(self) -> None:
        self.translate()
        self.load()
        self.query_one("#desk-queue", DataTable).focus()
        if self.live:
            self._poll()

    def translate(self) -> None:
        """Labels, headings and the bindings in the interface language (again after a switch)."""
        bindings.translate(self, "desk")
        table = self.query_one("#desk-queue", DataTable)
        table.clear(columns=True)
        for name, width in view.COLUMNS:
            table.add_column(t(f"desk.column.{name}"), key=name, width=width)
        self.query_one(FilterBar).translate(catalogue.language)
        self.query_one(Attachments).translate()
        self.query_one("#desk-info-box").border_title = t("desk.item")
        self.query_one("#desk-history-box").border_title = t("desk.history")
        self._paint_queue()
        self._paint_detail()

    # --- reading --------------------------------------------------------------

    def load(self) -> None:
        """Re-read the queue and the open item (in workers)."""
        self._load_queue()
        if self.opened is not None:
            self._load_detail(*self.opened)

    @work(thread=True, exclusive=True, group="desk-queue", exit_on_error=False)
    def _load_queue(self) -> None:
        queue = self.client.queue()
        if not get_current_worker().is_cancelled:
            self.post_message(self.QueueLoaded(queue))

    @work(thread=True, exclusive=True, group="desk-detail", exit_on_error=False)
    def _load_detail(self, item: str, item_id: int) -> None:
        detail = self.client.detail(item, item_id)  # type: ignore[arg-type]
        if not get_current_worker().is_cancelled:
            self.post_message(self.DetailLoaded(detail))

    @work(thread=True, exclusive=True, group="desk-poll", exit_on_error=False)
    def _poll(self) -> None:
        worker = get_current_worker()
        last_read = last_claim = time.monotonic()
        while not worker.is_cancelled:
            now = time.monotonic()
            if self.client.changed_elsewhere() or now - last_read >= REREAD:
                last_read = now
                self.post_message(self.StoreChanged())
            opened = self.opened
            if opened is not None and now - last_claim >= CLAIM_REFRESH.total_seconds():
                last_claim = now
                self.client.keep_open(*opened)  # type: ignore[arg-type]
            time.sleep(POLL)

    def on_desk_screen_store_changed(self, message: StoreChanged) -> None:
        self.load()

    def on_desk_screen_queue_loaded(self, message: QueueLoaded) -> None:
        self.queue = message.queue
        self._paint_queue()
        if self.then_open is not None and self._select(self.then_open):
            self.action_open()  # while then_open still keeps its row in the queue
            self.then_open = None

    def on_desk_screen_detail_loaded(self, message: DetailLoaded) -> None:
        key = (message.detail.item, message.detail.item_id)
        if message.opened:
            self.opened = key
            self._paint_queue()
        if self.opened == key:
            self.detail = message.detail
            self._paint_detail()

    # --- painting -------------------------------------------------------------

    def shown(self) -> list[QueueItem]:
        """The queue's items that pass the filters (and the selected one), in the order shown: open conflicts
        between figures always first, since they hold figures off air until two people settle them."""
        items = self._kept()
        return [i for i in items if i.item == "conflict"] + [i for i in items if i.item != "conflict"]

    def _kept(self) -> list[QueueItem]:
        if self.queue is None:
            return []
        now = self.queue.at or self.client.clock()  # the queue not read yet: the desk's clock
        # The selected row stays, and so does a fact just made here: it opens even when the filters hide it.
        kept = [
            i for i in self.queue.items if self.filters.keep(i, now) or view.key(i) in (self.sticky, self.then_open)
        ]
        if self.resort:
            return kept
        place = {key: index for index, key in enumerate(self.order)}
        arrived = [i for i in kept if view.key(i) not in place]  # newest first, as the queue is sorted
        return arrived + sorted((i for i in kept if view.key(i) in place), key=lambda i: place[view.key(i)])

    def _paint_queue(self) -> None:
        try:
            table = self.query_one("#desk-queue", DataTable)
            status = self.query_one("#desk-status", Readout)
            bar = self.query_one(FilterBar)
        except NoMatches:
            return
        language = catalogue.language
        selected, row_index = self._selected_key(), table.cursor_row
        self.sticky = selected if not self.resort else None
        items = self.shown()
        self.resort = self.queue is None
        self.order = [view.key(item) for item in items]
        where = fmt.where(self.client.store.location)
        status.set(f"{view.status_line(self.client.operator, self.opened, self.queue, language, self.zone)} · {where}")
        bar.count(len(items), len(self.queue.items) if self.queue else 0)
        claims = self.queue.claims if self.queue else {}
        at = self.queue.at if self.queue else None
        rows = []
        for item in items:
            holder = claims.get(item.key)
            who = holder.who if holder and holder.who != self.client.operator else ""
            rows.append((view.key(item), view.row(item, who, at, language, self.zone)))
        if [key for key, _ in rows] == [row.key.value for row in table.ordered_rows]:
            self._update_cells(table, rows)  # the same rows in the same places: nothing moves
            return
        table.clear()
        for key, cells in rows:
            table.add_row(*cells, key=key)
        if not (selected and self._select(selected)) and table.row_count:
            table.move_cursor(row=min(row_index, table.row_count - 1), animate=False)

    def _update_cells(self, table: DataTable[Any], rows: list[tuple[str, tuple[str, ...]]]) -> None:
        columns = [name for name, _ in view.COLUMNS]
        for key, cells in rows:
            for column, (old, new) in zip(columns, zip(table.get_row(key), cells)):
                if old != new:
                    table.update_cell(key, column, new)

    def _select(self, key: str) -> bool:
        """Put the cursor on row ``key``; False if the queue does not show it."""
        table = self.query_one("#desk-queue", DataTable)
        try:
            table.move_cursor(row=table.get_row_index(key), animate=False)
        except RowDoesNotExist:
            return False
        return True

    def _selected_key(self) -> str | None:
        table = self.query_one("#desk-queue", DataTable)
        if not table.row_count:
            return None
        try:
            return table.coordinate_to_cell_key(table.cursor_coordinate).row_key.value
        except CellDoesNotExist:
            return None

    def _paint_detail(self) -> None:
        try:
            info = self.query_one("#desk-info", Readout)
            history = self.query_one("#desk-history", Readout)
            attachments = self.query_one(Attachments)
        except NoMatches:
            return
        if self.opened is None or self.detail is None:
            info.set(t("desk.nothing_open"), "dim")
            history.set("")
            attachments.show(())
            return
        info.set(view.detail_text(self.detail, catalogue.language, self.zone))
        attachments.show(attachments_of(self.detail.reports, self.client.store.files))
        history.set(view.history_text(self.detail, catalogue.language, self.zone))

    # --- opening and closing ------------------------------------------------------

    def selected(self) -> QueueItem | None:
        key = self._selected_key()
        return next((i for i in self.shown() if view.key(i) == key), None)

    @on(DataTable.RowSelected, "#desk-queue")
    def _row_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        item = self.selected()
        if item is None:
            return
        worker = self._open(item.item, item.item_id)
        self._actions[worker] = ("desk.open", item.item_id)

    @work(thread=True, exclusive=True, group="desk-open", exit_on_error=False)
    def _open(self, item: str, item_id: int) -> None:
        detail = self.client.open(item, item_id)  # type: ignore[arg-type]
        self.post_message(self.DetailLoaded(detail, opened=True))

    def action_close(self) -> None:
        if self.opened is None:
            if len(self.app.screen_stack) > 1 and self.app.screen is self:
                self.app.pop_screen()  # pushed from the producer console: back to it
            return
        self.opened, self.detail = None, None
        self._paint_detail()
        self._paint_queue()
        self._close()

    @work(thread=True, group="desk-close", exit_on_error=False)
    def _close(self) -> None:
        self.client.close()

    def on_unmount(self) -> None:
        if self.opened is not None:
            self.opened = None
            try:
                self.client.close()  # quick: one DELETE; the claim would expire anyway
            except sqlite3.Error:
                pass

    def action_attachment(self) -> None:
        self.query_one(Attachments).open_file()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The attachment key is there only while the open item has a file to open."""
        if action == "attachment":
            try:
                return bool(self.query_one(Attachments).files)
            except NoMatches:
                return False
        return True

    # --- filters ----------------------------------------------------------------

    def action_filter(self, which: str) -> None:
        self.query_one(FilterBar).choose(which)

    @on(FilterBar.Changed)
    def _filtered(self, event: FilterBar.Changed) -> None:
        self.filters = event.filters
        self.resort = True
        self._paint_queue()
        self.query_one("#desk-queue", DataTable).focus()

    def action_held(self) -> None:
        self.app.push_screen(HeldQueue(self.client, self.zone), lambda _: self.load())

    def action_clear_filters(self) -> None:
        self.query_one(FilterBar).clear()

    def action_reload(self) -> None:
        self.resort = True
        self.load()

    # --- the one place worker failures land ----------------------------------------

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        worker = event.worker
        if not (worker.group or "").startswith("desk-"):
            return
        event.stop()
        if event.state not in (WorkerState.ERROR, WorkerState.SUCCESS, WorkerState.CANCELLED):
            return
        action, _ = self._actions.pop(worker, ("", 0))
        if event.state is not WorkerState.ERROR:
            return
        error = worker.error
        title = t(f"binding.{action}.label") if action else t("desk.title")
        if isinstance(error, ConflictError):
            self.app.notify(conflict_text(error, self.zone), title=t("desk.conflict.title"), severity="error",
                            timeout=10)
            self.load()
        elif isinstance(error, RuleError):
            self.app.notify(said(error), title=t("desk.refused", action=title), severity="error", timeout=10)
            self.load()
        elif isinstance(error, Taken):
            at = error.claim.at.astimezone(self.zone).strftime("%H:%M")
            self.app.notify(
                t("desk.taken_body", who=error.claim.who, at=at), title=t("desk.taken_title"), severity="warning"
            )
            self.load()
        elif isinstance(error, StudioError):
            self.app.notify(said(error), title=title, severity="error")
        elif worker.group == "desk-poll":
            self.app.notify(t("desk.store_error", error=str(error)), title=t("desk.title"), severity="error")
            self.set_timer(1.0, self._poll)
        else:
            detail = traceback.format_exception(error) if error is not None else []
            self.log.error("desk worker failed", worker=worker, error=error)
            self.app.push_screen(TextScreen(t("error.unexpected.title", action=title), str(error), detail))
