"""The import mapping: where each report field is in an export.

The shipped ``mapping.toml`` beside this module documents every key and is
exactly the default (a test holds the two together). A user's mapping only
names what differs; unknown keys are refused with the nearest valid one.
"""

from __future__ import annotations

import codecs
from functools import cache, partial
from pathlib import Path
from typing import Annotated, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, BeforeValidator, Field, field_validator

from studio.desk.model import ReportKind
from studio.desk.text import name_key
from studio.diagnostics import nearest
from studio.i18n import Msg
from studio.regions import regions
from studio.settings_file import read_settings
from studio.validated import Strict, parse_zone


def _region_id(value: str) -> str:
    if value not in regions():
        close = nearest(value, list(regions()))
        if close:
            raise ValueError(Msg("diag.mapping.region_guess", value=repr(value), guess=repr(close)))
        raise ValueError(Msg("diag.mapping.region", value=repr(value)))
    return value


class Columns(Strict):
    id: str = Field(default="", description="the export's own row id; empty: none")
    observer: str = Field(default="observer", description="who sent the report")
    channel: str = Field(default="channel", description="form, bot, phone...; may be missing")
    received_at: str = Field(default="received_at", description="when it came in")
    region: str = Field(default="region", description="region id or name")
    station: str = Field(default="station", description="polling station number; may be missing")
    kind: str = Field(default="kind", description="turnout, violation, incident, queue or other")
    text: str = Field(default="text", description="what the observer wrote")
    attachments: str = Field(default="attachments", description="paths of photos or files; may be missing")


REQUIRED = ("observer", "received_at", "region", "kind", "text")


class Mapping(Strict):
    format: Literal["auto", "csv", "json", "jsonl"] = Field(default="auto", description="csv, json, jsonl or auto")
    encoding: str = Field(default="utf-8-sig", description="a Python codec name such as utf-8-sig or cp1251")
    delimiter: str = Field(default=",", min_length=1, max_length=1, description="one character")
    records: str = Field(default="", description="JSON key of the list of records")
    system: str = Field(default="", description="the form or bot whose ids the id column holds")
    channel: str = Field(default="form", min_length=1, description="the channel of rows without one")
    time_zone: Annotated[ZoneInfo, BeforeValidator(partial(parse_zone, refusal="diag.mapping.zone"))] = Field(
        default=ZoneInfo("Asia/Almaty"), description="an IANA zone such as Asia/Almaty"
    )
    time_format: str = Field(default="", description="a strptime format, or empty for ISO 8601")
    attachment_separator: str = Field(default=";", min_length=1, description="separator of attachment paths")
    columns: Columns = Columns()
    regions: dict[str, Annotated[str, AfterValidator(_region_id)]] = Field(
        default={}, description="spelling = region id"
    )
    kinds: dict[str, ReportKind] = Field(default={}, description="spelling = turnout, violation, ...")

    @field_validator("encoding")
    @classmethod
    def _known_codec(cls, value: str) -> str:
        try:
            codecs.lookup(value)
        except LookupError:
            raise ValueError(Msg("diag.mapping.encoding", value=repr(value))) from None
        return value

    def region_lookup(self) -> dict[str, str]:
        """Every accepted spelling (exact, and name_key-folded) -> region id."""
        table = dict(_builtin_regions())
        for spelling, region in self.regions.items():
            table[spelling] = table[name_key(spelling)] = region
        return table

    def kind_lookup(self) -> dict[str, str]:
        table = dict(_builtin_kinds())
        for spelling, kind in self.kinds.items():
            table[spelling] = table[name_key(spelling)] = kind.value
        return table


_KIND_WORDS = {
    ReportKind.TURNOUT: ("явка", "келу", "сайлаушылардың келуі", "қатысу", "turnout"),
    ReportKind.VIOLATION: ("нарушение", "бұзушылық", "бузушылык", "violation"),
    ReportKind.INCIDENT: ("инцидент", "оқиға", "происшествие", "incident"),
    ReportKind.QUEUE: ("очередь", "кезек", "queue"),
    ReportKind.PROTOCOL: ("протокол", "итоговый протокол", "қорытынды хаттама", "хаттама", "protocol"),
    ReportKind.OTHER: ("другое", "басқа", "прочее", "other"),
}


@cache
def _builtin_regions() -> dict[str, str]:
    table: dict[str, str] = {}
    ambiguous: set[str] = set()
    for region in regions().values():
        for spelling in (region.id, region.kk, region.ru, region.en):
            for key in (spelling, name_key(spelling)):
                if table.get(key, region.id) != region.id:
                    ambiguous.add(key)
                table[key] = region.id
    return {key: value for key, value in table.items() if key not in ambiguous}


@cache
def _builtin_kinds() -> dict[str, str]:
    table = {}
    for kind, words in _KIND_WORDS.items():
        for word in (kind.value, *words):
            table[word] = table[name_key(word)] = kind.value
    return table


DEFAULT_FILE = Path(__file__).with_name("mapping.toml")


def load_mapping(path: Path | None) -> Mapping:
    """The mapping in ``path``; with None, the default. Errors: DiagnosticsError."""
    if path is None:
        return Mapping()
    return read_settings(Path(path), Mapping, what="mapping")
