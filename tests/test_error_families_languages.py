"""The error families said in studio's own words speak kk and ru through their real entry points:
`studio render` with a broken template, `studio import --mapping` with a bad mapping, a bad keymap
in config.toml, and OBS refusing `studio obs check`. Each is checked for the language's words and
for no fixed piece of translated English left over; English stays as it was."""

from __future__ import annotations

import shutil
import socket
from pathlib import Path

import pytest

from studio.cli import main
from studio.i18n import Msg
from studio.obs import errors
from studio.obs.redact import MASK, remember_secret
from tests.graphics.test_graphics_templates import GOOD
from tests.tui.test_languages import english_fragments

ROOT = Path(__file__).resolve().parent.parent
RUNDOWN = ROOT / "studio" / "sample" / "referendum-day.toml"

# The good template of the template tests, broken: one font lacks Kazakh letters, another is missing,
# a placeholder names no field and the text may shrink below legibility.
TEMPLATE = (
    GOOD.replace('bold = "NotoSans-Bold.ttf"', 'bold = "Russian-Only.ttf"\ngone = "NotoSans-Blod.ttf"')
    .replace('text = "{name}"', 'text = "{name} {nmae}"')
    .replace("min_size = 40", "min_size = 10")
)


def leftovers(text: str, language: str) -> list[str]:
    """Fixed English phrases of the catalogue (two words or more) that have a translation, found in ``text``."""
    return sorted(fragment for fragment in english_fragments(language) if " " in fragment and fragment in text)


def run(argv: list[str], capsys) -> str:
    assert main(argv) == 2
    return capsys.readouterr().err


@pytest.fixture
def config(tmp_path: Path, monkeypatch) -> Path:
    monkeypatch.delenv("STUDIO_LANG", raising=False)
    path = tmp_path / "config.toml"
    path.write_text('[station]\nlanguage = "en"\n', "utf-8")
    return path


@pytest.fixture
def broken_template(tmp_path: Path) -> Path:
    """A template whose one font lacks the Kazakh letters and whose other font file is missing."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    fonts = tmp_path / "overlays" / "fonts"
    fonts.mkdir(parents=True)
    shutil.copy(ROOT / "studio" / "overlays" / "fonts" / "NotoSans-Bold.ttf", fonts / "NotoSans-Bold.ttf")
    subsetter = subset.Subsetter(subset.Options())
    subsetter.populate(text="ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyzАБВГДабвгд")
    font = TTFont(fonts / "NotoSans-Bold.ttf")
    subsetter.subset(font)
    font.save(fonts / "Russian-Only.ttf")
    path = tmp_path / "overlays" / "card.toml"
    path.write_text(TEMPLATE, "utf-8")
    return path


def test_studio_render_says_a_broken_template_in_kazakh_and_russian(
    tmp_path: Path, config: Path, broken_template: Path, capsys
) -> None:
    argv = ["--config", str(config), "--store", str(tmp_path / "s.db")]
    render = ["render", str(broken_template), "--rundown", str(RUNDOWN)]
    english = run([*argv, *render], capsys)
    assert f"{broken_template}:9:1: error: fonts.bold: Russian-Only.ttf has no glyphs for" in english
    assert "they would print as boxes\n  hint: use a font that covers Kazakh Cyrillic" in english
    assert "fonts.gone: font file " in english and "NotoSans-Blod.ttf not found" in english
    assert "did you mean 'NotoSans-Bold.ttf'? known: NotoSans-Bold.ttf, Russian-Only.ttf" in english
    assert "box 2: min_size 10 px is not legible on air\n  hint: use at least 16 px" in english
    assert "box 2: {nmae} names no field\n  hint: did you mean 'name'? known: name" in english
    assert leftovers(english, "kk")  # the check below can fail

    kazakh = run([*argv, "--lang", "kk", *render], capsys)
    assert "fonts.bold: Russian-Only.ttf ішінде" in kazakh and "үшін глифтер жоқ; эфирде олар шаршы" in kazakh
    assert "  hint: қазақ кириллицасын, орыс әліпбиін және қазақ латыншасын қамтитын қаріпті" in kazakh
    assert "NotoSans-Blod.ttf қаріп файлы табылмады" in kazakh
    assert "«NotoSans-Bold.ttf» болуы мүмкін бе? белгілілері: NotoSans-Bold.ttf, Russian-Only.ttf" in kazakh
    assert "2-блок: min_size 10 px эфирде оқылмайды\n  hint: кемінде 16 px қолданыңыз" in kazakh
    russian = run([*argv, "--lang", "ru", *render], capsys)
    assert "в Russian-Only.ttf нет глифов для" in russian and "в эфире они были бы квадратиками" in russian
    assert "блок 2: {nmae} не называет ни одного поля\n  hint: может быть, «name»?" in russian
    for text, language in ((kazakh, "kk"), (russian, "ru")):
        assert text.count(": error: ") == english.count(": error: ") and text.count("  hint: ") == english.count("  hint: ")
        assert leftovers(text, language) == []


def test_studio_render_says_its_own_usage_errors_in_the_language(tmp_path: Path, config: Path, capsys) -> None:
    argv = ["--config", str(config), "--store", str(tmp_path / "s.db"), "--lang", "ru"]
    data = tmp_path / "data.json"
    data.write_text('{"name": ', "utf-8")
    russian = run([*argv, "render", "lower-third", "--rundown", str(RUNDOWN), "--data", str(data)], capsys)
    assert f"{data}:1:10: error: синтаксис JSON: Expecting value\n  hint: исправьте синтаксис в этом месте" in russian
    kazakh = run([*argv[:-1], "kk", "render", "lower-third", "--rundown", str(RUNDOWN), "--out", "x.jpg"], capsys)
    assert kazakh == "studio: error: lower-third: --out x.jpg — .png файлы емес\n  hint: --out АТАУЫ.png деп жазыңыз\n"


def test_studio_import_says_a_bad_mapping_in_kazakh_and_russian(tmp_path: Path, config: Path, capsys) -> None:
    export = tmp_path / "reports.csv"
    export.write_text("observer,received_at,region,kind,text\n", "utf-8")
    mapping = tmp_path / "mapping.toml"
    mapping.write_text(
        'encoding = "klingon"\ntime_zone = "Asia/Almati"\n[regions]\n"Астана қ." = "astna"\n"Жоқ" = "zzz"\n', "utf-8"
    )
    argv = ["--config", str(config), "--store", str(tmp_path / "s.db")]
    importing = ["import", str(export), "--mapping", str(mapping), "--operator", "aigerim"]
    english = run([*argv, *importing], capsys)
    assert f"{mapping}:1: error: encoding: unknown encoding 'klingon'" in english
    assert "time_zone: unknown time zone 'Asia/Almati'; for Kazakhstan use \"Asia/Almaty\"" in english
    assert "[regions] Астана қ.: 'astna' is not a region id; did you mean 'astana'?" in english
    assert "'zzz' is not a region id\n" in english
    kazakh = run([*argv, "--lang", "kk", *importing], capsys)
    assert "encoding: белгісіз кодтау 'klingon'" in kazakh
    assert "белгісіз уақыт белдеуі 'Asia/Almati'; Қазақстан үшін \"Asia/Almaty\" көрсетіңіз" in kazakh
    assert "'astna' — өңір идентификаторы емес; 'astana' болуы мүмкін бе?" in kazakh
    russian = run([*argv, "--lang", "ru", *importing], capsys)
    assert "'zzz' — не идентификатор региона\n" in russian and "неизвестная кодировка 'klingon'" in russian
    for text, language in ((kazakh, "kk"), (russian, "ru")):
        assert text.count(": error: ") == english.count(": error: ") == 4
        assert leftovers(text, language) == []


def test_a_bad_keymap_is_said_in_the_config_language(tmp_path: Path, config: Path, capsys) -> None:
    config.write_text('[station]\nlanguage = "kk"\n[keymap]\n"rundown.take_next" = "f1,,space"\n', "utf-8")
    kazakh = run(["--config", str(config), "locate"], capsys)
    assert f"{config}:3: error: keymap: 'rundown.take_next': 'f1,,space' ішінде бос перне бар" in kazakh
    assert leftovers(kazakh, "kk") == []
    russian = run(["--config", str(config), "--lang", "ru", "locate"], capsys)
    assert "keymap: 'rundown.take_next': пустая клавиша в 'f1,,space'" in russian
    english = run(["--config", str(config), "--lang", "en", "locate"], capsys)
    assert "keymap: 'rundown.take_next': empty key in 'f1,,space'" in english


def test_obs_errors_render_in_every_language_and_stay_redacted() -> None:
    remember_secret("s3cret-obs-pass")
    error = errors.refused("127.0.0.1", 4455, "refused; password='s3cret-obs-pass' s3cret-obs-pass")
    assert str(error) == (
        f"cannot connect to OBS at 127.0.0.1:4455 (refused; password='{MASK}' {MASK}): is OBS running, and is "
        "obs-websocket enabled on port 4455 (Tools > WebSocket Server Settings)?"
    )
    for language in ("kk", "ru", "en"):
        said = error.render(language)
        assert "s3cret" not in said and f"password='{MASK}' {MASK}" in said
    assert error.render("kk").startswith("127.0.0.1:4455 мекенжайындағы OBS-ке қосылу мүмкін емес")
    assert error.render("ru").startswith("не удаётся подключиться к OBS на 127.0.0.1:4455")
    # a secret learned after the error was made is masked too, in every language
    late = errors.request_failed("SetInputSettings", 600, "bad url rtmp://late-secret-value@host")
    remember_secret("late-secret-value")
    assert "late-secret-value" not in late.render("kk") and MASK in late.render("ru")
    assert late.render("kk") == f"OBS SetInputSettings сұрауын қабылдамады (код 600): bad url rtmp://{MASK}@host"
    assert str(errors.request_failed("GetVersion", None, None)) == "OBS refused GetVersion (code None): no reason given"
    # a plain text from elsewhere is kept, redacted, in every language
    plain = errors.ObsError("protocol", "odd answer with password=abc123xyz")
    assert plain.render("kk") == plain.render("en") == str(plain) == f"odd answer with password='{MASK}'"
    assert isinstance(plain.message, Msg)


def test_studio_obs_check_says_obs_is_unreachable_in_kazakh(tmp_path: Path, config: Path, capsys) -> None:
    with socket.socket() as probe:  # a port nothing listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config.write_text(f'[station]\nlanguage = "kk"\n[obs]\nport = {port}\ntimeout = 2\n', "utf-8")
    kazakh = run(["--config", str(config), "obs", "check"], capsys)
    assert kazakh.startswith(f"studio: error: 127.0.0.1:{port} мекенжайындағы OBS-ке қосылу мүмкін емес")
    assert "(Құралдар > WebSocket серверінің баптаулары)?" in kazakh and leftovers(kazakh, "kk") == []
    english = run(["--config", str(config), "--lang", "en", "obs", "check", str(tmp_path / "none.toml")], capsys)
    assert english.startswith(f"studio: error: no rundown at {tmp_path / 'none.toml'}")
