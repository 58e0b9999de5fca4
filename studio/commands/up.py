"""``studio up [RUNDOWN] [--service NAME]...``: the day's headless services from one command (studio/up/).

The parent resolves the config, the store and the rundown once, opens the store
once (so its schema is made before the children share it), asks the API's
operator for their passphrase once when the terminal can ask, then supervises.
Status lines go to standard output, the children's own lines to standard error,
each after its service's name; no secret reaches either.
"""

from __future__ import annotations

import argparse
import os
import sys
from dataclasses import replace

from studio.commands.common import read_config, read_rundown
from studio.errors import UsageError
from studio.i18n import Msg
from studio.language import asked_language, diagnostics_language


def up(args: argparse.Namespace) -> int:
    import asyncio

    from studio.machine import SHORT_PATH, short_path, utc_now
    from studio.paths import config_file, store_file
    from studio.store import open_store
    from studio.store.location import resolved
    from studio.up.services import SERVICES, Day, chosen, secrets
    from studio.up.supervisor import Supervisor, status_line

    config = read_config(args)
    language = diagnostics_language(args)
    show = read_rundown(args.rundown).show  # a broken rundown stops here, with its FILE:LINE
    names = args.service or config.up.services
    if unknown := sorted(set(names) - set(SERVICES)):
        raise UsageError(Msg("up.error.unknown_service", names=", ".join(unknown), known=", ".join(SERVICES)))
    config_path = config_file(args.config)
    day = Day(
        config,
        config_path.resolve() if config_path is not None else None,
        resolved(store_file(args.store, config.store.path)),
        args.rundown.resolve(),
        asked_language(args),
        args.operator,
    )
    store = open_store(day.store)
    try:
        services = chosen(day, names)
        if any(service.name == "api" and service.missing is None for service in services):
            day = replace(day, api_environment=_api_sign_in(args, config, store.db, language))
            services = chosen(day, names)
    finally:
        store.close()

    def say(text: str) -> None:
        print(f"studio up: {text}", file=sys.stderr, flush=True)

    def report(status) -> None:  # a Status
        at = f"{utc_now().astimezone(config.station.zone):%H:%M:%S}"
        print(status_line(status, language, at), flush=True)

    def relay(name: str, line: str) -> None:
        print(f"  {name} | {line}", file=sys.stderr, flush=True)

    say(Msg("up.started", store=short_path(day.store, SHORT_PATH), show=show.id).render(language))
    supervisor = Supervisor(
        services, report=report, relay=relay, notice=lambda msg: say(msg.render(language)), secrets=secrets(day)
    )
    code = asyncio.run(supervisor.run())
    say(Msg("up.none_running" if code else "up.stopped").render(language))
    return code


def _api_sign_in(args: argparse.Namespace, config, db, language: str) -> dict[str, str]:
    """The API child's proof of who it acts as: asked here, once, when a terminal can ask.

    Sign-in off, a passphrase already in the environment, or no terminal: the child
    signs in by itself as ``studio serve`` does, and says what is missing if it cannot.
    A wrong passphrase typed here stops ``studio up`` before anything starts.
    """
    import getpass

    from studio.desk.operators import KEY_VARIABLE, sign_in_off, wanted_name
    from studio.machine import utc_now
    from studio.store.operators import sign_in

    name = wanted_name(config, args.operator)
    if sign_in_off(config, args.operator) is not None or os.environ.get(KEY_VARIABLE) or not name:
        return {}
    if not sys.stdin.isatty():
        return {}
    passphrase = getpass.getpass(Msg("operators.prompt", name=name).render(language))
    sign_in(db, name, passphrase, at=utc_now())
    return {KEY_VARIABLE: passphrase}
