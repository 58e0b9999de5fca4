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
from typing import TYPE_CHECKING, Any, Callable, TextIO

from studio.errors import StudioError, UsageError, report
from studio.i18n import FALLBACK, Msg
from studio.paths import graphics_dir, template_folders
from studio.obs.adapter import ObsAdapter, ObsSettings, ObsVersions

if TYPE_CHECKING:
    from studio.obs.setup import CheckReport, SetupReport


def settings_from(obs: Any) -> ObsSettings:
    """ObsSettings from the config's [obs] section (studio.config.Obs)."""
    return ObsSettings(host=obs.host, port=obs.port, password_env=obs.password_env, timeout=obs.timeout)


def obs_setup_command(
    args: argparse.Namespace, config: Any, *, out: TextIO | None = None, err: TextIO | None = None,
    language: str = FALLBACK,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    return _reported(lambda: _setup(args, config, out, err, language), err, language)


def obs_check_command(
    args: argparse.Namespace, config: Any, *, out: TextIO | None = None, err: TextIO | None = None,
    language: str = FALLBACK,
) -> int:
    out, err = out or sys.stdout, err or sys.stderr
    return _reported(lambda: _check(args, config, out, language), err, language)


def _reported(command: Callable[[], int], err: TextIO, language: str) -> int:
    """The command's exit status; an error (OBS unreachable or refusing: redacted, no password) said on ``err``."""
    try:
        return command()
    except StudioError as error:
        return report(error, language, err)


def _setup(args: argparse.Namespace, config: Any, out: TextIO, err: TextIO, language: str) -> int:
    rundown = _rundown(args.rundown)
    adapter = ObsAdapter(settings_from(config.obs))
    try:
        adapter.connect()
        done = set_up(adapter, config, rundown, err, language, args)
    finally:
        adapter.close()
    say = _Printer(out, language)
    say(versions_line(done.versions, adapter.settings))
    for mark, texts in (("+", done.created), ("~", done.updated), ("!", done.problems)):
        for text in texts:
            say(Msg("obs.cli.line", mark=mark, text=text))
    counts = {"created": len(done.created), "updated": len(done.updated), "unchanged": done.unchanged}
    if done.problems:
        say(Msg("obs.cli.setup_problems", **counts, problems=len(done.problems)))
        return 1
    say(Msg("obs.cli.setup_done" if done.changed else "obs.cli.setup_nothing", **counts))
    return 0


def set_up(adapter: ObsAdapter, config: Any, rundown: Any, err: TextIO, language: str,
           args: argparse.Namespace | None = None) -> SetupReport:
    """`obs setup` on a connected ``adapter``: the rundown's scenes with the slate and the cards rendered
    (``args``: --slate or --text-slate, when given; notes on ``err``)."""
    from studio.obs.setup import setup

    slate = _slate_picture(args, config, err, language)
    cards = _card_pictures(rundown, config, err, language)
    return setup(adapter, rundown, slate_image=slate, cards=cards, studio_camera=config.obs.studio_camera)


def inspect(config: Any, rundown: Any) -> tuple[CheckReport, tuple[int, int]]:
    """What ``rundown`` (None: the switcher's slate) needs that OBS lacks, and OBS's canvas; changes nothing.
    An ObsError when OBS cannot be reached or refuses."""
    from studio.obs.setup import check

    adapter = ObsAdapter(settings_from(config.obs))
    try:
        adapter.connect()
        return check(adapter, rundown, studio_camera=config.obs.studio_camera), adapter.canvas()
    finally:
        adapter.close()


def _check(args: argparse.Namespace, config: Any, out: TextIO, language: str) -> int:
    rundown = None if getattr(args, "rundown", None) is None else _rundown(args.rundown)
    found, size = inspect(config, rundown)
    say = _Printer(out, language)
    say(versions_line(found.versions, settings_from(config.obs)))
    _warn_canvas(size, say)
    what = Msg("obs.cli.for_rundown", path=str(args.rundown)) if rundown is not None else Msg("obs.cli.for_slate")
    for key, texts in (("missing", found.missing), ("differs", found.differing), ("problem", found.problems),
                       ("black", found.black)):
        for text in texts:
            say(Msg(f"obs.cli.{key}", text=text))
    if found.ok:
        say(Msg("obs.cli.check_ok", what=what, checked=found.checked))
        return 0
    fix = Msg("obs.cli.fix", rundown=str(args.rundown) if rundown is not None else "RUNDOWN")
    say(Msg("obs.cli.check_lacks", missing=len(found.missing), differing=len(found.differing),
            problems=len(found.problems), black=len(found.black), what=what, fix=fix))
    return 1


class _Printer:
    """Prints catalogue messages in one language to one stream."""

    def __init__(self, stream: TextIO, language: str) -> None:
        self.stream, self.language = stream, language

    def __call__(self, message: Msg) -> None:
        print(message.render(self.language), file=self.stream)


def _warn_canvas(size: tuple[int, int], say: _Printer) -> None:
    """A canvas that is not 16:9 is a warning, not a failure: graphics are fitted whole, with bars."""
    from studio.canvas import is_16_9

    if not is_16_9(size):
        say(Msg("obs.cli.warning", text=Msg("obs.check.canvas_not_16_9", width=size[0], height=size[1])))


def versions_line(versions: ObsVersions, s: ObsSettings) -> Msg:
    """Names and numbers only: the same in every language."""
    return Msg("diag.as_is", text=f"OBS {versions.obs}, obs-websocket {versions.websocket} (RPC {versions.rpc}), "
                                  f"{s.host}:{s.port}")


def _rundown(path: Path) -> Any:
    from studio.rundown.load import load_rundown

    if not Path(path).exists():
        raise UsageError(Msg("cli.error.no_rundown", path=str(path)))
    return load_rundown(Path(path))  # a broken file raises DiagnosticsError: studio's main prints it


def _slate_picture(args: argparse.Namespace | None, config: Any, err: TextIO, language: str) -> Path | None:
    """The picture for the fallback slate: --slate, else the slate template rendered into the graphics folder
    (the folder the show renders to, which OBS's image sources read), else none."""
    if getattr(args, "text_slate", False):
        return None
    given = getattr(args, "slate", None)
    if given is not None:
        if not Path(given).is_file():
            print(f"studio: warning: {Msg('cli.warning.no_slate', path=str(given)).render(language)}", file=err)
            return None
        return Path(given).resolve()
    return _rendered("slate", {}, config, "cli.note.no_slate", err, language)


def _card_pictures(rundown: Any, config: Any, err: TextIO, language: str) -> dict[str, Path]:
    """Each scene's card, rendered from the card template like the slate (the centre's name and what
    the scene is); a scene whose card cannot be rendered keeps the card's plain colour."""
    from studio.obs.needs import scene_cards

    pictures = {}
    for scene, (title_kk, title_ru) in scene_cards(rundown.segments).items():
        data = {"title_kk": title_kk, "title_ru": title_ru}
        picture = _rendered("card", data, config, "cli.note.no_card", err, language)
        if picture is not None:
            pictures[scene] = picture
    return pictures


def _rendered(
    template: str, data: dict[str, Any], config: Any, note: str, err: TextIO, language: str
) -> Path | None:
    """A graphic rendered for OBS to show (the station's templates first, into its graphics folder), or None
    with a note on stderr saying why."""
    try:
        from studio.graphics import Renderer  # Pillow and the templates: ~0.5 s, only here

        renderer = Renderer(template_folders(config.graphics.templates), graphics_dir(config.graphics.out))
        return renderer.render(template, data).png.resolve()
    except Exception as error:  # what OBS shows without the picture is complete, only plainer
        from studio.diagnostics import DiagnosticsError

        said = error.render(language) if isinstance(error, (DiagnosticsError, StudioError)) else str(error)
        detail = f"{type(error).__name__}: {said}"
        print(f"studio: note: {Msg(note, detail=detail).render(language)}", file=err)
        return None
