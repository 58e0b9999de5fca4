"""Templates as data: one TOML file per graphic in ``studio/overlays/`` (or a station's folder).

A template declares its canvas (1920x1080 unless it says otherwise), the
title-safe area that text must stay inside, the region of the canvas the
graphic draws (the PNG's size; OBS places it at the region's x, y), named
colours and fonts, the fields it takes with their schema, and the boxes it
draws. Everything is checked when the file loads, and every problem is
reported at once with file, line and what to fix (DiagnosticsError): a
broken template fails in `studio check` and in the tests, never on air.

Field types (``[fields.NAME] type = ...``):

===========  ==================================================  ==========================
type         value in the data                                   placeholders in box text
===========  ==================================================  ==========================
text         free text (sanitised; max_length, language)         {NAME}
choice       one of ``choices`` (e.g. a language)                {NAME}
region       a region id from studio/regions.toml                {NAME.kk} {NAME.ru} {NAME.en}
clock        "HH:MM" local time; omitted: now; "off": no time    {NAME}
fact         a fact id; the gate requires status "verified"      {NAME.claim_kk} ... (ATTRIBUTES)
debunk       a fact id; the gate requires status "false"         {NAME.claim_kk} {NAME.correction_kk} ...
turnout      an hour "HH:MM"; verified official turnout then     {NAME} {NAME.national} ... + table
results      "preliminary" or "final"; the verified result        {NAME.yes_percent} ... + table
===========  ==================================================  ==========================

A template with a fact, debunk, turnout or results field may not also take free
text: what it states comes from the verification desk by id, or not at all.
A text field may take its default from the interface catalogue in its own
language (``default_from = "onair.live"``, ``language = "kk"``): the
location bug's word for LIVE.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import BaseModel

from studio.diagnostics import Diagnostic, DiagnosticsError, nearest
from studio.graphics.fonts import REQUIRED, FontFile, font_file
from studio.graphics.sanitize import HARD_LIMIT, Rejection, clean
from studio.graphics.tilemap import layout_problems
from studio.i18n import Msg, messages
from studio.paths import shipped
from studio.graphics.schema import (
    ATTRIBUTES,
    BOX_KINDS,
    GATED_TYPES,
    MIN_TEXT_SIZE,
    NAME,
    PLACEHOLDER,
    RENDERER_VERSION,
    RGBA,
    Area,
    Box,
    Canvas,
    FieldSpec,
    RectBox,
    TemplateIn,
    TurnoutMap,
    TextBox,
    default_safe,
    parse_colour,
)
from studio.tomlcheck import TomlCheck, read_text
from studio.tomlpos import KeyPath


_HINTED = ("version", "canvas", "safe", "region", "fonts", "box", "type", "language", "kind", "align", "valign")
"""Keys whose problems get a hint: catalogue ``diag.template.hint.<key>``."""


def _hint(key: str) -> Msg:
    if key == "type":
        return Msg("diag.template.hint.type", types=", ".join(ATTRIBUTES))
    if key == "kind":
        return Msg("diag.template.hint.kind", kinds=", ".join(BOX_KINDS))
    return Msg(f"diag.template.hint.{key}")


def _in(name: str, message: Msg) -> Msg:
    """``NAME: MESSAGE``: a problem of one key, field or box."""
    return Msg("diag.setting", name=name, message=message)


@dataclass(frozen=True)
class Template:
    name: str
    path: Path
    version: int
    description: str
    canvas: Canvas
    safe: Area
    region: Area
    colors: dict[str, RGBA]
    fonts: dict[str, FontFile]
    fields: dict[str, FieldSpec]
    boxes: tuple[Box, ...]
    sha256: str  # of the template file, its fonts and the renderer version: any change, new file names
    placeholders: dict[int, tuple[tuple[str, str], ...]] = field(default_factory=dict)  # box index -> (field, attr)
    covered: frozenset[int] = frozenset()  # code points every font of the template has glyphs for

    @property
    def gated(self) -> bool:
        """True when the template states facts, which must pass the gate."""
        return any(spec.type in GATED_TYPES for spec in self.fields.values())

    def color(self, ref: str) -> RGBA:
        return self.colors[ref] if ref in self.colors else parse_colour(ref)  # type: ignore[return-value]

    def font_path(self, name: str) -> Path:
        return self.fonts[name].path


@cache
def code_digest() -> str:
    """A hash of this package's source: a code change that alters pixels renames every file by itself."""
    digest = hashlib.sha256()
    for source in sorted(Path(__file__).parent.glob("*.py")):
        digest.update(source.name.encode() + b"\0" + source.read_bytes())
    return digest.hexdigest()


class _Loader(TomlCheck):
    """One template file: its tables checked by the schema's models, then the checks across sections."""

    LISTING = "diag.template.hint.known"

    def hint(self, model: type[BaseModel], where: KeyPath) -> str:
        return next((_hint(str(p)) for p in reversed(where) if str(p) in _HINTED), "")

    def load(self) -> Template | None:
        raw = self.table
        name = self.path.stem
        if not NAME.match(name):
            self.error((), Msg("diag.template.bad_name", name=name), Msg("diag.template.hint.rename_file"))
        top = self.validate(TemplateIn, raw)
        fields = self._fields(raw.get("fields") if isinstance(raw.get("fields"), dict) else {})
        boxes = self._boxes(raw.get("box") if isinstance(raw.get("box"), list) else [])
        if top is None:
            return None
        safe = top.safe or default_safe(top.canvas)
        canvas_area = Area(x=0, y=0, width=top.canvas.width, height=top.canvas.height)
        if not canvas_area.contains(top.region):
            self.error(("region",), Msg("diag.template.region_outside"),
                       Msg("diag.template.hint.inside_canvas", width=top.canvas.width, height=top.canvas.height))
        if not canvas_area.contains(safe):
            self.error(("safe",), Msg("diag.template.safe_outside"), _hint("safe"))
        colors = self._colors(top.colors)
        fonts = self._fonts(top.fonts)
        placeholders = self._check_boxes(boxes, fields, colors, fonts, top.region, safe)
        self._check_gated(fields)
        if self.diagnostics:
            return None
        digest = hashlib.sha256(f"renderer {RENDERER_VERSION} {code_digest()}\n".encode())
        digest.update(self.text.encode("utf-8"))
        for font in sorted(fonts.values(), key=lambda f: f.sha256):
            digest.update(font.sha256.encode())
        return Template(
            name=name, path=self.path, version=top.version, description=top.description, canvas=top.canvas,
            safe=safe, region=top.region, colors=colors, fonts=fonts, fields=fields,
            boxes=tuple(box for _, box in boxes), sha256=digest.hexdigest(), placeholders=placeholders,
            covered=frozenset.intersection(*(f.cmap for f in fonts.values())),
        )

    def _fields(self, raw: dict[str, Any]) -> dict[str, FieldSpec]:
        fields: dict[str, FieldSpec] = {}
        for name, body in raw.items():
            where: KeyPath = ("fields", name)
            if not re.match(r"^[a-z][a-z0-9_]*$", name):
                self.error(where, Msg("diag.template.bad_field_name", name=name), Msg("diag.template.hint.rename_field"))
                continue
            spec = self.validate(FieldSpec, body, where)
            if spec is None:
                continue
            label = f"fields.{name}"
            if spec.type == "choice" and not spec.choices:
                self.error(where, _in(label, Msg("diag.template.choice_needs_choices")),
                           Msg("diag.template.hint.write_choices"))
            if spec.choices and spec.type != "choice":
                self.error(where + ("choices",), _in(label, Msg("diag.template.choices_not_choice")),
                           Msg("diag.template.hint.remove_choices"))
            if spec.default is not None and spec.choices and spec.default not in spec.choices:
                self.error(where + ("default",), _in(label, Msg("diag.template.default_not_choice", default=spec.default)),
                           Msg("diag.template.hint.choose_one", choices=", ".join(spec.choices)))
            if spec.default_from is not None:
                self._default_from(where, label, spec)
            if spec.default is not None and spec.type in GATED_TYPES:
                self.error(where + ("default",), _in(label, Msg("diag.template.gated_default", type=spec.type)),
                           Msg("diag.template.hint.gated_default"))
            fields[name] = spec
        return fields

    def _default_from(self, where: KeyPath, label: str, spec: FieldSpec) -> None:
        """A default from the catalogue: a text field in kk or ru, naming a key the catalogue has."""
        if spec.type != "text" or spec.language not in ("kk", "ru") or spec.default is not None:
            self.error(where + ("default_from",), _in(label, Msg("diag.template.default_from_field")),
                       Msg("diag.template.hint.default_from_field"))
        elif spec.fallback is None:
            # the catalogue's ~1,300 keys are too many to list: the nearest one, or the one the bug uses
            close = nearest(str(spec.default_from), list(messages(spec.language))) or "onair.live"
            self.error(where + ("default_from",), _in(label, Msg("diag.template.default_from_key",
                                                                 key=spec.default_from)),
                       Msg("diag.template.hint.default_from_key", language=spec.language, nearest=close))

    def _boxes(self, raw: list[Any]) -> list[tuple[int, Box]]:
        boxes: list[tuple[int, Box]] = []
        for index, body in enumerate(raw):
            where: KeyPath = ("box", index)
            kind = body.get("kind") if isinstance(body, dict) else None
            model = BOX_KINDS.get(kind) if isinstance(kind, str) else None
            if model is None:
                self.error(where + ("kind",), _in(Msg("diag.template.box", number=index + 1),
                                                  Msg("diag.template.unknown_kind", kind=repr(kind))), _hint("kind"))
                continue
            box = self.validate(model, body, where)
            if box is not None:
                boxes.append((index, box))  # type: ignore[arg-type]
        return boxes

    def _colors(self, raw: dict[str, str]) -> dict[str, RGBA]:
        colors: dict[str, RGBA] = {}
        for name, value in raw.items():
            parsed = parse_colour(value)
            if parsed is None:
                self.error(("colors", name), _in(f"colors.{name}", Msg("diag.template.not_colour", value=repr(value))),
                           Msg("diag.template.hint.colour"))
            else:
                colors[name] = parsed
        return colors

    def _fonts(self, raw: dict[str, str]) -> dict[str, FontFile]:
        folder = self.path.parent / "fonts"
        if not folder.is_dir():  # a station's folder without fonts of its own uses the fonts studio ships
            folder = shipped("overlays", "fonts")
        available = sorted(p.name for p in folder.glob("*.[ot]tf")) if folder.is_dir() else []
        fonts: dict[str, FontFile] = {}
        for name, filename in raw.items():
            where: KeyPath = ("fonts", name)
            label = f"fonts.{name}"
            if "/" in filename or "\\" in filename or filename.startswith("."):
                self.error(where, _in(label, Msg("diag.template.font_not_a_name", file=filename, folder=str(folder))),
                           Msg("diag.template.hint.bundled_fonts", fonts=", ".join(available)))
                continue
            path = folder / filename
            if not path.is_file():
                self.error(where, _in(label, Msg("diag.template.font_not_found", path=str(path))),
                           Msg("diag.template.hint.font_not_found", folder=str(folder),
                               nearest=self.nearest(filename, available)))
                continue
            try:
                font = font_file(path)
            except (OSError, ValueError) as error:
                reason = error.args[0] if isinstance(error, ValueError) and error.args and isinstance(
                    error.args[0], Msg) else str(error)
                self.error(where, _in(label, Msg("diag.template.font_unreadable", path=str(path), reason=reason)),
                           Msg("diag.template.hint.font_unreadable"))
                continue
            missing = font.missing(REQUIRED)
            if missing:
                self.error(where, _in(label, Msg("diag.template.font_glyphs", file=filename, missing=repr(missing))),
                           Msg("diag.template.hint.font_glyphs"))
                continue
            fonts[name] = font
        return fonts

    def _colour_ref(self, where: KeyPath, ref: str, colors: dict[str, RGBA]) -> None:
        if ref not in colors and parse_colour(ref) is None:
            self.error(where, Msg("diag.template.colour_undefined", ref=ref), self.nearest(ref, sorted(colors)))

    def _font_ref(self, where: KeyPath, ref: str, fonts: dict[str, FontFile], declared: list[str]) -> FontFile | None:
        if ref not in declared:
            self.error(where, Msg("diag.template.font_undeclared", ref=ref), self.nearest(ref, declared))
        return fonts.get(ref)

    def _check_boxes(
        self, boxes: list[tuple[int, Box]], fields: dict[str, FieldSpec], colors: dict[str, RGBA],
        fonts: dict[str, FontFile], region: Area, safe: Area,
    ) -> dict[int, tuple[tuple[str, str], ...]]:
        declared = list(fonts) + [n for n in self._raw_font_names() if n not in fonts]
        ids = {box.id for _, box in boxes if isinstance(box, TextBox) and box.id}
        seen: set[str] = set()
        placeholders: dict[int, tuple[tuple[str, str], ...]] = {}
        for position, (index, box) in enumerate(boxes):
            where: KeyPath = ("box", index)
            label = (Msg("diag.template.box_id", number=index + 1, id=box.id) if box.id
                     else Msg("diag.template.box", number=index + 1))
            if box.id:
                if box.id in seen:
                    self.error(where + ("id",), _in(label, Msg("diag.template.id_twice")), Msg("diag.template.hint.id_twice"))
                seen.add(box.id)
            if not region.contains(box):
                self.error(where, _in(label, Msg("diag.template.outside_region", x=region.x, y=region.y,
                                                 width=region.width, height=region.height)),
                           Msg("diag.template.hint.outside_region"))
            if isinstance(box, RectBox):
                self._colour_ref(where + ("fill",), box.fill, colors)
                if box.when is not None and box.when not in fields:
                    self.error(where + ("when",), _in(label, Msg("diag.template.when_no_field", when=box.when)),
                               self.nearest(box.when, sorted(fields)))
                continue
            if not safe.contains(box):
                self.error(where, _in(label, Msg("diag.template.outside_safe", x=safe.x, y=safe.y, right=safe.right,
                                                 bottom=safe.bottom)),
                           Msg("diag.template.hint.outside_safe"))
            smallest = box.smallest
            if smallest > box.size:
                self.error(where + ("min_size",), _in(label, Msg("diag.template.min_size_larger", min_size=smallest,
                                                                 size=box.size)),
                           Msg("diag.template.hint.min_size_larger"))
            if smallest < MIN_TEXT_SIZE:
                self.error(where + ("min_size",), _in(label, Msg("diag.template.min_size_small", min_size=smallest)),
                           Msg("diag.template.hint.min_size_small", least=MIN_TEXT_SIZE))
            if isinstance(box, TextBox):
                self._colour_ref(where + ("color",), box.color, colors)
                font = self._font_ref(where + ("font",), box.font, fonts, declared)
                need = box.max_lines * round(smallest * box.line_height)
                if box.height < need:
                    self.error(where + ("height",), _in(label, Msg("diag.template.height_small", height=box.height,
                                                                   lines=box.max_lines, size=smallest)),
                               Msg("diag.template.hint.height_small", need=need))
                for key in ("omit_if_same", "grow_into"):
                    ref = getattr(box, key)
                    if ref is not None and (ref not in ids or ref == box.id):
                        self.error(where + (key,), _in(label, Msg("diag.template.no_text_box", ref=ref)),
                                   self.nearest(ref, sorted(ids - {box.id})))
                placeholders[position] = self._text(where + ("text",), label, box.text, fields, font)
            else:
                for key in box.COLOURS:
                    self._colour_ref(where + (key,), getattr(box, key), colors)
                if isinstance(box, TurnoutMap):
                    for number, ref in enumerate(box.scale):
                        self._colour_ref(where + ("scale", number), ref, colors)
                    for key, message, hint in layout_problems(box):
                        self.error(where + (key,), _in(label, message), hint)
                self._font_ref(where + ("font",), box.font, fonts, declared)
                self._font_ref(where + ("value_font",), box.value_font, fonts, declared)
                spec = fields.get(box.source)
                if spec is None or spec.type != box.source_type:
                    self.error(where + ("source",), _in(label, Msg(f"diag.template.source_not_{box.source_type}", source=box.source)),
                               Msg(f"diag.template.hint.source_not_{box.source_type}"))
                language = box.language
                found = PLACEHOLDER.fullmatch(language)
                if found and not (fields.get(found[1]) and fields[found[1]].type == "choice" and not found[2]):
                    self.error(where + ("language",), _in(label, Msg("diag.template.language_not_choice",
                                                                     language=language)),
                               Msg("diag.template.hint.language_not_choice"))
                elif not found and language not in ("kk", "ru"):
                    self.error(where + ("language",), _in(label, Msg("diag.template.language_not_kk_ru",
                                                                     language=language)),
                               Msg("diag.template.hint.language_not_kk_ru"))
        return placeholders

    def _raw_font_names(self) -> list[str]:
        fonts = self.table.get("fonts", {})
        return list(fonts) if isinstance(fonts, dict) else []

    def _text(
        self, where: KeyPath, label: Msg, text: str, fields: dict[str, FieldSpec], font: FontFile | None
    ) -> tuple[tuple[str, str], ...]:
        used: list[tuple[str, str]] = []
        for found in PLACEHOLDER.finditer(text):
            name, attribute = found[1], found[2] or ""
            spec = fields.get(name)
            if spec is None:
                self.error(where, _in(label, Msg("diag.template.placeholder_no_field", placeholder=found[0])),
                           self.nearest(name, sorted(fields)))
                continue
            if attribute not in ATTRIBUTES[spec.type]:
                options = ", ".join("{" + name + (f".{a}" if a else "") + "}" for a in ATTRIBUTES[spec.type])
                self.error(where, _in(label, Msg("diag.template.placeholder_attribute", placeholder=found[0],
                                                 type=spec.type)),
                           Msg("diag.template.hint.use_one_of", options=options))
                continue
            used.append((name, attribute))
        literal = PLACEHOLDER.sub("", text)
        if "{" in literal or "}" in literal:
            self.error(where, _in(label, Msg("diag.template.stray_brace", text=repr(text))),
                       Msg("diag.template.hint.stray_brace"))
        try:
            clean(literal, max_length=HARD_LIMIT, covered=font.cmap if font else None)
        except Rejection as rejection:
            self.error(where, _in(label, Msg("diag.template.literal_text", reason=rejection.message)), rejection.hint)
        return tuple(used)

    def _check_gated(self, fields: dict[str, FieldSpec]) -> None:
        gated = [n for n, s in fields.items() if s.type in GATED_TYPES]
        if not gated:
            return
        for name, spec in fields.items():
            if spec.type == "text":
                self.error(("fields", name, "type"),
                           _in(f"fields.{name}", Msg("diag.template.free_text_gated", gated=", ".join(gated))),
                           Msg("diag.template.hint.free_text_gated"))


def parse_template(path: Path, text: str) -> Template:
    loader = _Loader(Path(path), text)
    return loader.finish(loader.load())


def load_template(path: Path) -> Template:
    """Read and check one template file; raise DiagnosticsError listing every problem."""
    path = Path(path)
    return parse_template(path, read_text(path, Msg("diag.what.template"), Msg("diag.template.hint.unreadable")))


def template_files(*folders: Path) -> dict[str, Path]:
    """Each ``*.toml`` by name, from the first of ``folders`` that has one of that name (a station's
    template replaces the shipped one); a folder that does not exist has none."""
    found: dict[str, Path] = {}
    for folder in folders:
        for path in sorted(Path(folder).glob("*.toml")):
            found.setdefault(path.stem, path)
    return found


def load_templates(*folders: Path) -> dict[str, Template]:
    """Every template of ``folders`` by name (see ``template_files``); all problems in all files reported
    together."""
    templates: dict[str, Template] = {}
    problems: list[Diagnostic] = []
    for name, path in sorted(template_files(*folders).items()):
        try:
            templates[name] = load_template(path)
        except DiagnosticsError as error:
            problems.extend(error.diagnostics)
    if problems:
        raise DiagnosticsError(problems)
    return templates
