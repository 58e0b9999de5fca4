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
