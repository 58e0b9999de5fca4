"""The desk screen: the queue with its filters, the open item, and the verdicts.

Used by ``studio desk`` (DeskApp) and pushed by the producer console
(``app.desk``). Every store call goes through a ``DeskClient`` in a thread
worker; workers post the messages below, and every worker failure lands in
``_worker_changed``: a refused verdict (``RuleError``) becomes the rule's
translated message, a fact someone else changed meanwhile
(``ConflictError``) a notification and the fresh version, an item open at
another desk (``Taken``) a notice.

Several desks share one store: a poll loop asks ``changed_elsewhere()``
four times a second and reloads when another terminal wrote (a verdict, or
a claim: opening an item claims it, so the others show it as taken).
"""

from __future__ import annotations

import sqlite3
import time
import traceback
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
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

from studio.desk import rules
from studio.desk.model import Claim, Fact, ReportKind
from studio.desk.rules import RuleError
from studio.i18n import catalogue, t
from studio.store.claims import CLAIM_REFRESH
from studio.store.desk import ConflictError, DeskError
from studio.tui import bindings
from studio.tui.desk import view
from studio.tui.desk.client import (
    AGES,
    STATUSES,
    DeskClient,
    Detail,
    Filters,
    Queue,
    QueueItem,
    Taken,
)
from studio.tui.desk.reason import ReasonScreen
from studio.tui.screens.text import TextScreen
from studio.tui.widgets.text import Readout

POLL = 0.25
"""Seconds between looks at the store for other terminals' writes."""

REREAD = 15.0
"""Seconds between full reloads anyway: ages move on and stale claims expire."""

ALMATY = ZoneInfo("Asia/Almaty")

VERDICTS = ("desk.verify", "desk.false", "desk.unproven", "desk.retract")


class DeskScreen(Screen[None]):
    CSS_PATH = "desk.tcss"
    BINDING_GROUP_TITLE = "Desk"  # translated on mount
    # English fallbacks; bindings.translate() replaces them from the catalogue.
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open", id="desk.open", tooltip="Open the selected item"),
        Binding("escape", "close", "Close", id="desk.close", tooltip="Close the open item"),
        Binding("e", "review", "Review", id="desk.review", tooltip="Take the fact into review"),
        Binding("v", "verdict('desk.verify')", "Verify", id="desk.verify", tooltip="Verify the fact"),
        Binding("f", "verdict('desk.false')", "False", id="desk.false", tooltip="Mark the fact false"),
        Binding("u", "verdict('desk.unproven')", "Unproven", id="desk.unproven", tooltip="Mark unproven"),
        Binding("x", "verdict('desk.retract')", "Retract", id="desk.retract", tooltip="Retract the fact"),
        Binding("s", "filter('status')", "Status", id="desk.filter_status", tooltip="Filter by status"),
        Binding("r", "filter('region')", "Region", id="desk.filter_region", tooltip="Filter by region"),
        Binding("k", "filter('kind')", "Kind", id="desk.filter_kind", tooltip="Filter by kind"),
        Binding("a", "filter('age')", "Age", id="desk.filter_age", tooltip="Filter by age"),
        Binding("c", "clear_filters", "All", id="desk.filter_clear", tooltip="Clear the filters", show=False),
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

    @dataclass
    class Changed(Message):
        """A verdict or review was written: the fact after it."""

        action: str
        fact: Fact

    def __init__(
        self, client: DeskClient, *, zone: ZoneInfo = ALMATY, live: bool = True, id: str = "desk"
    ) -> None:
        super().__init__(id=id)
        self.client = client
        self.zone = zone
        self.live = live  # False: no poll loop (tests of a still frame)
        self.queue: Queue | None = None
        self.filters = Filters()
        self.opened: tuple[str, int] | None = None
        self.detail: Detail | None = None
        self._actions: dict[Worker[Any], tuple[str, int]] = {}

    # --- set-up -------------------------------------------------------------

    def compose(self) -> ComposeResult:
        yield Readout(id="desk-status")
        yield Readout(id="desk-filters")
        yield DataTable(id="desk-queue", cursor_type="row", zebra_stripes=True)
        with Horizontal(id="desk-detail"):
            with VerticalScroll(id="desk-info-box"):
                yield Readout(id="desk-info")
            with VerticalScroll(id="desk-history-box"):
                yield Readout(id="desk-history")
        yield Footer()

    def on_mount(self) -> None:
        self.translate()
        self.load()
        if self.live:
            self._poll()

    def translate(self) -> None:
        """Labels, headings and the bindings in the interface language (again after a switch)."""
        bindings.translate(self, "desk")
        table = self.query_one("#desk-queue", DataTable)
        table.clear(columns=True)
        for name, width in view.COLUMNS:
            table.add_column(t(f"desk.column.{name}"), key=name, width=width)
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
        """The queue's items that pass the filters."""
        if self.queue is None:
            return []
        now = self.queue.at or datetime.now().astimezone()
        return [item for item in self.queue.items if self.filters.keep(item, now)]

    def _paint_queue(self) -> None:
        try:
            table = self.query_one("#desk-queue", DataTable)
            status = self.query_one("#desk-status", Readout)
            filters = self.query_one("#desk-filters", Readout)
        except NoMatches:
            return
        language = catalogue.language
        items = self.shown()
        total = len(self.queue.items) if self.queue else 0
        status.set(view.status_line(self.client.operator, self.opened, self.queue, language, self.zone))
        filters.set(view.filter_line(self.filters, len(items), total, language), "bold" if self.filters.active else "")
        selected = self._selected_key()
        table.clear()
        claims = self.queue.claims if self.queue else {}
        for item in items:
            holder = claims.get(item.key)
            who = holder.who if holder and holder.who != self.client.operator else ""
            table.add_row(*view.row(item, who, self.queue.at if self.queue else None, language), key=view.key(item))
        if selected is not None:
            try:
                table.move_cursor(row=table.get_row_index(selected), animate=False)
            except RowDoesNotExist:  # the item left the filtered queue
                pass

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
        except NoMatches:
            return
        if self.opened is None or self.detail is None:
            info.set(t("desk.nothing_open"), "dim")
            history.set("")
            return
        info.set(view.detail_text(self.detail, catalogue.language, self.zone))
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

    # --- filters ----------------------------------------------------------------

    def action_filter(self, which: str) -> None:
        filters = self.filters
        if which == "status":
            filters = replace(filters, status=_next(STATUSES, filters.status))
        elif which == "region":
            present = view.regions_in(self.queue.items if self.queue else ())
            filters = replace(filters, region=_next(present, filters.region))
        elif which == "kind":
            filters = replace(filters, kind=_next(tuple(ReportKind), filters.kind))
        elif which == "age":
            filters = replace(filters, age=_next(AGES, filters.age))
        self.filters = filters
        self._paint_queue()

    def action_clear_filters(self) -> None:
        self.filters = Filters()
        self._paint_queue()

    def action_reload(self) -> None:
        self.load()

    # --- verdicts ---------------------------------------------------------------

    def _open_fact(self, action: str) -> Fact | None:
        """The open fact, or None with a notice why there is nothing to act on."""
        if self.opened is None or self.detail is None:
            self.app.notify(t("desk.open_first"), title=t(f"binding.{action}.label"), severity="warning")
            return None
        if self.detail.fact is None:
            self.app.notify(t("desk.not_a_fact"), title=t(f"binding.{action}.label"), severity="warning")
            return None
        return self.detail.fact

    def action_review(self) -> None:
        fact = self._open_fact("desk.review")
        if fact is not None:
            self.change("desk.review", fact, rules.StartReview())

    def action_verdict(self, action: str) -> None:
        fact = self._open_fact(action)
        if fact is None:
            return
        name = action.removeprefix("desk.")
        fields = (
            [t("desk.reason.correction_kk"), t("desk.reason.correction_ru")]
            if name == "retract"
            else [t("desk.reason.note" if name == "verify" else "desk.reason.why")]
        )

        def answered(values: tuple[str, ...] | None) -> None:
            if values is not None:
                self.change(action, fact, _action(name, values))

        self.app.push_screen(
            ReasonScreen(
                t(f"binding.{action}.label"),
                t(f"desk.reason.{name}", id=fact.id, claim=fact.claim.text(catalogue.language)),
                fields,
                t(f"binding.{action}.label"),
            ),
            answered,
        )

    def change(self, action: str, fact: Fact, change: rules.Action) -> None:
        """Apply ``change`` to ``fact`` as this desk read it (its version), in a worker."""
        worker = self._change(action, fact.id, fact.version, change)
        self._actions[worker] = (action, fact.id)

    @work(thread=True, group="desk-change", exit_on_error=False)
    def _change(self, action: str, fact_id: int, version: int, change: rules.Action) -> None:
        self.post_message(self.Changed(action, self.client.change(fact_id, version, change)))

    def on_desk_screen_changed(self, message: Changed) -> None:
        fact = message.fact
        self.app.notify(
            t("desk.done", id=fact.id, status=t(f"desk.status.{fact.status.value}")),
            title=t(f"binding.{message.action}.label"),
        )
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
            at = error.at.astimezone(self.zone).strftime("%H:%M:%S") if error.at else "?"
            self.app.notify(
                t("desk.conflict.body", id=error.fact_id, who=error.who, at=at, version=error.current),
                title=t("desk.conflict.title"),
                severity="error",
                timeout=10,
            )
            self.load()
        elif isinstance(error, RuleError):
            params = {"fact": "", "who": "", "status": "", "rival": ""} | error.params
            if "status" in error.params:
                params["status"] = t(f"desk.status.{error.params['status']}")
            self.app.notify(
                t(f"desk.rule.{error.code}", detail=str(error), **params),
                title=t("desk.refused", action=title),
                severity="error",
                timeout=10,
            )
            self.load()
        elif isinstance(error, Taken):
            at = error.claim.at.astimezone(self.zone).strftime("%H:%M")
            self.app.notify(
                t("desk.taken_body", who=error.claim.who, at=at), title=t("desk.taken_title"), severity="warning"
            )
            self.load()
        elif isinstance(error, DeskError):
            self.app.notify(str(error), title=title, severity="error")
        elif worker.group == "desk-poll":
            self.app.notify(t("desk.store_error", error=str(error)), title=t("desk.title"), severity="error")
            self.set_timer(1.0, self._poll)
        else:
            detail = traceback.format_exception(error) if error is not None else []
            self.log.error("desk worker failed", worker=worker, error=error)
            self.app.push_screen(TextScreen(t("error.unexpected.title", action=title), str(error), detail))


def _next(values: Sequence[Any], current: Any) -> Any:
    """The value after ``current`` in ``values``; None (all) after the last, the first after None."""
    if not values:
        return None
    if current is None or current not in values:
        return values[0]
    index = list(values).index(current)
    return values[index + 1] if index + 1 < len(values) else None


def _action(name: str, values: tuple[str, ...]) -> rules.Action:
    if name == "verify":
        return rules.Verify(values[0] or "verified")
    if name == "false":
        return rules.MarkFalse(values[0])
    if name == "unproven":
        return rules.MarkUnproven(values[0])
    return rules.Retract(Claim(kk=values[0], ru=values[1]))

