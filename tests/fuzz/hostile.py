"""Hostile input for the fuzz modules: values, mutations of a real table by key, raw text, and a TOML writer.

A mutation starts from a file studio ships (the sample rundown, config.toml, the
default mapping) so the examples get past the first check and reach deep: one or a
few keys at a time get a wrong type, a huge or negative number, a long or odd
Unicode string (NUL, RTL marks, combining marks, Kazakh letters), a deeply nested
value, or go missing; unknown keys appear and array elements are duplicated
(duplicate ids). Raw text mutations break the TOML itself.
"""

from __future__ import annotations

import copy
import math
import re
from datetime import date, datetime, time
from pathlib import Path
from typing import Any

from hypothesis import strategies as st

from studio.diagnostics import DiagnosticsError
from studio.i18n import LANGUAGES

ODD = (
    "\x00", "\u202e", "\u200f", "\u200b", "\ufeff", "\u0301", "\n", "\r", "\t", '"', "'", "\\", "{", "}", "[", "]",
    "=", "#", ".", ",", "Ә", "ғ", "Қ", "ң", "Ө", "ұ", "Ү", "һ", "І", "İ", "ı", "𝕏", "😀", "\u2028", "%", "$", "/",
)
"""Characters that have broken parsers, locators and renderers before."""

odd_text = st.text(alphabet=st.sampled_from(ODD) | st.characters(exclude_categories=("Cs",)), max_size=40)
hostile_text = st.one_of(
    odd_text,
    st.text(alphabet=st.sampled_from(ODD), min_size=1, max_size=8).map(lambda unit: unit * 2000),  # long
    st.sampled_from(["", " ", "national", "astana", "almaty", "5m", "24h", "25h", "10:00:00", "Asia/Almaty",
                     "../../../etc/passwd", "A" * 300, "udp://[::1", "http://[", "%s%n{0}{text}", "0", "-1", "1e309", "NaN"]),
)
hostile_int = st.one_of(
    st.integers(), st.sampled_from([0, -1, 1, 2**31, -(2**31), 2**63 - 1, -(2**63), 10**30, -(10**30)])
)
hostile_float = st.one_of(st.floats(), st.sampled_from([math.inf, -math.inf, math.nan, 1e308, -0.0, 5e-324]))
hostile_scalar = st.one_of(
    hostile_text, hostile_int, hostile_float, st.booleans(),
    st.dates(), st.times(), st.datetimes(), st.sampled_from([date.min, date.max, time.max, datetime.max]),
)


def nested(depth: int, leaf: Any = 1) -> Any:
    """``depth`` levels of tables and arrays around ``leaf``."""
    value = leaf
    for level in range(depth):
        value = [value] if level % 2 else {"k": value}
    return value


hostile_value = st.one_of(
    hostile_scalar,
    st.integers(min_value=2, max_value=40).map(nested),
    st.recursive(
        hostile_scalar,
        lambda inner: st.lists(inner, max_size=4) | st.dictionaries(hostile_text, inner, max_size=4),
        max_leaves=12,
    ),
)



def extreme_like(value: Any) -> st.SearchStrategy[Any]:
    """A value of ``value``'s own type at its edges: the checks of that type get past the type check."""
    if isinstance(value, bool):
        return st.booleans()
    if isinstance(value, int):
        return hostile_int
    if isinstance(value, float):
        return hostile_float
    if isinstance(value, datetime):
        return st.sampled_from([datetime.min, datetime.max]) | st.datetimes()
    if isinstance(value, date):
        return st.sampled_from([date.min, date.max, date(9999, 12, 30), date(1, 1, 2)]) | st.dates()
    if isinstance(value, time):
        return st.sampled_from([time.min, time.max, time(23, 59, 59)]) | st.times()
    if isinstance(value, str):
        return hostile_text
    return hostile_value


KeyPath = tuple[str | int, ...]


def key_paths(value: Any, path: KeyPath = ()) -> list[KeyPath]:
    """Every key and array element of ``value``, by its path."""
    found: list[KeyPath] = []
    items = value.items() if isinstance(value, dict) else enumerate(value) if isinstance(value, list) else ()
    for key, inner in items:
        found.append(path + (key,))
        found.extend(key_paths(inner, path + (key,)))
    return found


def _at(table: Any, path: KeyPath) -> Any:
    for part in path:
        table = table[part]
    return table


@st.composite
def mutated(draw: st.DrawFn, original: dict[str, Any], most: int = 3) -> dict[str, Any]:
    """``original`` with one to ``most`` keys mutated: replaced, removed, duplicated, or an unknown key added."""
    table = copy.deepcopy(original)
    for _ in range(draw(st.integers(1, most))):
        paths = key_paths(table)
        if not paths:
            break
        # A key name first, then one of its places: `date` is as likely as any of a hundred segments' `cue`.
        name = draw(st.sampled_from(sorted({str(p[-1]) for p in paths})))
        path = draw(st.sampled_from([p for p in paths if str(p[-1]) == name]))
        parent, key = _at(table, path[:-1]), path[-1]
        action = draw(st.sampled_from(["extreme", "extreme", "replace", "remove", "duplicate", "unknown"]))
        if action == "extreme":
            parent[key] = draw(extreme_like(parent[key]))
        elif action == "replace":
            parent[key] = draw(hostile_value)
        elif action == "remove":
            del parent[key]
        elif action == "duplicate" and isinstance(parent, list):
            parent.insert(draw(st.integers(0, len(parent))), copy.deepcopy(parent[key]))
        elif isinstance(parent, dict):
            parent[draw(hostile_text)] = draw(hostile_value)
        else:
            parent.append(draw(hostile_value))
    return table


@st.composite
def broken_text(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few raw edits: a hostile snippet put in, a range cut out, a line repeated."""
    lines = text.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 3))):
        at = draw(st.integers(0, max(0, len(lines) - 1)))
        action = draw(st.sampled_from(["insert", "cut", "repeat", "line"]))
        if action == "insert" and lines:
            line = lines[at]
            column = draw(st.integers(0, len(line)))
            lines[at] = line[:column] + draw(odd_text | st.sampled_from(["[", "[[", "]]", "=", '"""', "{", "\n[x]\n"]))
            lines[at] += line[column:]
        elif action == "cut":
            del lines[at : at + draw(st.integers(1, 20))]
        elif action == "repeat" and lines:
            lines.insert(at, lines[at])
        else:
            lines.insert(at, draw(odd_text) + "\n")
    return "".join(lines)


# --- writing TOML ---------------------------------------------------------------------------------------------

_BARE = re.compile(r"[A-Za-z0-9_-]+")
_ESCAPES = {'"': '\\"', "\\": "\\\\", "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r"}


def _string(text: str) -> str:
    out = []
    for char in text:
        if char in _ESCAPES:
            out.append(_ESCAPES[char])
        elif ord(char) < 0x20 or ord(char) == 0x7F:
            out.append(f"\\u{ord(char):04x}")
        else:
            out.append(char)
    return '"' + "".join(out) + '"'


def _key(key: str | int) -> str:
    key = str(key)
    return key if _BARE.fullmatch(key) else _string(key)


def _float(number: float) -> str:
    if math.isnan(number):
        return "nan"
    if math.isinf(number):
        return "inf" if number > 0 else "-inf"
    return repr(number)


def inline(value: Any) -> str:
    """``value`` as an inline TOML value."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return _float(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (datetime, date, time)):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(inline(item) for item in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{_key(k)} = {inline(v)}" for k, v in value.items()) + " }"
    raise TypeError(f"no TOML for {type(value).__name__}")


def toml(table: dict[str, Any]) -> str:
    """``table`` as a TOML file: top-level values, then a [table] per table, a [[name]] per array of tables."""
    head, tables = [], []
    for key, value in table.items():
        if isinstance(value, dict):
            body = "".join(f"{_key(k)} = {inline(v)}\n" for k, v in value.items())
            tables.append(f"\n[{_key(key)}]\n{body}")
        elif isinstance(value, list) and value and all(isinstance(item, dict) for item in value):
            for item in value:
                body = "".join(f"{_key(k)} = {inline(v)}\n" for k, v in item.items())
                tables.append(f"\n[[{_key(key)}]]\n{body}")
        else:
            head.append(f"{_key(key)} = {inline(value)}\n")
    return "".join(head) + "".join(tables)


# --- what every refusal must be ---------------------------------------------------------------------------------


def assert_diagnosed(error: DiagnosticsError, path: Path, text: str) -> None:
    """Every diagnostic names ``path`` at a line the file has, has a hint, and is said in every language."""
    assert error.diagnostics, "a DiagnosticsError with nothing in it"
    lines = text.replace("\r\n", "\n").replace("\r", "\n").count("\n") + 1  # as read_text() reads a file
    for diagnostic in error.diagnostics:
        assert diagnostic.path == path and 1 <= diagnostic.line <= lines, diagnostic
        assert str(diagnostic.hint).strip(), f"no hint: {diagnostic}"
        for language in LANGUAGES:
            said = diagnostic.render(language)
            assert said.startswith(f"{path}:{diagnostic.line}") and "error: " in said and "\n  hint: " in said
