"""Signing in before the work screen of ``studio run`` and ``studio desk``.

``signed_in`` decides who a terminal program acts as, before its app starts:
``$STUDIO_OPERATOR_KEY`` with ``--operator`` (or ``[station] operator``)
when they prove the name, else the sign-in screen (name, masked
passphrase) in an app of its own that ends when someone has signed in or
quits. Running it before the work app keeps the console's and the desk's
bindings, timers and dialogs out of reach until someone is proven, without
either app knowing about sign-in.

The check (scrypt, ~0.1 s) runs in a thread worker described as "sign-in":
the passphrase is never a worker argument, so it is in no worker
description, log line or error.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from datetime import datetime
from typing import Any, ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Button, Footer, Input
from textual.worker import Worker, WorkerState

from studio.config import Config
from studio.desk.operators import KEY_VARIABLE, operator_from_environment, sign_in_off, wanted_name
from studio.i18n import Msg, catalogue, t
from studio.machine import utc_now
from studio.store.operators import Operator, OperatorError, has_operators, sign_in
from studio.tui.base import OneScreenApp
from studio.tui.widgets.text import Readout


def signed_in(
    config: Config,
    db: sqlite3.Connection,
    given: str | None,
    *,
    environ: dict[str, str] | None = None,
) -> str | None:
    """The name this program's audit entries carry; None when the person left at the sign-in screen."""
    unproven = sign_in_off(config, given)
    if unproven is not None:
        return unproven
    refused: Msg | None = None
    try:
        proven = operator_from_environment(db, config, given, environ)
    except OperatorError as error:
        proven, refused = None, Msg("signin.environment", variable=KEY_VARIABLE, reason=error.message)
    if proven is not None:
        return proven.who
    app = SignInApp(db, config, name=wanted_name(config, given), refused=refused, anyone=has_operators(db))
    app.run()
    return app.operator.who if app.operator else None


class SignInScreen(Screen[None]):
    """Name and passphrase; the app ends once the passphrase proves the name."""

    def __init__(self, name: str, refused: Msg | None, anyone: bool) -> None:
        super().__init__()
        self.wanted = name
        self.refused = refused
        self.anyone = anyone

    def compose(self) -> ComposeResult:
        with Vertical(id="sign-in-box", classes="dialog-box -wide"):
            yield Readout(id="sign-in-title", classes="dialog-question")
            yield Readout(id="sign-in-intro", classes="dialog-detail")
            yield Readout(id="sign-in-name-label")
            yield Input(self.wanted, id="sign-in-name")
            yield Readout(id="sign-in-passphrase-label")
            yield Input(id="sign-in-passphrase", password=True)
            yield Readout(id="sign-in-status", classes="dialog-error")
            yield Button(id="sign-in-button", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.translate()
        self.query_one("#sign-in-passphrase" if self.wanted else "#sign-in-name", Input).focus()

    def translate(self) -> None:
        self.query_one("#sign-in-title", Readout).set(t("signin.title"), "bold")
        self.query_one("#sign-in-intro", Readout).set(t("signin.intro" if self.anyone else "signin.none"))
        self.query_one("#sign-in-name-label", Readout).set(t("signin.name"))
        self.query_one("#sign-in-passphrase-label", Readout).set(t("signin.passphrase"))
        self.query_one("#sign-in-button", Button).label = t("signin.button")
        self.say(self.refused)

    def say(self, message: Msg | None) -> None:
        self.refused = message
        self.query_one("#sign-in-status", Readout).set(message.render(catalogue.language) if message else "")

    @on(Input.Submitted, "#sign-in-name")
    def _next_field(self) -> None:
        self.query_one("#sign-in-passphrase", Input).focus()

    @on(Input.Submitted, "#sign-in-passphrase")
    @on(Button.Pressed, "#sign-in-button")
    def _submit(self) -> None:
        app = self.app
        assert isinstance(app, SignInApp)
        name = self.query_one("#sign-in-name", Input).value
        passphrase = self.query_one("#sign-in-passphrase", Input).value
        self.say(Msg("signin.checking"))
        self.query_one("#sign-in-button", Button).disabled = True
        app.run_worker(
            lambda: sign_in(app.db, name, passphrase, at=app.clock()),
            name="sign-in",
            group="sign-in",
            description="sign-in",
            thread=True,
            exclusive=True,
            exit_on_error=False,
        )

    def refuse(self, message: Msg) -> None:
        self.say(message)
        self.query_one("#sign-in-button", Button).disabled = False
        passphrase = self.query_one("#sign-in-passphrase", Input)
        passphrase.value = ""
        passphrase.focus()


class SignInApp(OneScreenApp):
    PROGRAM = "signin"
    BINDING_GROUP_TITLE = "Sign in"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "cycle_language", "Language", id="signin.language", tooltip="Switch language"),
        Binding("ctrl+q", "quit", "Quit", id="signin.quit", tooltip="Leave without signing in", priority=True),
    ]

    def __init__(
        self,
        db: sqlite3.Connection,
        config: Config,
        *,
        name: str = "",
        refused: Msg | None = None,
        anyone: bool = True,
        clock: Callable[[], datetime] = utc_now,
    ) -> None:
        """``anyone``: the store has an operator who could sign in (else the screen says how to add one)."""
        super().__init__(config)
        self.db = db
        self.clock = clock
        self.operator: Operator | None = None
        self.form = SignInScreen(name, refused, anyone)

    @on(Worker.StateChanged)
    def _checked(self, event: Worker.StateChanged) -> None:
        worker: Worker[Any] = event.worker
        if worker.group != "sign-in":
            return
        if event.state is WorkerState.SUCCESS:
            self.operator = worker.result
            self.exit()
        elif event.state is WorkerState.ERROR:
            error = worker.error
            message = error.message if isinstance(error, OperatorError) else Msg("signin.failed", reason=str(error))
            self.form.refuse(message)
