"""Text fits its box: shrink to the minimum size, then wrap to the maximum lines, then refuse. Never cut."""

from __future__ import annotations

import pytest

from studio.graphics import FactView, MemoryFacts, TextDoesNotFit, render
from studio.graphics.fit import fit_text
from studio.graphics.fonts import truetype


def name_box(templates):
    template = templates["lower-third"]
    return template, next(b for b in template.boxes if getattr(b, "id", "") == "name")


def test_a_short_name_keeps_the_full_size(templates) -> None:
    template, box = name_box(templates)
    fitted = fit_text("Дана Ким", template.font_path("bold"), width=box.width, height=box.height, size=box.size,
                      min_size=box.smallest, max_lines=1, line_height=box.line_height)
    assert fitted.size == box.size and fitted.lines == ("Дана Ким",)


def test_a_long_name_shrinks_but_stays_whole_and_inside_the_box(templates) -> None:
    template, box = name_box(templates)
    name = "Әбілқайыр Сәрсенбайұлы Жұмабеков"
    path = template.font_path("bold")
    fitted = fit_text(name, path, width=box.width, height=box.height, size=box.size, min_size=box.smallest,
                      max_lines=1, line_height=box.line_height)
    assert box.smallest <= fitted.size < box.size
    assert fitted.lines == (name,)
    assert truetype(path, fitted.size).getlength(name) <= box.width
    assert truetype(path, fitted.size + 1).getlength(name) > box.width  # the largest size that fits


def test_a_long_role_wraps_to_two_lines_after_shrinking_fails(templates) -> None:
    template = templates["lower-third"]
    role = "Орталық референдум комиссиясының брифингіне қатысқан тәуелсіз бақылаушылар желісінің өкілі"
    rendered = render(template, {"name": "Дана Ким", "role": role})
    assert rendered.prepared.resolved.values["role"] == role  # whole, not cut
    box = next(b for b in template.boxes if getattr(b, "id", "") == "role")
    fitted = fit_text(role, template.font_path("regular"), width=box.width, height=box.height, size=box.size,
                      min_size=box.smallest, max_lines=box.max_lines, line_height=box.line_height)
    assert len(fitted.lines) == 2 and " ".join(fitted.lines) == role


def test_text_too_long_even_at_minimum_size_and_maximum_lines_is_refused_clearly(templates, national) -> None:
    from dataclasses import replace

    claim = "Сағат 10:00-ге дейін 2 393 844 сайлаушы дауыс берді, бұл тізімдегі 12 461 796 сайлаушының 19,21%-ы; " * 2
    assert len(claim.strip()) <= 200  # within the field's max_length: the box, not the schema, refuses it
    facts = MemoryFacts().add(replace(national, claim_kk=claim))
    with pytest.raises(TextDoesNotFit) as caught:
        render(templates["fact-card"], {"fact": national.id}, facts)
    message = str(caught.value)
    assert caught.value.box == "{fact.claim_kk}"
    assert "fact-card: box '{fact.claim_kk}'" in message
    assert "need 3 lines at the minimum 32 px; the box allows 2" in message
    assert "shorten the text to about" in message and "never cut" in message


def test_a_single_word_wider_than_the_box_is_refused(templates) -> None:
    with pytest.raises(TextDoesNotFit, match="the word .* is wider than the box"):
        render(templates["lower-third"], {"name": "Ә" * 58})


def test_a_long_verified_claim_wraps_and_one_too_long_is_refused_not_cut(templates, national) -> None:
    from dataclasses import replace

    long_claim = replace(national, id="f-long", claim_kk=national.claim_kk + ", бұл 2022 жылғы референдумнан жоғары",
                         claim_ru=national.claim_ru)
    facts = MemoryFacts().add(long_claim)
    rendered = render(templates["fact-card"], {"fact": "f-long"}, facts)
    assert rendered.prepared.resolved.values["fact.claim_kk"] == long_claim.claim_kk

    too_long = replace(national, id="f-too-long", claim_kk="Қатысу туралы ресми мәлімет " * 7)
    with pytest.raises(TextDoesNotFit, match="box '\\{fact.claim_kk\\}'"):
        render(templates["fact-card"], {"fact": "f-too-long"}, MemoryFacts().add(too_long))


def test_every_region_name_fits_the_location_bug_and_the_board_in_both_languages(templates, now) -> None:
    from studio.regions import regions

    for region in regions():
        render(templates["location-bug"], {"region": region}, now=now)
    facts = MemoryFacts().add(
        FactView("n", "verified", value="100.00", region="national", sources=("ЦРК",), as_of=now),
        *(FactView(f"r{i}", "verified", value="100.00", region=r, sources=("ЦРК",), as_of=now)
          for i, r in enumerate(regions())),
    )
    for language in ("kk", "ru"):
        render(templates["turnout-board"], {"hour": "14:05", "language": language}, facts, now=now)


def test_numbers_in_groups_and_dashes_do_not_break(templates) -> None:
    from studio.graphics.fit import _units

    assert _units("тізімдегі 12 461 796 сайлаушының — 19,21%") == ["тізімдегі", "12 461 796", "сайлаушының —", "19,21%"]
    assert _units("2026 жылы 15 наурыз") == ["2026", "жылы", "15", "наурыз"]  # "15 нау" is no digit group
    template = templates["fact-card"]
    box = next(b for b in template.boxes if getattr(b, "text", "") == "{fact.claim_ru}")
    text = "К 18:00 проголосовали 8 845 280 избирателей — 70,98% из 12 461 796 внесённых в списки; самая высокая явка"
    fitted = fit_text(text, template.font_path("regular"), width=box.width, height=box.height, size=box.size,
                      min_size=box.smallest, max_lines=box.max_lines, line_height=box.line_height)
    for line in fitted.lines:
        assert not line.startswith(("—", "461", "796", "845", "280"))
