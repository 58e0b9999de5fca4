"""``studio import-results FILE [--mapping M] --operator NAME``: the final result, as facts.

The file has one line of the result a row, shaped like
studio/sample/referendum-2026/referendum-2026-results.csv (``item,value,source``);
a mapping (studio/desk/results_mapping.toml) reads other column names, spellings
of the lines, decimal commas and grouped digits.

Each line becomes a fact in review (kind ``other``, the whole country, no
instant: the result is of the whole count), its figure as published in
``value`` and its line in ``detail["result"]``, with the row's page as its
source, typed as turnout's are (studio/desk/turnout.py ``quoting_source``). As
with turnout: the same figure from another page corroborates the fact, a
different one becomes a second fact and a warning, a second import adds
nothing, and a second person verifies. The lines are checked against each
other and against the lines the desk already holds (studio/desk/arithmetic.py);
a figure that does not add up is imported flagged, the arithmetic in its
detail and in a warning.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import datetime
from decimal import Decimal
from pathlib import Path
from typing import Callable

from studio.desk import rules
from studio.desk.arithmetic import CHECK, Failed, flagged_lines
from studio.desk.model import Claim, Draft, Fact, ReportKind, Status
from studio.desk.official_mapping import (
    PERCENTS,
    RESULTS_FILE,
    Measure,
    ResultsMapping,
    load_official_mapping,
)
from studio.desk.outcome import ImportSummary, Rejected, check_operator, digest, quarantine_rows, with_rejects_file
from studio.desk.published import Unreadable, address, count, percent
from studio.desk.rows import clean, csv_rows, encoding_problem, raw_text, read_text
from studio.desk.text import name_key
from studio.desk.turnout import ADDED, CORROBORATED, DUPLICATE, land, quoting_source
from studio.diagnostics import Diagnostic
from studio.i18n import Msg
from studio.machine import utc_now
from studio.store.desk import DeskStore

RESULT = "result"
"""The detail key naming a fact's line of the final result (a Measure)."""
MEASURES = frozenset(Measure)
FIELDS = ("item", "value", "source")
QUOTED = "final result"
"""The reference standing for the commission's own publication of the result, which a reprint quotes."""

_SAID = {  # the on-air words of each line: (Kazakh, Russian)
    Measure.REGISTERED: ("тізімге енгізілген сайлаушылар", "избирателей в списках"),
    Measure.TOOK_PART: ("дауыс беруге қатысқандар", "приняли участие в голосовании"),
    Measure.TURNOUT_PERCENT: ("сайлаушылардың келуі", "явка"),
    Measure.YES: ("«Иә» деп дауыс бергендер", "проголосовали «за»"),
    Measure.YES_PERCENT: ("«Иә» деп дауыс бергендер", "проголосовали «за»"),
    Measure.NO: ("«Жоқ» деп дауыс бергендер", "проголосовали «против»"),
    Measure.NO_PERCENT: ("«Жоқ» деп дауыс бергендер", "проголосовали «против»"),
    Measure.INVALID: ("жарамсыз бюллетеньдер", "недействительных бюллетеней"),
    Measure.NOT_COUNTED: ("екі жауабы да белгіленген, есепке алынбаған бюллетеньдер",
                          "не учтённых бюллетеней с отметками в обоих квадратах"),
}


def import_results(
    store: DeskStore,
    path: Path,
    *,
    operator: str,
    mapping: ResultsMapping | Path | None = None,
    rejects: Path | None = None,
    now: Callable[[], datetime] = utc_now,
) -> ImportSummary:
    """Import the final result in ``path``. Rejected rows go to the quarantine and to ``rejects``;
    file-level problems raise DiagnosticsError and change nothing."""
    path = Path(path)
    operator = check_operator(path, operator)
    if not isinstance(mapping, ResultsMapping):
        mapping = load_official_mapping(mapping, ResultsMapping)
    text, cleanly = read_text(path, mapping.encoding)
    columns = [getattr(mapping.columns, name) for name in FIELDS]
    required = columns[:2] if mapping.source else columns
    items = mapping.item_lookup()
    rejected: list[Rejected] = []
    good: list[tuple[int, str, Measure, Decimal, str]] = []
    for line, values, raw, problem, hint in csv_rows(
        path, text, columns, required, mapping.delimiter, mapping_file=RESULTS_FILE
    ):
        if values is not None and not cleanly and not all(clean(v) for v in values if v is not None):
            values, (problem, hint) = None, encoding_problem(mapping.encoding, "".join(v for v in values if v))
        if values is None:
            rejected.append(Rejected(line, problem, hint, raw_text(raw)))
            continue
        try:
            good.append((line, *_parse(values, mapping, items)))
        except Unreadable as bad:
            rejected.append(Rejected(line, bad.reason, bad.hint, raw_text(raw)))

    at = now()
    landings: Counter[str] = Counter()
    warnings: list[Diagnostic] = []
    said: set[str] = set()
    with store.write():
        # The lines the desk holds already count too: a file with one corrected line is checked against the rest.
        candidates: dict[Measure, list[Decimal]] = defaultdict(list)
        standing = (f for f in store.facts(kind=ReportKind.OTHER) if f.status not in (Status.FALSE, Status.RETRACTED))
        figures = [(Measure(f.details[RESULT]), f.value) for f in standing if f.details.get(RESULT) in MEASURES]
        for measure, value in [*figures, *((entry[2], entry[3]) for entry in good)]:
            if value is not None and value not in candidates[measure]:
                candidates[measure].append(value)
        flagged = flagged_lines(candidates)
        # The import log knows reports, the desk and "turnout": the commission's figures, its result included.
        batch = store.begin_batch("turnout", str(path), by=operator, at=at)
        known = store.known_keys([entry[1] for entry in good])
        seen: set[str] = set()
        for line, key, measure, value, url in good:
            if key in known or key in seen:
                landings[DUPLICATE] += 1
                continue
            seen.add(key)
            where = f"imported from {path.name}:{line}"
            existing = [f for f in result_facts(store, measure) if f.status not in (Status.FALSE, Status.RETRACTED)]
            source = quoting_source(store, url, QUOTED, "final result", operator, at)
            failed = flagged.get((measure, value), [])
            same = next((f for f in existing if f.value == value), None)
            fact, landed = land(
                store, same, source, lambda: _create(store, measure, value, failed, source.id, operator, at, where),
                where, operator, at,
            )
            landings[landed] += 1
            if landed == ADDED:
                warnings += [_disagreement(path, line, fact, other) for other in existing]
            for check in failed:
                if check.shown not in said:
                    said.add(check.shown)
                    warnings.append(_failed_check(path, line, check))
            store.add_keys([(key, "fact", fact.id, key)])
        rejected.sort(key=lambda r: r.line)
        quarantined = store.add_quarantine(quarantine_rows(path, rejected), batch=batch)
    summary = ImportSummary(
        path, landings[ADDED], landings[DUPLICATE], tuple(rejected), quarantined, corroborated=landings[CORROBORATED],
        warnings=tuple(warnings),
    )
    return with_rejects_file(summary, rejects)


def result_facts(store: DeskStore, measure: Measure) -> list[Fact]:
    """Every fact about ``measure``'s line of the final result, in any status, by id."""
    return [f for f in store.facts(kind=ReportKind.OTHER) if f.details.get(RESULT) == measure.value]


def claim(measure: Measure, value: Decimal) -> Claim:
    """The on-air sentence in Kazakh and Russian: digits grouped by thin spaces, a decimal comma."""
    kk, ru = _SAID[measure]
    if measure in PERCENTS:
        number = f"{value}%".replace(".", ",")
    else:
        number = f"{int(value):,}".replace(",", "\u202f")
    return Claim(kk=f"Референдум қорытындысы: {kk} — {number}", ru=f"Итоги референдума: {ru} — {number}")


def _create(
    store: DeskStore, measure: Measure, value: Decimal, failed: list[Failed], source_id: int, operator: str,
    at: datetime, where: str,
) -> Fact:
    detail: tuple[tuple[str, str], ...] = ((RESULT, measure.value),)
    if failed:
        detail += ((CHECK, "; ".join(check.shown for check in failed)),)
    draft = Draft(ReportKind.OTHER, claim(measure, value), None, None, value, None, detail)
    fact = store.create_fact(draft, by=operator, at=at, source_ids=[source_id], why=where)
    return store.change(
        fact.id, fact.version, rules.StartReview("official result imported; a second person verifies it"),
        by=operator, at=at,
    )


def _parse(values: tuple, mapping: ResultsMapping, items: dict[str, Measure]) -> tuple[str, Measure, Decimal, str]:
    item, text, url = (v.strip() if v else "" for v in values)
    columns = mapping.columns
    measure = items.get(name_key(item))
    if measure is None:
        raise Unreadable(
            Msg("diag.official.unknown_item", column=repr(columns.item), value=repr(item)),
            Msg("diag.official.hint.item", items=", ".join(Measure)),
        )
    if measure in PERCENTS:
        value = percent(text, columns.value, mapping.decimal_mark)
    else:
        whole = count(text, columns.value)
        if whole is None:
            raise Unreadable(Msg("diag.official.no_value", column=repr(columns.value)), Msg("diag.official.hint.count"))
        value = Decimal(whole)
    url = address(url or mapping.source, columns.source)
    return "result:" + digest("\x1f".join((measure.value, str(value), url))), measure, value, url


def _disagreement(path: Path, line: int, fact: Fact, other: Fact) -> Diagnostic:
    measure = fact.details[RESULT]
    return Diagnostic(
        path, line, 0,
        Msg("diag.official.results_differ", item=measure, value=str(fact.value), fact=fact.id,
            other_value=str(other.value), other=other.id, status=Msg(f"desk.status.{other.status.value}")),
        Msg("diag.official.hint.differ"),
    )


def _failed_check(path: Path, line: int, check: Failed) -> Diagnostic:
    return Diagnostic(path, line, 0, Msg("diag.official.check", check=check.shown),
                      Msg("diag.official.hint.check_results"))
