"""The interface catalogue: the same keys and {params} in every language, and every refusal covered."""

from __future__ import annotations

import ast
import json
import re
from pathlib import Path

import pytest

from studio.i18n import LANGUAGES, Catalogue, UnknownLanguage, messages, params_of
from studio.rundown.model import Kind
from studio.show.view import Status

SHOW = Path(__file__).parents[1] / "studio" / "show"


def control_error_codes() -> dict[str, frozenset[str]]:
    """Every ``ControlError(code, **params)`` raised in the controller, with its param names."""
    codes: dict[str, frozenset[str]] = {}
    trees = [ast.parse(path.read_text("utf-8")) for path in sorted(SHOW.glob("*.py"))]
    for node in (node for tree in trees for node in ast.walk(tree)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "ControlError":
            code = node.args[0]
            assert isinstance(code, ast.Constant), f"line {node.lineno}: the code must be a literal"
            params = frozenset(keyword.arg for keyword in node.keywords if keyword.arg)
            assert codes.setdefault(code.value, params) == params, f"{code.value}: params differ between raises"
    return codes


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "en"])
def test_every_key_exists_in_every_language(language: str) -> None:
    english, other = set(messages("en")), set(messages(language))
    assert sorted(english - other) == [], f"missing in {language}.toml"
    assert sorted(other - english) == [], f"in {language}.toml but not in en.toml"


@pytest.mark.parametrize("language", [language for language in LANGUAGES if language != "en"])
def test_every_key_has_the_same_params_in_every_language(language: str) -> None:
    english = messages("en")
    different = {
        key: (sorted(params_of(template)), sorted(params_of(english[key])))
        for key, template in messages(language).items()
        if key in english and params_of(template) != params_of(english[key])
    }
    assert different == {}


def test_every_controller_refusal_has_a_message_with_its_params() -> None:
    codes = control_error_codes()
    assert {"take_conflict", "nothing_next", "on_air_frozen", "duplicate_id", "other_show"} <= set(codes)
    for language in LANGUAGES:
        catalogue = messages(language)
        for code, params in codes.items():
            assert f"error.{code}" in catalogue, f"{language}: no message for ControlError {code!r}"
            assert params_of(catalogue[f"error.{code}"]) == params, f"{language}: error.{code} params"


def test_every_status_and_kind_has_a_label() -> None:
    for language in LANGUAGES:
        catalogue = messages(language)
        assert all(f"status.{status.value}" in catalogue for status in Status)
        assert all(f"kind.{kind.value}" in catalogue for kind in Kind)


_CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]", re.IGNORECASE)
_LATIN = re.compile(r"[a-z]", re.IGNORECASE)


@pytest.mark.parametrize("language", ["ru", "kk"])
def test_no_word_mixes_latin_and_cyrillic_letters(language: str) -> None:
    """A Latin "a" or "o" typed into a Cyrillic word looks right and searches wrong."""
    mixed = [
        (key, word)
        for key, template in messages(language).items()
        for word in re.findall(r"\w+", template)
        if _CYRILLIC.search(word) and _LATIN.search(word)
    ]
    assert mixed == []


def test_kazakh_uses_its_own_letters() -> None:
    text = "".join(messages("kk").values())
    for letter in "әғқңөұүі":
        assert letter in text, f"no {letter!r} in kk.toml: is it Kazakh?"
    assert messages("kk")["language.name"] == "Қазақша"


def test_translate_fills_params_and_switches_language() -> None:
    catalogue = Catalogue("en")
    assert catalogue.t("error.already_on_air", segment="open") == "“open” is already on air."
    catalogue.language = "ru"
    assert catalogue.t("error.already_on_air", segment="open") == "«open» уже в эфире."
    catalogue.language = "kk"
    assert catalogue.t("error.already_on_air", segment="open") == "«open» қазір эфирде."
    assert catalogue.native_name("ru") == "Русский"


def test_a_gap_shows_as_text_never_as_a_crash() -> None:
    catalogue = Catalogue("kk")
    assert catalogue.t("no.such.key") == "no.such.key"
    assert catalogue.t("error.already_on_air") == "«{segment}» қазір эфирде."  # a param left out stays visible
    assert catalogue.t("error.take_conflict", segment=None).startswith("Осы арада «—»")


def test_an_unknown_language_is_refused() -> None:
    catalogue = Catalogue("kk")
    with pytest.raises(UnknownLanguage):
        catalogue.language = "de"
    assert catalogue.language == "kk"


def test_the_catalogue_imports_no_ui(run_python) -> None:
    """The catalogue is core: a web prompter or the CLI may use it without Textual."""
    result = run_python("import sys, studio.i18n\nprint(sorted(m for m in sys.modules if m.startswith('textual')))")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"


@pytest.fixture
def catalogue_cache(tmp_path, monkeypatch):
    """An empty cache folder; the catalogues are read afresh before and after."""
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "cache"))
    messages.cache_clear()
    yield tmp_path / "cache"
    messages.cache_clear()


def test_a_parsed_catalogue_is_kept_and_read_back_until_it_is_torn(catalogue_cache) -> None:
    russian = dict(messages("ru"))
    [kept] = (catalogue_cache / "studio" / "i18n").glob("*.json")
    assert json.loads(kept.read_text("utf-8")) == russian

    kept.write_text(json.dumps(russian | {"language.name": "kept copy"}), "utf-8")
    messages.cache_clear()
    assert messages("ru")["language.name"] == "kept copy"  # the next start reads the copy, not the TOML

    kept.write_text('{"language.na', "utf-8")  # torn by a full disk
    messages.cache_clear()
    assert messages("ru") == russian
    assert json.loads(kept.read_text("utf-8")) == russian


def test_a_cache_that_cannot_be_written_costs_only_time(catalogue_cache) -> None:
    catalogue_cache.write_text("a file where the folder should be", "utf-8")
    assert messages("kk")["language.name"] == "Қазақша"
    assert messages("kk") is messages("kk")
