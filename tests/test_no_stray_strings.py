"""No user-facing words outside the catalogues: every text that reaches a screen or the command line is a
catalogue key rendered in the reader's language (studio/i18n/). The rule is read from the code itself: a
string literal with words in it, given to something that shows it (print, a notification, a widget, a
dialog, sys.stderr.write, an exit message), fails here with its file and line.

Allowed: the markers compilers and editors read (``studio: error:``, ``  hint:``, ``warning:``,
``note:``), URLs, and logs (``log.*``: for the engineer, in English). Placeholders (``{path}``) are not
words: only a literal's own text counts.
"""

from __future__ import annotations

import ast
import re
from collections.abc import Iterator
from pathlib import Path

STUDIO = Path(__file__).resolve().parents[1] / "studio"

SHOWN_BY = {
    "print", "notify", "write", "exit", "Label", "Static", "Button", "Checkbox", "RadioButton", "Input", "Option",
    "Tab", "TabPane", "ConfirmScreen", "TextScreen", "Text", "Content", "ArgumentParser", "add_argument",
    "add_parser",
}
"""Calls whose text reaches a person: printing, Textual's notifications, widgets and dialogs, Rich text."""
SHOWN_AS = {"help", "title", "message", "placeholder", "label", "description", "tooltip", "epilog", "prompt"}
"""Keyword arguments of those calls that reach a person (a widget's placeholder, a notification's title).
Not scanned: pydantic's ``Field(description=...)`` (the API's schema, for programmers) and ``Binding``'s
description (a fallback: studio/tui/bindings.py translates every binding by its id)."""
MARKERS = {"studio", "error", "warning", "note", "hint", "http", "https", "usage"}
"""Words of the machine-readable markers every language keeps (``FILE:LINE: error:``, like compilers)."""
ARGPARSE = {"ArgumentParser", "add_argument", "add_parser"}
"""argparse calls: their positional arguments are flags and command names, not words for a person."""

WORD = re.compile(r"[^\W\d_]{3,}")


def literal_words(node: ast.AST) -> list[str]:
    """The words of a string literal's own text (an f-string's constant parts), markers left out."""
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        text = node.value
    elif isinstance(node, ast.JoinedStr):
        text = " ".join(part.value for part in node.values if isinstance(part, ast.Constant))
    else:
        return []
    text = re.sub(r"https?://\S*", " ", text)
    return [word for word in WORD.findall(text) if word.lower() not in MARKERS]


def call_name(call: ast.Call) -> tuple[str | None, str | None]:
    """(the called name, the object it is called on when that is a plain name: ``log`` in ``log.error``)."""
    func = call.func
    if isinstance(func, ast.Name):
        return func.id, None
    if isinstance(func, ast.Attribute):
        owner = func.value.id if isinstance(func.value, ast.Name) else None
        return func.attr, owner
    return None, None


def stray_strings(path: Path) -> Iterator[str]:
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if not isinstance(node, ast.Call):
            continue
        name, owner = call_name(node)
        if owner in {"log", "logger", "logging"}:
            continue
        if name not in SHOWN_BY:
            continue
        named = [] if name in ARGPARSE else list(node.args)
        shown = named + [keyword.value for keyword in node.keywords if keyword.arg in SHOWN_AS]
        for argument in shown:
            if words := literal_words(argument):
                where = f"{path.relative_to(STUDIO.parent)}:{argument.lineno}"
                yield f"{where}: {name}(...) shows {' '.join(words[:6])!r}: give it a catalogue key (studio/i18n/)"


def test_no_words_outside_the_catalogues_reach_a_person() -> None:
    found = [line for path in sorted(STUDIO.rglob("*.py")) for line in stray_strings(path)]
    assert found == [], "\n".join(found)


def test_the_scan_finds_a_stray_string(tmp_path: Path) -> None:
    sample = STUDIO / "_sample_for_the_scan.py"  # under studio/ so that its path reads like the others'
    code = 'print(f"wrote {path}")\nlog.info("fine")\nprint(f"studio: error: {said}")\nself.notify(t("ok"))\n'
    try:
        sample.write_text(code, "utf-8")
        assert [line.split(": ", 1)[0] for line in stray_strings(sample)] == ["studio/_sample_for_the_scan.py:1"]
    finally:
        sample.unlink()
