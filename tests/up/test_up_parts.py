"""The parts of ``studio up`` on their own: the service list, the backoff, the status line, the secrets."""

from __future__ import annotations

import argparse
import socket
import sys
from dataclasses import replace
from pathlib import Path
from typing import get_args

import pytest

from studio.commands.up import up
from studio.config import Api, Config, UpService, load_config
from studio.diagnostics import DiagnosticsError
from studio.errors import UsageError
from studio.i18n import Msg
from studio.machine import short_path
from studio.up.services import SERVICES, Day, chosen, secrets
from studio.up.supervisor import BACKOFF_CAP, Service, State, Status, Supervisor, backoff, port_taken, status_line
from tests.web.http_helpers import SHOW

SECRET = "api-token-that-never-shows-0123456789"


def day(config: Config = Config(), **changes) -> Day:  # type: ignore[no-untyped-def]
    return Day(config, Path("/etc/studio/config.toml"), Path("/srv/studio.db"), SHOW, **changes)


def test_the_config_knows_exactly_the_services_of_the_list() -> None:
    assert set(get_args(UpService)) == set(SERVICES)


def test_the_up_table_is_checked(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[up]\nservices = ["intake", "bot"]\n', "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        load_config(path)
    said = str(raised.value.diagnostics[0])
    assert "config.toml:2: error: [up]" in said and "'intake'" in said and "`studio up` runs" in said
    path.write_text('[up]\nservices = ["intake", "prompter"]\n', "utf-8")
    assert load_config(path).up.services == ["intake", "prompter"]


def test_each_service_is_the_studio_command_on_one_config_one_store_and_one_show(monkeypatch) -> None:
    monkeypatch.setenv("STUDIO_API_TOKEN", SECRET)
    services = {service.name: service for service in chosen(day(operator="dana", language="ru"), [])}
    assert list(services) == ["intake", "api", "prompter"]
    common = [sys.executable, "-m", "studio.up.child", "--store", "/srv/studio.db",
              "--config", "/etc/studio/config.toml", "--lang", "ru"]
    assert list(services["intake"].argv) == [*common, "intake", "--host", "127.0.0.1", "--port", "8767"]
    assert list(services["api"].argv) == [
        *common, "serve", str(SHOW), "--operator", "dana", "--host", "127.0.0.1", "--port", "8765"
    ]
    assert list(services["prompter"].argv) == [
        *common, "prompter", str(SHOW), "--web", "--host", "127.0.0.1", "--port", "8766"
    ]
    assert all(service.missing is None for service in services.values())
    assert SECRET not in " ".join(arg for service in services.values() for arg in service.argv)  # tokens: environment only
    assert [service.name for service in chosen(day(), ["prompter", "intake"])] == ["intake", "prompter"]
    on_server = replace(day(), store="postgresql://desk@db.example.kz/studio")  # its password: PGPASSWORD, never argv
    assert on_server.argv("intake")[3:5] == ("--store", "postgresql://desk@db.example.kz/studio")


def test_the_api_without_its_token_waits_for_a_person_and_says_which_variable(monkeypatch) -> None:
    monkeypatch.delenv("STUDIO_API_TOKEN", raising=False)
    config = Config(api=Api(token_env="DECK_TOKEN"))
    (api,) = chosen(day(config), ["api"])
    assert api.missing is not None and "$DECK_TOKEN" in api.missing.render("en")


def test_an_unknown_service_is_refused_with_the_known_ones(tmp_path: Path) -> None:
    args = argparse.Namespace(
        config=None, store=tmp_path / "studio.db", lang="en", rundown=SHOW, service=["intake", "bot"], operator=None
    )
    with pytest.raises(UsageError) as raised:
        up(args)
    assert raised.value.render("en") == "no service bot; studio up knows: intake, api, prompter"


def test_restarts_back_off_doubling_up_to_the_cap() -> None:
    delays = [backoff(attempt) for attempt in range(2, 10)]
    assert delays == [1, 2, 4, 8, 16, BACKOFF_CAP, BACKOFF_CAP, BACKOFF_CAP]


SERVICE = Service("api", ("studio",), "127.0.0.1", 8765, "api")


@pytest.mark.parametrize(
    ("language", "restarting", "stopped"),
    [
        ("en", "restarting (attempt 3, next in 2 s) — last error: killed by SIGKILL", "stopped — last error: "),
        ("kk", "қайта іске қосылады (3-әрекет, 2 с кейін) — соңғы қате: SIGKILL сигналымен тоқтатылды",
         "тоқтатылды — соңғы қате: "),
        ("ru", "перезапуск (попытка 3, через 2 с) — последняя ошибка: завершена сигналом SIGKILL",
         "остановлена — последняя ошибка: "),
    ],
)
def test_a_status_line_names_the_service_its_address_its_state_and_its_last_error(language, restarting, stopped):
    from studio.up.supervisor import exit_said

    line = status_line(Status(SERVICE, State.RESTARTING, 3, 2.0, error=exit_said(-9)), language, "09:58:02")
    assert line == f"09:58:02  api       http://127.0.0.1:8765/     {restarting}"
    refused = Msg("up.error.port_taken", host="127.0.0.1", port=8765, reason="Address already in use", section="api")
    line = status_line(Status(SERVICE, State.STOPPED, error=refused), language, "09:58:02")
    assert stopped + refused.render(language) in line and "\n" not in line


def test_a_port_held_by_another_program_is_found_before_any_start() -> None:
    with socket.create_server(("127.0.0.1", 0)) as held:
        port = held.getsockname()[1]
        assert port_taken("127.0.0.1", port)
    assert port_taken("127.0.0.1", port) is None


def test_no_secret_the_supervisor_knows_reaches_a_line(monkeypatch) -> None:
    monkeypatch.setenv("STUDIO_API_TOKEN", SECRET)
    monkeypatch.setenv("OBS_PASSWORD", "obs-secret-9876")
    monkeypatch.setenv("PGPASSWORD", "pg-secret-5432")
    known = secrets(day(api_environment={"STUDIO_OPERATOR_KEY": "correct horse battery"}))
    supervisor = Supervisor([], report=print, relay=print, notice=print, secrets=known)
    line = f"Bearer {SECRET} with obs-secret-9876 and correct horse battery, pg-secret-5432"
    assert supervisor.scrub(line) == "Bearer ••• with ••• and •••, •••"


def test_a_store_path_is_shortened_for_a_header(monkeypatch, tmp_path: Path) -> None:
    monkeypatch.setenv("HOME", str(tmp_path))
    assert short_path(tmp_path / ".local/share/studio/studio.db", 40) == "~/.local/share/studio/studio.db"
    assert short_path(Path("/srv/shows/2026/referendum/rehearsal-of-the-day/studio.db"), 30) == (
        "…ehearsal-of-the-day/studio.db"
    )
    assert short_path("postgresql://desk@db.example.kz:5433/studio", 40) == "…gresql://desk@db.example.kz:5433/studio"


STUBBORN = """
import signal, socket, sys, time
signal.signal(signal.SIGTERM, signal.SIG_IGN)  # a child that will not stop when asked
server = socket.create_server(("127.0.0.1", int(sys.argv[1])))
print("listening", flush=True)
while True:
    time.sleep(60)
"""


async def test_a_second_interrupt_kills_a_child_that_ignores_the_first() -> None:
    import asyncio

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    stubborn = Service("stubborn", (sys.executable, "-c", STUBBORN, str(port)), "127.0.0.1", port, "up")
    said: list[Status] = []
    notices: list[str] = []
    supervisor = Supervisor([stubborn], report=said.append, relay=lambda name, line: None, notice=notices.append)
    running = asyncio.create_task(supervisor.run())
    while not any(status.state is State.UP for status in said):
        await asyncio.sleep(0.05)
    supervisor.interrupt()  # SIGTERM: ignored
    assert not running.done() and supervisor.children
    supervisor.interrupt()  # SIGKILL
    assert await running == 0
    assert [status.state for status in said] == [State.STARTING, State.UP, State.STOPPED]
    assert [notice.key for notice in notices] == ["up.stopping", "up.forcing"]
