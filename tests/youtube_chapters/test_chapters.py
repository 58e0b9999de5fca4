"""Chapters for the YouTube video, from the as-run log of the sample referendum day."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from itertools import pairwise
from pathlib import Path

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from studio.rundown.load import load_rundown
from studio.store import AsRunRow
from studio.youtube.chapters import (
    Chapter,
    ChaptersError,
    chapters_from_asrun,
    clean,
    description_with_chapters,
    timestamp,
)

SAMPLE = Path(__file__).resolve().parents[2] / "studio" / "sample" / "referendum-day.toml"
HEADING = "Chapters / Бөлімдер"
S = timedelta(seconds=1)
ON_AIR = datetime(2026, 3, 15, 2, 0, tzinfo=UTC)  # 07:00 in Almaty


def row(
    segment_id: str,
    start: datetime,
    end: datetime | None,
    kk: str = "",
    ru: str = "",
    *,
    number: int = 1,
    kind: str = "studio",
    region: str | None = None,
    note: str = "",
) -> AsRunRow:
    return AsRunRow(
        id=number,
        segment_id=segment_id,
        kind=kind,
        title_kk=kk or f"{segment_id} kk",
        title_ru=ru or f"{segment_id} ru",
        region=region,
        planned=timedelta(minutes=5),
        started_at=start,
        ended_at=end,
        taken_by="aigerim",
        origin="console",
        note=note,
    )


def played_day(count: int | None = None) -> list[AsRunRow]:
    """The sample rundown taken back to back from 07:00, each segment its planned length."""
    segments = load_rundown(SAMPLE).segments[:count]
    rows, at = [], ON_AIR
    for number, segment in enumerate(segments, 1):
        end = at + segment.duration
        rows.append(
            AsRunRow(
                number, segment.id, segment.kind.value, segment.title.kk, segment.title.ru, segment.region,
                segment.duration, at, end, "aigerim", "console", "",
            )
        )  # fmt: skip
        at = end
    return rows


def lines(chapters: list[Chapter]) -> list[str]:
    return [f"{timestamp(c.offset)} {c.title}" for c in chapters]


def seconds(stamp: str) -> int:
    """Read a timestamp back the way YouTube does: [h:]m:ss."""
    parts = [int(p) for p in stamp.split(":")]
    assert len(parts) in (2, 3) and all(0 <= p < 60 for p in parts[1:])
    total = 0
    for part in parts:
        total = total * 60 + part
    return total


# --- the sample show ----------------------------------------------------------


def test_the_morning_in_kazakh_starts_at_zero_with_the_opener() -> None:
    rows = played_day(6)
    started = ON_AIR - timedelta(seconds=90)  # YouTube live 90 s before the first take
    chapters = chapters_from_asrun(rows, started, rows[-1].ended_at, "kk")
    assert lines(chapters) == [
        "0:00 Эфир заставкасы",
        "2:30 Эфир басталды: референдум күні",
        "12:30 Тікелей байланыс: Астана — учаске ашылды",
        "19:30 Тікелей байланыс: Алматы — алғашқы сайлаушылар",
        "26:30 Бейнесюжет: бюллетень қалай толтырылады",
        "31:30 Бақылаушылар желісі: бүгін кім және қалай бақылайды",
    ]


def test_russian_titles_and_english_uses_the_russian() -> None:
    rows = played_day(4)
    russian = chapters_from_asrun(rows, ON_AIR, rows[-1].ended_at, "ru")
    assert [c.title for c in russian] == [
        "Заставка эфира",
        "Начало эфира: день референдума",
        "Прямое включение: Астана — участок открылся",
        "Прямое включение: Алматы — первые избиратели",
    ]
    assert chapters_from_asrun(rows, ON_AIR, rows[-1].ended_at, "en") == russian


def test_past_an_hour_the_hours_appear_and_the_first_line_stays_0_00() -> None:
    rows = played_day(20)
    text = lines(chapters_from_asrun(rows, ON_AIR, rows[-1].ended_at, "ru"))
    assert text[0] == "0:00 Заставка эфира"
    assert text[6:9] == [
        "52:00 Прямое включение: Шымкент — утро на участках",
        "59:00 Фактчек: утренние фейки",
        "1:14:00 Прямое включение: ВКО, Усть-Каменогорск",
    ]
    assert "3:00:00 Брифинг ЦРК: явка на 10.00" in text  # the 10:00 briefing: the plan hits it, 3 h after 07:00


def test_the_whole_day_does_not_fit_one_description_but_each_12_hour_half_does() -> None:
    rows = played_day()
    started, ended = ON_AIR - timedelta(seconds=40), rows[-1].ended_at + timedelta(seconds=20)
    whole = chapters_from_asrun(rows, started, ended, "kk")
    assert len(whole) == len(rows)
    with pytest.raises(ChaptersError, match=r"\d+ bytes, \d+ over YouTube's 5000-byte limit"):
        description_with_chapters("", whole, HEADING)
    # YouTube archives a live stream only up to 12 hours: the day goes out as two broadcasts.
    split = started + timedelta(hours=11, minutes=50)
    first = chapters_from_asrun(rows, started, split, "kk")
    second = chapters_from_asrun(rows, split + timedelta(minutes=1), ended, "kk")
    for chapters in (first, second):
        assert len(description_with_chapters("", chapters, HEADING).encode()) <= 5000
    assert second[0].title == "Фактчек: сағат фейктері (18.00)"  # on air across the switch: clipped to 0:00


# --- clipping to the broadcast ------------------------------------------------------


def test_a_show_that_began_before_youtube_went_live_is_clipped_to_zero() -> None:
    rows = played_day(4)  # intro 07:00-07:01, open 07:01-07:11, Astana 07:11-07:18, Almaty 07:18-07:25
    started = ON_AIR + timedelta(minutes=5)
    chapters = chapters_from_asrun(rows, started, rows[-1].ended_at, "ru")
    assert lines(chapters) == [
        "0:00 Начало эфира: день референдума",
        "6:00 Прямое включение: Астана — участок открылся",
        "13:00 Прямое включение: Алматы — первые избиратели",
    ]


def test_what_ended_before_youtube_went_live_is_not_a_chapter_even_across_a_gap() -> None:
    rows = played_day(5)
    ended_first = rows[1].ended_at  # the first broadcast ended with the opening studio at 07:11 ...
    later = [r for r in rows if r.started_at >= ended_first]
    gap = [AsRunRow(r.id, r.segment_id, r.kind, r.title_kk, r.title_ru, r.region, r.planned,
                    r.started_at + timedelta(minutes=3), r.ended_at and r.ended_at + timedelta(minutes=3),
                    r.taken_by, r.origin, r.note) for r in later]  # fmt: skip
    started = ended_first + timedelta(minutes=1)  # ... the second went live at 07:12, the next take at 07:14
    chapters = chapters_from_asrun(rows[:2] + gap, started, None, "ru")
    assert lines(chapters) == [
        "0:00 Прямое включение: Астана — участок открылся",
        "9:00 Прямое включение: Алматы — первые избиратели",
        "16:00 Видеосюжет: как заполнить бюллетень",
    ]


def test_segments_after_the_end_go_and_one_starting_in_its_last_seconds_joins_the_one_before() -> None:
    rows = played_day(6)
    ended = rows[4].started_at + timedelta(seconds=7)  # the video stops 7 s into the how-to-vote film
    chapters = chapters_from_asrun(rows, ON_AIR, ended, "ru")
    assert [c.title for c in chapters][-1] == "Прямое включение: Алматы — первые избиратели"
    assert len(chapters) == 4


def test_the_open_row_runs_to_the_end_of_the_broadcast() -> None:
    rows = played_day(3)
    last = rows[-1]
    open_row = row("live-astana-open", last.started_at, None, kind="live", region="astana")
    on_air = rows[:-1] + [open_row]
    assert len(chapters_from_asrun(on_air, ON_AIR, last.started_at + timedelta(seconds=10), "kk")) == 3
    assert len(chapters_from_asrun(on_air, ON_AIR, None, "kk")) == 3  # still live: the last one is open
    with pytest.raises(ChaptersError, match="only 2 chapter"):
        chapters_from_asrun(on_air, ON_AIR, last.started_at + timedelta(seconds=9), "kk")


def test_a_first_take_after_youtube_went_live_still_starts_at_zero() -> None:
    rows = played_day(3)
    chapters = chapters_from_asrun(rows, ON_AIR - timedelta(minutes=3), None, "kk")
    assert [timestamp(c.offset) for c in chapters] == ["0:00", "4:00", "14:00"]


# --- retakes and short takes ------------------------------------------------------


def test_a_retake_after_a_lost_feed_is_one_chapter() -> None:
    t = ON_AIR
    rows = [
        row("open", t, t + 60 * S, number=1),
        row("live-astana", t + 60 * S, t + 200 * S, number=2, kind="live", note="feed lost"),
        row("live-astana", t + 200 * S, t + 500 * S, number=3, kind="live"),
        row("close", t + 500 * S, t + 600 * S, number=4),
    ]
    assert lines(chapters_from_asrun(rows, t, t + 600 * S, "ru")) == [
        "0:00 open ru",
        "1:00 live-astana ru",
        "8:20 close ru",
    ]


def test_a_feed_lost_seconds_into_a_live_keeps_the_chapter_at_the_first_take() -> None:
    t = ON_AIR
    rows = [
        row("open", t, t + 60 * S, number=1),
        row("live-almaty", t + 60 * S, t + 65 * S, number=2, kind="live", note="feed lost"),
        row("live-almaty", t + 65 * S, t + 400 * S, number=3, kind="live"),
        row("close", t + 400 * S, t + 600 * S, number=4),
    ]
    assert lines(chapters_from_asrun(rows, t, None, "ru")) == ["0:00 open ru", "1:00 live-almaty ru", "6:40 close ru"]


def test_a_short_take_goes_into_the_chapter_before_and_the_next_keeps_its_start() -> None:
    t = ON_AIR
    rows = [
        row("open", t, t + 60 * S),
        row("sting", t + 60 * S, t + 64 * S),  # 4 s: taken through by mistake
        row("live", t + 64 * S, t + 200 * S),
        row("close", t + 200 * S, t + 300 * S),
    ]
    assert lines(chapters_from_asrun(rows, t, t + 300 * S, "kk")) == ["0:00 open kk", "1:04 live kk", "3:20 close kk"]


def test_a_short_first_take_gives_zero_to_the_next() -> None:
    t = ON_AIR
    rows = [
        row("slate", t, t + 9 * S),
        row("open", t + 9 * S, t + 100 * S),
        row("live", t + 100 * S, t + 200 * S),
        row("close", t + 200 * S, t + 300 * S),
    ]
    assert lines(chapters_from_asrun(rows, t, None, "kk")) == ["0:00 open kk", "1:40 live kk", "3:20 close kk"]


def test_a_segment_back_after_a_short_interruption_continues_its_chapter() -> None:
    t = ON_AIR
    rows = [
        row("open", t, t + 60 * S),
        row("live", t + 60 * S, t + 120 * S),
        row("slate", t + 120 * S, t + 125 * S),
        row("live", t + 125 * S, t + 200 * S),
        row("close", t + 200 * S, t + 300 * S),
    ]
    assert lines(chapters_from_asrun(rows, t, None, "kk")) == ["0:00 open kk", "1:00 live kk", "3:20 close kk"]


def test_exactly_ten_seconds_is_long_enough_and_fractions_count_down() -> None:
    t = ON_AIR
    rows = [row("a", t, None), row("b", t + 20 * S, None), row("c", t + 30 * S, None), row("d", t + 39.9 * S, None)]
    # b: 20 → 30 is 10 s; c: 30 → 39 (floor) is 9 s; d: 39 → 50 is 11 s.
    assert lines(chapters_from_asrun(rows, t, t + 50 * S, "kk")) == ["0:00 a kk", "0:20 b kk", "0:39 d kk"]


def test_fewer_than_three_chapters_is_an_error_that_says_why() -> None:
    t = ON_AIR
    rows = [row("open", t, t + 60 * S), row("sting", t + 60 * S, t + 65 * S), row("close", t + 65 * S, None)]
    with pytest.raises(ChaptersError, match=r"only 2 chapter\(s\) of at least 10 s .* YouTube needs 3"):
        chapters_from_asrun(rows, t, t + 120 * S, "kk")
    with pytest.raises(ChaptersError, match="only 0 chapter"):
        chapters_from_asrun([], t, t + 120 * S, "kk")


def test_bad_arguments_are_refused() -> None:
    rows = played_day(4)
    with pytest.raises(ChaptersError, match="unknown show language 'de'"):
        chapters_from_asrun(rows, ON_AIR, None, "de")
    with pytest.raises(ChaptersError, match="time zone"):
        chapters_from_asrun(rows, ON_AIR.replace(tzinfo=None), None, "kk")
    with pytest.raises(ChaptersError, match="before it starts"):
        chapters_from_asrun(rows, ON_AIR, ON_AIR - S, "kk")
    with pytest.raises(ChaptersError, match="title_limit"):
        chapters_from_asrun(rows, ON_AIR, None, "kk", title_limit=3)


# --- titles -------------------------------------------------------------------------


def test_hostile_titles_become_one_clean_line() -> None:
    t = ON_AIR
    rows = [
        row("a", t, t + 60 * S, kk="<script>alert(1)</script>\nЖаңалықтар\t\x00 \u202eтақырып"),
        row("b", t + 60 * S, t + 120 * S, kk="<<>>", ru="Только по-русски"),
        row("c", t + 120 * S, t + 180 * S, kk=" \u200b ", ru="\x07"),
    ]
    titles = [c.title for c in chapters_from_asrun(rows, t, None, "kk")]
    assert titles == ["script alert(1) /script Жаңалықтар тақырып", "Только по-русски", "c"]


def test_a_long_title_is_cut_at_a_word_with_an_ellipsis() -> None:
    t = ON_AIR
    long = "Тікелей байланыс: " + "Солтүстік Қазақстан облысы, Петропавл " * 4
    rows = [row("a", t, None, kk=long), row("b", t + 60 * S, None), row("c", t + 120 * S, None)]
    title = chapters_from_asrun(rows, t, None, "kk", title_limit=40)[0].title
    assert title == "Тікелей байланыс: Солтүстік Қазақстан…"
    assert len(chapters_from_asrun(rows, t, None, "kk")[0].title) <= 100


def test_a_cut_that_falls_on_a_space_keeps_the_whole_word() -> None:
    t = ON_AIR
    rows = [row("a", t, None, ru="Брифинг ЦРК явка на 10:00"), row("b", t + 60 * S, None), row("c", t + 120 * S, None)]
    assert chapters_from_asrun(rows, t, None, "ru", title_limit=12)[0].title == "Брифинг ЦРК…"


# --- timestamps ---------------------------------------------------------------------


@pytest.mark.parametrize(
    ("offset", "text"),
    [
        (timedelta(0), "0:00"),
        (timedelta(seconds=9.999), "0:09"),
        (timedelta(minutes=12, seconds=34), "12:34"),
        (timedelta(minutes=59, seconds=59), "59:59"),
        (timedelta(hours=1), "1:00:00"),
        (timedelta(hours=1, minutes=2, seconds=3), "1:02:03"),
        (timedelta(hours=17, minutes=56), "17:56:00"),
    ],
)
def test_timestamps_in_youtubes_form(offset: timedelta, text: str) -> None:
    assert timestamp(offset) == text


def test_a_negative_offset_is_refused() -> None:
    with pytest.raises(ValueError, match="before the video"):
        timestamp(-S)


# --- the description ------------------------------------------------------------------

CHAPTERS = [Chapter(timedelta(0), "Заставка эфира"), Chapter(90 * S, "Начало эфира"), Chapter(3700 * S, "Итоги")]
BLOCK = "Chapters / Бөлімдер\n0:00 Заставка эфира\n1:30 Начало эфира\n1:01:40 Итоги"


def test_the_block_is_appended_after_a_blank_line() -> None:
    assert description_with_chapters("Тікелей эфир.\n\n", CHAPTERS, HEADING) == "Тікелей эфир.\n\n" + BLOCK
    assert description_with_chapters("", CHAPTERS, HEADING) == BLOCK


def test_the_old_block_is_replaced_in_place_and_the_rest_kept() -> None:
    old = "Тікелей эфир.\n\nChapters / Бөлімдер\n0:00 Old\n5:00 Older\n\nИсточник: ЦРК"
    new = description_with_chapters(old, CHAPTERS, HEADING)
    assert new == "Тікелей эфир.\n\n" + BLOCK + "\n\nИсточник: ЦРК"
    assert description_with_chapters(new, CHAPTERS, HEADING) == new


def test_a_block_pasted_twice_becomes_one() -> None:
    old = "Intro\nChapters / Бөлімдер\n0:00 A\nmiddle\nChapters / Бөлімдер\n0:00 B\n1:00 C"
    assert description_with_chapters(old, CHAPTERS, HEADING) == "Intro\n" + BLOCK + "\nmiddle"


def test_the_byte_limit_counts_utf8_and_says_how_far_over() -> None:
    block = len(BLOCK.encode())
    fits = "ж" * ((5000 - block - 2) // 2)  # two bytes a letter, then "\n\n"
    assert len(description_with_chapters(fits, CHAPTERS, HEADING).encode()) == 5000
    with pytest.raises(ChaptersError, match=r"5002 bytes, 2 over"):
        description_with_chapters(fits + "ж", CHAPTERS, HEADING)


def test_angle_brackets_in_the_description_are_refused() -> None:
    with pytest.raises(ChaptersError, match="'<' or '>'"):
        description_with_chapters("see <b>this</b>", CHAPTERS, HEADING)


@pytest.mark.parametrize(
    ("chapters", "message"),
    [
        (CHAPTERS[:2], "2 chapter"),
        ([Chapter(S, "a"), Chapter(60 * S, "b"), Chapter(120 * S, "c")], "starts at 0:01"),
        ([Chapter(0 * S, "a"), Chapter(9 * S, "b"), Chapter(120 * S, "c")], "'a' at 0:00 lasts under 10 s"),
        ([Chapter(0 * S, "a"), Chapter(60 * S, "b"), Chapter(30 * S, "c")], "'b' at 1:00 lasts under 10 s"),
        ([Chapter(0 * S, "a"), Chapter(60 * S, "b\nc"), Chapter(120 * S, "c")], "not one clean line"),
    ],
)
def test_a_list_youtube_would_ignore_is_never_written(chapters: list[Chapter], message: str) -> None:
    with pytest.raises(ChaptersError, match=message):
        description_with_chapters("", chapters, HEADING)


# --- properties ---------------------------------------------------------------------

titles = st.text(st.characters(codec="utf-8"), max_size=130)
takes = st.lists(
    st.tuples(
        st.integers(0, 40),  # seconds off air before this take (a gap after end_show)
        st.integers(0, 400),  # seconds on air
        st.sampled_from(["open", "live-astana", "live-almaty", "video", "break", "close"]),
        titles,
        titles,
    ),
    max_size=25,
)


def rows_from(spec: list[tuple[int, int, str, str, str]], last_open: bool) -> list[AsRunRow]:
    rows, at = [], ON_AIR
    for number, (gap, length, segment_id, kk, ru) in enumerate(spec, 1):
        start = at + gap * S + number * timedelta(milliseconds=137)  # not on whole seconds
        end = None if last_open and number == len(spec) else start + length * S
        rows.append(row(segment_id, start, end, kk or " ", ru or " ", number=number))
        at = start + length * S
    return rows


@settings(max_examples=300, deadline=None)
@given(
    spec=takes,
    last_open=st.booleans(),
    early=st.integers(-600, 3000),
    length=st.none() | st.integers(1, 12000),
    language=st.sampled_from(["kk", "ru", "en"]),
    limit=st.integers(10, 120),
)
def test_any_as_run_gives_a_list_youtube_accepts(
    spec: list[tuple[int, int, str, str, str]],
    last_open: bool,
    early: int,
    length: int | None,
    language: str,
    limit: int,
) -> None:
    rows = rows_from(spec, last_open)
    started = ON_AIR + early * S + timedelta(milliseconds=500)
    ended = None if length is None else started + length * S
    try:
        chapters = chapters_from_asrun(rows, started, ended, language, title_limit=limit)
    except ChaptersError as error:
        assert "YouTube needs 3" in str(error)
        return
    offsets = [c.offset // S for c in chapters]
    assert len(chapters) >= 3
    assert offsets[0] == 0
    assert all(c.offset == (c.offset // S) * S for c in chapters)
    assert all(b - a >= 10 for a, b in pairwise(offsets))
    if ended is not None:
        assert (ended - started) // S - offsets[-1] >= 10
    starts = {max(0, (r.started_at - started) // S) for r in rows}
    assert set(offsets[1:]) <= starts  # every chapter after the first starts where a take did
    assert all(c.title and clean(c.title) == c.title and len(c.title) <= limit for c in chapters)
    assert all("<" not in c.title and ">" not in c.title for c in chapters)
    # Timestamps read back to the offsets, and the description round-trips.
    assert [seconds(timestamp(c.offset)) for c in chapters] == offsets
    description = "Тікелей эфир / Прямой эфир"
    size = len((description + "\n\n" + "\n".join([HEADING, *lines(chapters)])).encode())
    if size > 5000:
        with pytest.raises(ChaptersError, match=f"{size} bytes, {size - 5000} over"):
            description_with_chapters(description, chapters, HEADING)
        return
    text = description_with_chapters(description, chapters, HEADING)
    assert description_with_chapters(text, chapters, HEADING) == text
    block = text.split(HEADING + "\n", 1)[1].split("\n")
    assert [(seconds(line.split(" ", 1)[0]), line.split(" ", 1)[1]) for line in block] == [
        (o, c.title) for o, c in zip(offsets, chapters)
    ]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.integers(10, 4000), min_size=3, max_size=30), st.integers(0, 59))
def test_takes_of_ten_seconds_or_more_each_keep_their_own_chapter(lengths: list[int], lead: int) -> None:
    rows, at = [], ON_AIR
    for number, length in enumerate(lengths, 1):
        rows.append(row(f"segment-{number}", at, at + length * S, number=number))
        at += length * S
    started = ON_AIR - lead * S
    chapters = chapters_from_asrun(rows, started, at, "ru")
    assert [c.title for c in chapters] == [f"segment-{n} ru" for n in range(1, len(lengths) + 1)]
    assert [c.offset // S for c in chapters[1:]] == [(r.started_at - started) // S for r in rows[1:]]


@given(st.timedeltas(min_value=timedelta(0), max_value=timedelta(days=2)))
def test_every_timestamp_reads_back_to_its_whole_seconds(offset: timedelta) -> None:
    stamp = timestamp(offset)
    assert seconds(stamp) == offset // S
    assert re.fullmatch(r"[1-9]\d*:\d\d:\d\d|[1-5]?\d:\d\d", stamp)


@settings(max_examples=200, deadline=None)
@given(
    st.text(st.characters(codec="utf-8", exclude_characters="<>"), max_size=300),
    st.lists(st.integers(10, 5000), min_size=2, max_size=20),
)
def test_writing_the_chapters_twice_changes_nothing_and_keeps_the_rest(description: str, gaps: list[int]) -> None:
    offsets = [0]
    for gap in gaps:
        offsets.append(offsets[-1] + gap)
    chapters = [Chapter(o * S, f"Бөлім {n}") for n, o in enumerate(offsets)]
    assume(HEADING not in description)
    once = description_with_chapters(description, chapters, HEADING)
    assert description_with_chapters(once, chapters, HEADING) == once
    assert once.startswith(description.rstrip())
    assert once.endswith("\n".join(f"{timestamp(c.offset)} {c.title}" for c in chapters))
    fewer = chapters[:1] + chapters[2:] if len(chapters) > 3 else chapters
    assert description_with_chapters(once, fewer, HEADING) == description_with_chapters(description, fewer, HEADING)


def test_clock_times_in_titles_never_become_timestamp_links() -> None:
    assert clean("Брифинг ЦРК: явка на 10:00 и 12:30") == "Брифинг ЦРК: явка на 10.00 и 12.30"
