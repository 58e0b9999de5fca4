"""``studio obs setup RUNDOWN`` and ``studio obs check [RUNDOWN]``: the handlers studio's CLI calls.

Importing this module imports obsws-python (through studio.obs): import it
inside the handler, so commands that do not talk to OBS stay light.

Exit status: 0 done / nothing missing; 1 something is missing or setup could
not fix a conflict; 2 OBS unreachable or refusing (a clear message, never a
traceback, never the password). Errors and warnings are printed in ``language``
(studio's ``--lang``, ``$STUDIO_LANG`` or the station's language; English by default).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any, TextIO

from studio.i18n import FALLBACK, Msg
from studio.paths import graphics_dir
from studio.obs.adapter import ObsAdapter, ObsSettings, ObsVersions
from studio.obs.errors import ObsError


def settings_from(obs: Any) -> ObsSettings:
    """ObsSettings from the config's [obs] section (studio.config.Obs)."""
    return ObsSettings(host=obs.host, port=obs.port, password_env=obs.password_env, timeout=obs.timeout)


def obs_setup_command(
    args: argparse.Namespace, config: Any, *, out: TextIO | None = None, err: TextIO | None = None,
    language: str = FALLBACK,
) -> int:
    from studio.obs.setup import setup

    out, err = out or sys.stdout, err or sys.stderr
    rundown = _rundown(args.rundown, err, language)
    if rundown is None:
        return 2
    graphics = graphics_dir(config.graphics.out)
    slate = _slate_picture(args, graphics, err, language)
    cards = _card_pictures(rundown, graphics, err, language)
    adapter = ObsAdapter(settings_from(config.obs))
    try:
        adapter.connect()
        report = setup(adapter, rundown, slate_image=slate, cards=cards, studio_camera=config.obs.studio_camera)
    except ObsError as error:
        return _obs_failed(error, err, language)
    finally:
        adapter.close()
    print(_versions(report.versions, adapter), file=out)
    for text in report.created:
        print(f"  + {text}", file=out)
    for text in report.updated:
        print(f"  ~ {text}", file=out)
    for text in report.problems:
        print(f"  ! {text}", file=out)
    summary = f"setup: {len(report.created)} created, {len(report.updated)} updated, {report.unchanged} unchanged"
    if report.problems:
        print(f"{summary}; {len(report.problems)} problem(s) to fix by hand in OBS", file=out)
        return 1
    print(summary if report.changed else f"{summary}: OBS already had everything", file=out)
    return 0


def obs_check_command(
    args: argparse.Namespace, config: Any, *, out: TextIO | None = None, err: TextIO | None = None,
    language: str = FALLBACK,
) -> int:
    from studio.obs.setup import check

    out, err = out or sys.stdout, err or sys.stderr
    rundown = None
    if getattr(args, "rundown", None) is not None:
        rundown = _rundown(args.rundown, err, language)
        if rundown is None:
            return 2
    adapter = ObsAdapter(settings_from(config.obs))
    try:
        adapter.connect()
        report = check(adapter, rundown, studio_camera=config.obs.studio_camera)
        size = adapter.canvas()
    except ObsError as error:
        return _obs_failed(error, err, language)
    finally:
        adapter.close()
    print(_versions(report.versions, adapter), file=out)
    _warn_canvas(size, out, language)
    what = f"rundown {args.rundown}" if rundown is not None else "the fallback slate (no rundown given)"
    for text in report.missing:
        print(f"  missing: {text}", file=out)
    for text in report.differing:
        print(f"  differs: {text}", file=out)
    for text in report.problems:
        print(f"  problem: {text}", file=out)
    for text in report.black:
        print(f"  black on air: {text}", file=out)
    if report.ok:
        print(f"check: OBS has everything {what} needs ({report.checked} checked)", file=out)
        return 0
    counts = (f"{len(report.missing)} missing, {len(report.differing)} differing, {len(report.problems)} problem(s), "
              f"{len(report.black)} scene(s) black on air")
    fix = f"run `studio obs setup {args.rundown}`" if rundown is not None else "run `studio obs setup RUNDOWN`"
    print(f"check: {counts} for {what}; {fix}", file=out)
    return 1


def _warn_canvas(size: tuple[int, int], out: TextIO, language: str) -> None:
    """A canvas that is not 16:9 is a warning, not a failure: graphics are fitted whole, with bars."""
    from studio.canvas import is_16_9

    if not is_16_9(size):
        print(f"  warning: {Msg('obs.check.canvas_not_16_9', width=size[0], height=size[1]).render(language)}",
              file=out)


def _versions(versions: ObsVersions, adapter: ObsAdapter) -> str:
    s = adapter.settings
    return f"OBS {versions.obs}, obs-websocket {versions.websocket} (RPC {versions.rpc}) at {s.host}:{s.port}"


def _obs_failed(error: ObsError, err: TextIO, language: str) -> int:
    print(f"studio: error: {error.render(language)}", file=err)  # ObsError text is redacted: no password
    return 2


def _rundown(path: Path, err: TextIO, language: str) -> Any:
    from studio.rundown.load import load_rundown

    if not Path(path).exists():
        print(f"studio: error: {Msg('cli.error.no_rundown', path=str(path)).render(language)}", file=err)
        return None
    return load_rundown(Path(path))  # a broken file raises DiagnosticsError: studio's main prints it


def _slate_picture(args: argparse.Namespace, graphics: Path, err: TextIO, language: str) -> Path | None:
    """The picture for the fallback slate: --slate, else the graphics' slate template rendered into ``graphics``
    (the folder the show renders to, which OBS's image sources read), else none."""
    if getattr(args, "text_slate", False):
        return None
    given = getattr(args, "slate", None)
    if given is not None:
        if not Path(given).is_file():
            print(f"studio: warning: {Msg('cli.warning.no_slate', path=str(given)).render(language)}", file=err)
            return None
        return Path(given).resolve()
    return _rendered("slate", {}, graphics, "cli.note.no_slate", err, language)


def _card_pictures(rundown: Any, graphics: Path, err: TextIO, language: str) -> dict[str, Path]:
    """Each scene's card, rendered from the card template like the slate (the centre's name and what
    the scene is); a scene whose card cannot be rendered keeps the card's plain colour."""
    from studio.obs.setup import scene_cards

    pictures = {}
    for scene, (title_kk, title_ru) in scene_cards(rundown.segments).items():
        data = {"title_kk": title_kk, "title_ru": title_ru}
        picture = _rendered("card", data, graphics, "cli.note.no_card", err, language)
        if picture is not None:
            pictures[scene] = picture
    return pictures


def _rendered(
    template: str, data: dict[str, Any], graphics: Path, note: str, err: TextIO, language: str
) -> Path | None:
    """A graphic rendered for OBS to show, or None with a note on stderr saying why."""
    try:
        from studio.graphics import Renderer  # Pillow and the templates: ~0.5 s, only here

        return Renderer(out=graphics).render(template, data).png.resolve()
    except Exception as error:  # what OBS shows without the picture is complete, only plainer
        from studio.diagnostics import DiagnosticsError
        from studio.graphics.errors import GraphicsError

        said = error.render(language) if isinstance(error, (DiagnosticsError, GraphicsError)) else str(error)
        detail = f"{type(error).__name__}: {said}"
        print(f"studio: note: {Msg(note, detail=detail).render(language)}", file=err)
        return None
