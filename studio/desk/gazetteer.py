"""Which of the 20 units a region name means: one matcher for the imports, the intake and the desk.

A spelling goes through three deterministic steps, then one exact lookup in
``studio/gazetteer.toml`` (every name each unit goes by):

1. **Clean**: NFKC (full-width letters, Arabic presentation forms), then
   zero-width characters, bidi controls and every other format character
   (Unicode category Cf) are dropped; what is left is cut into words.
2. **Transliterate each word**: Kazakh in Arabic script (töte jazu) to
   Cyrillic by a fixed letter table (``_ARABIC``); any script other than
   Latin and Cyrillic romanised with ``anyascii``. A word mostly in Cyrillic
   is folded like the desk folds text (``text.fold``: case, ё/е, Kazakh
   letters typed on a Russian keyboard, Latin look-alikes); a word mostly in
   Latin gets the Kazakh Latin letters of 2021 and the older alphabets
   (ş, ğ, ñ, á, ý, apostrophes) as plain Latin, and Cyrillic look-alikes as
   the Latin letters they look like («Аstana» with a Cyrillic А is Astana).
3. **Split off designators** ("город", "облысы", "region", ...), then look
   the rest up exactly, with what the designator says (a city, a region, a
   district: never a unit).

Nothing fuzzy ever assigns a unit: ``difflib`` only suggests (at most three),
for the desk's "needs a region" queue. The two Almatys: a bare "Алматы" /
"Almaty" is a name of both units and is the city only when the source says so
(``bare_almaty="city"``); otherwise it is not matched. Aliases the desk learns
come in as data (``aliases``: a spelling key -> unit id), and ``refusal``
says why one cannot be learned.

Pure: no I/O beyond reading the shipped data file once.
"""

from __future__ import annotations

import difflib
import tomllib
import unicodedata
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Literal, Mapping

from anyascii import anyascii

from studio.desk.text import fold
from studio.i18n import Msg
from studio.regions import NATIONAL, regions

MAX_SPELLING = 200
"""Characters of a region field read at most: a longer one is not a name (a 10 kB line is refused, not searched)."""
MIN_ALIAS = 3
"""Characters (after folding) a learned alias needs: shorter ones are abbreviations nobody can tell apart."""
SUGGESTIONS = 3

Why = Literal[
    "id", "name", "shorthand", "alias", "either", "designation", "district", "national", "unknown", "empty",
    "too_long",
]
Designation = Literal["city", "region", "district"] | None
HOLD = frozenset({"either", "designation", "district", "national", "unknown"})
"""Reasons (Match.why) a row waits for the desk; an empty or overlong region is no name at all and is refused."""
BareAlmaty = Literal["hold", "city"]


@dataclass(frozen=True, slots=True)
class Match:
    """What the matcher made of one spelling. ``region`` is set only when certain."""

    region: str | None  # a unit id of studio/regions.toml (or NATIONAL where the caller allows it)
    suggestions: tuple[str, ...]  # unit ids, closest first; never assigned
    why: Why
    spelling: str  # the folded spelling: one key for every way of writing the same thing (the queue groups by it)

    @property
    def certain(self) -> bool:
        return self.region is not None

    def reason(self, text: str) -> Msg:
        """Why ``text`` was not matched, for a person (a catalogue message)."""
        names = ", ".join(self.suggestions)
        return Msg(f"gazetteer.why.{self.why}", value=repr(text[:60]), suggestions=names, limit=MAX_SPELLING)


# --- step 1 and 2: cleaning and transliteration ---------------------------------------------------------------

# Kazakh in Arabic script (töte jazu, as the diaspora press in China writes it) -> Cyrillic, letter by letter.
# A word holding ە, ك, گ or the hamza (ٴ, ء) is front-vowelled: its ا, و, ۇ, ى are ә, ө, ү, і.
_ARABIC = {
    "ا": "а", "ب": "б", "ۆ": "в", "گ": "г", "ع": "ғ", "د": "д", "ە": "е", "ه": "е", "ج": "ж", "ز": "з",
    "ي": "й", "ی": "й", "ك": "к", "ک": "к", "ق": "қ", "ل": "л", "م": "м", "ن": "н", "ڭ": "ң", "و": "о",
    "پ": "п", "ر": "р", "س": "с", "ت": "т", "ۋ": "у", "ۇ": "ұ", "ف": "ф", "ح": "х", "ھ": "һ", "چ": "ч",
    "ش": "ш", "ى": "ы", "ۉ": "ю",
}
_ARABIC_FRONT = {"ا": "ә", "و": "ө", "ۇ": "ү", "ى": "і"}
_ARABIC_MARKED = _ARABIC_FRONT | {"ي": "і"}  # a letter followed by its own high hamza (NFKC splits ٸ into ي + ٴ)
_HAMZA = "\u0674\u0621"
_FRONT_MARKS = set("ەكگ" + _HAMZA)

# Kazakh Latin (2021, 2018 with acutes, 2017 with apostrophes) and Turkish letters as plain Latin.
_LATIN = str.maketrans(
    {
        "ş": "sh", "ç": "ch", "ğ": "g", "ǵ": "g", "ñ": "n", "ń": "n", "ö": "o", "ó": "o", "ü": "u", "ú": "u",
        "ū": "u", "ä": "a", "á": "a", "ı": "i", "ý": "u", "é": "e", "\u0307": None,
        # Cyrillic letters that look Latin, inside a Latin word
        "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "к": "k", "м": "m", "т": "t",
        "і": "i", "ј": "j", "ѕ": "s", "ԁ": "d", "ԛ": "q", "ԝ": "w", "һ": "h", "в": "b", "н": "h",
    }
)
_APOSTROPHE_LETTERS = {"s'": "sh", "c'": "ch", "g'": "g", "a'": "a", "o'": "o", "u'": "u", "n'": "n", "i'": "i"}
_APOSTROPHES = "'’ʼ`´"
_SEPARATORS = str.maketrans({c: " " for c in "-‐‑‒–—_.,;:/\\()[]{}\"«»„“”!?|+*&#№"})


def _script(letter: str) -> str:
    """'cyrillic', 'latin', 'arabic' or 'other' for a letter."""
    code = ord(letter)
    if code < 0x250 or 0x1E00 <= code <= 0x1EFF:
        return "latin"
    if 0x400 <= code <= 0x52F:
        return "cyrillic"
    if 0x600 <= code <= 0x6FF or 0x750 <= code <= 0x77F:
        return "arabic"
    return "other"


def _from_arabic(word: str) -> str:
    front = any(mark in word for mark in _FRONT_MARKS)
    out = []
    for index, letter in enumerate(word):
        if letter in _HAMZA:
            continue
        marked = index + 1 < len(word) and word[index + 1] == "\u0674"  # a letter with its own high hamza
        if marked and letter in _ARABIC_MARKED:
            out.append(_ARABIC_MARKED[letter])
        elif front and letter in _ARABIC_FRONT:
            out.append(_ARABIC_FRONT[letter])
        else:
            out.append(_ARABIC.get(letter, letter))
    return "".join(out)


def _latin(word: str) -> str:
    word = word.casefold()
    if any(a in word for a in _APOSTROPHES):
        for apostrophe in _APOSTROPHES[1:]:
            word = word.replace(apostrophe, "'")
        for written, letter in _APOSTROPHE_LETTERS.items():
            word = word.replace(written, letter)
        word = word.replace("'", "")
    word = word.translate(_LATIN)
    return word if word.isascii() else anyascii(word).lower()


def _word(word: str) -> str:
    """One word in its matching form: Cyrillic folded, or plain Latin."""
    if any(_script(c) == "arabic" for c in word):
        word = _from_arabic(word)
    counts = {"cyrillic": 0, "latin": 0, "other": 0, "arabic": 0}
    for letter in word:
        if letter.isalpha():
            counts[_script(letter)] += 1
    if counts["other"]:  # CJK, Greek, Hebrew...: romanised, then read as Latin
        return _latin(anyascii(word))
    if counts["cyrillic"] >= counts["latin"] and counts["cyrillic"]:
        return fold(word).replace("'", "")
    return _latin(word)


def words(text: str) -> list[str]:
    """``text`` cleaned and transliterated, as matching words."""
    text = unicodedata.normalize("NFKC", text)
    text = "".join(c for c in text if c.isspace() or unicodedata.category(c) not in ("Cf", "Cc", "Mn"))
    # Apostrophes belong to 2017 Latin letters; every other mark separates words.
    return [folded for raw in text.translate(_SEPARATORS).split() if (folded := _word(raw))]


def spelling_key(text: str) -> str:
    """One key for every way of writing the same spelling (what the queue groups by and aliases are kept by)."""
    return " ".join(words(text[:MAX_SPELLING]))


# --- step 3: designators and the table ------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class _Data:
    designators: dict[str, Designation]  # a folded word (or two) -> what it says
    table: dict[str, dict[Designation, frozenset[str]]]  # a base key -> per designation, the units it may mean
    shorthand: frozenset[tuple[str, str]]  # (base key, unit) pairs that are a region's centre
    hints: dict[str, tuple[str, ...]]  # a base key the queue suggests units for, never assigned
    bases: tuple[str, ...]  # every base key, for suggestions


def split(key_words: list[str], designators: Mapping[str, Designation]) -> tuple[str, Designation | Literal["both"]]:
    """(the base key, its designation): the designators taken off; two that disagree give "both"."""
    base, found = [], set()
    index = 0
    while index < len(key_words):
        pair = " ".join(key_words[index : index + 2])
        if index + 1 < len(key_words) and pair in designators:
            found.add(designators[pair])
            index += 2
            continue
        if key_words[index] in designators:
            found.add(designators[key_words[index]])
        else:
            base.append(key_words[index])
        index += 1
    if "district" in found:
        return " ".join(base), "district"
    if len(found) > 1:
        return " ".join(base), "both"
    return " ".join(base), (found.pop() if found else None)


@cache
def data() -> _Data:
    """The shipped gazetteer, read once."""
    raw = tomllib.loads(resources.files("studio").joinpath("gazetteer.toml").read_text("utf-8"))
    designators: dict[str, Designation] = {}
    for designation, spellings in raw["designators"].items():
        for spelling in spellings:
            designators[" ".join(words(spelling))] = designation
    table: dict[str, dict[Designation, frozenset[str]]] = {}
    shorthand = set()
    hints: dict[str, tuple[str, ...]] = {}
    kinds = {region.id: region.kind for region in regions().values()} | {NATIONAL: "national"}

    def add(base: str, designation: Designation, unit: str) -> None:
        entry = table.setdefault(base, {})
        entry[designation] = entry.get(designation, frozenset()) | {unit}

    for unit in raw["unit"]:
        kind = kinds[unit["id"]]
        for name in unit["names"]:
            base, _ = split(words(name), designators)
            add(base, None, unit["id"])
            if kind != "national":
                add(base, "city" if kind == "city" else "region", unit["id"])
        for name in unit.get("shorthand", ()):
            base, _ = split(words(name), designators)
            add(base, None, unit["id"])
            shorthand.add((base, unit["id"]))
        for name in unit.get("hints", ()):
            base, _ = split(words(name), designators)
            hints[base] = (*hints.get(base, ()), unit["id"])
    return _Data(designators, table, frozenset(shorthand), hints, tuple(sorted(table)))


def units_of(base: str, designation: Designation) -> frozenset[str]:
    """The units the shipped names give ``base`` with ``designation`` (two: the bare Almaty)."""
    return data().table.get(base, {}).get(designation, frozenset())


# --- the matcher ------------------------------------------------------------------------------------------------


class Gazetteer:
    """The matcher: shipped names, plus ``aliases`` (spelling key -> unit id) learned at the desk or given in a
    mapping. ``bare_almaty``: what the source says a bare "Алматы" is ("hold": it did not say). ``national``:
    whether the whole country is a place the caller takes (turnout: yes; a report: no).

    ``match`` caches its answer per spelling as written: an import has few distinct spellings.
    """

    CACHE = 10_000  # distinct spellings kept; a hostile file of unique spellings empties it and goes on

    def __init__(
        self, aliases: Mapping[str, str] | None = None, *, bare_almaty: BareAlmaty = "hold", national: bool = False
    ) -> None:
        self.aliases = dict(aliases or {})
        self.bare_almaty = bare_almaty
        self.national = national
        self._cache: dict[str, Match] = {}

    def match(self, text: str) -> Match:
        found = self._cache.get(text)
        if found is None:
            if len(self._cache) >= self.CACHE:
                self._cache.clear()
            found = self._cache[text] = self._match(text)
        return found

    def _match(self, text: str) -> Match:
        stripped = text.strip()
        if stripped in regions() or (self.national and stripped == NATIONAL):
            return Match(stripped, (), "id", stripped)
        if len(text) > MAX_SPELLING:
            return Match(None, (), "too_long", "")
        key = spelling_key(text)
        if not key:
            return Match(None, (), "empty", "")
        base, designation = split(key.split(), data().designators)
        learned = self.aliases.get(key)
        if learned is not None and (learned != NATIONAL or self.national):
            return Match(learned, (), "alias", key)
        if designation == "district":
            return Match(None, self.suggest(base), "district", key)
        units = units_of(base, designation) if designation != "both" else frozenset()
        if NATIONAL in units and not self.national:
            return Match(None, (), "national", key)
        if len(units) == 1:
            (unit,) = units
            return Match(unit, (), "shorthand" if (base, unit) in data().shorthand else "name", key)
        if units:  # the bare Almaty
            city = next(u for u in units if regions()[u].kind == "city")
            if self.bare_almaty == "city":
                return Match(city, (), "name", key)
            return Match(None, (city, *sorted(units - {city})), "either", key)
        named = {unit for units in data().table.get(base, {}).values() for unit in units} - {NATIONAL}
        if named:  # the name is known, its designator is not the unit's ("город Актобе", "Астана облысы")
            return Match(None, tuple(sorted(named)), "designation", key)
        return Match(None, self.suggest(base or key), "unknown", key)

    def suggest(self, base: str) -> tuple[str, ...]:
        """At most three units whose names are close to ``base``: for a person to choose, never assigned."""
        found: list[str] = list(data().hints.get(base, ()))
        for close in difflib.get_close_matches(base, data().bases, n=12, cutoff=0.6):
            for units in data().table[close].values():
                for unit in sorted(units):
                    if unit not in found and unit != NATIONAL:
                        found.append(unit)
        return tuple(found[:SUGGESTIONS])

    def refusal(self, text: str, region: str) -> Msg | None:
        """Why ``text`` cannot be learned as a name of ``region`` (None: it can)."""
        key = spelling_key(text)
        if region not in regions() and region != NATIONAL:
            return Msg("gazetteer.refused.unit", region=repr(region))
        if len(key.replace(" ", "")) < MIN_ALIAS or len(text) > MAX_SPELLING:
            return Msg("gazetteer.refused.length", value=repr(text[:60]), least=MIN_ALIAS, most=MAX_SPELLING)
        known = Gazetteer(self.aliases, national=True).match(text)
        if known.why == "either":
            return Msg("gazetteer.refused.either", value=repr(text[:60]))
        if known.region is not None and known.region != region:
            return Msg("gazetteer.refused.taken", value=repr(text[:60]), region=known.region)
        return None
