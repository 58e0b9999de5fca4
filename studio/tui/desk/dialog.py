"""The desk's forms share one shape: fields with a line for each field's
problem, a line for the rest, Save and Cancel.

Saving runs the form's store call on a thread worker while the form stays
open. A refusal (a rule, a conflict, a report that does not exist) is shown
in the form, under the field it is about where the form knows which; the
typed text stays. Only a successful save closes the form, with its result.

A conflict (someone changed the fact since the form was filled) is shown as
the desk shows it everywhere, and the form moves on to the fact's new
version: the operator looks again, and saving once more applies the form to
that version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any, ClassVar, Generic, TypeVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual import on, work
from textual.actions import SkipAction
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.css.query import NoMatches
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Static
from textual.worker import Worker, WorkerState

from studio.desk.rules import RuleError
from studio.errors import StudioError
from studio.i18n import t
from studio.store.desk import ConflictError
from studio.tui import bindings
from studio.tui.desk.client import MissingReports
from studio.tui.desk.fields import FieldProblem
from studio.tui.desk.refusals import conflict_text, missing_text, said

Result = TypeVar("Result")

Save = Callable[[], Any]
"""The blocking store call a form makes; it runs on a worker."""


class DeskDialog(ModalScreen[Result], Generic[Result]):
    """A desk form; subclasses compose their fields and say what saving does."""

    BINDING_GROUP_TITLE = "Dialog"  # translated on mount
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="dialog.cancel", tooltip="Close without doing anything"),
        Binding("ctrl+s", "save", "Save", id="dialog.save", tooltip="Save the form"),
        *bindings.FIELD_FOCUS,
        Binding("enter", "next_or_save", show=False, priority=True),  # as the tab, for the same reason
    ]
    RULE_FIELDS: ClassVar[dict[str, str]] = {}
    """Which field a rule's refusal is about, by its code, where the rules do not say."""

    def __init__(
        self, title: str, intro: str, confirm: str, zone: ZoneInfo, refusals: Iterable[str] = (), version: int = 0
    ) -> None:
        super().__init__(classes="dialog desk-form")
        self.heading = title
        self.intro = intro
        self.confirm_label = confirm
        self.zone = zone
        self.saving = False
        self.version = version  # of the fact the form applies to
        self.shown: dict[str, str] = {}
        """The problems shown now, by field ("form" for the whole form)."""
        self.unreadable: list[FieldProblem] = []  # typed text save_call could not read
        self.refusals = list(refusals)
        """Why the form refuses before anything is typed: shown in place of Save, with Close."""

    # --- what a form provides -----------------------------------------------------

    def compose_fields(self) -> ComposeResult:
        yield from ()

    def compose_above(self) -> ComposeResult:
        """What the form shows between its intro and its fields (a list to confirm)."""
        yield from ()

    def save_call(self) -> Save:
        """The store call this form makes now. Read typed text with ``typed``; a form-wide
        problem raises FieldProblem."""
        raise NotImplementedError

    def rebase(self, version: int) -> None:
        """A conflict: the form applies to the fact's new ``version`` from now on."""
        self.version = version

    def refused_here(self, error: BaseException | None) -> bool:
        """Show a refusal only this form knows (True), else leave it to the common ones."""
        return False

    # --- building blocks ----------------------------------------------------------

    @staticmethod
    def field(name: str, label: str, widget: Widget) -> Iterable[Widget]:
        """A labelled field and the line for its problems (``#problem-NAME``)."""
        yield Label(Text(label), classes="form-label")
        with Vertical(classes="form-cell"):
            yield widget
            yield Static("", id=f"problem-{name}", classes="dialog-error form-problem")

    def entry(self, name: str, label: str, value: str = "", hint: str = "") -> Iterable[Widget]:
        """A labelled one-line text field ``#field-NAME``."""
        return self.field(name, label, Input(value, placeholder=hint, compact=True, id=f"field-{name}"))

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog-box -wide") as box:
            box.border_title = Text(self.heading)  # user text: no markup
            if self.intro:
                yield Static(Text(self.intro), classes="dialog-question", id="form-intro")
            yield from self.compose_above()
            with VerticalScroll(classes="form-fields"):
                yield from self.compose_fields()
            yield Static("", id="problem-form", classes="dialog-error")
            with Horizontal(classes="dialog-buttons"):
                yield Button(self.confirm_label, id="confirm", variant="primary")
                yield Button(t("button.cancel"), id="cancel")

    def on_mount(self) -> None:
        bindings.translate(self, "dialog")
        self.clear_problems()
        inputs = self.query(Input)
        if inputs:
            inputs.first().focus()
        if self.refusals:
            self.problem(None, "\n".join(self.refusals))
            self.query_one("#confirm", Button).display = False
            self.query_one("#cancel", Button).label = t("button.close")
            self.query_one("#cancel", Button).focus()
        self.ready()

    def ready(self) -> None:
        """The form is on screen (a subclass's own set-up; Textual calls every class's on_mount)."""

    def text(self, field: str) -> str:
        """What is typed in the input ``#field-NAME``, trimmed."""
        return self.query_one(f"#field-{field}", Input).value.strip()

    def typed(self, field: str, read: Callable[..., Any], *args: Any) -> Any:
        """``read`` applied to the text of ``field``; None if it cannot read it, and the
        problem is kept to be shown with all the others when saving stops."""
        try:
            return read(self.text(field), *args)
        except FieldProblem as problem:
            problem.field = field
            self.unreadable.append(problem)
            return None

    # --- problems -----------------------------------------------------------------

    def clear_problems(self) -> None:
        for line in self.query(".form-problem"):
            line.display = False
        self.query_one("#problem-form", Static).update("")
        self.shown = {}

    def problem(self, field: str | None, text: str) -> None:
        """Show ``text`` under ``field`` (or for the whole form) and keep everything typed."""
        try:
            line = self.query_one(f"#problem-{field}", Static) if field else self.query_one("#problem-form", Static)
        except NoMatches:
            line = self.query_one("#problem-form", Static)
        line.update(Text(text))
        line.display = True
        self.shown[(line.id or "").removeprefix("problem-")] = text
        if line.id != "problem-form":
            widget = line.parent.children[0] if line.parent is not None else None
            if widget is not None and widget.focusable:
                widget.focus()

    # --- saving -------------------------------------------------------------------

    def action_next_or_save(self) -> None:
        """Enter in a text field: on to the next field, or save from the last one; elsewhere (a button, a list)
        the widget's own enter."""
        if not isinstance(self.focused, Input):
            raise SkipAction()
        inputs = [i for i in self.query(Input) if i.display and not i.disabled]
        if self.focused is inputs[-1]:
            self.action_save()
        else:
            self.focus_next()

    @on(Button.Pressed, "#confirm")
    def action_save(self) -> None:
        if self.saving or self.refusals:
            return
        self.clear_problems()
        self.unreadable = []
        try:
            call = self.save_call()
        except FieldProblem as problem:
            self.unreadable.append(problem)
        if self.unreadable:  # every unreadable field at once, the first one focused
            for problem in reversed(self.unreadable):
                self.problem(problem.field, t(problem.key, **problem.params))
            return
        self.saving = True
        self._save(call)

    @work(thread=True, exclusive=True, group="dialog-save", exit_on_error=False)
    def _save(self, call: Save) -> Any:
        return call()

    @on(Worker.StateChanged)
    def _saved(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "dialog-save":
            return
        event.stop()
        if event.state is WorkerState.SUCCESS:
            self.saving = False
            self.dismiss(event.worker.result)
        elif event.state in (WorkerState.ERROR, WorkerState.CANCELLED):
            self.saving = False
            self.refused(event.worker.error)

    def refused(self, error: BaseException | None) -> None:
        if self.refused_here(error):
            return
        if isinstance(error, RuleError):
            field = error.params.get("field") or self.RULE_FIELDS.get(error.code)
            self.problem(field, said(error))
        elif isinstance(error, ConflictError):
            text = conflict_text(error, self.zone)
            self.app.notify(text, title=t("desk.conflict.title"), severity="error", timeout=10)
            self.rebase(error.current)
            self.problem(None, f"{text} {t('desk.form.kept')}")
        elif isinstance(error, MissingReports):
            self.problem("reports", missing_text(error))
        elif isinstance(error, StudioError):
            self.problem(None, said(error))
        else:  # the store failed (locked, disk): say so, keep the form
            self.log.error("desk form failed", error=error)
            self.problem(None, t("desk.form.failed", error=str(error)))

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)  # type: ignore[arg-type]
