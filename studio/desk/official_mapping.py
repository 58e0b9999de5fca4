"""The import mappings of official figures: where each figure is in a file, and how it is printed.

``studio import-turnout FILE --mapping M`` and ``studio import-results FILE --mapping M``
read them. The shipped ``turnout_mapping.toml`` and ``results_mapping.toml`` beside this
module document every key and are exactly the defaults (a test holds them together), as
``mapping.toml`` is for observer reports; a user's mapping names only what differs, and an
unknown key is refused with the nearest valid one.
"""

from __future__ import annotations

from enum import StrEnum
from functools import partial
from pathlib import Path
from typing import Annotated, Literal, TypeVar
from zoneinfo import ZoneInfo

from pydantic import BeforeValidator, Field, model_validator

from studio.desk.mapping import Codec
from studio.desk.published import Side, bound_words
from studio.desk.text import name_key
from studio.i18n import Msg
from studio.settings_file import read_settings
from studio.validated import Strict, parse_zone


class Measure(StrEnum):
    """A line of the final result."""

    REGISTERED = "registered"
    TOOK_PART = "took_part"
    TURNOUT_PERCENT = "turnout_percent"
    YES = "yes"
    YES_PERCENT = "yes_percent"
    NO = "no"
    NO_PERCENT = "no_percent"
    INVALID = "invalid"
    NOT_COUNTED = "not_counted_both_marked"


PERCENTS = frozenset((Measure.TURNOUT_PERCENT, Measure.YES_PERCENT, Measure.NO_PERCENT))
"""Results lines that are percents; the others are counts of people or ballots."""


class OfficialMapping(Strict):
    """What every file of official figures shares: its text and how its numbers are printed."""

    encoding: Codec = Field(default="utf-8-sig", description="a Python codec name such as utf-8-sig or cp1251")
    delimiter: str = Field(default=",", min_length=1, max_length=1, description="one character")
    decimal_mark: Literal[".", ","] = Field(default=".", description="\".\" (19.21) or \",\" (19,21)")
    source: str = Field(default="", description="the page every row was read from, for a file without a source column")


class TurnoutColumns(Strict):
    local_time: str = Field(default="local_time", description="the release's time, or its hour alone (hours_only)")
    region: str = Field(default="region", description="a region id or name, or the whole country")
    turnout_percent: str = Field(default="turnout_percent", description="the percent, or a bound such as «более 40%»")
    voters: str = Field(default="voters", description="how many have voted; may be missing")
    registered: str = Field(default="registered", description="how many are on the lists; may be missing")
    source: str = Field(default="source", description="the page the figure was read from; may be missing with source")


class Bounds(Strict):
    above: tuple[str, ...] = Field(
        default=("более", "свыше", "больше", "астам", "артық", "жоғары", "over", "more than", "above", ">"),
        description="words that say «more than»",
    )
    below: tuple[str, ...] = Field(
        default=("менее", "меньше", "кем", "төмен", "under", "less than", "below", "<"),
        description="words that say «less than»",
    )

    @model_validator(mode="after")
    def _one_side_each(self) -> Bounds:
        both = {name_key(word) for word in self.above} & {name_key(word) for word in self.below}
        if both:
            raise ValueError(Msg("diag.official.bound_both", words=", ".join(sorted(map(repr, both)))))
        return self

    def words(self) -> dict[str, Side]:
        return bound_words(self.above, self.below)


class TurnoutMapping(OfficialMapping):
    time_zone: Annotated[ZoneInfo, BeforeValidator(partial(parse_zone, refusal="diag.mapping.zone"))] = Field(
        default=ZoneInfo("Asia/Almaty"), description="an IANA zone such as Asia/Almaty"
    )
    time_format: str = Field(default="", description="a strptime format, or empty for ISO 8601")
    hours_only: bool = Field(default=False, description="true: the time column holds the hour alone, such as 10:00")
    national: tuple[str, ...] = Field(
        default=("national", "Казахстан", "Қазақстан", "Kazakhstan", "по республике", "республика бойынша"),
        description="what the region column says for the whole country",
    )
    columns: TurnoutColumns = TurnoutColumns()
    bounds: Bounds = Bounds()


class ResultsColumns(Strict):
    item: str = Field(default="item", description="which line of the result: registered, took_part, yes, ...")
    value: str = Field(default="value", description="the figure")
    source: str = Field(default="source", description="the page the figure was read from; may be missing with source")


_ITEM_WORDS = {
    Measure.REGISTERED: ("зарегистрировано", "в списках", "тізімде"),
    Measure.TOOK_PART: ("приняли участие", "проголосовали", "қатысты", "дауыс берді"),
    Measure.TURNOUT_PERCENT: ("явка", "turnout", "келу", "сайлаушылардың келуі"),
    Measure.YES: ("за", "иә"),
    Measure.NO: ("против", "жоқ"),
    Measure.INVALID: ("недействительные", "жарамсыз"),
}
"""Common spellings of results lines beyond their ids (the mapping's ``[items]`` adds more)."""


class ResultsMapping(OfficialMapping):
    columns: ResultsColumns = ResultsColumns()
    items: dict[str, Measure] = Field(default={}, description="spelling = registered, took_part, yes, ...")

    def item_lookup(self) -> dict[str, Measure]:
        """Every accepted spelling, folded (studio/desk/text.py name_key), with its line."""
        table = {name_key(measure.value): measure for measure in Measure}
        table |= {name_key(word): measure for measure, words in _ITEM_WORDS.items() for word in words}
        return table | {name_key(spelling): measure for spelling, measure in self.items.items()}


TURNOUT_FILE = Path(__file__).with_name("turnout_mapping.toml")
RESULTS_FILE = Path(__file__).with_name("results_mapping.toml")

Model = TypeVar("Model", bound=OfficialMapping)


def load_official_mapping(path: Path | None, model: type[Model]) -> Model:
    """The mapping in ``path``; with None, the default. Errors: DiagnosticsError naming FILE:LINE and the key."""
    if path is None:
        return model()
    return read_settings(Path(path), model, what="mapping")
