"""Data to on-air strings: the schema check, the gate, and the placeholders' values.

Everything a graphic will print is decided here, before a pixel is drawn,
so the content hash (the file name) and the sidecar describe exactly what
is on screen. Nothing here touches files or the network.
"""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field
from datetime import UTC, datetime, time
from typing import Any, Mapping
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from studio.diagnostics import nearest_hint
from studio.graphics.errors import DataError, FactRefused, TextRejected
from studio.graphics.gate import Credit, FactSource, FactView, TurnoutBoard, admit, percent_text, turnout_board
from studio.graphics.results import STAGES, ResultsBoard, board_values, results_board
from studio.graphics.sanitize import Rejection, clean
from studio.graphics.schema import CLOCK_OFF, PLACEHOLDER, RESULTS_IN_EACH_LANGUAGE, TurnoutMap, TurnoutTable
from studio.graphics.template import FieldSpec, Template
from studio.i18n import Msg
from studio.machine import utc_now
from studio.regions import regions
from studio.validated import parse_clock

ZONE = ZoneInfo("Asia/Almaty")
FACT_ID_MAX = 128


@dataclass(frozen=True)
class Resolved:
    values: dict[str, str]  # "name", "region.kk", "fact.claim_ru" ... -> text to print
    data: dict[str, Any]  # the input data, normalised and JSON-able
    facts: tuple[dict[str, Any], ...] = ()  # provenance of every fact shown
    boards: dict[str, TurnoutBoard] = field(default_factory=dict)
    withheld: tuple[dict[str, Any], ...] = ()  # facts looked at but not shown (not verified)
    results: dict[str, ResultsBoard] = field(default_factory=dict)

    def get(self, name: str, attribute: str = "") -> str | None:
        return self.values.get(f"{name}.{attribute}" if attribute else name)


def source_label(source: str) -> str:
    """A source as a viewer reads it: the site's host for a URL, else the name as given."""
    try:
        parts = urlsplit(source.strip())
    except ValueError:  # "http://[x": no address, so the name as given
        return source.strip()
    if parts.scheme in ("http", "https") and parts.hostname:
        host = parts.hostname
        return host[4:] if host.startswith("www.") else host.removeprefix("m.")
    return source.strip()


COMMISSION = {"kk": "ОРК / ЦРК", "ru": "ЦРК"}
"""The referendum commission on air; the Kazakh line of a bilingual graphic names it both ways."""
VIA = {"kk": "{outlets} арқылы", "ru": "через {outlets}"}
SOURCES_SHOWN = 3
VERDICT = {"false": "ЖАЛҒАН · НЕПРАВДА", "retracted": "ТҮЗЕТУ · ПОПРАВКА"}
"""A debunk card's badge: a claim found false, or the centre's own report it retracted and corrects."""
OBSERVERS = {"kk": "бақылаушылар ({count})", "ru": "наблюдатели ({count})"}
"""The centre's own observers on a source line: how many stand behind the fact."""
CHECKING = {"kk": "тексерілуде", "ru": "проверяется"}
"""A turnout board's row for a region whose figure is not verified yet: the word, never the number."""
COVERAGE = {
    "kk": ("Өңірлер: {shown} / {total}", "ұсталды, дереккөздер сәйкес емес: {regions}", "дерек жоқ: {regions}"),
    "ru": ("Регионы: {shown} из {total}", "задержаны, источники расходятся: {regions}", "нет данных: {regions}"),
}
"""A turnout board's footer in the language of its table: how many regions it shows, which are held in a
conflict and which have no figure, so no region is a silent gap."""
REGIONS_NAMED = 3
COVERAGE_MAX = 240  # three regions named of each kind, the longest names: about 200 characters


def credits_of(view: FactView) -> tuple[Credit, ...]:
    """How the source line names a view's sources: its credits, else each source by name."""
    return view.credits or tuple(Credit(source_label(s)) for s in view.sources if s.strip())


def sources_text(credits: tuple[Credit, ...], language: str = "kk") -> str:
    """The source line: the commission first («ОРК / ЦРК, nur.kz арқылы», «ЦРК, через nur.kz» when
    outlets quote it), then other sources by name, three at most and "+N" for the rest."""
    own = any(c.commission and not c.outlet for c in credits)
    via = list(dict.fromkeys(c.outlet for c in credits if c.commission and c.outlet))
    others = [o for o in dict.fromkeys(c.outlet for c in credits if not c.commission and c.outlet) if o not in via]
    shown_via = [] if own else via[:SOURCES_SHOWN]
    shown = others[: SOURCES_SHOWN - len(shown_via)]
    hidden = (0 if own else len(via) - len(shown_via)) + len(others) - len(shown)
    parts = []
    if own or shown_via:
        via_text = VIA[language].format(outlets=", ".join(shown_via))
        parts.append(COMMISSION[language] + (f", {via_text}" if shown_via else ""))
    observers = sum(c.observers for c in credits)
    if observers:
        parts.append(OBSERVERS[language].format(count=observers))
    return ", ".join(parts + shown) + (f" +{hidden}" if hidden else "")


def said(error: Exception) -> str:
    """What a ValueError says: its Msg when studio raised it with one, else its text."""
    first = error.args[0] if error.args else None
    return first if isinstance(first, Msg) else str(error)


def not_a_field(template: Template, key: str) -> DataError:
    """Data naming a field the template does not have, with the nearest one."""
    hint = nearest_hint(key, list(template.fields), "diag.graphics.hint.fields")
    return DataError(template.name, key, Msg("diag.graphics.not_a_field"), hint)


RENDERING_CLOCK = utc_now
"""A clock field with no time and no ``now`` given shows the time of rendering: the graphics commands
outside a show (`studio render`). The show's renderer always gives its own clock's time (``Renderer``)."""


def _json(value: Any) -> Any:
    return value.isoformat(timespec="minutes") if isinstance(value, time) else value


class _Resolver:
    def __init__(
        self, template: Template, data: Mapping[str, Any], facts: FactSource | None, now: datetime | None,
        zone: ZoneInfo,
    ) -> None:
        self.template = template
        self.data = data
        self.facts = facts
        self.now = now
        self.zone = zone
        self.values: dict[str, str] = {}
        self.provenance: list[dict[str, Any]] = []
        self.withheld: list[dict[str, Any]] = []
        self.boards: dict[str, TurnoutBoard] = {}
        self.results: dict[str, ResultsBoard] = {}

    def text(
        self, name: str, spec: FieldSpec, value: Any, *, language: str | None = None, max_length: int | None = None
    ) -> str:
        try:
            return clean(value, max_length=max_length or spec.max_length, language=language or spec.language,
                         covered=self.template.covered)
        except Rejection as rejection:
            raise TextRejected(self.template.name, name, rejection.message, rejection.hint) from None

    def local(self, instant: datetime) -> str:
        if instant.tzinfo is None:
            raise FactRefused(self.template.name, "?", Msg("diag.graphics.naive_time"),
                              Msg("diag.graphics.hint.naive_time"))
        return f"{instant.astimezone(self.zone):%H:%M}"

    def field(self, name: str, spec: FieldSpec, value: Any) -> Any:
        kind, template = spec.type, self.template.name
        if kind == "text":
            self.values[name] = text = self.text(name, spec, value)
            return text
        if kind == "choice":
            if value not in spec.choices:
                raise DataError(template, name, Msg("diag.graphics.not_a_choice", value=repr(value)),
                                Msg("diag.template.hint.choose_one", choices=", ".join(spec.choices)))
            self.values[name] = value
            return value
        if kind == "region":
            known = regions()
            if not isinstance(value, str) or value not in known:
                close = difflib.get_close_matches(str(value), list(known), n=2)
                guess = close[0] if len(close) < 2 else Msg("diag.graphics.either", first=close[0], second=close[1])
                raise DataError(template, name, Msg("diag.mapping.region", value=repr(value)),
                                Msg("diag.graphics.hint.region_guess", guess=guess) if close
                                else Msg("diag.graphics.hint.region"))
            region = known[value]
            for language in ("kk", "ru", "en"):
                self.values[f"{name}.{language}"] = self.text(name, spec, region.name(language), language="any")
            return value
        if kind == "clock":
            if value == CLOCK_OFF:
                return None  # the station shows no clock: the field is left out, as if optional and absent
            if value is None:
                instant = self.now or RENDERING_CLOCK()  # a caller with a clock of its own gives ``now``
                clock = instant.astimezone(self.zone).time()
            else:
                try:
                    clock = parse_clock(value)
                except ValueError as error:
                    raise DataError(template, name, said(error), Msg("diag.graphics.hint.clock")) from None
            self.values[name] = f"{clock:%H:%M}"
            return self.values[name]
        if kind in ("fact", "debunk"):
            fact_id = self.fact_id(name, value)
            view = admit(template, kind, fact_id, self.facts)
            self.fact(name, spec, kind, view)
            return fact_id
        if kind == "turnout":
            try:
                hour = parse_clock(value)
            except ValueError as error:
                raise DataError(template, name, said(error), Msg("diag.graphics.hint.hour")) from None
            board = turnout_board(template, hour, self.facts, regions())
            self.board(name, spec, board)
            return f"{hour:%H:%M}"
        if kind == "results":
            if value not in STAGES:
                raise DataError(template, name, Msg("diag.graphics.not_a_choice", value=repr(value)),
                                Msg("diag.template.hint.choose_one", choices=", ".join(STAGES)))
            self.result(name, spec, results_board(template, value, self.facts, regions()))
            return value
        raise AssertionError(kind)

    def fact_id(self, name: str, value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            raise DataError(self.template.name, name, Msg("diag.graphics.fact_id_not_text"),
                            Msg("diag.graphics.hint.fact_id_not_text"))
        try:
            return clean(value, max_length=FACT_ID_MAX)
        except Rejection as rejection:
            message = Msg("diag.graphics.fact_id", message=rejection.message)
            raise TextRejected(self.template.name, name, message, rejection.hint) from None

    def fact(self, name: str, spec: FieldSpec, kind: str, view: FactView) -> None:
        attributes = {
            "claim_kk": (view.claim_kk, "kk"), "claim_ru": (view.claim_ru, "ru"),
            "correction_kk": (view.correction_kk, "kk"), "correction_ru": (view.correction_ru, "ru"),
        }
        for attribute, (text, language) in attributes.items():
            if text:
                self.values[f"{name}.{attribute}"] = self.text(f"{name}.{attribute}", spec, text, language=language)
        if view.value is not None:
            self.values[f"{name}.value"] = self.text(f"{name}.value", spec, view.value)
        if kind == "debunk":
            self.values[f"{name}.verdict"] = VERDICT[view.status]
        self.sources(name, spec, credits_of(view))
        if view.verifier:
            self.values[f"{name}.verifier"] = self.text(f"{name}.verifier", spec, view.verifier)
        assert view.as_of is not None  # admit() requires it
        self.values[f"{name}.as_of"] = self.local(view.as_of)
        known = regions()
        if view.region in known:
            self.values[f"{name}.region_kk"] = known[view.region].kk
            self.values[f"{name}.region_ru"] = known[view.region].ru
        self.provenance.append(_provenance(name, view))

    def sources(self, name: str, spec: FieldSpec, credits: tuple[Credit, ...]) -> None:
        """``{name}.sources``: the line of a bilingual graphic; ``{name}.sources_ru``: in Russian only."""
        for key, language in ((f"{name}.sources", "kk"), (f"{name}.sources_ru", "ru")):
            self.values[key] = self.text(key, spec, sources_text(credits, language))

    def board(self, name: str, spec: FieldSpec, board: TurnoutBoard) -> None:
        self.boards[name] = board
        everything = (board.national, *board.rows)
        self.values[name] = f"{board.hour:%H:%M}"
        self.values[f"{name}.national"] = percent_text(board.national.value or "")
        self.sources(name, spec, tuple(c for v in everything for c in credits_of(v)))
        self.values[f"{name}.count"] = f"{len(board.rows)}/{len(regions())}"
        footer = coverage(board, board_language(self.template, name, self.data))
        self.values[f"{name}.coverage"] = self.text(f"{name}.coverage", spec, footer, max_length=COVERAGE_MAX)
        self.values[f"{name}.as_of"] = self.local(board.national.as_of) if board.national.as_of else self.values[name]
        self.provenance.extend(_provenance(name, view) for view in everything)
        self.withheld.extend(_provenance(name, view) for view in board.withheld)

    def result(self, name: str, spec: FieldSpec, board: ResultsBoard) -> None:
        self.results[name] = board
        latest = max((v.as_of for v in board.national.values() if v.as_of), default=None)
        as_of = self.local(latest) if latest else ""
        credits = tuple(c for v in board.stated for c in credits_of(v))
        language = board_language(self.template, name, self.data)
        values = board_values(board, language, as_of, sources_text(credits, language))
        for other in ("kk", "ru"):  # a bilingual graphic's words in each language: ``stage_kk`` ...
            said = values if other == language else board_values(board, other, as_of, sources_text(credits, other))
            values |= {f"{attribute}_{other}": said[attribute] for attribute in RESULTS_IN_EACH_LANGUAGE}
        for attribute, text in values.items():
            self.values[f"{name}.{attribute}"] = self.text(f"{name}.{attribute}", spec, text)
        self.values[name] = board.stage
        self.provenance.extend(_provenance(name, view) for view in board.stated)
        self.withheld.extend(_provenance(name, view) for view in board.withheld)


def coverage(board: TurnoutBoard, language: str) -> str:
    """The board's footer: «Регионы: 17 из 20 · задержаны, источники расходятся: Астана · нет данных: ...»,
    three regions named at most and "+N" for the rest."""
    shown, held, missing = COVERAGE.get(language, COVERAGE["kk"])  # another value: the choice field refuses it
    known = regions()

    def named(ids: tuple[str, ...]) -> str:
        names = ", ".join(known[region].name(language) for region in ids[:REGIONS_NAMED])
        return names + (f" +{len(ids) - REGIONS_NAMED}" if len(ids) > REGIONS_NAMED else "")

    parts = [shown.format(shown=len(board.rows), total=len(known))]
    parts += [said.format(regions=named(ids)) for said, ids in ((held, board.held), (missing, board.missing)) if ids]
    return " · ".join(parts)


def board_language(template: Template, name: str, data: Mapping[str, Any]) -> str:
    """The language a board's table or map names regions in: its own, or the choice field it names."""
    for box in template.boxes:
        if isinstance(box, (TurnoutTable, TurnoutMap)) and box.source == name:
            found = PLACEHOLDER.fullmatch(box.language)
            if found is None:
                return box.language
            field = template.fields[found[1]]
            return str(data.get(found[1], field.fallback) or "kk")
    return "kk"


def _provenance(name: str, view: FactView) -> dict[str, Any]:
    return {
        "field": name, "id": view.id, "version": view.version, "status": view.status, "value": view.value,
        "region": view.region,
        "sources": list(view.sources), "verifier": view.verifier,
        "as_of": view.as_of.astimezone(UTC).isoformat() if view.as_of else None,
    }


def resolve(
    template: Template,
    data: Mapping[str, Any],
    facts: FactSource | None = None,
    *,
    now: datetime | None = None,
    zone: ZoneInfo = ZONE,
) -> Resolved:
    """Check ``data`` against the template's fields, pass facts through the gate, and
    return every string the graphic will print. Raises GraphicsError subclasses."""
    if not isinstance(data, Mapping):
        raise DataError(template.name, "(data)", Msg("diag.graphics.data_not_fields", type=type(data).__name__),
                        Msg("diag.graphics.hint.data_not_fields"))
    unknown = [key for key in data if key not in template.fields]
    if unknown:
        raise not_a_field(template, str(unknown[0]))
    resolver = _Resolver(template, data, facts, now, zone)
    normalised: dict[str, Any] = {}
    for name, spec in template.fields.items():
        value = data.get(name, spec.fallback)
        if value is None and spec.type != "clock":
            if spec.required:
                raise DataError(template.name, name, Msg("diag.graphics.required"),
                                spec.description or Msg("diag.graphics.hint.required", field=name))
            continue
        if value is not None and not isinstance(value, (str, time)):
            raise DataError(template.name, name, Msg("diag.text.not_text", type=type(value).__name__),
                            Msg("diag.text.hint.not_text"))
        given = resolver.field(name, spec, value)
        if given is not None:
            normalised[name] = _json(given)
    return Resolved(resolver.values, normalised, tuple(resolver.provenance), resolver.boards,
                    tuple(resolver.withheld), resolver.results)
