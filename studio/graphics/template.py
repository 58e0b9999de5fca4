"""Templates as data: one TOML file per graphic in ``overlays/``.

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
clock        "HH:MM" local time; omitted: now, in Asia/Almaty    {NAME}
fact         a fact id; the gate requires status "verified"      {NAME.claim_kk} ... (ATTRIBUTES)
debunk       a fact id; the gate requires status "false"         {NAME.claim_kk} {NAME.correction_kk} ...
turnout      an hour "HH:MM"; verified official turnout then     {NAME} {NAME.national} ... + table
===========  ==================================================  ==========================

A template with a fact, debunk or turnout field may not also take free
text: what it states comes from the verification desk by id, or not at all.
"""

from __future__ import annotations

import difflib
import hashlib
import re
import tomllib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from studio.diagnostics import Diagnostic, DiagnosticsError, toml_syntax_error
from studio.graphics.fonts import REQUIRED, FontFile, font_file
from studio.graphics.sanitize import HARD_LIMIT, Rejection, clean
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
    TextBox,
    default_safe,
    parse_colour,
)
from studio.tomlpos import KeyPath, TomlLocator


_HINTS = {
    "version": "write version = 1 and raise it when the look changes",
    "canvas": "canvas = { width = 1920, height = 1080 }",
    "safe": "safe = { x = 96, y = 54, width = 1728, height = 972 } (90% title-safe)",
    "region": "region = { x = ..., y = ..., width = ..., height = ... } inside the canvas",
    "fonts": 'fonts = { bold = "NotoSans-Bold.ttf" } naming files in overlays/fonts/',
    "box": 'add [[box]] tables with kind = "rect", "text" or "turnout-table"',
    "type": "type is one of: " + ", ".join(ATTRIBUTES),
    "language": "language is one of: kk, ru, kk-latn, any",
    "kind": "kind is one of: " + ", ".join(BOX_KINDS),
    "align": "align is left, center or right",
    "valign": "valign is top, middle or bottom",
}


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


def _nearest(word: str, known: list[str]) -> str:
    close = difflib.get_close_matches(word, known, n=1)
    suggestion = f"did you mean '{close[0]}'? " if close else ""
    return f"{suggestion}known: {', '.join(known) or '(none)'}"


class _Loader:
    def __init__(self, path: Path, text: str) -> None:
        self.path = path
        self.text = text
        self.locator = TomlLocator(text)
        self.diagnostics: list[Diagnostic] = []

    def error(self, where: KeyPath, message: str, hint: str = "") -> None:
        line, column = self.locator.find(where)
        self.diagnostics.append(Diagnostic(self.path, line, column, message, hint))

    def validation(self, base: KeyPath, error: ValidationError, known: list[str]) -> None:
        for problem in error.errors():
            where = base + tuple(problem["loc"])
            names = ".".join(str(p) for p in where) or "file"
            message = problem["msg"].removeprefix("Value error, ")
            hint = next((_HINTS[str(p)] for p in reversed(where) if str(p) in _HINTS), "")
            if problem["type"] == "extra_forbidden":
                message, hint = "unknown key", _nearest(str(where[-1]), known)
            elif problem["type"] == "missing":
                message = "is missing"
            self.error(where, f"{names}: {message}", hint)

    def load(self) -> Template | None:
        try:
            raw = tomllib.loads(self.text)
        except tomllib.TOMLDecodeError as error:
            self.diagnostics.append(toml_syntax_error(self.path, error))
            return None
        name = self.path.stem
        if not NAME.match(name):
            self.error((), f"template name '{name}' (the file name) is not lower-case letters, digits and '-'",
                       "rename the file, e.g. lower-third.toml")
        try:
            top = TemplateIn.model_validate(raw)
        except ValidationError as error:
            self.validation((), error, list(TemplateIn.model_fields))
            top = None
        fields = self._fields(raw.get("fields") if isinstance(raw.get("fields"), dict) else {})
        boxes = self._boxes(raw.get("box") if isinstance(raw.get("box"), list) else [])
        if top is None:
            return None
        safe = top.safe or default_safe(top.canvas)
        canvas_area = Area(x=0, y=0, width=top.canvas.width, height=top.canvas.height)
        if not canvas_area.contains(top.region):
            self.error(("region",), "the region reaches outside the canvas",
                       f"keep x + width <= {top.canvas.width} and y + height <= {top.canvas.height}")
        if not canvas_area.contains(safe):
            self.error(("safe",), "the safe area reaches outside the canvas", _HINTS["safe"])
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
                self.error(where, f"field name '{name}' is not lower-case letters, digits and '_'",
                           "rename the field, e.g. [fields.role]")
                continue
            try:
                spec = FieldSpec.model_validate(body)
            except ValidationError as error:
                self.validation(where, error, list(FieldSpec.model_fields))
                continue
            if spec.type == "choice" and not spec.choices:
                self.error(where, f"fields.{name}: a choice field needs choices", 'write choices = ["kk", "ru"]')
            if spec.choices and spec.type != "choice":
                self.error(where + ("choices",), f"fields.{name}: only a choice field has choices", "remove choices")
            if spec.default is not None and spec.choices and spec.default not in spec.choices:
                self.error(where + ("default",), f"fields.{name}: default '{spec.default}' is not one of the choices",
                           f"choose one of: {', '.join(spec.choices)}")
            if spec.default is not None and spec.type in GATED_TYPES:
                self.error(where + ("default",), f"fields.{name}: a {spec.type} field cannot have a default",
                           "facts are named by the producer at air time, never assumed")
            fields[name] = spec
        return fields

    def _boxes(self, raw: list[Any]) -> list[tuple[int, Box]]:
        boxes: list[tuple[int, Box]] = []
        for index, body in enumerate(raw):
            where: KeyPath = ("box", index)
            kind = body.get("kind") if isinstance(body, dict) else None
            model = BOX_KINDS.get(kind) if isinstance(kind, str) else None
            if model is None:
                self.error(where + ("kind",), f"box {index + 1}: kind {kind!r} is not known", _HINTS["kind"])
                continue
            try:
                boxes.append((index, model.model_validate(body)))  # type: ignore[arg-type]
            except ValidationError as error:
                self.validation(where, error, list(model.model_fields))
        return boxes

    def _colors(self, raw: dict[str, str]) -> dict[str, RGBA]:
        colors: dict[str, RGBA] = {}
        for name, value in raw.items():
            parsed = parse_colour(value)
            if parsed is None:
                self.error(("colors", name), f"colors.{name}: {value!r} is not a colour",
                           'write "#RRGGBB" or "#RRGGBBAA" (AA = opacity, FF opaque)')
            else:
                colors[name] = parsed
        return colors

    def _fonts(self, raw: dict[str, str]) -> dict[str, FontFile]:
        folder = self.path.parent / "fonts"
        available = sorted(p.name for p in folder.glob("*.[ot]tf")) if folder.is_dir() else []
        fonts: dict[str, FontFile] = {}
        for name, filename in raw.items():
            where: KeyPath = ("fonts", name)
            if "/" in filename or "\\" in filename or filename.startswith("."):
                self.error(where, f"fonts.{name}: '{filename}' must be a file name in {folder}",
                           f"bundled fonts: {', '.join(available)}")
                continue
            path = folder / filename
            if not path.is_file():
                self.error(where, f"fonts.{name}: font file {path} not found",
                           f"put the font (with its licence) in {folder}/ or name one that is there; "
                           + _nearest(filename, available))
                continue
            try:
                font = font_file(path)
            except (OSError, ValueError) as error:
                self.error(where, f"fonts.{name}: cannot read {path}: {error}", "replace the file with a working .ttf")
                continue
            missing = font.missing(REQUIRED)
            if missing:
                self.error(where, f"fonts.{name}: {filename} has no glyphs for {missing!r}; they would print as boxes",
                           "use a font that covers Kazakh Cyrillic, Russian and Kazakh Latin (Noto Sans does)")
                continue
            fonts[name] = font
        return fonts

    def _colour_ref(self, where: KeyPath, ref: str, colors: dict[str, RGBA]) -> None:
        if ref not in colors and parse_colour(ref) is None:
            self.error(where, f"colour '{ref}' is not defined in [colors] nor a #RRGGBB value",
                       _nearest(ref, sorted(colors)))

    def _font_ref(self, where: KeyPath, ref: str, fonts: dict[str, FontFile], declared: list[str]) -> FontFile | None:
        if ref not in declared:
            self.error(where, f"font '{ref}' is not declared in [fonts]", _nearest(ref, declared))
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
            label = f"box {index + 1}" + (f" '{box.id}'" if box.id else "")
            if box.id:
                if box.id in seen:
                    self.error(where + ("id",), f"{label}: the id is used twice", "give every box its own id")
                seen.add(box.id)
            if not region.contains(box):
                self.error(where, f"{label}: reaches outside the region {region.x},{region.y} "
                           f"{region.width}x{region.height}", "move or shrink the box, or enlarge [region]")
            if isinstance(box, RectBox):
                self._colour_ref(where + ("fill",), box.fill, colors)
                if box.when is not None and box.when not in fields:
                    self.error(where + ("when",), f"{label}: when = '{box.when}' names no field",
                               _nearest(box.when, sorted(fields)))
                continue
            if not safe.contains(box):
                self.error(where, f"{label}: text reaches outside the title-safe area "
                           f"({safe.x},{safe.y} to {safe.right},{safe.bottom})",
                           "text must stay inside [safe]; only plain rectangles may bleed to the edge")
            smallest = box.smallest
            if smallest > box.size:
                self.error(where + ("min_size",), f"{label}: min_size {smallest} is larger than size {box.size}",
                           "min_size is how far the text may shrink; make it <= size")
            if smallest < MIN_TEXT_SIZE:
                self.error(where + ("min_size",), f"{label}: min_size {smallest} px is not legible on air",
                           f"use at least {MIN_TEXT_SIZE} px")
            if isinstance(box, TextBox):
                self._colour_ref(where + ("color",), box.color, colors)
                font = self._font_ref(where + ("font",), box.font, fonts, declared)
                need = box.max_lines * round(smallest * box.line_height)
                if box.height < need:
                    self.error(where + ("height",), f"{label}: {box.height} px cannot hold {box.max_lines} "
                               f"line(s) at {smallest} px", f"make height >= {need} or lower max_lines")
                for key in ("omit_if_same", "grow_into"):
                    ref = getattr(box, key)
                    if ref is not None and (ref not in ids or ref == box.id):
                        self.error(where + (key,), f"{label}: no other text box with id '{ref}'",
                                   _nearest(ref, sorted(ids - {box.id})))
                placeholders[position] = self._text(where + ("text",), label, box.text, fields, font)
            else:
                for key in ("color", "value_color", "bar", "track"):
                    self._colour_ref(where + (key,), getattr(box, key), colors)
                self._font_ref(where + ("font",), box.font, fonts, declared)
                self._font_ref(where + ("value_font",), box.value_font, fonts, declared)
                spec = fields.get(box.source)
                if spec is None or spec.type != "turnout":
                    self.error(where + ("source",), f"{label}: source '{box.source}' is not a turnout field",
                               "declare [fields.hour] type = \"turnout\" and write source = \"hour\"")
                language = box.language
                found = PLACEHOLDER.fullmatch(language)
                if found and not (fields.get(found[1]) and fields[found[1]].type == "choice" and not found[2]):
                    self.error(where + ("language",), f"{label}: '{language}' does not name a choice field",
                               'declare [fields.language] type = "choice" choices = ["kk", "ru"]')
                elif not found and language not in ("kk", "ru"):
                    self.error(where + ("language",), f"{label}: language '{language}' is not kk or ru",
                               'write language = "kk", "ru" or "{language}"')
        return placeholders

    def _raw_font_names(self) -> list[str]:
        try:
            fonts = tomllib.loads(self.text).get("fonts", {})
        except tomllib.TOMLDecodeError:
            return []
        return list(fonts) if isinstance(fonts, dict) else []

    def _text(
        self, where: KeyPath, label: str, text: str, fields: dict[str, FieldSpec], font: FontFile | None
    ) -> tuple[tuple[str, str], ...]:
        used: list[tuple[str, str]] = []
        for found in PLACEHOLDER.finditer(text):
            name, attribute = found[1], found[2] or ""
            spec = fields.get(name)
            if spec is None:
                self.error(where, f"{label}: {found[0]} names no field", _nearest(name, sorted(fields)))
                continue
            if attribute not in ATTRIBUTES[spec.type]:
                options = ", ".join("{" + name + (f".{a}" if a else "") + "}" for a in ATTRIBUTES[spec.type])
                self.error(where, f"{label}: {found[0]} is not available for a {spec.type} field",
                           f"use one of: {options}")
                continue
            used.append((name, attribute))
        literal = PLACEHOLDER.sub("", text)
        if "{" in literal or "}" in literal:
            self.error(where, f"{label}: stray brace in {text!r}", "placeholders look like {name} or {region.kk}")
        try:
            clean(literal, max_length=HARD_LIMIT, covered=font.cmap if font else None)
        except Rejection as rejection:
            self.error(where, f"{label}: literal text {rejection.message}", rejection.hint)
        return tuple(used)

    def _check_gated(self, fields: dict[str, FieldSpec]) -> None:
        gated = [n for n, s in fields.items() if s.type in GATED_TYPES]
        if not gated:
            return
        for name, spec in fields.items():
            if spec.type == "text":
                self.error(("fields", name, "type"),
                           f"fields.{name}: free text is not allowed in a template that states facts "
                           f"(it has {', '.join(gated)})",
                           "facts come from the verification desk by id; move free text to another template")


def parse_template(path: Path, text: str) -> Template:
    loader = _Loader(Path(path), text)
    template = loader.load()
    if loader.diagnostics or template is None:
        raise DiagnosticsError(sorted(loader.diagnostics, key=lambda d: (d.line, d.column)))
    return template


def load_template(path: Path) -> Template:
    """Read and check one template file; raise DiagnosticsError listing every problem."""
    path = Path(path)
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise DiagnosticsError([Diagnostic(path, 1, 0, f"cannot read the template: {error}",
                                           "check the path; templates are overlays/NAME.toml")]) from None
    return parse_template(path, text)


def load_templates(folder: Path) -> dict[str, Template]:
    """Every ``*.toml`` in ``folder`` by name; all problems in all files reported together."""
    templates: dict[str, Template] = {}
    problems: list[Diagnostic] = []
    for path in sorted(Path(folder).glob("*.toml")):
        try:
            templates[path.stem] = load_template(path)
        except DiagnosticsError as error:
            problems.extend(error.diagnostics)
    if problems:
        raise DiagnosticsError(problems)
    return templates
