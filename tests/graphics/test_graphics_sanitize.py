"""Hostile text is refused before it reaches a pixel: bidi tricks, controls, invisible characters, floods."""

from __future__ import annotations

import importlib

import pytest

from studio.graphics import DataError, TextRejected, render, sanitize
from studio.graphics.sanitize import Rejection, clean

render_module = importlib.import_module("studio.graphics.render")  # not the function studio.graphics exports

BIDI_AND_INVISIBLE = [
    "\u202a", "\u202b", "\u202c", "\u202d", "\u202e",  # embeddings and overrides
    "\u2066", "\u2067", "\u2068", "\u2069",  # isolates
    "\u200e", "\u200f", "\u061c",  # marks
    "\u200b", "\u200c", "\u200d", "\u2060", "\ufeff",  # zero-width
    "\u00ad",  # soft hyphen
]
CONTROLS = ["\x00", "\x07", "\x1b", "\x7f", "\x9b", "\x08"]


@pytest.mark.parametrize("char", BIDI_AND_INVISIBLE, ids=[f"U+{ord(c):04X}" for c in BIDI_AND_INVISIBLE])
def test_bidi_and_zero_width_characters_are_refused_with_their_code_point(templates, char: str) -> None:
    with pytest.raises(TextRejected) as caught:
        render(templates["lower-third"], {"name": f"Дана{char} Ким"})
    message = str(caught.value)
    assert f"U+{ord(char):04X}" in message and "at character 5" in message
    assert caught.value.field == "name"
    assert "never silently altered" in message


def test_an_rtl_override_that_would_reverse_a_figure_is_refused(templates) -> None:
    with pytest.raises(TextRejected, match="U\\+202E RIGHT-TO-LEFT OVERRIDE"):
        render(templates["breaking-banner"], {"text_kk": "Қатысу \u202e12,91%", "text_ru": "Явка 19,21%"})


@pytest.mark.parametrize("char", CONTROLS, ids=[f"U+{ord(c):04X}" for c in CONTROLS])
def test_control_characters_are_refused(templates, char: str) -> None:
    with pytest.raises(TextRejected, match="control character"):
        render(templates["lower-third"], {"name": "Дана Ким", "role": f"тілші{char}"})


@pytest.fixture
def no_work(monkeypatch) -> list[str]:
    """Spies on the costly steps a flood must never reach: NFC of the whole text, and fitting it.
    (How fast a refusal is belongs to benchmarks, not tests.)"""
    called: list[str] = []
    normalize = sanitize.unicodedata.normalize
    monkeypatch.setattr(sanitize.unicodedata, "normalize",
                        lambda form, text: called.append(f"normalize {len(text)}") or normalize(form, text))
    monkeypatch.setattr(render_module, "fit_text", lambda *args, **kwargs: called.append("fit") or pytest.fail("fit"))
    return called


def test_five_thousand_characters_are_refused_before_any_work(templates, no_work) -> None:
    flood = "Қ" * 5000
    with pytest.raises(TextRejected, match="5000 characters; this field allows at most 60"):
        render(templates["lower-third"], {"name": flood})
    assert no_work == []


def test_five_thousand_word_flood_in_a_long_field_is_refused_before_any_work(templates, no_work) -> None:
    flood = " ".join(["сөз"] * 1250)  # 4,999 characters of words the fitter would otherwise try to wrap
    with pytest.raises(TextRejected, match="allows at most 110"):
        render(templates["breaking-banner"], {"text_kk": flood, "text_ru": "Явка"})
    assert "fit" not in no_work and "normalize 4999" not in no_work


def test_a_flood_just_under_the_early_cut_is_refused_before_fitting(templates, no_work) -> None:
    """Up to 4x the limit is normalised and scanned first (NFC may shorten it), never fitted."""
    with pytest.raises(TextRejected):
        render(templates["lower-third"], {"name": "Ә" * 300})
    assert no_work == ["normalize 300"]


def test_invisible_characters_hidden_in_a_flood_are_still_found(templates) -> None:
    with pytest.raises(TextRejected):
        render(templates["lower-third"], {"name": "Дана" + "\u200b" * 50})


def test_whitespace_is_normalised_and_nfc_applied() -> None:
    assert clean("  Дана\t\nКим  ", max_length=60) == "Дана Ким"
    assert clean("Дана\u2003Ким", max_length=60) == "Дана Ким"  # em space
    assert clean("19,21\u00a0%", max_length=60) == "19,21\u00a0%"  # a no-break space is kept
    decomposed = "И\u0306ы"  # И + combining breve: NFC makes it Й
    assert clean(decomposed, max_length=60) == "Йы"


def test_stacked_combining_marks_are_refused() -> None:
    with pytest.raises(Rejection, match="combining mark"):
        clean("Ке\u0301\u0301\u0301", max_length=60)


def test_a_word_mixing_latin_and_cyrillic_is_refused() -> None:
    with pytest.raises(Rejection, match="mixes Latin and Cyrillic") as caught:
        clean("Aлматы", max_length=60)  # a Latin A
    assert "'A'" in caught.value.message
    assert clean("Алматы Almaty", max_length=60) == "Алматы Almaty"  # separate words may differ


def test_the_field_language_limits_the_alphabet() -> None:
    assert clean("Qazaqstan Respublikasy", max_length=60, language="kk-latn")
    with pytest.raises(Rejection, match="Cyrillic"):
        clean("Қазақстан", max_length=60, language="kk-latn")
    with pytest.raises(Rejection, match="Greek"):
        clean("Αλματυ", max_length=60, language="ru")


def test_kazakh_latin_2021_letters_pass_and_render(templates) -> None:
    text = "ÄĞ QÑ ÖŪ ÜŞ Iı İi"
    assert clean(text, max_length=60, language="kk-latn") == text
    render(templates["lower-third"], {"name": "Qazaqstan Respublikasy", "role": "Ä Ğ Q Ñ Ö Ū Ü Ş I İ ä ğ q ñ ö ū ü ş ı i"})


def test_non_text_values_and_unknown_fields_are_refused(templates) -> None:
    with pytest.raises(DataError, match="expected text, got int"):
        render(templates["lower-third"], {"name": 5})
    with pytest.raises(DataError, match="is not a field of this template") as caught:
        render(templates["lower-third"], {"name": "Дана", "claim": "a fact typed by hand"})
    assert caught.value.field == "claim"
    with pytest.raises(DataError, match="is required"):
        render(templates["lower-third"], {"role": "тілші"})


def test_region_ids_are_checked_and_the_two_almatys_are_named(templates) -> None:
    with pytest.raises(DataError, match="is not a region id") as caught:
        render(templates["location-bug"], {"region": "almaty-oblast"})
    assert "almaty-region" in caught.value.hint
