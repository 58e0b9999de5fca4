"""Where a key sits in a TOML file, so errors can name the line.

tomllib parses values but forgets positions. This scans the same text once
and maps each key path, such as ``("segment", 3, "duration")``, to its line
and column. It understands what studio's files use: tables, arrays of
tables, dotted keys, inline tables and arrays, and multi-line strings.
"""

from __future__ import annotations

import re
import tomllib

KeyPath = tuple[str | int, ...]

_BARE_OR_QUOTED = r"""(?:[A-Za-z0-9_\-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"\s*({_BARE_OR_QUOTED}(?:\s*\.\s*{_BARE_OR_QUOTED})*)\s*=")
_HEADER = re.compile(r"\s*(\[\[?)\s*([^\]]+?)\s*\]\]?")
_DOT_OUTSIDE_QUOTES = re.compile(r"""\.(?=(?:[^"']|"[^"]*"|'[^']*')*$)""")


def _split_key(key: str) -> tuple[str, ...]:
    return tuple(_unquoted(part.strip()) for part in _DOT_OUTSIDE_QUOTES.split(key))


def _unquoted(part: str) -> str:
    """A key as tomllib reads it: a "quoted" key's escapes (\\u0000, \\n) decoded."""
    if part.startswith('"') and "\\" in part:
        try:
            return next(iter(tomllib.loads(f"{part} = 0")))
        except (tomllib.TOMLDecodeError, StopIteration):
            pass
    return part.strip("\"'")


class TomlLocator:
    def __init__(self, text: str) -> None:
        self._where: dict[KeyPath, tuple[int, int]] = {}
        # TOML's lines end at "\n" only: splitlines() would also end one at "\u2028" or "\x85" inside a string,
        # and every line after it would be named wrong.
        self._lines = [line.removesuffix("\r") for line in text.split("\n")]
        self._scan()

    def find(self, path: KeyPath) -> tuple[int, int]:
        """Line and column (1-based) of the longest known prefix of ``path``."""
        for end in range(len(path), 0, -1):
            if path[:end] in self._where:
                return self._where[path[:end]]
        return (1, 1)

    def _scan(self) -> None:
        table: KeyPath = ()
        array_index: dict[tuple[str, ...], int] = {}
        number = 0
        while number < len(self._lines):
            line = self._lines[number]
            number += 1
            stripped = line.lstrip()
            if not stripped or stripped.startswith("#"):
                continue
            header = _HEADER.match(line) if stripped.startswith("[") else None
            if header:
                parts = _split_key(header[2])
                path: list[str | int] = []
                for depth, part in enumerate(parts):
                    path.append(part)
                    if depth < len(parts) - 1 and parts[: depth + 1] in array_index:
                        path.append(array_index[parts[: depth + 1]])
                if header[1] == "[[":
                    array_index[parts] = array_index.get(parts, -1) + 1
                    path.append(array_index[parts])
                table = tuple(path)
                self._where.setdefault(table, (number, header.start(2) + 1))
                continue
            key = _KEY.match(line)
            if key:
                key_path = table + _split_key(key[1])
                for end in range(len(table) + 1, len(key_path) + 1):
                    self._where.setdefault(key_path[:end], (number, key.start(1) + 1))
                number = self._value(number, key.end(), key_path)

    def _value(self, number: int, start: int, path: KeyPath) -> int:
        """Record positions inside a value; return the number of its last line."""
        line = self._lines[number - 1]
        value = line[start:].lstrip()
        for quote in ('"""', "'''"):
            if value.startswith(quote) and value.count(quote) < 2:
                while number < len(self._lines) and quote not in self._lines[number]:
                    number += 1
                return number + 1
        if not value.startswith(("[", "{")):
            return number
        opener = value[0]
        # Keys are recorded one level deep: in an inline table, or in the
        # inline tables that are the elements of an array.
        table_depth = 1 if opener == "{" else 2
        depth = 0
        element = -1
        in_string: str | None = None
        row, column = number, line.index(opener, start)
        while True:
            text = self._lines[row - 1]
            index = column
            while index < len(text):
                char = text[index]
                if in_string:
                    if char == "\\" and in_string == '"':
                        index += 1
                    elif char == in_string:
                        in_string = None
                elif char in "\"'":
                    in_string = char
                elif char == "#":
                    break
                elif char in "[{":
                    depth += 1
                    if depth == 2 and opener == "[" and char == "{":
                        element += 1
                        self._where.setdefault(path + (element,), (row, index + 1))
                    if char == "{" and depth == table_depth:
                        self._inline_key(text, index + 1, path if opener == "{" else path + (element,), row)
                elif char in "]}":
                    depth -= 1
                    if depth == 0:
                        return row
                elif char == "," and depth == table_depth:
                    self._inline_key(text, index + 1, path if opener == "{" else path + (element,), row)
                index += 1
            if row >= len(self._lines):
                return row
            row, column = row + 1, 0

    def _inline_key(self, text: str, index: int, owner: KeyPath, row: int) -> None:
        inner = _KEY.match(text, index)
        if inner:
            self._where.setdefault(owner + _split_key(inner[1]), (row, inner.start(1) + 1))
