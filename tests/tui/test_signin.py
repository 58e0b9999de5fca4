"""The sign-in screen before the console and the desk: the pilot types, the check runs in a worker,
a wrong passphrase is refused on screen, the right one ends the screen with a proven operator;
the header says who, or that operators are not verified. Snapshots in Kazakh and Russian."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input
from textual.worker import Worker

from studio.config import Config
from studio.desk.model import NOT_SIGNED_IN
from studio.store.db import connect
from studio.store.operators import ScryptCost, add_operator
from studio.tui import StudioApp
from studio.tui.desk.view import status_line
from studio.tui.signin import SignInApp, signed_in
from studio.tui.widgets.text import Readout

SIZE = (100, 24)
NOW = datetime(2026, 3, 15, 2, 0, tzinfo=UTC)


@pytest.fixture
def db(tmp_path: Path) -> sqlite3.Connection:
    connection = connect(tmp_path / "s.db")
    yield connection
    connection.close()


@pytest.fixture
def passphrase(db) -> str:
    return add_operator(db, "Айгерім", by="admin", at=NOW, cost=ScryptCost(n=2**10))


def config(language: str = "en", *, sign_in: bool = True, operator: str = "") -> Config:
    return Config.model_validate(
        {"station": {"language": language, "operator": operator}, "operators": {"sign_in": sign_in}}
    )


def sign_in_app(db, language: str = "en", **kw: Any) -> SignInApp:
    app = SignInApp(db, config(language), clock=lambda: NOW, **kw)
    app.animation_level = "none"
    return app


def status(app: SignInApp) -> str:
    return str(app.screen.query_one("#sign-in-status", Readout).render())


async def test_a_wrong_passphrase_is_refused_on_screen_and_the_right_one_signs_in(db, passphrase) -> None:
    app = sign_in_app(db, name="Айгерім")
    messages: list[Any] = []
    async with app.run_test(size=SIZE, message_hook=messages.append) as pilot:
        field = app.screen.query_one("#sign-in-passphrase", Input)
        assert field.has_focus and field.password  # the name came from --operator: straight to the passphrase
        await pilot.press(*"abcd-efgh-jkmn-pqrs", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "Wrong passphrase for Айгерім" in status(app) and field.value == ""
        assert app.is_running and app.operator is None
        field.value = passphrase
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
    assert app.operator is not None and app.operator.who == "Айгерім"
    checks = [message.worker for message in messages if isinstance(message, Worker.StateChanged)]
    assert checks and all(worker.description == "sign-in" for worker in checks)
    assert not any(passphrase in repr(worker) for worker in checks)  # a worker's repr is what Textual logs


async def test_the_name_can_be_typed_and_a_store_without_operators_says_how_to_add_one(db) -> None:
    app = sign_in_app(db, anyone=False)
    async with app.run_test(size=SIZE) as pilot:
        assert app.screen.query_one("#sign-in-name", Input).has_focus
        assert "studio operators add NAME" in str(app.screen.query_one("#sign-in-intro", Readout).render())
        await pilot.press(*"dana", "enter")
        assert app.screen.query_one("#sign-in-passphrase", Input).has_focus
        await pilot.press(*"guess", "enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        assert "No operator is called dana" in status(app)


async def test_f2_switches_the_screens_language(db, passphrase) -> None:
    app = sign_in_app(db, "kk", name="Айгерім")
    async with app.run_test(size=SIZE) as pilot:
        assert "Құпиясөз" in str(app.screen.query_one("#sign-in-passphrase-label").render())
        await pilot.press("f2")
        assert "Пароль" in str(app.screen.query_one("#sign-in-passphrase-label").render())


def test_the_key_in_the_environment_signs_in_without_a_screen(db, passphrase) -> None:
    assert signed_in(config(operator="Айгерім"), db, None, environ={"STUDIO_OPERATOR_KEY": passphrase}) == "Айгерім"
    assert signed_in(config(sign_in=False), db, "bolat", environ={}) == "bolat" + NOT_SIGNED_IN


def test_a_header_says_when_operators_are_not_verified() -> None:
    from studio.i18n import set_language

    set_language("ru")
    try:
        assert status_line("dana", None, None, "ru", config().station.zone).startswith("Проверяющий: dana ·")
        line = status_line("dana" + NOT_SIGNED_IN, None, None, "ru", config().station.zone)
        assert line.startswith("Проверяющий: dana — операторы не проверены ·")
    finally:
        set_language("en")


async def test_the_consoles_header_names_the_operator_and_says_when_unproven(make) -> None:
    app: StudioApp = make()
    app.controller.operator = "dana" + NOT_SIGNED_IN  # as `studio run` sets it with sign-in off
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        text = str(app.producer.query_one("#operator", Readout).render())
        assert "dana" in text and "not verified" in text and NOT_SIGNED_IN not in text


def test_sign_in_screen_in_kazakh_after_a_wrong_passphrase(snap_compare, db, passphrase) -> None:
    async def wrong(pilot) -> None:
        await pilot.press(*"abcd-efgh", "enter")
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        await pilot.press(*"k7mq")  # typed again: masked

    assert snap_compare(sign_in_app(db, "kk", name="Айгерім"), run_before=wrong, terminal_size=SIZE)


def test_sign_in_screen_in_russian_for_a_store_without_operators(snap_compare, db) -> None:
    assert snap_compare(sign_in_app(db, "ru", anyone=False), terminal_size=SIZE)
