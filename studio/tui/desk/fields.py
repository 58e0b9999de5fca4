"""What the desk's forms read from typed text, and how they write a fact's
figures back: plain functions (no Textual, no store), each raising
``FieldProblem`` with a catalogue key that says what to type instead.

Times are typed in local time (the station's zone) and kept in UTC: "18:00"
is that hour on the desk's day, "2026-03-15 18:00" any day.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from decimal import Decimal
from zoneinfo import ZoneInfo

from studio.desk.model import figure


class FieldProblem(ValueError):
    """Typed text that is not what the field takes; ``key`` is its catalogue message,
    ``field`` the form's field it is about (set by the form that read it)."""

    def __init__(self, key: str, /, *, field: str | None = None, **params: object) -> None:
        super().__init__(key)
        self.key = key
        self.params = params
        self.field = field


_REPORT_ID = re.compile(r"^[Rr#]?(\d+)$")


def value(text: str) -> Decimal | None:
    """A figure as published: "70,98", "70.98" or "70,98%"; empty: none."""
    try:
        return figure(text)
    except ValueError:
        raise FieldProblem("desk.form.bad_value", text=text.strip()) from None


def show_value(number: Decimal | None, language: str) -> str:
    """The figure as the reader writes it: a decimal comma in Kazakh and Russian."""
    if number is None:
        return ""
    text = format(number, "f")
    return text if language == "en" else text.replace(".", ",")


def station(text: str) -> int | None:
    cleaned = text.strip().lstrip("№#").strip()
    if not cleaned:
        return None
    if not cleaned.isdigit() or int(cleaned) < 1:
        raise FieldProblem("desk.form.bad_station", text=text.strip())
    return int(cleaned)


def instant(text: str, day: date, zone: ZoneInfo) -> datetime | None:
    """"18:00" (or "18") on ``day``, or "2026-03-15 18:00", local in ``zone``; the instant in UTC."""
    cleaned = " ".join(text.split())
    if not cleaned:
        return None
    try:
        if " " in cleaned or "T" in cleaned:
            local = datetime.fromisoformat(cleaned)
        else:
            hour = time.fromisoformat(cleaned if ":" in cleaned else f"{int(cleaned):02d}:00")
            local = datetime.combine(day, hour)
    except ValueError:
        raise FieldProblem("desk.form.bad_time", text=text.strip()) from None
    if local.tzinfo is None:
        local = local.replace(tzinfo=zone)
    return local.astimezone(UTC)


def show_instant(at: datetime | None, day: date, zone: ZoneInfo) -> str:
    """An instant as the form shows it: "18:00" on ``day``, else with its date."""
    if at is None:
        return ""
    local = at.astimezone(zone)
    return local.strftime("%H:%M") if local.date() == day else local.strftime("%Y-%m-%d %H:%M")


def report_ids(text: str) -> tuple[int, ...]:
    """"R12, 34 #56" as report ids, in the order typed, each once."""
    found: list[int] = []
    for word in re.split(r"[\s,;]+", text.strip()):
        if not word:
            continue
        match = _REPORT_ID.match(word)
        if match is None:
            raise FieldProblem("desk.form.bad_reports", text=word)
        if int(match.group(1)) not in found:
            found.append(int(match.group(1)))
    return tuple(found)
