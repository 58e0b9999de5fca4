"""``studio prompter`` and ``studio serve``: the CLI's handlers for the prompters and the API.

studio/commands/show.py builds the controller (``services_for(args, rundown, shape)``)
or, for the prompters, a reader of the show (``reader_for(args, rundown)``) and
calls these; they choose the front end, check what they were given and run it
until Ctrl+C. Expected problems raise ``UsageError`` (exit 2, one line, never a
traceback). Textual and aiohttp are imported only by the command that needs them.
"""

from __future__ import annotations

import argparse
import ipaddress
import os
import sys
from typing import Mapping

from studio.config import Api, Config
from studio.errors import UsageError
from studio.i18n import FALLBACK, Msg
from studio.language import diagnostics_language
from studio.show import Controller, ShowReader


def is_loopback(host: str) -> bool:
    """Whether a listening address stays on this machine."""
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def serve_site(app, host: str, port: int, site: str, language: str = FALLBACK, **said: object) -> None:
    """Serve ``app`` (aiohttp) until Ctrl+C or SIGTERM: the prompter, the API and the intake alike; the line
    ``serve.<site>`` says where (with ``said``). A port that cannot be had is a ``UsageError`` (exit 2),
    never a traceback."""
    from aiohttp import web

    print(f"studio: {Msg(f'serve.{site}', url=f'http://{host}:{port}/', **said).render(language)}", file=sys.stderr)
    if not is_loopback(host):
        print(f"studio: warning: {Msg('cli.warning.not_loopback', host=host).render(language)}", file=sys.stderr)
    try:
        web.run_app(app, host=host, port=port, print=None, shutdown_timeout=2.0)
    except OSError as error:
        raise UsageError(Msg("cli.error.cannot_listen", host=host, port=port, reason=str(error.strerror))) from None


def prompter_command(args: argparse.Namespace, config: Config, show: ShowReader) -> int:
    """``studio prompter [RUNDOWN] [--web [--host H] [--port N]]``.

    ``show`` reads the show (a controller with a switcher is refused); its
    store connection is put in ``query_only``.
    """
    from studio.web.follow import Follower, NotReadOnly

    web = getattr(args, "web", False)
    try:
        if not web:
            from studio.tui.prompter import make_prompter

            make_prompter(show, config).run()
            return 0
        follower = Follower(show)
    except NotReadOnly as error:
        raise UsageError(str(error)) from None
    from studio.web.prompter import make_prompter_web

    host = args.host or config.prompter.host
    port = args.port or config.prompter.port
    app = make_prompter_web(follower, config.station.zone, config.station.language, size=config.prompter.size)
    serve_site(app, host, port, "prompter", diagnostics_language(args))
    return 0


def api_tokens(settings: Api, environ: Mapping[str, str] | None = None) -> dict[str, str]:
    """The API's tokens by name, read from the environment variables the config names.

    Errors name the variable, never a value.
    """
    environ = os.environ if environ is None else environ
    wanted = {"api": settings.token_env} | dict(settings.tokens)
    tokens: dict[str, str] = {}
    for name, variable in wanted.items():
        value = environ.get(variable, "").strip()
        if not value:
            if name == "api" and settings.tokens:
                continue  # named tokens are enough
            key = "token_env" if name == "api" else "tokens"
            raise UsageError(Msg("cli.error.api_token_missing", variable=variable, key=key))
        if len(value) < 16:
            raise UsageError(Msg("cli.error.api_token_short", variable=variable))
        if value in tokens.values():
            raise UsageError(Msg("cli.error.api_token_shared", variable=variable))
        tokens[name] = value
    return tokens


def serve_command(args: argparse.Namespace, config: Config, controller: Controller) -> int:
    """``studio serve [RUNDOWN] [--host H] [--port N]``: the control API.

    ``controller`` must have no switcher and origin ``api``: this process
    writes to the store and the show process follows (studio/web/api.py).
    """
    if controller.switcher is not None:
        raise UsageError(Msg("cli.error.api_drives_obs"))
    tokens = api_tokens(config.api)
    from studio.web.api import make_api

    host = args.host or config.api.host
    port = args.port or config.api.port
    app = make_api(controller, tokens, config.station.zone)
    serve_site(app, host, port, "api", diagnostics_language(args), tokens=", ".join(sorted(tokens)))
    return 0
