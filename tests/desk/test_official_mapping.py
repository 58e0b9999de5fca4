"""The import mappings of official figures: the shipped files are the documented defaults, every key is
described in three languages, and a wrong mapping is refused with FILE:LINE, the key and what to write."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel

from studio.desk.official_mapping import (
    RESULTS_FILE,
    TURNOUT_FILE,
    ResultsMapping,
    TurnoutMapping,
    load_official_mapping,
)
from studio.diagnostics import DiagnosticsError
from studio.i18n import LANGUAGES, messages


def test_the_shipped_mapping_files_are_exactly_the_defaults() -> None:
    assert load_official_mapping(TURNOUT_FILE, TurnoutMapping) == TurnoutMapping()
    assert load_official_mapping(RESULTS_FILE, ResultsMapping) == ResultsMapping()
    assert load_official_mapping(None, TurnoutMapping) == TurnoutMapping()


def _described(model: type[BaseModel]) -> dict[str, str]:
    found: dict[str, str] = {}
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found |= _described(annotation)
        elif field.description:
            found[f"diag.field.{model.__name__.lower()}.{name}"] = field.description
    return found


def test_every_key_is_described_in_every_language_and_the_english_is_the_models() -> None:
    described = _described(TurnoutMapping) | _described(ResultsMapping)
    assert len(described) == 24
    assert {key: messages("en").get(key) for key in described} == described
    for language in LANGUAGES:
        assert all(key in messages(language) for key in described)


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "mapping.toml"
    path.write_text(text, "utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "said"),
    [
        ("decimal_mak = \",\"\n", "mapping.toml:1: error: decimal_mak: unknown key\n  hint: did you mean 'decimal_mark'?"),
        ("decimal_mark = \";\"\n", "mapping.toml:1: error: decimal_mark"),
        ("[columns]\nturnout = \"Явка\"\n", "mapping.toml:2: error: [columns] turnout: unknown key\n  hint: did you mean 'turnout_percent'?"),
        ("[bounds]\nabove = [\"более\"]\nbelow = [\"Более\"]\n", "'более' is both in above and in below"),
        ("hours_only = 3\n", "mapping.toml:1: error: hours_only"),
        ("encoding = \"cp9999\"\n", "unknown encoding 'cp9999'"),
    ],
)
def test_a_wrong_turnout_mapping_names_the_line_and_the_key(tmp_path, text: str, said: str) -> None:
    with pytest.raises(DiagnosticsError) as raised:
        load_official_mapping(write(tmp_path, text), TurnoutMapping)
    assert said in raised.value.render("en")


def test_a_wrong_results_mapping_names_the_line_and_suggests_the_key(tmp_path) -> None:
    with pytest.raises(DiagnosticsError) as raised:
        load_official_mapping(write(tmp_path, "[items]\n\"Всего\" = \"registred\"\n"), ResultsMapping)
    assert "mapping.toml:2: error: [items] Всего" in raised.value.render("en")
    with pytest.raises(DiagnosticsError) as raised:
        load_official_mapping(write(tmp_path, "[colums]\nitem = \"Строка\"\n"), ResultsMapping)
    assert "columns" in raised.value.render("en")  # the nearest valid key
    assert "сәйкестендіру" not in raised.value.render("en") and raised.value.render("kk") != raised.value.render("en")
