"""One error family: every StudioError raised in studio/ says a catalogue message that exists in kk, ru and en,
and every kind of failure has its exit code, HTTP status and notification severity."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from studio.errors import EXIT_CODE, HTTP_STATUS, SEVERITY, Kind
from studio.i18n import LANGUAGES, messages

STUDIO = Path(__file__).parents[1] / "studio"
TREES = {path: ast.parse(path.read_text("utf-8")) for path in sorted(STUDIO.rglob("*.py"))}

# The code a class's first argument names, and the catalogue key that says it to a person.
CODE_KEYS = {"RuleError": "desk.rule.{}", "YouTubeError": "youtube.error.{}", "ControlError": "error.{}"}
MESSAGES = {"Msg", "ObsMsg"}  # ObsMsg: a Msg whose words pass the password redactor


def _name(node: ast.expr) -> str | None:
    """``X`` for ``X`` and ``module.X``."""
    return node.id if isinstance(node, ast.Name) else node.attr if isinstance(node, ast.Attribute) else None


def family() -> set[str]:
    """The names of StudioError and every class derived from it, written anywhere in studio/."""
    bases = {
        node.name: {_name(base) for base in node.bases}
        for tree in TREES.values()
        for node in ast.walk(tree)
        if isinstance(node, ast.ClassDef)
    }
    members = {"StudioError"}
    while grown := {name for name, of in bases.items() if of & members} - members:
        members |= grown
    return members


def _literal(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def said() -> list[tuple[str, str]]:
    """(where, key) for each catalogue key an error is raised with: ``Msg("key")`` inside a ``raise`` or inside a
    call to a family member, ``X.of("key")``, and the code a RuleError or YouTubeError names."""
    members = family()
    found: list[tuple[str, str]] = []
    for path, tree in TREES.items():
        where = str(path.relative_to(STUDIO.parent))
        for node in ast.walk(tree):
            if isinstance(node, ast.Raise) or (isinstance(node, ast.Call) and _name(node.func) in members):
                for inner in ast.walk(node):
                    if isinstance(inner, ast.Call) and _name(inner.func) in MESSAGES and inner.args:
                        key = _literal(inner.args[0])
                        if key is not None:
                            found.append((f"{where}:{inner.lineno}", key))
            if not isinstance(node, ast.Call) or not node.args:
                continue
            if _name(node.func) == "ApiError" and len(node.args) >= 2:  # ApiError(status, code, key=api.error.<code>)
                key = _literal(node.args[2]) if len(node.args) > 2 else f"api.error.{_literal(node.args[1])}"
                if key is not None:
                    found.append((f"{where}:{node.lineno}", key))
                continue
            first = _literal(node.args[0])
            name = _name(node.func)
            if first is None:
                continue
            if isinstance(node.func, ast.Attribute) and name == "of" and _name(node.func.value) in members:
                found.append((f"{where}:{node.lineno}", first))
            elif name in CODE_KEYS:
                found.append((f"{where}:{node.lineno}", CODE_KEYS[name].format(first)))
    return found


def test_the_scan_sees_the_family() -> None:
    members = family()
    assert {"UsageError", "StoreError", "DeskError", "ConflictError", "OperatorError", "RuleError",
            "ReleaseRefused", "FactUsage", "FactIdError", "ReportRefused", "YouTubeError", "ChaptersError",
            "ObsError", "GraphicsError", "FactRefused", "TextDoesNotFit", "GraphicRefused", "ApiError",
            "ControlError"} <= members
    keys = {key for _, key in said()}
    assert {"store.error.open", "desk.error.no_fact", "desk.rule.fact.four_eyes", "desk.rule.detail.four_eyes",
            "operators.error.wrong", "fact.cli.no_fact", "fact.id.bad", "cli.error.no_rundown",
            "obs.error.refused", "diag.gate.no_fact", "api.error.token_wrong", "intake.error.key_reused",
            "error.take_conflict", "error.feed_down"} <= keys


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_raised_error_names_a_key_of_the_catalogue(language: str) -> None:
    missing = sorted({(where, key) for where, key in said() if key not in messages(language)})
    assert missing == []


@pytest.mark.parametrize("mapping", [EXIT_CODE, HTTP_STATUS, SEVERITY], ids=["exit code", "HTTP status", "severity"])
def test_every_kind_is_mapped(mapping: dict[Kind, object]) -> None:
    assert set(mapping) == set(Kind)
