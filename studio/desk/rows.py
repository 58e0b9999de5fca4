"""Reading export files into rows with their line numbers.

A row that cannot be read (broken JSON, bytes that are not in the file's
encoding, a CSV row with the wrong number of fields) comes out with a
``problem`` and its raw text, so the importer can reject it and go on. Only
a file that cannot be read at all (missing, no header, required columns
absent, a JSON document that is not an array) raises DiagnosticsError.
"""

from __future__ import annotations

import csv
import io
import json
import re
from operator import itemgetter
from pathlib import Path
from typing import Any, Iterator, NamedTuple, Sequence

from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.i18n import Msg


class Row(NamedTuple):
    line: int
    values: tuple[str | None, ...] | None  # in the order asked; None when unreadable
    raw: Any  # the CSV fields (list) or the JSON text; see raw_text()
    problem: str = ""  # a Msg (English as a str) when there is one
    hint: str = ""


def raw_text(raw: Any) -> str:
    """The row as text for the quarantine: CSV re-quoted, JSON as written.
    Bytes that were not in the file's encoding appear as \\xNN escapes."""
    if isinstance(raw, list):
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="").writerow(raw[:-1] if raw and raw[-1] is None else raw)
        raw = buffer.getvalue()
    text = str(raw)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = text.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return text


def clean(text: str) -> bool:
    """False when ``text`` holds bytes that did not decode (surrogate escapes)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return True


def read_text(path: Path, encoding: str) -> tuple[str, bool]:
    """The file's text, and whether it decoded cleanly (if not, bad bytes are
    surrogate escapes, found row by row)."""
    try:
        data = Path(path).read_bytes()
    except OSError as error:
        message = Msg("diag.unreadable", what=Msg("diag.what.file"), reason=str(error.strerror or error))
        raise DiagnosticsError([Diagnostic(Path(path), 1, 0, message, Msg("diag.hint.check_path"))]) from None
    try:
        return data.decode(encoding), True
    except UnicodeDecodeError:
        return data.decode(encoding, "surrogateescape"), False


def encoding_problem(encoding: str, sample: str) -> tuple[str, str]:
    """Reason and hint for a row with bytes that are not ``encoding``."""
    hint = Msg("diag.import.hint.encoding")
    data = sample.encode("utf-8", "surrogateescape")
    try:
        decoded = data.decode("cp1251")
        if re.search("[А-Яа-яЁё]", decoded):
            hint = Msg("diag.import.hint.cp1251")
    except UnicodeDecodeError:
        pass
    return Msg("diag.import.encoding", encoding=encoding), hint


def csv_rows(
    path: Path, text: str, columns: Sequence[str], required: Sequence[str], delimiter: str, *, mapping_file: Path
) -> Iterator[Row]:
    """Rows of a CSV file with a header; ``columns`` are header names ('' or
    absent: None in the values). A row with more or fewer fields than the
    header is unreadable: its fields cannot be trusted to be in place. A
    required column that is missing refers to ``mapping_file``, the documented
    default mapping of the command (--mapping)."""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    try:
        header = next(reader)
    except StopIteration:
        raise DiagnosticsError([Diagnostic(path, 1, 0, Msg("diag.import.empty"), Msg("diag.import.hint.empty"))]) from None
    except csv.Error as error:
        raise DiagnosticsError(
            [Diagnostic(path, 1, 0, Msg("diag.import.header", detail=str(error)), Msg("diag.import.hint.check_file"))]
        ) from None
    names = [name.strip() for name in header]
    missing = [name for name in required if name not in names]
    if missing:
        raise DiagnosticsError(
            [
                Diagnostic(
                    path,
                    1,
                    0,
                    Msg("diag.import.no_column", columns=", ".join(repr(m) for m in missing)),
                    Msg("diag.import.hint.columns", header=", ".join(repr(n) for n in names), mapping=_shipped(mapping_file)),
                )
            ]
        )
    # A missing column reads the None appended to every row (index -1).
    positions = [names.index(name) if name and name in names else -1 for name in columns]
    pick, pad, width = itemgetter(*positions), -1 in positions, len(names)
    # Fast path: when no record spans several lines, csv reads them all at
    # once and record n is on line n + 2. Otherwise read record by record.
    try:
        records: list[list[str]] | None = list(reader)
    except csv.Error:
        records = None
    if records is not None and len(records) + 1 == text.count("\n") + (not text.endswith("\n")):
        for line, fields in enumerate(records, start=2):
            if len(fields) == width:
                if pad:
                    fields.append(None)  # type: ignore[arg-type]
                # A plain tuple, made as it is read (the hot path of a big import): the importer is done with
                # it before the next, and its memory serves that one.
                yield (line, pick(fields), fields, "", "")
            elif fields and not (len(fields) == 1 and not fields[0].strip()):
                yield _miscounted(line, fields, width)
        return
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=delimiter, strict=False)
    next(reader)
    previous = reader.line_num
    while True:
        try:
            fields = next(reader)
        except StopIteration:
            return
        except csv.Error as error:
            physical = text.splitlines()[previous : max(reader.line_num, previous + 1)]  # rare: split only here
            yield Row(
                previous + 1, None, "\n".join(physical), Msg("diag.import.bad_csv", detail=str(error)),
                Msg("diag.import.hint.check_row"),
            )
            previous = reader.line_num
            continue
        line, previous = previous + 1, reader.line_num
        if not fields or (len(fields) == 1 and not fields[0].strip()):
            continue
        if len(fields) != width:
            yield _miscounted(line, fields, width)
            continue
        if pad:
            fields.append(None)  # type: ignore[arg-type]
        yield (line, pick(fields), fields, "", "")


def _shipped(path: Path) -> str:
    """A file shipped in the package as the docs name it: studio/desk/mapping.toml."""
    return path.relative_to(Path(__file__).parents[2]).as_posix()


def _miscounted(line: int, fields: list[str], width: int) -> Row:
    return Row(
        line, None, fields, Msg("diag.import.field_count", fields=len(fields), width=width), Msg("diag.import.hint.quotes")
    )


def json_rows(path: Path, text: str, columns: Sequence[str], records: str, lines: bool) -> Iterator[Row]:
    """Objects of a JSON array, of the array under ``records``, or of JSON lines."""
    start = _skip_space(text, 0)
    if lines or (start < len(text) and text[start] == "{" and not records):
        yield from _json_lines(text, columns)
        return
    if records:
        found = re.compile(r'"' + re.escape(records) + r'"\s*:\s*\[').search(text)
        if not found:
            raise DiagnosticsError(
                [Diagnostic(path, 1, 0, Msg("diag.import.no_records", records=records), Msg("diag.import.hint.records"))]
            )
        start = found.end() - 1
    if start >= len(text) or text[start] != "[":
        line = text.count("\n", 0, start) + 1
        raise DiagnosticsError(
            [
                Diagnostic(path, line, 0, Msg("diag.import.not_array"), Msg("diag.import.hint.not_array"))
            ]
        )
    yield from _json_array(text, start + 1, columns)


_DECODER = json.JSONDecoder()
_NEXT_OBJECT = re.compile(r"\n[ \t]*\{")


def _json_array(text: str, position: int, columns: Sequence[str]) -> Iterator[Row]:
    line, counted = 1, 0

    def line_at(index: int) -> int:
        nonlocal line, counted
        line += text.count("\n", counted, index)
        counted = index
        return line

    while True:
        position = _skip_space(text, position)
        if position >= len(text) or text[position] == "]":
            return
        start = position
        try:
            value, position = _DECODER.raw_decode(text, start)
        except json.JSONDecodeError as error:
            # Go on at the next line that opens an object, or give up on the rest.
            resume = _NEXT_OBJECT.search(text, max(error.pos, start + 1))
            end = resume.start() + 1 if resume else len(text)
            yield Row(
                line_at(start),
                None,
                text[start:end].rstrip().rstrip(",]"),
                Msg("diag.import.bad_json_at", detail=error.msg, line=error.lineno, column=error.colno),
                Msg("diag.import.hint.bad_json_record"),
            )
            if resume is None:
                return
            position = end
            continue
        yield _json_row(line_at(start), value, text[start:position], columns)
        position = _skip_space(text, position)
        if position < len(text) and text[position] == ",":
            position += 1


def _json_lines(text: str, columns: Sequence[str]) -> Iterator[Row]:
    # JSON lines end at "\n" only: a text may hold U+2028 or U+0085 as they are, which splitlines() would cut at.
    for number, chunk in enumerate(text.split("\n"), start=1):
        if not chunk.strip():
            continue
        try:
            value = json.loads(chunk)
        except json.JSONDecodeError as error:
            yield Row(
                number, None, chunk, Msg("diag.import.bad_json_line", detail=error.msg, column=error.colno),
                Msg("diag.import.hint.bad_json_line"),
            )
            continue
        yield _json_row(number, value, chunk, columns)


def _json_row(line: int, value: Any, raw: str, columns: Sequence[str]) -> Row:
    if not isinstance(value, dict):
        return Row(line, None, raw, Msg("diag.import.not_object", type=type(value).__name__), "")
    return Row(line, tuple([_cell(value.get(name)) if name else None for name in columns]), raw)


def _cell(value: Any) -> str | None:
    """A JSON value as the text a CSV cell would hold."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return str(value)
    if isinstance(value, list) and all(isinstance(part, (str, dict)) for part in value) and value:
        # A chat export's formatted text: strings and {"type": ..., "text": ...} pieces.
        if any(isinstance(part, dict) for part in value):
            return "".join(part if isinstance(part, str) else str(part.get("text", "")) for part in value)
    return json.dumps(value, ensure_ascii=False)


def _skip_space(text: str, position: int) -> int:
    while position < len(text) and text[position] in " \t\r\n":
        position += 1
    return position
