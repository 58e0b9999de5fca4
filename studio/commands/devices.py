"""OBS and YouTube from the command line: ``studio obs setup|check`` and ``studio youtube ...``.
obsws-python and Google's client are imported only inside these commands."""

from __future__ import annotations

import argparse

from studio.commands.common import open_show_store, read_config, read_rundown
from studio.language import diagnostics_language


def obs_setup(args: argparse.Namespace) -> int:
    from studio.obs.cli import obs_setup_command  # obsws-python is imported only for OBS commands

    return obs_setup_command(args, read_config(args), language=diagnostics_language(args))


def obs_check(args: argparse.Namespace) -> int:
    from studio.obs.cli import obs_check_command

    return obs_check_command(args, read_config(args), language=diagnostics_language(args))


def youtube(args: argparse.Namespace) -> int:
    from studio.youtube.cli import auth_command, youtube_command  # google's client only for these commands

    if args.youtube_command == "auth":
        return auth_command(args, read_config(args), language=diagnostics_language(args))
    config = read_config(args)
    rundown = read_rundown(args.rundown)

    def connect_obs():  # -> ObsAdapter: only the stream output is used, never the programme
        from studio.obs import ObsAdapter
        from studio.obs.cli import settings_from

        adapter = ObsAdapter(settings_from(config.obs))
        adapter.connect()  # an ObsError (redacted) is said by main, as every StudioError
        return adapter

    return youtube_command(
        args, config, open_show_store(args, config), rundown, connect_obs=connect_obs,
        language=diagnostics_language(args),
    )


def preflight(args: argparse.Namespace) -> int:
    """``studio preflight [RUNDOWN]``: the day's checklist; 1 when something would fail on air."""
    from studio.machine import utc_now
    from studio.paths import store_file
    from studio.preflight import day_for, lines, run_checks, would_fail

    config = read_config(args)
    day = day_for(config, args.rundown, store_file(args.store, config.store.path), utc_now())
    results = run_checks(day)
    print("\n".join(lines(results, diagnostics_language(args))))
    return 1 if would_fail(results) else 0
