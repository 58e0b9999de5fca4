"""The day's headless services, each the ``studio`` command a person would run on its own.

``SERVICES`` is the one list: a name (what ``[up] services`` and ``--services``
say) and how to build the child from the ``Day`` (config, store, rundown, who
acts). A new service (the observers' bot) is one more builder here, and its
name in ``UpService`` (studio/config.py), which a test keeps equal to this list.
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from studio.config import Config
from studio.errors import UsageError
from studio.up.supervisor import Service


@dataclass(frozen=True)
class Day:
    """What every service of one ``studio up`` shares, resolved once by the parent."""

    config: Config
    config_path: Path | None  # None: no file, the defaults (the children find none either)
    store: Path | str  # a SQLite file or a PostgreSQL URL (never with its password: paths.store_file)
    rundown: Path
    language: str | None = None  # --lang / $STUDIO_LANG as asked; None: the config's
    operator: str | None = None  # --operator for the API
    api_environment: Mapping[str, str] = field(default_factory=dict)  # the API's sign-in, asked once

    def argv(self, *command: str) -> tuple[str, ...]:
        """``studio [global options] COMMAND...`` as a child of this process (studio/up/child.py)."""
        options = ["--store", str(self.store)]
        if self.config_path is not None:
            options += ["--config", str(self.config_path)]
        if self.language is not None:
            options += ["--lang", self.language]
        return (sys.executable, "-m", "studio.up.child", *options, *command)

    def environment(self, **extra: str) -> dict[str, str]:
        return {"STUDIO_UP_PARENT": str(os.getpid())} | extra


def _listening(*command: str, host: str, port: int) -> tuple[str, ...]:
    return (*command, "--host", host, "--port", str(port))


def intake(day: Day) -> Service:
    where = day.config.intake
    return Service(
        "intake", day.argv(*_listening("intake", host=where.host, port=where.port)), where.host, where.port,
        "intake", environment=day.environment(),
    )


def control_api(day: Day) -> Service:
    from studio.web.commands import api_tokens

    where = day.config.api
    try:
        api_tokens(where)
        missing = None
    except UsageError as error:  # no token: a person sets it; the other services run meanwhile
        missing = error.message
    operator = ("--operator", day.operator) if day.operator else ()
    command = _listening("serve", str(day.rundown), *operator, host=where.host, port=where.port)
    return Service(
        "api", day.argv(*command), where.host, where.port, "api", missing,
        environment=day.environment(**day.api_environment),
    )


def browser_prompter(day: Day) -> Service:
    where = day.config.prompter
    command = _listening("prompter", str(day.rundown), "--web", host=where.host, port=where.port)
    return Service("prompter", day.argv(*command), where.host, where.port, "prompter", environment=day.environment())


SERVICES: dict[str, Callable[[Day], Service]] = {
    "intake": intake,
    "api": control_api,
    "prompter": browser_prompter,
}


def chosen(day: Day, names: Sequence[str]) -> list[Service]:
    """The services named (``--services``, else ``[up] services``), in the list's order; none named: all of them."""
    wanted = set(names) or set(SERVICES)
    return [build(day) for name, build in SERVICES.items() if name in wanted]


def secrets(day: Day) -> list[str]:
    """Every secret this process holds for its children: the API's tokens, the operator's passphrase,
    OBS's password, a PostgreSQL store's password (PGPASSWORD, which libpq reads); whatever a child writes,
    none of them is shown."""
    from studio.desk.operators import KEY_VARIABLE

    settings = day.config
    variables = [settings.api.token_env, *settings.api.tokens.values(), settings.obs.password_env, KEY_VARIABLE,
                 "PGPASSWORD"]
    return [*(os.environ.get(name, "") for name in variables), *day.api_environment.values()]
