"""The gazetteer's golden test: every name of studio/gazetteer.toml to its unit, the names people really write,
and the near-misses that must never be assigned a unit (issue 19, part 1)."""

from __future__ import annotations

import tomllib

import pytest

from studio.desk.gazetteer import MAX_SPELLING, Gazetteer, data, spelling_key
from studio.i18n import LANGUAGES
from studio.paths import shipped
from studio.regions import NATIONAL, regions

RAW = tomllib.loads(shipped("gazetteer.toml").read_text("utf-8"))
EVERY = Gazetteer(national=True)
CITY_WORDS = ("город", "г.", "қаласы", "city")
REGION_WORDS = ("область", "облысы", "обл.", "region", "oblysy")
_KEYBOARD = str.maketrans("әғқңөұүһіӘҒҚҢӨҰҮҺІ", "агкноуухиАГКНОУУХИ")


def every_name() -> list[tuple[str, str]]:
    return [(name, unit["id"]) for unit in RAW["unit"] for name in (*unit["names"], *unit.get("shorthand", ()))]


# What outlets and observers really write, each with its unit: the issue's own list first.
GOLDEN = {
    "город Астана": "astana", "Астана қаласы": "astana", "г. Астана": "astana", "Astana": "astana",
    "Область Абай": "abai", "Жетысуская область": "jetisu", "Улытауская область": "ulytau", "Алма-Ата": "almaty",
    "Kyzylorda": "kyzylorda", "East Kazakhstan": "east-kz", "Абайская": "abai", "Абайская область": "abai",
    "Nur-Sultan": "astana", "Нур-Султан": "astana", "Целиноград": "astana",
    "город Алматы": "almaty", "Алматы қаласы": "almaty", "г.Алматы": "almaty", "Almaty city": "almaty",
    "Алматы облысы": "almaty-region", "Алматинская область": "almaty-region", "Almaty Region": "almaty-region",
    "Almaty oblast": "almaty-region", "Алматинская": "almaty-region",
    "Shymkent": "shymkent", "Chimkent": "shymkent", "Şymkent": "shymkent", "Шымкент қ.": "shymkent",
    "Qyzylorda": "kyzylorda", "Кзыл-Орда": "kyzylorda", "Aktobe": "aktobe", "Aqtöbe": "aktobe",
    "Aktyubinsk": "aktobe", "Актюбинская обл.": "aktobe", "Ақтөбе облысы": "aktobe",
    "Восточно-Казахстанская область": "east-kz", "ВКО": "east-kz", "Шығыс Қазақстан облысы": "east-kz",
    "Северо-Казахстанская область": "north-kz", "North Kazakhstan Region": "north-kz", "СКО": "north-kz",
    "Западно-Казахстанская область": "west-kz", "West Kazakhstan": "west-kz", "Batys Qazaqstan oblysy": "west-kz",
    "Mañğystau oblysy": "mangystau", "Mańǵystaý oblysy": "mangystau", "Мангистауская область": "mangystau",
    "Qarağandy oblysy": "karaganda", "Карагандинская обл": "karaganda", "Qostanai oblysy": "kostanay",
    "Türkıstan oblysy": "turkistan", "Туркестанская область": "turkistan", "Jetısu oblysy": "jetisu",
    "Kokshetau": "akmola", "Көкшетау": "akmola", "Конаев": "almaty-region", "Усть-Каменогорск": "east-kz",
    "Уральск": "west-kz", "Aktau": "mangystau", "Тараз": "jambyl", "Петропавловск": "north-kz",
    # Kazakh in Arabic script
    "استانا": "astana", "شىمكەنت": "shymkent", "الماتى قالاسى": "almaty", "الماتى وبلىسى": "almaty-region",
    "اباي وبلىسى": "abai", "قاراعاندى وبلىسى": "karaganda", "تۇركىستان وبلىسى": "turkistan",
    "شىعىس قازاقستان وبلىسى": "east-kz", "جەتىسۋ وبلىسى": "jetisu", "قىزىلوردا": "kyzylorda",
    "ﺍﺳﺘﺎﻧﺎ": "astana",  # the same in Arabic presentation forms (NFKC)
    # sloppy: case, spaces, keyboard, look-alikes, invisible characters
    "  АСТАНА  ": "astana", "астана": "astana", "Акмола облысы": "akmola", "Шыгыс Казакстан": "east-kz",
    "Аstana": "astana",  # a Cyrillic А in a Latin word
    "Кoстанай": "kostanay",  # a Latin o in a Cyrillic word
    "Аст\u200bана": "astana", "\u202eАстана\u202c": "astana", "\u2066Abai\u2069 Region": "abai",
    "\ufeffПавлодар": "pavlodar", "Ｐａｖｌｏｄａｒ": "pavlodar", "ulytau\u00ad": "ulytau",
    "Turkistan\u0301": "turkistan",
    # English and other outlets' romanisations
    "Kazakhstan": NATIONAL, "Қазақстан бойынша": NATIONAL, "Doğu Kazakistan": "east-kz", "Türkistan": "turkistan",
    "Kostanay Province": "kostanay", "Batı Kazakistan": "west-kz",
}

# Never a unit: each waits for a person, with the reason.
NEAR_MISSES = {
    "Алматы": "either", "Almaty": "either", "ALMATY": "either", "الماتى": "either", "Алматы\u200b": "either",
    "Алматинский район": "district",  # a district of Astana
    "Алматы ауданы": "district", "Abai district": "district",
    "Северная": "unknown", "Южная": "unknown", "Казахстанская": "unknown", "Кокчетав": "unknown",
    "город Актобе": "designation",  # the city is not the region
    "Астана облысы": "designation", "Алматы облысы қаласы": "designation", "Almaty city region": "designation",
    "г. Семей": "unknown", "Семей": "unknown", "Талдыкорган": "unknown", "Жезказган": "unknown",
    "Южно-Казахстанская область": "unknown", "Astana\u043a": "unknown",
    "Алматы \u202eысылбо": "unknown",  # looks like "Алматы облысы" reversed; must not become the city
    "阿拉木图州": "unknown", "阿斯塔纳": "unknown",
    "": "empty", "   ": "empty", "\u200b\u200d": "empty", "...": "empty",
    "A" * (MAX_SPELLING + 1): "too_long",
}


@pytest.mark.parametrize("name, unit", every_name(), ids=lambda v: v if isinstance(v, str) else None)
def test_every_name_of_the_data_file_is_its_unit(name: str, unit: str) -> None:
    assert EVERY.match(name).region == unit or (name, unit) in AMBIGUOUS_BY_DESIGN


AMBIGUOUS_BY_DESIGN = {("Алматы", "almaty"), ("Almaty", "almaty"), ("الماتى", "almaty")}


@pytest.mark.parametrize("name, unit", every_name(), ids=lambda v: v if isinstance(v, str) else None)
def test_every_name_written_sloppily_is_still_its_unit(name: str, unit: str) -> None:
    if (name, unit) in AMBIGUOUS_BY_DESIGN:
        return
    for variant in (name.upper(), f"  {name.lower()}  ", name.translate(_KEYBOARD), "\u200b" + name + "\u200e"):
        assert EVERY.match(variant).region == unit, variant


def test_a_unit_s_name_takes_the_designator_of_its_kind_and_no_other() -> None:
    for unit in RAW["unit"]:
        if unit["id"] == NATIONAL:
            continue
        city = regions()[unit["id"]].kind == "city"
        for name in unit["names"]:
            if any(w in name.lower() for w in ("област", "облыс", "region", "oblys", "وبلىسى")):
                continue
            own, other = (CITY_WORDS, REGION_WORDS) if city else (REGION_WORDS, CITY_WORDS)
            for word in own:
                assert EVERY.match(f"{name} {word}").region == unit["id"], (name, word)
            # The bare Almaty with a region's designator is the region; every other name, nothing.
            other_unit = "almaty-region" if (name, unit["id"]) in AMBIGUOUS_BY_DESIGN else None
            for word in other:
                assert EVERY.match(f"{word} {name}").region == other_unit, (word, name)
        for centre in unit.get("shorthand", ()):
            assert EVERY.match(f"город {centre}").region is None, centre  # the city's own figure is not the region's


@pytest.mark.parametrize("spelling, unit", GOLDEN.items())
def test_golden(spelling: str, unit: str) -> None:
    assert EVERY.match(spelling).region == unit


@pytest.mark.parametrize("spelling, why", NEAR_MISSES.items(), ids=lambda v: v[:30] if isinstance(v, str) else None)
def test_near_misses_are_never_assigned(spelling: str, why: str) -> None:
    found = EVERY.match(spelling)
    assert (found.region, found.why) == (None, why)
    for language in LANGUAGES:
        assert found.reason(spelling).render(language).strip()


def test_no_two_units_share_a_name_but_the_bare_almaty() -> None:
    shared = {(base, designation) for base, entry in data().table.items()
              for designation, units in entry.items() if len(units) > 1}
    assert shared == {("алматы", None), ("almaty", None)}


def test_the_bare_almaty_is_the_city_only_when_the_source_says_so() -> None:
    said = Gazetteer(bare_almaty="city")
    assert said.match("Алматы").region == "almaty" and said.match("Almaty").region == "almaty"
    assert said.match("Алматы облысы").region == "almaty-region"
    held = Gazetteer().match("Алматы")
    assert held.region is None and held.suggestions == ("almaty", "almaty-region")


def test_the_country_is_a_place_only_where_the_caller_takes_it() -> None:
    assert Gazetteer().match("Казахстан").region is None and Gazetteer().match("Казахстан").why == "national"
    assert Gazetteer().match("national").region is None
    assert Gazetteer(national=True).match("national").region == NATIONAL


def test_ids_match_as_written() -> None:
    for unit in regions():
        assert Gazetteer().match(unit).region == unit


def test_suggestions_point_at_the_likely_unit_and_never_assign_it() -> None:
    for spelling, unit in (("Семей", "abai"), ("Талдыкорган", "jetisu"), ("Астанаа", "astana"),
                           ("Карагандинскя обл", "karaganda"), ("Южно-Казахстанская область", "turkistan")):
        found = Gazetteer().match(spelling)
        assert found.region is None and unit in found.suggestions and len(found.suggestions) <= 3, (spelling, found)


def test_learned_aliases_match_by_their_spelling_key() -> None:
    learned = Gazetteer({spelling_key("Северная"): "north-kz"})
    assert learned.match("СЕВЕРНАЯ ").region == "north-kz" and learned.match("СЕВЕРНАЯ").why == "alias"
    assert learned.match("Северный").region is None


@pytest.mark.parametrize("spelling, unit, refused", [
    ("Северная", "north-kz", None),
    ("Астана", "almaty", "gazetteer.refused.taken"),  # already another unit's name
    ("Аstana", "almaty", "gazetteer.refused.taken"),  # the same through a look-alike
    ("Алматы", "almaty-region", "gazetteer.refused.either"),  # both Almatys: never learned
    ("Алматы", "almaty", "gazetteer.refused.either"),
    ("Ақ", "aktobe", "gazetteer.refused.length"),
    ("\u200b", "aktobe", "gazetteer.refused.length"),
    ("x" * (MAX_SPELLING + 1), "aktobe", "gazetteer.refused.length"),
    ("Северная", "north", "gazetteer.refused.unit"),
    ("Вся страна", NATIONAL, None),
    ("Казахстан", "astana", "gazetteer.refused.taken"),  # the country is not a unit's alias
])
def test_an_alias_that_would_mislead_is_refused(spelling: str, unit: str, refused: str | None) -> None:
    found = Gazetteer().refusal(spelling, unit)
    assert (found.key if found else None) == refused


def test_a_learned_alias_cannot_be_learned_again_for_another_unit() -> None:
    learned = Gazetteer({spelling_key("Северная"): "north-kz"})
    refused = learned.refusal("северная", "west-kz")
    assert refused is not None and refused.key == "gazetteer.refused.taken"
    assert learned.refusal("северная", "north-kz") is None


def test_the_cache_is_bounded() -> None:
    matcher = Gazetteer()
    for n in range(Gazetteer.CACHE + 5):
        matcher.match(f"nowhere {n}")
    assert len(matcher._cache) <= Gazetteer.CACHE


def test_a_mapping_cannot_give_a_units_name_to_another_unit_but_may_say_what_its_bare_almaty_is(tmp_path) -> None:
    from studio.desk.mapping import load_mapping
    from studio.diagnostics import DiagnosticsError

    path = tmp_path / "m.toml"
    path.write_text('[regions]\n"Аstana" = "almaty"\n', "utf-8")
    with pytest.raises(DiagnosticsError, match="already means astana"):
        load_mapping(path)
    path.write_text('[regions]\n"Алматы" = "almaty"\n"Северная" = "north-kz"\n', "utf-8")
    matcher = load_mapping(path).gazetteer()
    assert matcher.match("АЛМАТЫ").region == "almaty" and matcher.match("северная").region == "north-kz"
    path.write_text('bare_almaty = "city"\n', "utf-8")
    assert load_mapping(path).gazetteer().match("Almaty").region == "almaty"
