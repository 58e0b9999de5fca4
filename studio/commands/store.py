"""``studio store migrate --to URL`` and ``studio store backup PATH`` (issue 22, part 5): moving the store
to PostgreSQL, and keeping a copy of it (studio/store/moving.py)."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from studio.commands.common import read_config, store_path
from studio.i18n import Msg
from studio.language import diagnostics_language


def add_parser(commands: Any) -> None:
    store = commands.add_parser("store", help=Msg("cli.help.store_command.about"))
    actions = store.add_subparsers(dest="store_command", required=True, metavar="ACTION")
    migrate = actions.add_parser("migrate", help=Msg("cli.help.store_command.migrate.about"))
    migrate.add_argument("--to", required=True, metavar="postgresql://USER@HOST/DATABASE",
                         help=Msg("cli.help.store_command.migrate.to"))
    migrate.set_defaults(handler=store_migrate)
    backup = actions.add_parser("backup", help=Msg("cli.help.store_command.backup.about"))
    backup.add_argument("path", type=Path, metavar="PATH", help=Msg("cli.help.store_command.backup.path"))
    backup.set_defaults(handler=store_backup)


def store_migrate(args: argparse.Namespace) -> int:
    from studio.store.moving import migrate_to_postgresql, redacted

    source = store_path(args, read_config(args))
    moved = migrate_to_postgresql(source, args.to)
    said = Msg("store.move.done", rows=sum(moved.rows.values()), tables=len(moved.rows), source=str(source),
               url=redacted(args.to), entries=moved.audit_entries, facts=moved.audited_facts)
    print(said.render(diagnostics_language(args)))
    return 0


def store_backup(args: argparse.Namespace) -> int:
    from studio.store.moving import backup, redacted

    location = store_path(args, read_config(args))
    backup(location, args.path)
    said = Msg("store.backup.done", store=redacted(str(location)), path=str(args.path))
    print(said.render(diagnostics_language(args)))
    return 0
