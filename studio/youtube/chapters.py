"""YouTube chapters from the as-run log: pure, so the adapter only fetches and writes.

YouTube turns timestamp lines in a video's description into chapters only if
the first is 0:00, there are at least three, they ascend, and every chapter
lasts at least 10 seconds; otherwise it silently ignores them all (YouTube
Help "Video chapters", as quoted by 9to5google.com 2020-05-28 and
support.vevo.com). The Data API takes a description of at most 5000 *bytes*
of UTF-8 without ``<`` or ``>`` (developers.google.com/youtube/v3/docs/videos,
snippet.description): a Cyrillic letter takes two bytes.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from itertools import pairwise

from studio.errors import Kind, StudioError
from studio.store import AsRunRow

MIN_CHAPTERS = 3
MIN_LENGTH = 10  # seconds
DESCRIPTION_BYTES = 5000
TITLE_LIMIT = 100  # characters; YouTube's display limits are not documented, this only bounds the bytes
SECOND = timedelta(seconds=1)
LANGUAGES = ("kk", "ru", "en")
# A line the block may hold besides its heading: what ``timestamp`` writes, then a title.
_CHAPTER_LINE = re.compile(r"\d+:\d\d(:\d\d)? \S")


@dataclass(frozen=True, slots=True)
class Chapter:
    offset: timedelta  # from the broadcast's actualStartTime, whole seconds
    title: str


class ChaptersError(StudioError, ValueError):
    """The chapters cannot be made or written; the message says what to do."""

    kind = Kind.REFUSED


@dataclass(slots=True)
class _Span:
    start: int  # seconds from the broadcast's start
    segment_id: str
    title: str


def chapters_from_asrun(
    rows: Sequence[AsRunRow],
    started: datetime,
    ended: datetime | None,
    language: str,
    *,
    title_limit: int = TITLE_LIMIT,
) -> list[Chapter]:
    """The chapters of the broadcast that ran from ``started`` to ``ended`` (None: still running
    or unknown, then the last chapter's length is not checked).

    Rows are ``Controller.asrun()``: in played order (the store sorts by start), undone takes gone.
    """
    if title_limit < 10:
        raise ChaptersError(f"title_limit {title_limit} leaves no readable title: use 10 characters or more")
    if language not in LANGUAGES:
        raise ChaptersError(f"unknown show language {language!r}: use one of {', '.join(LANGUAGES)}")
    if started.tzinfo is None or (ended is not None and ended.tzinfo is None):
        raise ChaptersError("the broadcast's start and end must carry a time zone (YouTube reports UTC)")
    if ended is not None and ended <= started:
        raise ChaptersError(f"the broadcast ends ({ended.isoformat()}) before it starts ({started.isoformat()})")
    until = None if ended is None else (ended - started) // SECOND

    spans: list[_Span] = []
    for row in rows:
        if row.ended_at is not None and row.ended_at <= started:
            continue  # played before YouTube went live
        start = max(0, (row.started_at - started) // SECOND)  # on air before the stream: clip to 0:00
        if until is not None and start >= until:
            continue  # after the broadcast ended
        if spans and spans[-1].segment_id == row.segment_id:
            continue  # a retake (e.g. after a lost feed) continues the same chapter
        spans.append(_Span(start, row.segment_id, _title(row, language, title_limit)))

    kept: list[_Span] = []
    for index, span in enumerate(spans):
        end = spans[index + 1].start if index + 1 < len(spans) else until
        short = end is not None and end - span.start < MIN_LENGTH
        # A short chapter goes into the one before, so every later chapter still starts exactly
        # where its segment did; the first has none before it, so the next one takes over 0:00.
        # A segment back on air after a short one in between continues its chapter.
        if short or (kept and kept[-1].segment_id == span.segment_id):
            continue
        kept.append(span)
    if kept:
        kept[0].start = 0  # YouTube needs 0:00, also when the first take came after the stream began

    if len(kept) < MIN_CHAPTERS:
        raise ChaptersError(
            f"only {len(kept)} chapter(s) of at least {MIN_LENGTH} s between the broadcast's start and end: "
            f"YouTube needs {MIN_CHAPTERS}. Check that the as-run log belongs to this broadcast, "
            "or leave the description without chapters"
        )
    return [Chapter(span.start * SECOND, span.title) for span in kept]


def _title(row: AsRunRow, language: str, limit: int) -> str:
    # Titles exist only in Kazakh and Russian. An English show gets the Russian, as the English
    # screens do (Bilingual.text): of the two it is the one more viewers outside Kazakhstan read.
    first, second = (row.title_kk, row.title_ru) if language == "kk" else (row.title_ru, row.title_kk)
    # An empty line after a timestamp would not be a chapter, so fall back rather than write one.
    text = clean(first) or clean(second) or row.segment_id  # ids are slugs (rundown/load.py)
    return _shorten(text, limit)


_CLOCK_TIME = re.compile(r"(\d):(\d\d)")


def clean(text: str) -> str:
    """One line YouTube accepts: no ``<``/``>``, no control or invisible characters, single spaces.

    A clock time is written 10.00: YouTube takes any H:MM in a description for a timestamp link,
    so "briefing: turnout at 10:00" would jump ten minutes into the video.
    """
    kept = (" " if ch in "<>" or unicodedata.category(ch).startswith("C") else ch for ch in text)
    return _CLOCK_TIME.sub(r"\1.\2", " ".join("".join(kept).split()))


def _shorten(text: str, limit: int) -> str:
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if text[limit - 1] != " " and " " in cut:
        cut = cut.rsplit(" ", 1)[0]  # a word cut in half reads as a typo
    return cut.rstrip(" ,.;:—-") + "…"


def timestamp(offset: timedelta) -> str:
    """YouTube's own form, floor seconds: "0:00", "12:34", "1:02:03".

    Minutes-only under an hour and hours past it, mixed in one list as YouTube itself
    prints them, so the first line is always the literal "0:00" the rule names.
    """
    if offset < timedelta(0):
        raise ValueError(f"a chapter cannot start before the video: {offset}")
    total = offset // SECOND
    hours, rest = divmod(total, 3600)
    minutes, seconds = divmod(rest, 60)
    return f"{hours}:{minutes:02}:{seconds:02}" if hours else f"{minutes}:{seconds:02}"


def description_with_chapters(description: str, chapters: Sequence[Chapter], heading: str) -> str:
    """The description with its chapter block (``heading`` then one line a chapter) replaced,
    or appended after a blank line the first time. Everything else is kept as it was."""
    heading = clean(heading)
    if not heading:
        raise ChaptersError("the chapter heading is empty: it marks the block to replace next time")
    _check(chapters)
    block = [heading] + [f"{timestamp(c.offset)} {c.title}" for c in chapters]

    lines = description.split("\n")
    out: list[str] = []
    placed = False
    index = 0
    while index < len(lines):
        if lines[index].strip() != heading:
            out.append(lines[index])
            index += 1
            continue
        index += 1
        while index < len(lines) and _CHAPTER_LINE.match(lines[index]):
            index += 1  # the old block's chapter lines
        if not placed:  # a second old block (pasted twice) just goes
            out += block
            placed = True
    if not placed:
        kept = "\n".join(out).rstrip()
        out = ([kept, ""] if kept else []) + block
    result = "\n".join(out)

    if "<" in result or ">" in result:
        raise ChaptersError("the description contains '<' or '>', which YouTube refuses: remove them first")
    size = len(result.encode("utf-8"))
    if size > DESCRIPTION_BYTES:
        raise ChaptersError(
            f"the description with chapters is {size} bytes, {size - DESCRIPTION_BYTES} over YouTube's "
            f"{DESCRIPTION_BYTES}-byte limit (UTF-8: a Cyrillic letter counts 2): shorten the description, "
            "or make the chapters again with a smaller title_limit"
        )
    return result


def _check(chapters: Sequence[Chapter]) -> None:
    """Never write a list YouTube would silently ignore."""
    if len(chapters) < MIN_CHAPTERS:
        raise ChaptersError(f"{len(chapters)} chapter(s): YouTube needs at least {MIN_CHAPTERS}")
    if chapters[0].offset // SECOND != 0:
        raise ChaptersError(f"the first chapter starts at {timestamp(chapters[0].offset)}: YouTube needs 0:00")
    for before, after in pairwise(chapters):
        if after.offset // SECOND - before.offset // SECOND < MIN_LENGTH:
            raise ChaptersError(
                f"chapter {before.title!r} at {timestamp(before.offset)} lasts under {MIN_LENGTH} s: "
                "YouTube needs every chapter that long, in ascending order"
            )
    for chapter in chapters:
        if not chapter.title or clean(chapter.title) != chapter.title:
            raise ChaptersError(
                f"chapter title {chapter.title!r} is empty or not one clean line: pass it through clean()"
            )
