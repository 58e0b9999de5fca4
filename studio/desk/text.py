"""Comparing what people typed: folding text for matching, never for display.

Observers type Kazakh on Russian keyboards (қ as к, ү as у, і as i or и),
mix Latin look-alikes into Cyrillic words, and write the Kazakh Latin I/İ
pair in every way. ``fold`` maps all of these to one spelling so copies of
one message compare equal; the result is a matching key, not text to show.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

# Before casefold: İ would fold to "i" + combining dot, and I to "i" (Kazakh
# Latin reads I as the dotless vowel). All four are one letter for matching.
_BEFORE = str.maketrans({"İ": "i", "I": "i", "ı": "i"})
_AFTER = str.maketrans(
    {
        "\u0307": None,  # a stray combining dot above
        "ё": "е",
        # Kazakh letters as typed on a Russian keyboard
        "ә": "а",
        "ғ": "г",
        "қ": "к",
        "ң": "н",
        "ө": "о",
        "ұ": "у",
        "ү": "у",
        "һ": "х",
        "і": "i",
        "и": "i",
        # Latin letters that look Cyrillic, typed by accident or to dodge filters
        "a": "а",
        "c": "с",
        "e": "е",
        "k": "к",
        "m": "м",
        "o": "о",
        "p": "р",
        "x": "х",
        "y": "у",
        "h": "н",
        "b": "в",
        "t": "т",
        "«": '"',
        "»": '"',
    }
)
_WORD = re.compile(r"[^\W\d_]{2,}")
_NUMBER = re.compile(r"\d+(?:[.,]\d+)?")


def fold(text: str) -> str:
    """A matching key for ``text``: NFC, casefolded, Kazakh- and look-alike-aware."""
    return _cased(text).translate(_AFTER)


def _cased(text: str) -> str:
    """``fold`` before its letters are translated."""
    text = unicodedata.normalize("NFC", text)
    if "I" in text or "İ" in text or "ı" in text:  # rare: skip a slow translate otherwise
        text = text.translate(_BEFORE)
    return text.casefold()


@lru_cache(maxsize=65536)
def _folded_stem(stem: str) -> str:
    return stem.translate(_AFTER)


def name_key(text: str) -> str:
    """A key for names (regions, kinds): folded, spaces collapsed."""
    return " ".join(fold(text).replace("-", " ").replace("_", " ").split())


@dataclass(frozen=True, slots=True)
class Signature:
    """What a text says, for near-duplicate matching: word stems and numbers."""

    words: frozenset[str]
    numbers: frozenset[str]


def signature(text: str, stem: int = 5) -> Signature:
    """Words of two letters or more cut to their first ``stem`` letters (a crude
    stemmer for suffix-rich Kazakh and Russian), and the numbers as written."""
    cased = _cased(text)
    if "\u0307" in cased:  # rare: translating drops it, which may join two words
        cased = cased.translate(_AFTER)
    # The rest of fold() maps one letter to one letter: words are found alike before it, and each distinct stem
    # is translated once, not every text whole (str.translate looks every letter of a Cyrillic text up in a
    # dict: it was 40% of a 100,000-row import's grouping, bench/desk_import.py).
    return Signature(
        frozenset([_folded_stem(word[:stem]) for word in _WORD.findall(cased)]),
        frozenset([number.replace(",", ".") for number in _NUMBER.findall(cased)]),
    )


def similar(
    words: frozenset[str], numbers: frozenset[str], other_words: frozenset[str], other_numbers: frozenset[str],
    threshold: float,
) -> float:
    """The Jaccard similarity of two signatures' word sets, or 0.0 when it is
    below ``threshold`` or the texts give different figures (45% is never 54%)."""
    if numbers and other_numbers and numbers != other_numbers:
        return 0.0
    common = len(words & other_words)
    union = len(words) + len(other_words) - common
    if union == 0:
        return 1.0 if numbers == other_numbers else 0.0
    score = common / union
    return score if score >= threshold else 0.0


def similarity(a: Signature, b: Signature, threshold: float = 0.0) -> float:
    return similar(a.words, a.numbers, b.words, b.numbers, threshold)
