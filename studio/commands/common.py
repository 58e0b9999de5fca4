"""What several commands share: the config in the reader's language, the stores, the rundown, who acts,
and where an export goes."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime
from pathlib import Path

from studio.errors import UsageError
from studio.i18n import Msg
from studio.language import asked_language, diagnostics_language
from studio.machine import utc_now


class Quit(Exception):
    """The person left before the program started (at the sign-in screen): nothing to report."""


class _DefaultRundown:
    """The RUNDOWN of a command given none: chosen by ``default_rundown`` once the config is read."""

    def __repr__(self) -> str:
        return "the default rundown (see studio locate)"


DEFAULT_RUNDOWN = _DefaultRundown()


def read_config(args: argparse.Namespace):  # -> Config, imported lazily to keep `studio check` light
    from studio.config import load_config
    from studio.paths import config_file

    config = load_config(config_file(args.config))
    if (asked := asked_language(args)) is None:
        return config
    # The reader's language for this run: messages and every screen the command opens.
    return config.model_copy(update={"station": config.station.model_copy(update={"language": asked})})


def default_rundown(args: argparse.Namespace) -> Path:
    """The rundown of a command given none (studio/paths.py ``default_rundown``), said on standard error:
    a station must never run the sample show without being told."""
    from studio.paths import default_rundown as choose

    path, why = choose(read_config(args).show.rundown)
    note = Msg("cli.note.default_rundown", path=str(path), why=Msg(f"cli.note.rundown_from.{why}"))
    print(f"studio: note: {note.render(diagnostics_language(args))}", file=sys.stderr)
    return path


def open_show_store(args: argparse.Namespace, config):  # -> ShowStore
    from studio.paths import store_file
    from studio.store import open_store

    return open_store(store_file(args.store, config.store.path))


def read_rundown(path: Path):
    from studio.rundown.load import load_rundown

    if not path.exists():
        raise UsageError(Msg("cli.error.no_rundown", path=str(path)))
    return load_rundown(path)


def open_desk_store(args: argparse.Namespace, *, rehearsal: bool = False):  # -> (Config, DeskStore)
    """The desk on the show's store, or with ``rehearsal`` on today's rehearsal store."""
    from studio.store.desk import open_desk

    config = read_config(args)
    path = store_path(args, config, rehearsal_on=utc_now() if rehearsal else None)
    return config, open_desk(path, config.desk.evidence_policy(), files=config.store.files)


def store_path(args: argparse.Namespace, config, *, rehearsal_on: datetime | None = None) -> Path | str:
    """The show's store (--store, $STUDIO_STORE, config); with ``rehearsal_on``, the store beside it where
    the rehearsal on that day's clock (the station's day) keeps its show (studio/show/on_today.py)."""
    from studio.paths import rehearsal_store_file, store_file

    path = store_file(args.store, config.store.path)
    if rehearsal_on is None:
        return path
    return rehearsal_store_file(path, rehearsal_on.astimezone(config.station.zone).date())


def operator_signed_in(args: argparse.Namespace, config, db) -> str:
    """Who a command line acts as: ``--operator`` proven by $STUDIO_OPERATOR_KEY or a passphrase typed now."""
    from studio.desk.operators import operator_from_cli

    return operator_from_cli(args, db, config, language=diagnostics_language(args))


def operator_on_screen(args: argparse.Namespace, config, db) -> str:
    """Who a terminal program acts as: $STUDIO_OPERATOR_KEY, else its sign-in screen."""
    from studio.tui.signin import signed_in  # textual: only for the terminal programs

    who = signed_in(config, db, args.operator)
    if who is None:
        raise Quit()
    return who


def write_export(out: Path | None, text: str, what: Msg, language: str) -> int:
    """An export on standard output, or written to ``out`` (and said so on standard error, in ``language``)."""
    if out is None:
        sys.stdout.write(text)
        return 0
    try:
        out.write_text(text, "utf-8")
    except OSError as error:
        raise UsageError(Msg("cli.error.cannot_write", path=str(out), reason=str(error.strerror))) from None
    print(Msg("cli.export.wrote", what=what.render(language), path=str(out)).render(language), file=sys.stderr)
    return 0


def locate(args: argparse.Namespace) -> int:
    """Every place studio reads or writes, in search order where there is one, each marked as there or not.
    The labels stay English, like ``error:``, for scripts; what the marks and orders mean is translated."""
    from studio.paths import (
        config_file, default_rundown as choose, graphics_dir, sample_data, sample_rundown, search_directories,
        social_dir, store_files, template_folders,
    )
    from studio.desk.media import media_folder
    from studio.store.location import is_url, shown

    config = read_config(args)
    language = diagnostics_language(args)
    said = {True: Msg("locate.there").render(language), False: Msg("locate.not_there").render(language)}

    def line(label: str, path: Path | str) -> str:
        if is_url(path):  # a database on a server: nothing on this machine to look at
            return f"{label + ':':<11}{shown(path)}"
        return f"{label + ':':<11}{path}  ({said[path.exists()]})"

    def listing(label: str, order: str, paths: list[Path]) -> list[str]:
        return [f"{label}: {Msg(order).render(language)}"] + [f"  {path}  ({said[path.exists()]})" for path in paths]

    found = config_file(args.config)
    rundown, why = choose(config.show.rundown)
    store = store_path(args, config)
    lines = [
        line("config", found) if found else f"config:    {Msg('locate.no_config').render(language)}",
        *listing("config search", "locate.config_order", [d / "config.toml" for d in search_directories()]),
        line("store", store),
        line("media", media_folder(store_files(store, config.store.files))),  # what observers attach
        line("rehearsal", store_path(args, config, rehearsal_on=utc_now())),  # today's, beside the show's
        line("graphics", graphics_dir(config.graphics.out)),
        line("social", social_dir()),
        *listing("templates", "locate.template_order", template_folders(config.graphics.templates)),
        line("rundown", rundown),
        f"  {Msg(f'cli.note.rundown_from.{why}').render(language)}",
        line("sample", sample_rundown()),
        line("data", sample_data()),
    ]
    print("\n".join(lines))
    return 0
