"""``studio render TEMPLATE [--data FILE] [--fact ID] [--out PNG] [--size WxH]``: one graphic, by hand, written
to ``--out`` or into the graphics folder the show uses (``studio locate``).

The same path as the show: the same templates, sanitising, fitting and the
same gate. A fact is named by id (``--fact``) and must be verified (a
debunk card: found false) in the store the command is given; no option
takes a fact's words as text.
"""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any, TextIO
from zoneinfo import ZoneInfo

from studio.canvas import Size
from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.errors import report
from studio.graphics import Folders, template_search
from studio.graphics.errors import DataError, GraphicsError
from studio.graphics.gate import FactSource
from studio.graphics.output import write
from studio.graphics.render import draw, prepare
from studio.graphics.resolve import ZONE
from studio.graphics.template import Template, load_template, template_files
from studio.i18n import FALLBACK, Msg
from studio.tomlcheck import TomlCheck, read_text
from studio.paths import graphics_dir
from studio.tomlpos import TomlLocator


def _template(name: str, folders: tuple[Path, ...]) -> Template:
    if name.endswith(".toml") or "/" in name:
        return load_template(Path(name))
    files = template_files(*folders)
    if name not in files:
        known = ", ".join(sorted(files)) or Msg("diag.template.none")
        looked = ", ".join(str(folder / f"{name}.toml") for folder in folders)
        raise GraphicsError(name, Msg("diag.graphics.no_template", path=looked),
                            Msg("diag.graphics.hint.templates", known=known))
    return load_template(files[name])


def _read_data(path: Path) -> tuple[dict[str, Any], str]:
    text = read_text(path, Msg("diag.what.data_file"), Msg("diag.hint.check_path"))
    if path.suffix.lower() == ".json":
        try:
            data = json.loads(text)
        except json.JSONDecodeError as error:
            raise DiagnosticsError([Diagnostic(path, error.lineno, error.colno, Msg("diag.json_syntax", detail=error.msg),
                                               Msg("diag.hint.json_syntax"))]) from None
    else:
        data = TomlCheck(path, text).table
    if not isinstance(data, dict):
        raise DiagnosticsError([Diagnostic(path, 1, 0, Msg("diag.graphics.data_not_table"),
                                           Msg("diag.graphics.hint.data_not_table"))])
    return data, text


def load_for_command(name: str, data_path: Path | None, overlays: Folders | None) -> tuple[Template, dict[str, Any]]:
    """The template (by name, or a path) and the fields of the data file (none without one)."""
    loaded = _template(name, template_search(overlays))
    return loaded, (_read_data(Path(data_path))[0] if data_path is not None else {})


def _fact_field(template: Template) -> str:
    names = [n for n, spec in template.fields.items() if spec.type in ("fact", "debunk")]
    if len(names) != 1:
        message = (Msg("diag.graphics.fact_none") if not names
                   else Msg("diag.graphics.fact_several", fields=", ".join(names)))
        raise GraphicsError(template.name, message, Msg("diag.graphics.hint.fact_field"))
    return names[0]


def render_command(
    template: str,
    data_path: Path | None,
    fact_id: str | None,
    out: Path | None,
    fact_source: FactSource | None,
    *,
    overlays: Folders | None = None,
    graphics: Path | None = None,
    zone: ZoneInfo = ZONE,
    now: datetime | None = None,
    stdout: TextIO | None = None,
    stderr: TextIO | None = None,
    language: str = FALLBACK,
    canvas: Size | None = None,
) -> int:
    """Render one graphic for ``canvas`` (OBS's size; None: the template's own) to ``out``, else into
    ``graphics`` (default: studio/paths.py ``graphics_dir``); print where it went. Exit status: 0, or 2 with
    the reason on stderr, in ``language`` (kk, ru, en: studio's ``--lang``...)."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    text = ""
    try:
        loaded = _template(template, template_search(overlays))
        data: dict[str, Any] = {}
        if data_path is not None:
            data, text = _read_data(Path(data_path))
        if fact_id is not None:
            name = _fact_field(loaded)
            if name in data:
                raise GraphicsError(loaded.name, Msg("diag.graphics.fact_twice", field=name, path=str(data_path)),
                                    Msg("diag.graphics.hint.fact_twice"))
            data[name] = fact_id
        if out is not None and Path(out).suffix.lower() != ".png":
            raise GraphicsError(loaded.name, Msg("diag.graphics.out_not_png", out=str(out)),
                                Msg("diag.graphics.hint.out_not_png"))
        record = Path(out).with_suffix(".json") if out is not None else None
        if record is not None and data_path is not None and record.resolve() == Path(data_path).resolve():
            # The record is written beside the PNG under the same name: it would replace the data it came from.
            raise GraphicsError(loaded.name, Msg("diag.graphics.out_over_data", out=str(out), data=str(data_path)),
                                Msg("diag.graphics.hint.out_over_data"))
        try:
            prepared = prepare(loaded, data, fact_source, now=now, zone=zone, canvas=canvas)
        except DataError as error:
            if data_path is not None and text and error.field in data and not str(data_path).endswith(".json"):
                line, column = TomlLocator(text).find((error.field,))
                message = Msg("diag.graphics.in_template", template=loaded.name, message=error.reason)
                raise DiagnosticsError([Diagnostic(Path(data_path), line, column, message, error.hint)]) from None
            raise
        rendered = draw(prepared)
        written = write(rendered, graphics or graphics_dir(), path=Path(out) if out is not None else None)
    except DiagnosticsError as error:
        print(error.render(language), file=stderr)
        return 2
    except GraphicsError as error:
        return report(error, language, stderr)
    p, size = written.placement, prepared.template.canvas
    said = Msg("cli.render.wrote", png=str(written.png), width=p.width, height=p.height, x=p.x, y=p.y,
               canvas=f"{size.width}x{size.height}", sidecar=str(written.sidecar))
    print(said.render(language), file=stdout)
    return 0
