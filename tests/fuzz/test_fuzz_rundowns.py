"""Hostile rundown files: `studio check` reads them as it reads any rundown, and never shows a traceback.

Three ways in: the shipped sample day mutated key by key (written back as TOML),
the sample's own text broken by raw edits, and bytes that are barely text. Each
either loads (and then its timed plan prints in every language, as `studio check`
does) or is refused with DiagnosticsError whose every line names the file, a line
it has, and a hint.
"""

from __future__ import annotations

import tomllib
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from studio.diagnostics import DiagnosticsError
from studio.i18n import LANGUAGES
from studio.paths import shipped
from studio.preflight import feed_place, is_listener
from studio.rundown.load import load_rundown, parse_rundown
from studio.rundown.plan_report import report
from tests.fuzz.conftest import FUZZ
from tests.fuzz.hostile import assert_diagnosed, broken_text, mutated, odd_text, toml

SAMPLE = shipped("sample/referendum-day.toml")
TEXT = SAMPLE.read_text("utf-8")
TABLE = tomllib.loads(TEXT)


def check(path: Path, text: str) -> None:
    """What `studio check` does with ``text``: the plan in every language, or diagnostics that say where."""
    try:
        rundown = parse_rundown(path, text)
    except DiagnosticsError as error:
        assert_diagnosed(error, path, text)
        return
    for language in LANGUAGES:
        assert rundown.show.title.kk in report(rundown, language)
    for segment in rundown.segments:  # what `studio preflight` reads of a feed before it probes it
        if segment.feed is not None:
            feed_place(segment.feed), is_listener(segment.feed)


@FUZZ
@given(mutated(TABLE))
def test_a_sample_day_mutated_by_key_loads_or_says_where(table) -> None:
    check(SAMPLE, toml(table))


@FUZZ
@given(broken_text(TEXT))
def test_the_sample_day_broken_as_text_says_where(text) -> None:
    check(SAMPLE, text)


@FUZZ
@given(st.binary(max_size=300) | odd_text.map(lambda text: text.encode("utf-8", "surrogatepass")))
def test_bytes_that_are_barely_a_rundown_say_where(tmp_path_factory, data: bytes) -> None:
    path = tmp_path_factory.getbasetemp() / "day.toml"
    path.write_bytes(data)
    try:
        load_rundown(path)
    except DiagnosticsError as error:
        assert_diagnosed(error, path, data.decode("utf-8", "replace"))
