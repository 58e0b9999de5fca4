"""What the desk screen does to the open item: every action that opens a form
(new fact, edit, reports, source, split, release, verdicts) or writes at once
(review), and what follows a save. ``DeskScreen`` is built on it: the state
named below is the screen's.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from zoneinfo import ZoneInfo

from textual import work
from textual.message import Message
from textual.screen import Screen
from textual.worker import Worker

from studio.desk import rules
from studio.desk.ids import conflict_label, fact_label, report_label
from studio.desk.model import Fact, FigureConflict, Source
from studio.i18n import catalogue, t
from studio.tui.desk.client import DeskClient, Detail
from studio.tui.desk.fact_form import FactForm
from studio.tui.desk.links import LinkForm
from studio.tui.desk.release import ReleaseForm
from studio.tui.desk.settle import ConfirmForm, SettleForm
from studio.tui.desk.source_form import SourceForm
from studio.tui.desk.split import SplitForm
from studio.tui.desk.verdict import VerdictForm


class DeskActions(Screen[None]):
    """The base of DeskScreen: its actions on the open item."""

    client: DeskClient
    zone: ZoneInfo
    opened: tuple[str, int] | None
    detail: Detail | None
    then_open: str | None  # a row to select and open once the queue has it (a new fact)
    _actions: dict[Worker[Any], tuple[str, int]]

    @dataclass
    class ReleaseRead(Message):
        """The official release the open fact belongs to (None: it has no official source or time)."""

        fact: Fact
        release: tuple[Source, tuple[Fact, ...]] | None

    @dataclass
    class Changed(Message):
        """A verdict or review was written: the fact after it."""

        action: str
        fact: Fact

    def load(self) -> None:
        """Re-read the queue and the open item (the screen's)."""
        raise NotImplementedError

    def _open_fact(self, action: str) -> Fact | None:
        """The open fact, or None with a notice why there is nothing to act on."""
        if self.opened is None or self.detail is None:
            self.app.notify(t("desk.open_first"), title=t(f"binding.{action}.label"), severity="warning")
            return None
        if self.detail.fact is None:
            self.app.notify(t("desk.not_a_fact"), title=t(f"binding.{action}.label"), severity="warning")
            return None
        return self.detail.fact

    def _open_conflict(self, action: str) -> Detail | None:
        """The open conflict, or None with a notice: settling is done on a conflict (C…, atop the queue)."""
        detail = self.detail
        if self.opened is None or detail is None or detail.conflict is None:
            self.app.notify(t("desk.open_conflict"), title=t(f"binding.{action}.label"), severity="warning")
            return None
        return detail

    def action_settle(self) -> None:
        """Propose which figure of the open conflict stands, or that none is proven."""
        detail = self._open_conflict("desk.settle")
        if detail is not None and detail.conflict is not None:
            form = SettleForm(self.client, detail.conflict, detail.figures, self.zone)
            self.app.push_screen(form, self._settled("desk.settle"))

    def action_confirm(self) -> None:
        """Confirm, as the second person, the settlement another proposed for the open conflict."""
        detail = self._open_conflict("desk.confirm")
        if detail is not None and detail.conflict is not None:
            form = ConfirmForm(self.client, detail.conflict, detail.figures, self.zone, self.client.clock())
            self.app.push_screen(form, self._settled("desk.confirm"))

    def _settled(self, action: str) -> Callable[[FigureConflict | None], None]:
        def after(conflict: FigureConflict | None) -> None:
            if conflict is not None:
                said = "desk.conflict.proposed_done" if conflict.open else "desk.conflict.settled_done"
                self.app.notify(t(said, id=conflict_label(conflict.id)), title=t(f"binding.{action}.label"))
            self.load()

        return after

    def _open_group(self) -> Detail | None:
        return self.detail if self.opened is not None and self.detail and self.detail.item == "group" else None

    def action_create(self) -> None:
        """A new fact: from the open group of reports (linked as its evidence), else from nothing."""
        group = self._open_group()
        form = FactForm(
            self.client, catalogue.language, self.zone,
            group_id=group.item_id if group else None, reports=group.reports if group else (),
        )
        self.app.push_screen(form, self._saved("desk.create"))

    def action_edit(self) -> None:
        fact = self._open_fact("desk.edit")
        if fact is not None:
            form = FactForm(self.client, catalogue.language, self.zone, fact=fact)
            self.app.push_screen(form, self._saved("desk.edit"))

    def action_link(self) -> None:
        fact = self._open_fact("desk.link")
        if fact is not None and self.detail is not None:
            self.app.push_screen(LinkForm(self.client, fact, self.detail.reports, self.zone), self._saved("desk.link"))

    def action_source(self) -> None:
        fact = self._open_fact("desk.source")
        if fact is not None:
            self.app.push_screen(SourceForm(self.client, fact, self.zone), self._saved("desk.source"))

    def action_split(self) -> None:
        group = self._open_group()
        if group is None:
            self.app.notify(t("desk.split.open_group"), title=t("binding.desk.split.label"), severity="warning")
            return

        def split(new_group: int | None) -> None:
            if new_group is not None:
                self.app.notify(t("desk.split.done", new=report_label(new_group), old=report_label(group.item_id)),
                                title=t("binding.desk.split.label"))
            self.load()

        self.app.push_screen(SplitForm(self.client, group.item_id, group.reports, self.zone), split)

    def action_release(self) -> None:
        fact = self._open_fact("desk.release")
        if fact is not None:
            worker = self._release(fact)
            self._actions[worker] = ("desk.release", fact.id)

    @work(thread=True, exclusive=True, group="desk-release", exit_on_error=False)
    def _release(self, fact: Fact) -> None:
        self.post_message(self.ReleaseRead(fact, self.client.release_of(fact)))

    def on_desk_actions_release_read(self, message: ReleaseRead) -> None:
        if message.release is None or not message.release[1]:
            self.app.notify(t("desk.release.none", id=fact_label(message.fact.id)),
                            title=t("binding.desk.release.label"), severity="warning")
            return
        source, facts = message.release

        def verified(done: list[Fact] | None) -> None:
            if done:
                self.app.notify(t("desk.release.done", count=len(done)), title=t("binding.desk.release.label"))
            self.load()

        self.app.push_screen(ReleaseForm(self.client, source, facts, self.zone), verified)

    def action_review(self) -> None:
        fact = self._open_fact("desk.review")
        if fact is not None:
            self.change("desk.review", fact, rules.StartReview())

    def action_verdict(self, verdict: str) -> None:
        fact = self._open_fact(f"desk.{verdict}")
        if fact is not None:
            held = self.detail.conflict if self.detail is not None else None
            form = VerdictForm(self.client, fact, verdict, self.zone, held)
            self.app.push_screen(form, self._saved(f"desk.{verdict}"))

    def _saved(self, action: str) -> Callable[[Fact | None], None]:
        """What follows a form: read again (a conflict in it may have changed the fact); after a
        save, say so, and open the fact if it is new."""

        def after(fact: Fact | None) -> None:
            if fact is None:
                self.load()
                return
            self.post_message(self.Changed(action, fact))
            if self.opened != ("fact", fact.id):
                self.then_open = f"fact:{fact.id}"

        return after

    def change(self, action: str, fact: Fact, change: rules.Action) -> None:
        """Apply ``change`` to ``fact`` as this desk read it (its version), in a worker."""
        worker = self._change(action, fact.id, fact.version, change)
        self._actions[worker] = (action, fact.id)

    @work(thread=True, group="desk-change", exit_on_error=False)
    def _change(self, action: str, fact_id: int, version: int, change: rules.Action) -> None:
        self.post_message(self.Changed(action, self.client.change(fact_id, version, change)))

    def on_desk_actions_changed(self, message: Changed) -> None:
        fact = message.fact
        self.app.notify(
            t("desk.done", id=fact_label(fact.id), status=t(f"desk.status.{fact.status.value}")),
            title=t(f"binding.{message.action}.label"),
        )
        self.load()
