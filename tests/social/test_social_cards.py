"""Social cards (issue 21 part 3): each kind in the three shapes, text inside title-safe, the gate's refusals,
the hour folder written from the sample day's desk, withdrawals, and captions within Telegram's limit."""

from __future__ import annotations

from dataclasses import replace
from datetime import UTC, datetime

import pytest
from PIL import Image

from studio.desk import rules
from studio.desk.demo import VERIFIER
from studio.desk.model import Claim
from studio.graphics.errors import FactRefused
from studio.graphics.gate import FactView, MemoryFacts
from studio.graphics.render import draw
from studio.graphics.schema import RectBox
from studio.paths import sample_rundown
from studio.rundown.load import load_rundown
from studio.rundown.model import Bilingual
from studio.social.cards import NEXT_TITLE, Branding, Card, announcement, hour_cards, inclusion
from studio.social.folder import WITHDRAWN, CardFolder, Outcome, caption, fit_caption
from studio.social.sidecar import CAPTION_LIMIT, SHAPES, Sidecar
from tests.graphics.conftest import FALSE_CLOSING, NATIONAL_10, results_facts, turnout_facts

from .conftest import NOW, ZONE, social_run, watch_two_rounds

CENTRE = Bilingual(kk="Тәуелсіз бақылаушылардың ақпарат орталығы",
                   ru="Информационный центр независимых наблюдателей")
BRANDING = Branding(CENTRE, "https://www.youtube.com/watch?v=Xy3_referendum")
NORTH = FactView(
    id="F12", status="verified", region="north-kz", version=3, verifier="Гүлнар Сейітова",
    claim_kk="Солтүстік Қазақстан облысы, №731 учаске: дауыс беру 07:00-де уақытында басталды, кезек жоқ",
    claim_ru="Северо-Казахстанская область, участок №731: голосование началось вовремя, в 07:00, очередей нет",
    sources=("https://www.nur.kz/politics/kazakhstan/north-kz-731",), as_of=datetime(2026, 3, 15, 2, 10, tzinfo=UTC),
)
WEST_FAKE = replace(
    FALSE_CLOSING, id="F13", region="west-kz",
    claim_kk="Батыс Қазақстан облысында учаскелер сағат 18:00-де жабылады",
    claim_ru="В Западно-Казахстанской области участки закроются в 18:00",
    correction_kk="Батыс Қазақстан облысында да учаскелер сағат 20:00-ге дейін жұмыс істейді",
    correction_ru="В Западно-Казахстанской области участки тоже работают до 20:00",
)
LIVE_NORTH = Bilingual(kk="Тікелей байланыс: Солтүстік Қазақстан облысы — учаске ашылды",
                       ru="Прямое включение: Северо-Казахстанская область — участок открылся")
at = datetime(2026, 3, 15, 10, 20, tzinfo=ZONE)
CARDS = {
    "announce": announcement("announce-live-north-kz", LIVE_NORTH, "15:20", BRANDING),
    "announce-next": announcement("announce-next", NEXT_TITLE, "off", BRANDING,
                                  line1=inclusion(at, "north-kz"), line2=inclusion(at, "shymkent"),
                                  line3=inclusion(at, "west-kz")),
    "fact": Card("fact-F12", "fact", "fact", {"fact": "F12"}),
    "debunk": Card("debunk-F13", "fact", "debunk", {"fact": "F13"}),
    "turnout": Card("turnout-1000", "fact", "turnout", {"hour": "10:00"}),
    "result": Card("result-final", "fact", "result", {"result": "final"}),
}


@pytest.fixture
def facts() -> MemoryFacts:
    return MemoryFacts().add(NATIONAL_10, NORTH, WEST_FAKE, *turnout_facts(), *results_facts())


@pytest.fixture
def cards(tmp_path, facts) -> CardFolder:
    return CardFolder(tmp_path / "hour", facts)


@pytest.mark.parametrize("kind", list(CARDS))
def test_each_kind_of_card_square_against_its_golden_image(cards, golden, kind) -> None:
    """Each card carries Kazakh and Russian together, with the longest region names."""
    golden(draw(cards.prepare(CARDS[kind], NOW)["square"]).image, f"social-{kind}-square")


@pytest.mark.parametrize("shape", ["story", "landscape"])
def test_the_fact_card_and_the_announcement_in_story_and_landscape(cards, golden, shape) -> None:
    for kind in ("announce", "fact"):
        golden(draw(cards.prepare(CARDS[kind], NOW)[shape]).image, f"social-{kind}-{shape}")


@pytest.mark.parametrize("kind", list(CARDS))
def test_text_stays_inside_title_safe_in_every_shape(cards, kind) -> None:
    """Each text box is inside the template's 90% title-safe area (checked at load too), and outside it the
    drawn card is only its background and its top band: no glyph reaches the margin."""
    for shape, prepared in cards.prepare(CARDS[kind], NOW).items():
        template = prepared.template
        assert (template.canvas.width, template.canvas.height) == SHAPES[shape]
        safe = template.safe
        assert safe.x >= 0.05 * SHAPES[shape][0] - 1 and safe.y >= 0.05 * SHAPES[shape][1] - 1
        for box in template.boxes:
            assert isinstance(box, RectBox) or safe.contains(box), (kind, shape, box)
        image = draw(prepared).image.convert("RGB")
        fills = {template.color(box.fill)[:3] for box in template.boxes if isinstance(box, RectBox)
                 and not safe.contains(box)}
        margin = Image.new("L", image.size, 255)
        margin.paste(0, (safe.x, safe.y, safe.right, safe.bottom))
        colours = {colour for _, colour in image.getcolors(maxcolors=1 << 20) or []}
        outside = {colour for count, colour in Image.composite(image, Image.new("RGB", image.size, (1, 2, 3)),
                                                               margin).getcolors(maxcolors=1 << 20)}
        assert outside - {(1, 2, 3)} <= fills, (kind, shape, outside - fills)
        assert len(colours) > len(fills) + 2  # text was drawn (anti-aliased), inside


def test_the_gate_refuses_what_is_not_verified_or_held(tmp_path, facts) -> None:
    cards = CardFolder(tmp_path / "hour", facts)
    for status, said in (("in_review", "'in_review', not 'verified'"), ("retracted", "'retracted'"),
                         ("conflict", "sources disagree")):
        facts.add(replace(NORTH, status=status, conflict="C2: F12 20.68 nur.kz · F14 20.86 tengrinews.kz"))
        with pytest.raises(FactRefused, match=said):
            cards.prepare(CARDS["fact"], NOW)
    facts.add(replace(WEST_FAKE, status="verified"))  # a true claim is no debunk
    with pytest.raises(FactRefused, match="'verified', not 'false'"):
        cards.prepare(CARDS["debunk"], NOW)
    facts.add(replace(facts.facts["turnout-1000-national"], status="in_review"))
    with pytest.raises(FactRefused):
        cards.prepare(CARDS["turnout"], NOW)
    facts.add(replace(facts.facts["result-yes"], status="conflict", conflict="C3: result-yes 7954667 interfax.ru"))
    with pytest.raises(FactRefused, match="result-yes"):
        cards.prepare(CARDS["result"], NOW)
    outcome = cards.sync(list(CARDS.values()), NOW)
    assert sorted(name for name, _ in outcome.refused) == ["debunk-F13", "fact-F12", "result-final", "turnout-1000"]
    assert sorted(outcome.written) == ["announce-live-north-kz", "announce-next"]
    assert sorted(path.stem for path in cards.folder.glob("*.json")) == ["announce-live-north-kz", "announce-next"]


def test_the_hour_from_the_rundown(tmp_path) -> None:
    rundown = load_rundown(sample_rundown())
    ten = hour_cards(rundown, datetime(2026, 3, 15, 10, tzinfo=ZONE), BRANDING)
    assert [c.name for c in ten] == ["announce-crc-1000", "turnout-1000", "announce-live-karaganda",
                                     "announce-live-almaty-region", "debunk-F1", "announce-next"]
    briefing = ten[0].data
    assert (briefing["time"], briefing["title_ru"]) == ("10:00", rundown.get("crc-1000").title.ru)
    assert briefing["centre_kk"] == CENTRE.kk and briefing["link"] == BRANDING.link
    lines = [ten[-1].data[f"line{n}"] for n in (1, 2, 3)]
    assert lines[0].startswith("10:") and "Қарағанды облысы · Карагандинская область" in lines[0]


def test_the_folder_of_the_sample_day_from_the_desk(tmp_path, sample_desk) -> None:
    """Hour 10 of the sample day: the briefing, two inclusions, the next ones, the verified 10:00 turnout and
    the correction of the retracted F1; each with a sidecar naming its three images, and the facts stated."""
    path, _ = sample_desk
    run, stdout, stderr = social_run(path, tmp_path / "social", 10)
    folder, outcome = run.round()
    run.desk.close()
    assert folder == tmp_path / "social" / "referendum-2026" / "2026-03-15T10"
    assert outcome.refused == [] and stderr.getvalue() == ""
    written = {p.stem: Sidecar.read(p) for p in folder.glob("*.json")}
    assert sorted(written) == sorted(outcome.written) == sorted(
        ["announce-crc-1000", "announce-live-karaganda", "announce-live-almaty-region", "turnout-1000", "debunk-F1",
         "announce-next"])
    for sidecar in written.values():
        assert set(sidecar.images) == set(SHAPES)
        for shape, name in sidecar.images.items():
            assert Image.open(folder / name).size == SHAPES[shape]
    turnout = written["turnout-1000"]
    assert turnout.kind == "fact" and turnout.caption.index("19,21%") < turnout.caption.index("Явка")
    assert turnout.facts and all(f.sources for f in turnout.facts)
    assert [f.id for f in written["debunk-F1"].facts] == ["F1"]
    assert "wrote 6 card(s)" in stdout.getvalue()
    again, stdout, _ = social_run(path, tmp_path / "social", 10)
    assert again.round()[1].unchanged == outcome.written  # nothing changed: nothing redrawn
    again.desk.close()


def test_a_refused_card_is_said_with_why_and_not_written(tmp_path, sample_desk) -> None:
    path, _ = sample_desk
    run, stdout, stderr = social_run(path, tmp_path / "social", 12)  # 12:00's turnout is still in review
    folder, outcome = run.round()
    run.desk.close()
    assert [name for name, _ in outcome.refused] == ["turnout-1200"]
    assert "card turnout-1200 not written" in stderr.getvalue() and "12:00" in stderr.getvalue()
    assert not list(folder.glob("turnout-1200*"))


def test_watch_withdraws_the_card_of_a_retracted_fact(tmp_path, sample_store) -> None:
    """The watcher in a thread, on each database; the desk retracts F3 on its own connection (on PostgreSQL,
    heard through LISTEN/NOTIFY): the card and its images move to withdrawn/ with the reason and the fact in
    its sidecar, and the live sidecar is gone."""
    path, desk = sample_store
    run, _, _ = social_run(path, tmp_path / "social", 7)

    def retract(first: Outcome) -> None:
        assert "fact-F3" in first.written
        fact = desk.get(3)
        desk.change(fact.id, fact.version, rules.Retract(Claim(kk="Кезек болмады", ru="Очереди не было")),
                    by=VERIFIER, at=NOW)

    _, second = watch_two_rounds(run, retract)
    assert second.withdrawn == ["fact-F3"] and [name for name, _ in second.refused] == ["fact-F3"]
    folder = tmp_path / "social" / "referendum-2026" / "2026-03-15T07"
    assert not (folder / "fact-F3.json").exists() and not list(folder.glob("fact-F3-*.png"))
    withdrawn = Sidecar.read(folder / WITHDRAWN / "fact-F3.json")
    assert withdrawn.withdrawn is not None and withdrawn.withdrawn.fact == "F3"
    assert "retracted" in withdrawn.withdrawn.reason
    assert all((folder / WITHDRAWN / image).is_file() for image in withdrawn.images.values())
    assert (folder / "announce-next.json").is_file()  # the other cards stay


KAZAKH_ONLY = set("ӘҒҚҢӨҰҮҺІәғқңөұүһі")


def test_captions_stay_within_telegram_s_limit_with_the_longest_texts(tmp_path, facts) -> None:
    """The longest texts the templates take: Kazakh first, then Russian, within 1,024 characters."""
    long_kk = ("Солтүстік Қазақстан облысы мен Батыс Қазақстан облысындағы учаскелерде " * 4)[:200]
    long_ru = ("Северо-Казахстанская и Западно-Казахстанская области: участки " * 4)[:200]
    facts.add(replace(NORTH, claim_kk=long_kk, claim_ru=long_ru))
    facts.add(replace(WEST_FAKE, claim_kk=long_kk[:180], claim_ru=long_ru[:180], correction_kk=long_kk[:180],
                      correction_ru=long_ru[:180]))
    cards = CardFolder(tmp_path, facts)
    for kind in CARDS:
        square = cards.prepare(CARDS[kind], NOW)["square"].resolved
        text = caption(CARDS[kind], square.values, square.data)
        assert len(text) <= CAPTION_LIMIT, kind
        kk, ru = text.split("\n\n")[:2]
        assert set(kk) & KAZAKH_ONLY and not set(ru) & KAZAKH_ONLY, kind
        if CARDS[kind].kind == "fact":
            assert "Дереккөз: " in kk and "Источник: " in ru


def test_a_caption_too_long_shortens_the_claims_never_the_source_line() -> None:
    """A station's template may take longer texts than ours: the claims give way, each ending in «…»."""
    source = "\nДереккөз: ОРК / ЦРК · сағат 12:40 жағдайы бойынша"
    text = fit_caption([("ә" * 900, True), (source, False), ("\n\n", False), ("я" * 600, True)])
    assert len(text) <= CAPTION_LIMIT and text.count("…") == 2 and source in text
    assert text.index("ә") < text.index("я")


def test_the_command_writes_the_hour_and_names_what_it_refused(tmp_path, sample_desk, capsys) -> None:
    from studio.cli import main

    path, _ = sample_desk
    out = tmp_path / "social"
    argv = ["--lang", "ru", "--store", str(path), "social", "--rundown", str(sample_rundown()), "--out", str(out), "--hour"]
    assert main([*argv, "12"]) == 0
    said = capsys.readouterr()
    assert "записано карточек: 5" in said.out and "debunk-F2" in said.out
    assert "карточка turnout-1200 не записана" in said.err and "12:00" in said.err  # in review: no card
    assert sorted(p.stem for p in (out / "referendum-2026" / "2026-03-15T12").glob("*.json")) == [
        "announce-crc-1200", "announce-live-aktobe", "announce-live-almaty-noon",
        "announce-next", "debunk-F2"]
    with pytest.raises(SystemExit):
        main([*argv, "24"])
    assert "--hour" in capsys.readouterr().err


def test_a_card_the_rundown_no_longer_has_is_withdrawn_and_a_changed_one_rewritten(cards, facts) -> None:
    first = cards.sync([CARDS["announce"], CARDS["fact"]], NOW)
    assert sorted(first.written) == ["announce-live-north-kz", "fact-F12"]
    before = Sidecar.read(cards.folder / "fact-F12.json")
    facts.add(replace(NORTH, version=4, claim_ru=NORTH.claim_ru + " (уточнено)"))  # verified again, new words
    moved = replace(CARDS["announce"], data=CARDS["announce"].data | {"time": "15:40"})
    second = cards.sync([moved, CARDS["fact"]], NOW)
    assert sorted(second.written) == ["announce-live-north-kz", "fact-F12"]
    after = Sidecar.read(cards.folder / "fact-F12.json")
    assert [f.version for f in after.facts] == [4] and after.images != before.images
    assert not any((cards.folder / image).exists() for image in before.images.values())  # old images gone
    assert "15:40" in Sidecar.read(cards.folder / "announce-live-north-kz.json").caption
    third = cards.sync([CARDS["fact"]], NOW)
    assert third.withdrawn == ["announce-live-north-kz"] and third.unchanged == ["fact-F12"]
    gone = Sidecar.read(cards.folder / WITHDRAWN / "announce-live-north-kz.json")
    assert gone.withdrawn is not None and gone.withdrawn.reason == "no longer in the rundown for this hour"
    assert gone.withdrawn.fact is None
