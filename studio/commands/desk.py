"""The verification desk and its edges from the command line: ``studio import``, ``import-turnout``,
``import-results``, ``demo-data``, ``desk``, ``intake``, ``observers``, ``operators``, ``provenance``, ``fact`` and ``render``
(a graphic drawn from the desk's facts)."""

from __future__ import annotations

import argparse
import sys
from datetime import date

from studio.commands.common import default_rundown, open_desk_store, operator_on_screen, operator_signed_in, read_rundown, write_export
from studio.errors import UsageError
from studio.i18n import Msg
from studio.language import diagnostics_language


def import_reports(args: argparse.Namespace) -> int:
    from studio.machine import default_operator
    from studio.desk.importer import run

    config, desk = open_desk_store(args)
    operator = args.operator or config.station.operator or default_operator()
    return run(
        desk, args.file, operator=operator, mapping=args.mapping, rejects=args.rejects,
        language=diagnostics_language(args),
    )


def import_turnout(args: argparse.Namespace) -> int:
    from studio.desk.importer import run
    from studio.desk.official_mapping import TurnoutMapping, load_official_mapping

    mapping = load_official_mapping(args.mapping, TurnoutMapping)
    day = _show_day(args) if mapping.hours_only else None
    config, desk = open_desk_store(args)
    return run(
        desk, args.file, operator=operator_signed_in(args, config, desk.db), what="turnout", mapping=mapping, day=day,
        rejects=args.rejects, language=diagnostics_language(args),
    )


def import_results(args: argparse.Namespace) -> int:
    from studio.desk.importer import run

    config, desk = open_desk_store(args)
    return run(
        desk, args.file, operator=operator_signed_in(args, config, desk.db), what="results", mapping=args.mapping,
        rejects=args.rejects, language=diagnostics_language(args),
    )


def _show_day(args: argparse.Namespace) -> date:
    """The date of a file's bare hours: ``--date``, else the rundown's, said on standard error."""
    if args.date is not None:
        try:
            return date.fromisoformat(args.date)
        except ValueError:
            raise UsageError(Msg("cli.error.bad_date", value=repr(args.date))) from None
    rundown = args.rundown or default_rundown(args)
    day = read_rundown(rundown).show.date
    note = Msg("cli.note.hours_on", file=str(args.file), date=day.isoformat(), rundown=str(rundown))
    print(f"studio: note: {note.render(diagnostics_language(args))}", file=sys.stderr)
    return day


def demo_data(args: argparse.Namespace) -> int:
    from studio.desk.demo import demo_command

    _, desk = open_desk_store(args, rehearsal=args.on_today)
    return demo_command(desk, args.data, if_empty=args.if_empty, language=diagnostics_language(args))


def desk_screens(args: argparse.Namespace) -> int:
    config, desk = open_desk_store(args)
    from studio.tui.desk.command import desk_command  # textual is imported only for the screens

    return desk_command(config, desk, operator_on_screen(args, config, desk.db))


def intake(args: argparse.Namespace) -> int:
    from studio.web.intake import intake_command

    config, desk = open_desk_store(args)
    return intake_command(args, config, desk)


def bot(args: argparse.Namespace) -> int:
    from studio.telegram.command import bot_command

    config, desk = open_desk_store(args)
    return bot_command(config, desk, language=diagnostics_language(args))


def social_publish(args: argparse.Namespace) -> int:
    from studio.social.command import publish_command

    config, desk = open_desk_store(args)
    return publish_command(args, config, desk, language=diagnostics_language(args))


def observers(args: argparse.Namespace) -> int:
    from studio.desk.observers import observers_command

    config, desk = open_desk_store(args)
    return observers_command(args, config, desk, language=diagnostics_language(args))


def operators(args: argparse.Namespace) -> int:
    from studio.desk.operators import operators_command

    config, desk = open_desk_store(args)
    return operators_command(args, config, desk.db, language=diagnostics_language(args))


def provenance(args: argparse.Namespace) -> int:
    from studio.desk.provenance import records, render as rendered

    _, desk = open_desk_store(args)
    found = records(desk, every_fact=args.all)
    what = Msg("cli.export.facts", count=len(found))
    return write_export(args.out, rendered(found, args.format), what, diagnostics_language(args))


def fact(args: argparse.Namespace) -> int:
    from studio.desk.fact_command import fact_command

    config, desk = open_desk_store(args)
    try:
        return fact_command(
            args, desk, operator=lambda: operator_signed_in(args, config, desk.db), zone=config.station.zone,
            language=diagnostics_language(args),
        )
    finally:
        desk.close()


def _frames(args: argparse.Namespace, config, facts, size) -> int:  # type: ignore[no-untyped-def]
    """``studio render TEMPLATE --frames DIR [--video]``: the day's turnout hours as frames (graphics/frames.py)."""
    from studio.graphics.frames import frames_command
    from studio.paths import template_folders

    if args.frames is None:
        raise UsageError(Msg("cli.render.video_needs_frames"))
    return frames_command(args.template, args.data, template_folders(config.graphics.templates),
                          config.station.turnout_hours, facts, args.frames, video=args.video,
                          language=diagnostics_language(args), canvas=size)


def render(args: argparse.Namespace) -> int:
    from studio.canvas import parse_size
    from studio.desk.ids import parse_fact_id
    from studio.desk.views import GraphicsFacts
    from studio.graphics.cli import render_command
    from studio.paths import graphics_dir, template_folders

    config, desk = open_desk_store(args)
    day = read_rundown(args.rundown).show.date
    facts = GraphicsFacts(desk, day, config.station.zone)
    fact = None if args.fact is None else str(parse_fact_id(args.fact))  # F105 or 105, as the desk shows it
    try:
        size = None if args.size is None else parse_size(args.size)
    except ValueError as error:
        raise UsageError(error.args[0]) from None
    if args.frames is not None or args.video:
        return _frames(args, config, facts, size)
    return render_command(
        args.template, args.data, fact, args.out, facts, graphics=graphics_dir(config.graphics.out),
        overlays=template_folders(config.graphics.templates),
        zone=config.station.zone, language=diagnostics_language(args), canvas=size,
    )
