"""Hostile config files: every command reads config.toml first, so none of them may die on it.

The repository's config.toml mutated key by key, broken as text, and bytes that
are barely text. Each either loads or is refused with DiagnosticsError whose every
line names the file, a line it has, and a hint; and the language errors are printed
in is still chosen from it (``diagnostics_language`` reads it leniently, first).
"""

from __future__ import annotations

import argparse
import tomllib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from studio.config import load_config
from studio.diagnostics import DiagnosticsError
from studio.i18n import LANGUAGES
from studio.language import diagnostics_language
from tests.fuzz.conftest import FUZZ
from tests.fuzz.hostile import assert_diagnosed, broken_text, mutated, odd_text, toml

CONFIG = Path(__file__).resolve().parents[2] / "config.toml"
TEXT = CONFIG.read_text("utf-8")
TABLE = tomllib.loads(TEXT)


def check(folder: Path, data: bytes) -> None:
    path = folder / "config.toml"
    path.write_bytes(data)
    assert diagnostics_language(argparse.Namespace(config=path, lang=None), environ={}) in LANGUAGES
    try:
        load_config(path)
    except DiagnosticsError as error:
        assert_diagnosed(error, path, data.decode("utf-8", "replace"))


@FUZZ
@given(mutated(TABLE))
def test_the_config_mutated_by_key_loads_or_says_where(tmp_path_factory, table) -> None:
    check(tmp_path_factory.getbasetemp(), toml(table).encode())


@FUZZ
@given(broken_text(TEXT))
def test_the_config_broken_as_text_says_where(tmp_path_factory, text) -> None:
    check(tmp_path_factory.getbasetemp(), text.encode("utf-8", "surrogatepass"))


@FUZZ
@given(st.binary(max_size=300) | odd_text.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_bytes_that_are_barely_a_config_say_where(tmp_path_factory, data: bytes) -> None:
    check(tmp_path_factory.getbasetemp(), data)
