"""``studio --lang kk|ru COMMAND --help`` speaks the reader's language; ``--lang en`` says what it always said."""

from __future__ import annotations

import argparse
import re
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from studio.arguments import parser_in
from studio.cli import main
from studio.commands.parser import parser
from studio.i18n import LANGUAGES, Msg, messages
from tests.tui.test_languages import leaks_on

HELP_PAGES = Path(__file__).parent / "data" / "help"
README = Path(__file__).parents[1] / "README.md"

KEPT = frozenset(
    "OBS Studio YouTube Live Google Telegram SQLite PostgreSQL PGPASSWORD pg_dump HTTP API POST bearer CSV JSON JSONL TOML PNG URL "  # names
    "new in_review verified false unproven retracted conflict national "  # what one types after --status, --region
    "turnout violation incident queue protocol other official authority observer media social "  # --kind, --type
    "lower-third fact-card debunk-card "  # templates
    "HH MM plan intake api prompter".split()  # a time as typed (HH:MM, plan); the services of studio up
)
"""Latin words a Kazakh or Russian help page keeps: names, and the values one types (the same in every language)."""

_CODE = re.compile(
    r"\[\w+\]\s+\w+"  # a config key: [station] operator
    r"|`[^`]*`"  # a command quoted: `review`
    r"|\S*[/.$_\d]\S*"  # a path, a file, a variable, an example: studio/regions.toml, $STUDIO_LANG, 1280x720
)

_SUFFIX = re.compile(r"-[^\x00-\x7f]+$")
"""A Kazakh or Russian ending on a name: OBS-те, TOML-сопоставление."""


Parsers = Iterator[tuple[tuple[str, ...], argparse.ArgumentParser]]


def every_parser(root: argparse.ArgumentParser, path: tuple[str, ...] = ()) -> Parsers:
    """Each parser of the tree with the words that reach it (``("fact", "create")``), the root first."""
    yield path, root
    for action in root._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, sub in action.choices.items():
                yield from every_parser(sub, (*path, name))


def names_of(root: argparse.ArgumentParser) -> set[str]:
    """What argparse prints as it is in every language: commands, flags, metavars, choices."""
    names = {"studio", "-h", "--help"}
    for path, each in every_parser(root):
        names.update(path)
        for action in each._actions:
            names.update(action.option_strings)
            if action.metavar is None:  # argparse's own: the dest
                names.add(action.dest.upper() if action.option_strings else action.dest)
            else:
                names.update(action.metavar if isinstance(action.metavar, tuple) else (action.metavar,))
            if action.choices is not None:
                names.update(str(choice) for choice in action.choices)
    return names


def help_page(argv: list[str], capsys: pytest.CaptureFixture[str]) -> str:
    with pytest.raises(SystemExit) as exit:
        main([*argv, "--help"])
    assert exit.value.code == 0
    return capsys.readouterr().out


def prose(page: str, names: set[str]) -> str:
    """``page`` without studio's names and code: what a reader reads as words."""
    words = (_SUFFIX.sub("", word).strip("[].") for word in re.split(r"[\s,{}()|;:]+", _CODE.sub(" ", page)))
    return " ".join(word for word in words if word not in names)


def latin_words(text: str) -> list[str]:
    """The Latin words of ``text`` not kept on purpose."""
    return sorted({word for word in text.split() if re.search("[A-Za-z]{2}", word) and word not in KEPT})


PATHS = [path for path, _ in every_parser(parser())]


@pytest.fixture
def columns(monkeypatch: pytest.MonkeyPatch) -> Callable[[int], None]:
    """Sets the terminal's width, to which argparse wraps the help."""
    return lambda width: monkeypatch.setenv("COLUMNS", str(width))


@pytest.mark.parametrize("language", ["kk", "ru"])
@pytest.mark.parametrize("path", PATHS, ids=lambda path: " ".join(path) or "studio")
def test_every_help_page_has_no_english_left(path: tuple[str, ...], language: str, capsys, columns) -> None:
    columns(1000)  # no text broken at its hyphens
    words = prose(help_page(["--lang", language, *path], capsys), names_of(parser(language)))
    command = " ".join(path)
    assert [leak for leak in leaks_on(words, language) if leak not in KEPT] == [], f"catalogue English in {command}"
    assert latin_words(words) == [], f"English words in {command}"


def test_the_detectors_find_english_on_an_english_help_page(capsys, columns) -> None:
    columns(1000)
    words = prose(help_page(["--lang", "en", "fact", "create"], capsys), names_of(parser("en")))
    assert "the claim in Kazakh" in leaks_on(words, "kk")
    assert {"usage", "options", "message", "claim", "Kazakh"} <= set(latin_words(words))


def test_every_help_text_is_a_catalogue_message() -> None:
    """A plain string would print in English on every page: each text is a Msg with a key in kk, ru and en."""
    texts = []
    for _, each in every_parser(parser()):
        texts += [text for text in (each.description, each.epilog) if text]
        for action in each._actions:
            if action.help and not isinstance(action, argparse._HelpAction):  # -h: argparse's own words
                texts.append(action.help)
            texts += [choice.help for choice in getattr(action, "_choices_actions", []) if choice.help]
    plain = [text for text in texts if not isinstance(text, Msg)]
    assert plain == [], "help texts not in the catalogue"
    assert len(texts) > 100  # the walk reached every parser
    for language in LANGUAGES:
        assert sorted({text.key for text in texts} - set(messages(language))) == [], f"missing in {language}.toml"


@pytest.mark.parametrize("path", [
    ("check",), ("obs", "setup"), ("asrun", "export"), ("observers", "add"), ("render",), ("youtube", "golive"),
    ("fact", "create"),
])
def test_the_english_help_is_word_for_word_what_it_was(path: tuple[str, ...], capsys, columns) -> None:
    """The pages as printed, 80 columns wide, before the help texts moved to the catalogue (tests/data/help/)."""
    columns(80)
    expected = (HELP_PAGES / f"{'-'.join(path)}.txt").read_text("utf-8")
    assert help_page(["--lang", "en", *path], capsys) == expected


def test_the_readme_quotes_the_english_help() -> None:
    lines = README.read_text("utf-8").splitlines()
    check = next(line for line in lines if line.startswith("| `studio check [RUNDOWN]` |"))
    assert f"| {Msg('cli.help.check.about').render('en')};" in check


def test_an_argument_error_shows_the_usage_in_the_asked_language(capsys) -> None:
    with pytest.raises(SystemExit):
        main(["--lang", "kk", "chek"])
    assert capsys.readouterr().err.startswith("қолданылуы: studio [-h]")


def test_a_percent_sign_in_a_translation_is_printed_as_it_is() -> None:
    """argparse fills help texts with % templates; a catalogue text is not one."""
    page = parser_in("ru")(prog="studio")
    page.add_argument("--share", help=Msg("diag.as_is", text="50% of stations"))
    assert "50% of stations" in page.format_help()
