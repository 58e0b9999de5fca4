"""The results board's gate and words: verified lines of the result that add up, and how they read on air.

A ``results`` field (results board) takes the stage of the count the board
announces, ``preliminary`` or ``final``: the commission says which it
published, the producer cues it, and the board prints it with the time of the
latest verdict and the sources. The lines come from the desk
(``ResultsSource.results``: every results line, in any status, each a
``FactView`` whose ``line`` names it, studio/desk/official_mapping.Measure).

The rule, in code and not in the template:

- the country's lines the board states (yes, no, took part, turnout, invalid;
  registered, the uncounted ballots and the published percents when the desk
  holds them) must each be ``"verified"``; a line that is anything else but
  settled away (false, retracted) refuses the board, a conflict naming the
  figures that disagree; a required line with no verified figure refuses it;
  two verified figures for one line refuse it (the desk settles, the board
  never picks);
- the verified lines must add up (studio/desk/arithmetic.py: yes + no +
  invalid + not counted = took part, each percent against its counts): the
  refusal writes the sums out;
- a region gets a line only when its yes, no, took part and invalid are
  verified, it has no line being checked, and its lines add up too; other regions are left
  out and listed as withheld in the sidecar.

Counts print with U+202F (narrow no-break space) between groups of three
digits and percents with a decimal comma: «7 954 667», «87,15%». U+202F, not
U+2009: it never breaks, so a count is never wrapped in two, and it is the
separator the desk's own claims use (studio/desk/results.py ``claim``).
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Iterable, Mapping, Protocol, Sequence, runtime_checkable

from studio.desk.arithmetic import results_failures
from studio.desk.official_mapping import PERCENTS, Measure
from studio.graphics.errors import FactRefused
from studio.graphics.gate import FactView, _refuse_status, status_said
from studio.i18n import Msg

STAGES = ("preliminary", "final")
VERIFIED = "verified"
SETTLED_AWAY = ("false", "retracted")
"""Statuses of a line the desk ruled out: ignored beside a verified figure, never shown."""
NATIONAL_LINES = (Measure.YES, Measure.NO, Measure.TOOK_PART, Measure.TURNOUT_PERCENT, Measure.INVALID)
REGION_LINES = NATIONAL_LINES[:3] + (Measure.INVALID,)  # enough to check that the region's lines add up
THIN = "\u202f"


@runtime_checkable
class ResultsSource(Protocol):
    """The desk's results lines, as the results board needs them."""

    def results(self) -> Sequence[FactView]:
        """Every fact that is a line of the result (``line`` set), in any status, any region."""
        ...


Lines = Mapping[Measure, FactView]


@dataclass(frozen=True, slots=True)
class ResultsBoard:
    stage: str  # "preliminary" or "final"
    national: Lines  # the country's verified lines
    regions: tuple[tuple[str, Lines], ...]  # regions with verified lines that add up, in the order of regions.toml
    withheld: tuple[FactView, ...]  # results lines looked at and not stated

    @property
    def stated(self) -> tuple[FactView, ...]:
        return (*self.national.values(), *(view for _, lines in self.regions for view in lines.values()))


def grouped(count: int) -> str:
    """A count as printed on air: «9 127 192», digits grouped by three with U+202F."""
    return f"{count:,}".replace(",", THIN)


def decimal_comma(number: Decimal) -> str:
    return str(number).replace(".", ",")


def figure(view: FactView) -> Decimal | None:
    try:
        number = Decimal(str(view.value).strip())
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() and number >= 0 else None


def share(lines: Lines, part: Measure, published: Measure) -> Decimal:
    """The percent of took part a line stands for: the commission's, else worked out to two places."""
    if published in lines:
        return figure(lines[published])  # type: ignore[return-value]
    took = figure(lines[Measure.TOOK_PART]) or Decimal(1)
    return (100 * figure(lines[part]) / took).quantize(Decimal("0.01"), ROUND_HALF_UP)  # type: ignore[operator]


def results_board(
    template: str, stage: str, source: object, known_regions: Iterable[str]
) -> ResultsBoard:
    """The verified result, checked line by line and as a whole; else FactRefused."""
    label = Msg("diag.results.board")
    if not isinstance(source, ResultsSource):
        raise FactRefused(template, label, Msg("diag.results.no_store"), Msg("diag.gate.hint.no_store_board"))
    order = {region: position for position, region in enumerate(known_regions)}
    by_place: dict[str, dict[Measure, list[FactView]]] = {}
    for view in source.results():
        if view.line not in tuple(Measure):
            continue  # a line the board does not know states nothing on it
        if view.region != "national" and view.region not in order:
            raise FactRefused(template, view.id, Msg("diag.gate.unknown_region", fact=view.id, region=repr(view.region)),
                              Msg("diag.gate.hint.unknown_region"))
        by_place.setdefault(view.region or "national", {}).setdefault(Measure(view.line), []).append(view)
    withheld: list[FactView] = []
    national = _national(template, by_place.pop("national", {}), withheld)
    regions = []
    for region in sorted(by_place, key=order.__getitem__):
        lines = _region(by_place[region], withheld)
        if lines is not None:
            regions.append((region, lines))
    return ResultsBoard(stage, national, tuple(regions), tuple(withheld))


def _national(template: str, found: dict[Measure, list[FactView]], withheld: list[FactView]) -> dict[Measure, FactView]:
    lines: dict[Measure, FactView] = {}
    for measure in Measure:
        views = found.get(measure, [])
        standing = [v for v in views if v.status not in SETTLED_AWAY]
        withheld += [v for v in views if v.status in SETTLED_AWAY]
        for view in standing:
            if view.status != VERIFIED:
                raise _refuse_status(template, view, VERIFIED, Msg("diag.results.board"))
            if figure(view) is None or (measure in PERCENTS and figure(view) > 100):  # type: ignore[operator]
                raise FactRefused(template, view.id, Msg("diag.results.not_figure", fact=view.id, line=measure.value,
                                                         value=repr(view.value)), Msg("diag.results.hint.not_figure"))
            if not view.sources:
                raise FactRefused(template, view.id, Msg("diag.gate.no_source", fact=view.id),
                                  Msg("diag.gate.hint.no_source"))
        values = {figure(v) for v in standing}
        if len(values) > 1:
            first, second = standing[0], next(v for v in standing if figure(v) != figure(standing[0]))
            raise FactRefused(template, second.id, Msg("diag.results.two_figures", line=measure.value, first=first.id,
                                                       first_value=first.value, second=second.id,
                                                       second_value=second.value), Msg("diag.gate.hint.two_figures"))
        if standing:
            lines[measure] = max(standing, key=lambda v: v.version)  # copies of one figure: the latest
        elif measure in NATIONAL_LINES:
            status = status_said(views[-1].status) if views else None
            message = (Msg("diag.results.line_status", line=measure.value, status=status) if status
                       else Msg("diag.results.line_missing", line=measure.value))
            raise FactRefused(template, Msg("diag.results.board"), message, Msg("diag.results.hint.line"))
    _adds_up(template, lines)
    return lines


def _region(found: dict[Measure, list[FactView]], withheld: list[FactView]) -> dict[Measure, FactView] | None:
    """A region's verified lines when they may be stated; else None, its lines withheld."""
    everything = [view for views in found.values() for view in views]
    standing = [v for v in everything if v.status not in SETTLED_AWAY]
    lines = {Measure(v.line): v for v in standing}
    stated = (
        all(v.status == VERIFIED and figure(v) is not None and v.sources for v in standing)
        and len(lines) == len(standing)  # two figures for one line: the desk settles it first
        and all(measure in lines for measure in REGION_LINES)
        and not results_failures({m: figure(v) for m, v in lines.items()})  # type: ignore[misc]
    )
    withheld += everything if not stated else [v for v in everything if v.status in SETTLED_AWAY]
    return lines if stated else None


def _adds_up(template: str, lines: Lines) -> None:
    failed = results_failures({measure: figure(view) for measure, view in lines.items()})  # type: ignore[misc]
    if failed:
        facts = ", ".join(dict.fromkeys(lines[m].id for check in failed for m in check.measures if m in lines))
        raise FactRefused(template, Msg("diag.results.board"),
                          Msg("diag.results.does_not_add_up", sums="; ".join(check.shown for check in failed),
                              facts=facts),
                          Msg("diag.results.hint.does_not_add_up"))


# The board's words, in the language of the board (on-air text, as the turnout board's CHECKING and COVERAGE).
WORDS = {
    "kk": {
        "title": "РЕФЕРЕНДУМ ҚОРЫТЫНДЫСЫ", "preliminary": "Алдын ала нәтиже", "final": "Түпкілікті нәтиже",
        "as_of": "сағат {time}", "yes": "ИӘ", "no": "ЖОҚ", "turnout": "Сайлаушылардың келуі",
        "took_part": "дауыс берді", "invalid": "Жарамсыз бюллетеньдер", "not_counted": "есепке алынбаған",
        "regions": "Өңірлер бойынша", "sources": "Дереккөз: {sources}",
    },
    "ru": {
        "title": "ИТОГИ РЕФЕРЕНДУМА", "preliminary": "Предварительные итоги", "final": "Окончательные итоги",
        "as_of": "на {time}", "yes": "ЗА", "no": "ПРОТИВ", "turnout": "Явка",
        "took_part": "проголосовали", "invalid": "Недействительные бюллетени", "not_counted": "не учтены",
        "regions": "По регионам", "sources": "Источник: {sources}",
    },
}


def words(language: str) -> dict[str, str]:
    return WORDS.get(language, WORDS["kk"])  # another value: the choice field refuses it


def count_text(view: FactView) -> str:
    return grouped(int(figure(view)))  # type: ignore[arg-type]


def board_values(board: ResultsBoard, language: str, as_of: str, sources: str) -> dict[str, str]:
    """Every text of the board but its region lines, keyed by attribute: «87,15%», «7 954 667» ..."""
    said, lines = words(language), board.national
    values = {
        "title": said["title"],
        "stage": f"{said[board.stage]} · {said['as_of'].format(time=as_of)}" if as_of else said[board.stage],
        "sources": said["sources"].format(sources=sources),
        "yes_label": said["yes"], "yes_percent": decimal_comma(share(lines, Measure.YES, Measure.YES_PERCENT)) + "%",
        "yes": count_text(lines[Measure.YES]),
        "no_label": said["no"], "no_percent": decimal_comma(share(lines, Measure.NO, Measure.NO_PERCENT)) + "%",
        "no": count_text(lines[Measure.NO]),
        "turnout_label": said["turnout"],
        "turnout": f"{decimal_comma(figure(lines[Measure.TURNOUT_PERCENT]))}% · "  # type: ignore[arg-type]
                   f"{said['took_part']} {count_text(lines[Measure.TOOK_PART])}",
        "invalid_label": said["invalid"],
        "invalid": count_text(lines[Measure.INVALID]) + (
            f" · {said['not_counted']} {count_text(lines[Measure.NOT_COUNTED])}"
            if Measure.NOT_COUNTED in lines else ""),
    }
    if board.regions:
        values["regions_title"] = said["regions"]
    return values


def region_row(lines: Lines, language: str) -> tuple[str, Decimal]:
    """One region's line: «ИӘ 87,15% · ЖОҚ 9,84%» and the yes share for its bar."""
    said = words(language)
    yes, no = share(lines, Measure.YES, Measure.YES_PERCENT), share(lines, Measure.NO, Measure.NO_PERCENT)
    return f"{said['yes']} {decimal_comma(yes)}% · {said['no']} {decimal_comma(no)}%", yes
