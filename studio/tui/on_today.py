"""The question ``studio run`` asks about a plan dated another day, before anything is taken.

"Plan of 2026-03-15, today is 2026-12-06": rehearse it on today's clock
(starting now, at the plan's own time of day, or at a time typed), or run it as
planned when its day is still to come. When today's rehearsal of the plan has
begun, it is offered to resume instead. Like the sign-in, it is an app of its own
that ends with the answer, so the console opens only once the show's clock is
known. Keyboard only: arrows and Enter, Escape back from the typed time, F2 for
the language, Ctrl+Q to leave.
"""

from __future__ import annotations

from typing import ClassVar

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Footer, Input, OptionList
from textual.widgets.option_list import Option

from studio.config import Config
from studio.i18n import t
from studio.rundown.today import PLAN, parse_start
from studio.show.on_today import AS_PLANNED, Asked, Question
from studio.tui.base import OneScreenApp
from studio.tui.widgets.text import Readout


def asked_on_console(config: Config, known: Question) -> Asked | None:
    """The person's answer; None when they left without one."""
    app = OnTodayApp(config, known)
    app.run()
    return app.asked


class OnTodayScreen(Screen[None]):
    """The plan's day against today, and the ways to run it."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="on_today.back", tooltip="Back to the choices", show=False),
    ]

    def __init__(self, known: Question) -> None:
        super().__init__()
        self.known = known

    def choices(self) -> list[str]:
        """The options' ids, in the order shown."""
        if self.known.resumes is not None:
            return ["resume"] + (["as-planned"] if self.known.to_come else [])
        return ["now", "plan", "at"] + (["as-planned"] if self.known.to_come else [])

    def compose(self) -> ComposeResult:
        with Vertical(id="on-today-box", classes="dialog-box -wide"):
            yield Readout(id="on-today-title", classes="dialog-question")
            yield Readout(id="on-today-intro", classes="dialog-line")
            yield OptionList(*(Option("", id=choice) for choice in self.choices()), id="on-today-choices")
            yield Input(id="on-today-start")
            yield Readout(id="on-today-status", classes="dialog-error")
            yield Readout(id="on-today-store", classes="dialog-detail")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#on-today-start", Input).display = False
        self.translate()
        self.query_one("#on-today-choices", OptionList).focus()

    def translate(self) -> None:
        known = self.known
        plan, today = known.plan_date.isoformat(), known.today.isoformat()
        self.query_one("#on-today-title", Readout).set(t("on_today.question.title", plan=plan, today=today), "bold")
        self.query_one("#on-today-intro", Readout).set(t("on_today.question.intro"))
        choices = self.query_one("#on-today-choices", OptionList)
        for choice in self.choices():
            choices.replace_option_prompt(choice, Text(self._label(choice)))
        self.query_one("#on-today-start", Input).placeholder = t("on_today.question.placeholder")
        self.query_one("#on-today-store", Readout).set(t("on_today.question.store", store=str(known.store)), "dim")
        self.say("")

    def _label(self, choice: str) -> str:
        known = self.known
        params = {
            "now": f"{known.start_now:%H:%M}",
            "start": f"{known.plan_start:%H:%M}",
            "plan": known.plan_date.isoformat(),
            "began": f"{known.resumes.start:%H:%M}" if known.resumes and known.resumes.start else "",
        }
        return t(f"on_today.choice.{choice.replace('-', '_')}", **params)

    def say(self, text: str) -> None:
        self.query_one("#on-today-status", Readout).set(text)

    @on(OptionList.OptionSelected, "#on-today-choices")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        choice = event.option.id
        if choice == "at":
            field = self.query_one("#on-today-start", Input)
            field.display = True
            field.focus()
            return
        answer = {
            "now": Asked(on_today=True),
            "resume": Asked(on_today=True),
            "plan": Asked(on_today=True, start=PLAN),
            "as-planned": AS_PLANNED,
        }[choice or ""]
        self.app_answer(answer)

    @on(Input.Submitted, "#on-today-start")
    def _typed(self, event: Input.Submitted) -> None:
        try:
            start = parse_start(event.value)
        except ValueError:
            self.say(t("on_today.question.bad_time", given=event.value))
            return
        if start == PLAN:  # typed "plan": the plan's own time, as the option says
            self.app_answer(Asked(on_today=True, start=PLAN))
            return
        self.app_answer(Asked(on_today=True, start=start))

    def action_back(self) -> None:
        field = self.query_one("#on-today-start", Input)
        if field.display:
            field.display = False
            self.say("")
            self.query_one("#on-today-choices", OptionList).focus()

    def app_answer(self, asked: Asked) -> None:
        app = self.app
        assert isinstance(app, OnTodayApp)
        app.asked = asked
        app.exit()


class OnTodayApp(OneScreenApp):
    PROGRAM = "on_today"
    BINDING_GROUP_TITLE = "Plan of another day"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "cycle_language", "Language", id="on_today.language", tooltip="Switch language"),
        Binding("ctrl+q", "quit", "Quit", id="on_today.quit", tooltip="Leave without running", priority=True),
    ]

    def __init__(self, config: Config, known: Question) -> None:
        super().__init__(config)
        self.asked: Asked | None = None
        self.form = OnTodayScreen(known)
