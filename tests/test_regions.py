"""The region list: 3 cities and 17 regions (the division since June 2022), two different Almatys."""

from studio.regions import regions


def test_twenty_units_three_cities() -> None:
    units = regions()
    assert len(units) == 20
    assert [r.id for r in units.values() if r.kind == "city"] == ["astana", "almaty", "shymkent"]


def test_the_two_almatys_are_not_mixed_up() -> None:
    city, region = regions()["almaty"], regions()["almaty-region"]
    assert (city.kk, city.ru, city.centre) == ("Алматы", "Алматы", "Almaty")
    assert (region.kk, region.ru, region.en, region.centre) == (
        "Алматы облысы",
        "Алматинская область",
        "Almaty Region",
        "Konaev",
    )


def test_kazakh_names_use_kazakh_letters() -> None:
    units = regions()
    assert units["east-kz"].kk == "Шығыс Қазақстан облысы"
    assert units["mangystau"].name("kk") == "Маңғыстау облысы"
    assert units["ulytau"].name("ru") == "Область Ұлытау"
    assert units["north-kz"].name("en") == "North Kazakhstan Region"


def test_loaded_once() -> None:
    assert regions() is regions()
