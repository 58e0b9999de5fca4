"""The desk's queue cells in the reader's language."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from studio.i18n import set_language
from studio.tui.desk.view import WIDTH, age, span_name

NOW = datetime(2026, 12, 6, 12, 0, tzinfo=UTC)


@pytest.mark.parametrize(("language", "ago", "said"), [
    ("kk", timedelta(0), "0 мин"),
    ("kk", timedelta(minutes=42), "42 мин"),
    ("kk", timedelta(hours=3, minutes=5), "3 сағ"),
    ("ru", timedelta(hours=3, minutes=5), "3 ч"),
    ("ru", timedelta(days=2), "2 дн"),
    ("en", timedelta(minutes=7), "7m"),
    ("en", timedelta(hours=3, minutes=5), "3h"),
    ("en", timedelta(days=2), "2d"),
])
def test_an_age_is_said_in_the_readers_language_and_fits_its_column(language, ago, said) -> None:
    set_language(language)
    try:
        assert age(NOW - ago, NOW) == said
        assert len(said) <= WIDTH["age"]
    finally:
        set_language("en")


def test_the_age_filter_names_its_spans_in_the_readers_language() -> None:
    set_language("kk")
    try:
        assert span_name(timedelta(minutes=15)) == "соңғы 15 мин"
        assert span_name(timedelta(hours=3)) == "соңғы 3 сағ"
    finally:
        set_language("en")
    assert span_name(timedelta(hours=1)) == "last 1h"
