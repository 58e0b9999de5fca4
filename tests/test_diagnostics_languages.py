"""Errors shown to users speak kk, ru and en: file diagnostics (config, rundown, import) carry a
catalogue key and params and render in any language, the CLI picks the station's language, and
the console shows a broken rundown file in its interface language."""

from __future__ import annotations

import argparse
from pathlib import Path

import pytest
from pydantic import BaseModel

from studio.cli import main
from studio.language import diagnostics_language
from studio.config import Config, load_config
from studio.desk.importer import import_reports
from studio.desk.mapping import Mapping, load_mapping
from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.i18n import LANGUAGES, Msg, messages
from studio.rundown.load import parse_rundown

ROOT = Path(__file__).resolve().parent.parent
SMALL = ROOT / "tests" / "data" / "small.toml"

def broken_rundown() -> str:
    text = SMALL.read_text("utf-8")
    return text.replace('duration = "15m"', 'duration = "15 minutes"', 1).replace('kind = "studio"', 'kind = "studoi"', 1)


def rundown_problems() -> list[Diagnostic]:
    with pytest.raises(DiagnosticsError) as raised:
        parse_rundown(Path("day.toml"), broken_rundown() + '\n[[segment]]\nid = "x"\nkind = "live"\n'
                      'title = { kk = "а", ru = "б" }\nduration = "1m"\ncolour = "red"\n')
    return raised.value.diagnostics


def test_every_rundown_problem_has_a_code_and_renders_in_each_language() -> None:
    problems = rundown_problems()
    assert problems and all(problem.code.startswith("diag.") for problem in problems)
    english = [problem.render("en") for problem in problems]
    assert english == [str(problem) for problem in problems]  # str() is English, as before
    assert "segment 'open': kind: Input should be 'studio'" in english[0]
    kazakh = "\n".join(problem.render("kk") for problem in problems)
    russian = "\n".join(problem.render("ru") for problem in problems)
    assert "'open' сегменті: kind: мәні мыналардың бірі болуы керек: 'studio'" in kazakh
    assert "сегмент 'guests': duration: длительность '15 minutes' записана не как" in russian
    assert "  hint: пишите длительность как" in russian and "  hint: ұзақтықты" in kazakh
    assert "белгісіз кілт" in kazakh and "неизвестный ключ" in russian and "known keys" not in russian
    for text in (kazakh, russian):  # the layout editors and CI read stays as it is
        assert text.startswith("day.toml:") and ": error: " in text
        assert "Input should" not in text and "duration must" not in text


def test_config_problems_render_in_each_language(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[station]\nlanguge = "kk"\nzone = "Mars/Olympus"\n[api]\nport = 0\n', "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        load_config(path)
    error = raised.value
    assert error.render("en") == str(error)
    assert "did you mean 'language'? known keys: zone, language" in error.render("en")
    kazakh, russian = error.render("kk"), error.render("ru")
    assert "[station] languge: белгісіз кілт\n  hint: «language» болуы мүмкін бе? белгілі кілттер: zone" in kazakh
    assert "[station] zone: неизвестный часовой пояс 'Mars/Olympus'" in russian
    assert "[api] port: значение должно быть не меньше 1\n  hint: ожидается: TCP-порт, 1-65535" in russian
    assert "[api] port: мәні кемінде 1 болуы керек\n  hint: күтілетіні: TCP порты, 1-65535" in kazakh


def test_import_problems_render_in_each_language(tmp_path: Path) -> None:
    from studio.store.desk import open_desk

    export = tmp_path / "reports.csv"
    export.write_text("observer,received_at,region,kind,text\nДана,yesterday,almati,queue,Кезек\n", "utf-8")
    summary = import_reports(open_desk(tmp_path / "d.db"), export, operator="aigerim", rejects=tmp_path / "r.csv")
    reason = summary.rejected[0].reason
    assert reason == "cannot read the time 'yesterday'"  # the quarantine keeps the English text
    assert isinstance(reason, Msg) and reason.render("kk") == "'yesterday' уақытын оқу мүмкін емес"
    assert reason.render("ru") == "не удаётся прочитать время 'yesterday'"
    export.write_text("who,when\n", "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        import_reports(open_desk(tmp_path / "d.db"), export, operator="aigerim")
    assert "в строке заголовков нет столбца 'observer'" in raised.value.render("ru")
    assert "тақырып жолында 'observer'" in raised.value.render("kk")
    bad = tmp_path / "m.toml"
    bad.write_text('delimiter = ";;"\n[columns]\nobserve = "who"\n', "utf-8")
    with pytest.raises(DiagnosticsError) as raised:
        load_mapping(bad)
    assert "m.toml:1: error: delimiter: в строке должно быть не больше 1 симв.\n  hint: ожидается: один символ" in (
        raised.value.render("ru")
    )
    assert "«observer» болуы мүмкін бе?" in raised.value.render("kk")


def _described(model: type[BaseModel], seen: set[type[BaseModel]]) -> dict[str, str]:
    found: dict[str, str] = {}
    if model in seen:
        return found
    seen.add(model)
    for name, field in model.model_fields.items():
        annotation = field.annotation
        if isinstance(annotation, type) and issubclass(annotation, BaseModel):
            found |= _described(annotation, seen)
        elif field.description:
            found[f"diag.field.{model.__name__.lower()}.{name}"] = field.description
    return found


def test_every_settings_description_is_in_the_catalogue_and_the_english_matches_the_model() -> None:
    described = _described(Config, set()) | _described(Mapping, set())
    assert len(described) > 40
    english = messages("en")
    assert {key: english.get(key) for key in described} == described  # the model's words, in en.toml
    for language in LANGUAGES:
        assert all(key in messages(language) for key in described)


def test_every_diagnostic_key_renders_in_every_language_with_its_params() -> None:
    keys = [key for key in messages("en") if key.startswith(("diag.", "cli.error."))]
    assert len(keys) > 150
    for key in keys:
        for language in LANGUAGES:
            text = Msg(key, detail="x", what="y", value="'z'").render(language)
            assert text and "{" + "detail}" not in text


@pytest.mark.parametrize(
    ("lang", "environ", "config", "expected"),
    [
        ("ru", {"STUDIO_LANG": "kk"}, '[station]\nlanguage = "en"\n', "ru"),
        (None, {"STUDIO_LANG": "KK"}, '[station]\nlanguage = "en"\n', "kk"),
        (None, {}, '[station]\nlanguage = "ru"\nzone = "Mars"\n', "ru"),  # a config with errors still says it
        (None, {}, '[station]\nzone = "Asia/Almaty"\n', "kk"),  # the default language
        (None, {}, '[station]\nlanguage = "de"\n', "en"),
        (None, {}, "[station\n", "en"),
        (None, {"STUDIO_LANG": "fr"}, None, "en"),  # a config that cannot be read
    ],
)
def test_the_cli_speaks_the_stations_language(tmp_path: Path, lang, environ, config, expected) -> None:
    path = tmp_path / "config.toml"
    if config is not None:
        path.write_text(config, "utf-8")
    args = argparse.Namespace(lang=lang, config=path)
    assert diagnostics_language(args, environ) == expected


def test_studio_check_prints_in_the_config_language_and_lang_overrides_it(tmp_path: Path, capsys, monkeypatch) -> None:
    monkeypatch.delenv("STUDIO_LANG", raising=False)
    broken = tmp_path / "broken.toml"
    broken.write_text(broken_rundown(), "utf-8")
    config = tmp_path / "config.toml"
    config.write_text('[station]\nlanguage = "ru"\n', "utf-8")
    assert main(["--config", str(config), "check", str(broken)]) == 2
    err = capsys.readouterr().err
    assert f"{broken}:23:1: error: сегмент 'guests': duration: длительность '15 minutes'" in err
    assert main(["--config", str(config), "--lang", "kk", "check", str(tmp_path / "nope.toml")]) == 2
    assert capsys.readouterr().err.startswith(f"studio: error: {tmp_path / 'nope.toml'} жолында эфир жоспары жоқ")
    config.write_text('[station]\nlanguage = "kk"\nlanguge = "ru"\n', "utf-8")
    assert main(["--config", str(config), "locate"]) == 2
    assert f"{config}:3: error: [station] languge: белгісіз кілт" in capsys.readouterr().err


async def test_the_console_shows_a_broken_rundown_file_in_its_language(tmp_path: Path) -> None:
    from studio.show import Controller
    from studio.rundown.load import load_rundown
    from studio.show.services import ShowServices
    from studio.store import open_store
    from studio.tui import StudioApp
    from studio.tui.screens import TextScreen

    rundown = tmp_path / "show.toml"
    rundown.write_text(SMALL.read_text("utf-8"), "utf-8")
    controller = Controller(open_store(tmp_path / "s.db"), load_rundown(rundown), operator="aigerim")
    config = Config.model_validate({"station": {"language": "ru"}})
    app = StudioApp(ShowServices(controller, tmp_path / "s.db"), config, rundown_path=rundown, live=False)
    rundown.write_text(broken_rundown(), "utf-8")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        app.action_reload()
        for _ in range(3):
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, TextScreen)
        shown = "\n".join(dialog.lines)
        assert "сегмент 'guests': duration: длительность '15 minutes' записана не как" in shown
        assert "Input should" not in shown and "duration must" not in shown
    controller.close()


@pytest.mark.parametrize(("argv", "expected"), [
    (["--lang", "kk", "chek"], "COMMAND аргументі: 'chek' жарамсыз таңдау"),
    (["--lang", "ru", "run", "--bogus"], "неизвестные аргументы: --bogus"),
    (["--lang", "kk", "fact"], "мына аргументтер міндетті: ACTION"),
    (["--lang", "en", "fact"], "the following arguments are required: ACTION"),
    (["--lang", "en", "--config"], "argument --config: expected one argument"),
])
def test_argparse_errors_are_said_in_the_asked_language(argv: list[str], expected: str, capsys) -> None:
    with pytest.raises(SystemExit) as exit:
        main(argv)
    assert exit.value.code == 2
    assert expected in capsys.readouterr().err


def test_an_argparse_error_never_worded_before_stays_as_it_is() -> None:
    from studio.arguments import said

    assert said("something argparse may say one day").render("kk") == "something argparse may say one day"
