"""The bundled fonts cover every letter on-air text may use, and ship with their licence."""

from __future__ import annotations

from pathlib import Path

import pytest
from fontTools.ttLib import TTFont

from studio.graphics import TextRejected, render
from studio.graphics.fonts import KAZAKH_CYRILLIC, KAZAKH_LATIN_2021, REQUIRED, RUSSIAN_CYRILLIC, font_file

FONTS = ("NotoSans-Regular.ttf", "NotoSans-Bold.ttf")


@pytest.mark.parametrize("name", FONTS)
def test_bundled_font_covers_kazakh_cyrillic_russian_and_kazakh_latin(overlays: Path, name: str) -> None:
    cmap = TTFont(overlays / "fonts" / name).getBestCmap()  # read independently of studio's loader
    missing = [c for c in REQUIRED if ord(c) not in cmap]
    assert not missing, f"{name} lacks {missing}: they would print as boxes"
    assert font_file(overlays / "fonts" / name).missing() == ""


def test_the_required_letters_are_the_ones_kz_md_names() -> None:
    assert KAZAKH_CYRILLIC == "ӘәҒғҚқҢңӨөҰұҮүҺһІі"
    assert len(RUSSIAN_CYRILLIC) == 66 and "Ё" in RUSSIAN_CYRILLIC and "ё" in RUSSIAN_CYRILLIC
    for letter in "ÄĞQÑÖŪÜŞIİ":
        assert letter in KAZAKH_LATIN_2021 and letter.lower() in KAZAKH_LATIN_2021 or letter == "İ"
    assert "ı" in KAZAKH_LATIN_2021 and "i" in KAZAKH_LATIN_2021  # dotless and dotted lower case


def test_the_licence_ships_with_the_fonts(overlays: Path) -> None:
    licence = (overlays / "fonts" / "OFL.txt").read_text("utf-8")
    assert "SIL OPEN FONT LICENSE Version 1.1" in licence
    assert "Google" in licence and "Noto" in licence
    assert "PERMISSION & CONDITIONS" in licence and "DISCLAIMER" in licence


@pytest.mark.parametrize("name", FONTS)
def test_the_font_files_are_noto_sans(overlays: Path, name: str) -> None:
    font = TTFont(overlays / "fonts" / name)
    assert font["name"].getDebugName(1) == "Noto Sans"


def test_every_kazakh_letter_renders_a_real_glyph_not_a_box(templates, overlays: Path) -> None:
    """Drawn, each letter differs from the font's 'missing glyph' box (.notdef)."""
    from PIL import Image, ImageDraw

    from studio.graphics.fonts import truetype

    font = truetype(overlays / "fonts" / "NotoSans-Bold.ttf", 40)

    def ink(text: str) -> bytes:
        image = Image.new("L", (80, 80))
        ImageDraw.Draw(image).text((10, 10), text, font=font, fill=255)
        return image.tobytes()

    notdef = ink("\U000e0100")  # a variation selector Noto Sans has no glyph for: the box
    for letter in KAZAKH_CYRILLIC + KAZAKH_LATIN_2021:
        assert ink(letter) != notdef, letter


def test_a_character_outside_the_font_is_refused_not_boxed(templates) -> None:
    with pytest.raises(TextRejected) as caught:
        render(templates["lower-third"], {"name": "Дана Ким \u4e2d"})  # a CJK ideograph: not in Noto Sans
    assert "no glyph for U+4E2D" in str(caught.value) and "box" in str(caught.value)
    with pytest.raises(TextRejected):
        render(templates["lower-third"], {"name": "Дана 😀"})


TEXTS = (
    "Айгерім Сәрсенбаева", "бақылаушылар желісінің үйлестірушісі", "Шығыс Қазақстан облысы",
    "Восточно-Казахстанская область", "Qazaqstan Respublikasy Ortalyq saılau komıssııasy", "ЁЖЗИЙ «ӘҒҚҢ» — ӨҰҮҺІ",
    "Ту Та Ую Vy AV fj", "12 461 796 · 19,21% (10:00)", "а", "Ёж", "  два  пробела  ",
)


@pytest.mark.parametrize("name", FONTS)
@pytest.mark.parametrize("size", [24, 34, 41, 56])
def test_text_composed_from_cached_letters_is_pillows_own_drawing(overlays: Path, name: str, size: int) -> None:
    """The renderer pastes cached glyphs instead of asking FreeType per string (bench/render.py):
    the same pixels, to the value, as Pillow drawing the whole string at the same anchor."""
    from PIL import Image, ImageChops, ImageDraw

    from studio.graphics.fonts import clear_caches, text_mask, text_width, truetype

    path = overlays / "fonts" / name
    font = truetype(path, size)
    clear_caches()
    for text in TEXTS:
        assert text_width(path, size, text) == font.getlength(text), text  # no kerning, whole-pixel advances
        for align in "lmr":
            expected = Image.new("L", (4 * size * len(text) + 4 * size, 4 * size), 0)
            x, y = 2 * size + text_width(path, size, text), 2 * size
            ImageDraw.Draw(expected).text((x, y), text, font=font, fill=255, anchor=f"{align}s")
            mask, left, top = text_mask(path, size, text, align)
            ours = Image.new("L", expected.size, 0)
            ours.paste(mask, (x + left, y + top))
            assert ImageChops.difference(ours, expected).getbbox() is None, (text, align)


def test_a_font_with_a_legacy_kern_table_is_refused_at_load(tmp_path: Path, overlays: Path) -> None:
    """Pillow's basic layout applies 'kern' pairs; letters composed one by one would not."""
    from fontTools.ttLib import newTable
    from fontTools.ttLib.tables._k_e_r_n import KernTable_format_0

    font = TTFont(overlays / "fonts" / "NotoSans-Regular.ttf")
    kern = newTable("kern")
    kern.version, subtable = 0, KernTable_format_0()
    subtable.coverage, subtable.format, subtable.kernTable = 1, 0, {("A", "V"): -80}
    kern.kernTables = [subtable]
    font["kern"] = kern
    font.save(tmp_path / "Kerned.ttf")
    with pytest.raises(ValueError, match="legacy 'kern' table"):
        font_file(tmp_path / "Kerned.ttf")


@pytest.mark.skipif(not Path("/proc/self/maps").exists(), reason="reads this process's mappings (Linux)")
def test_a_day_of_text_sizes_keeps_few_fonts_open(overlays: Path) -> None:
    """Each FreeType face maps its font file anew, and what it reads stays resident: the fitter's sizes
    over a long day must not each keep a face (a rehearsed day used 16; a station's texts, more)."""
    from studio.graphics.fonts import text_width

    path = overlays / "fonts" / "NotoSans-Bold.ttf"
    for size in range(20, 90):
        text_width(path, size, "Қазақстан Республикасы")
    with open("/proc/self/maps", encoding="utf-8") as maps:
        mapped = sum(1 for line in maps if line.rstrip().endswith(str(path)))
    assert mapped <= 4
