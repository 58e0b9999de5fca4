"""Every YouTube refusal can be told in each interface language, in the console and on the command line."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

from studio.cli import main
from studio.i18n import LANGUAGES, messages
from studio.youtube.errors import _ADVICE

ROOT = Path(__file__).parents[2]
SOURCES = [*(ROOT / "studio" / "youtube").glob("*.py"), ROOT / "studio" / "broadcast.py", *(ROOT / "studio" / "tui" / "widgets" / "youtube").glob("*.py")]


def raised_codes() -> set[str]:
    """The code of every ``YouTubeError("code", ...)`` written in studio, and every mapped API reason's code."""
    codes = {code for code, _ in _ADVICE.values()} | {"auth", "server", "request", "network"}
    for source in SOURCES:
        for node in ast.walk(ast.parse(source.read_text("utf-8"))):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "YouTubeError" and node.args:
                first = node.args[0]
                if isinstance(first, ast.Constant) and isinstance(first.value, str):
                    codes.add(first.value)
    return codes


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_youtube_error_code_has_a_message(language: str) -> None:
    codes = raised_codes()
    assert {"quota", "stream_inactive", "chapters", "obs_busy", "not_started"} <= codes
    missing = sorted(code for code in codes if f"youtube.error.{code}" not in messages(language))
    assert missing == []


def test_the_command_line_says_it_in_the_station_language(tmp_path, capsys) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[station]\nlanguage = "ru"\n[youtube]\ntoken_file = "{tmp_path / "none.json"}"\n')
    small = ROOT / "tests" / "data" / "small.toml"
    assert main(["--config", str(config), "--store", str(tmp_path / "s.db"), "youtube", "status", str(small)]) == 2
    err = capsys.readouterr().err
    assert messages("ru")["youtube.error.auth"].split(":")[0] in err and "studio youtube auth" in err
