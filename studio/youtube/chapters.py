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
from studio.i18n import Msg
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
        raise ChaptersError(Msg("youtube.chapters.title_limit", limit=title_limit))
    if language not in LANGUAGES:
        raise ChaptersError(Msg("youtube.chapters.language", language=repr(language), choices=", ".join(LANGUAGES)))
    if started.tzinfo is None or (ended is not None and ended.tzinfo is None):
        raise ChaptersError(Msg("youtube.chapters.naive"))
    if ended is not None and ended <= started:
        raise ChaptersError(Msg("youtube.chapters.ends_first", ended=ended.isoformat(), started=started.isoformat()))
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
            Msg("youtube.chapters.too_few_kept", count=len(kept), length=MIN_LENGTH, needed=MIN_CHAPTERS)
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
        raise ChaptersError(Msg("youtube.chapters.no_heading"))
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
        raise ChaptersError(Msg("youtube.chapters.angle_brackets"))
    size = len(result.encode("utf-8"))
    if size > DESCRIPTION_BYTES:
        raise ChaptersError(
            Msg("youtube.chapters.too_long", size=size, over=size - DESCRIPTION_BYTES, limit=DESCRIPTION_BYTES)
        )
    return result


def _check(chapters: Sequence[Chapter]) -> None:
    """Never write a list YouTube would silently ignore."""
    if len(chapters) < MIN_CHAPTERS:
        raise ChaptersError(Msg("youtube.chapters.too_few", count=len(chapters), needed=MIN_CHAPTERS))
    if chapters[0].offset // SECOND != 0:
        raise ChaptersError(Msg("youtube.chapters.first_not_zero", start=timestamp(chapters[0].offset)))
    for before, after in pairwise(chapters):
        if after.offset // SECOND - before.offset // SECOND < MIN_LENGTH:
            raise ChaptersError(Msg("youtube.chapters.too_short", title=repr(before.title),
                                    start=timestamp(before.offset), length=MIN_LENGTH))
    for chapter in chapters:
        if not chapter.title or clean(chapter.title) != chapter.title:
            raise ChaptersError(Msg("youtube.chapters.unclean", title=repr(chapter.title)))
