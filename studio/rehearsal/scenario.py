"""The rehearsal's day, decided in advance from a seed: what arrives when, and what the desk does with it.

Pure: the day, the commission's published rows and the seed in; a ``Scenario`` out, the same for the same
inputs. Nothing here reads a file, the network or a clock (studio/rehearsal/run.py plays it).

- Observer reports: through the polling hours a steady stream, with bursts around each turnout hour
  (``[station] turnout_hours``); each observer writes in Kazakh or Russian, and several observers report
  the same busy polling stations, so the desk's grouping has work to do.
- The commission's turnout figures (studio/sample/referendum-2026): each release arrives at the hour it was
  published, as the rows the project's copy has, one of them with a conflicting figure from another
  outlet beside it (planted: the desk marks it false before it verifies the release).
- Planted fakes: forwarded "screenshots" with an impossible turnout, which the desk marks false.
- One retraction: a region's verified figure that is on air, retracted by the desk, so the time from the
  retraction to the graphic's pull is measured.
"""

from __future__ import annotations

import csv
import io
import math
import random
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

NATIONAL = "national"
CONFLICT_OUTLET = "https://rehearsal.invalid/outlet/turnout"
"""Where the planted conflicting figure was "printed": a reserved name (RFC 2606), never a real outlet."""


@dataclass(frozen=True, slots=True)
class Volume:
    """How busy the day is: reports per simulated hour, and how many observers send them."""

    steady_per_hour: float = 90.0  # through the polling hours
    burst_per_hour: float = 420.0  # at the peak of a burst, on top of the steady stream
    burst_width: timedelta = timedelta(minutes=12)  # a burst's spread around its hour
    observers: int = 120
    fakes: int = 3
    busy_stations: int = 8  # per region: the stations several observers report from
    polls_open: time = time(7, 0)
    polls_close: time = time(20, 0)


@dataclass(frozen=True, slots=True)
class TurnoutRow:
    """One row of the commission's turnout file, as the project's copy has it (studio/sample/referendum-2026)."""

    local_time: str
    region: str
    turnout_percent: str
    voters: str
    registered: str
    source: str

    @property
    def as_of(self) -> datetime:
        return datetime.fromisoformat(self.local_time)

    def csv(self) -> str:
        return ",".join((self.local_time, self.region, self.turnout_percent, self.voters, self.registered, self.source))


@dataclass(frozen=True, slots=True)
class ReportSend:
    """An observer's report, sent to the intake at ``at`` (simulated)."""

    at: datetime
    observer: str
    key: str  # its Idempotency-Key
    body: Mapping[str, Any]
    fake: bool = False


@dataclass(frozen=True, slots=True)
class Release:
    """The commission's figures for one instant, arriving at ``at``; the desk verifies them at ``verify_at``.
    ``conflict``: a row beside them from another outlet with another figure (planted), marked false first."""

    at: datetime
    as_of: datetime
    rows: tuple[TurnoutRow, ...]
    verify_at: datetime
    conflict: TurnoutRow | None = None


@dataclass(frozen=True, slots=True)
class Fake:
    """A planted fake report; the desk marks it false at ``judge_at``, with the official figure when there is one."""

    key: str
    region: str
    as_of: datetime
    claimed: str  # the impossible percent it claims
    official: TurnoutRow | None
    judge_at: datetime


@dataclass(frozen=True, slots=True)
class Retraction:
    """The desk retracts ``region``'s figure of ``as_of`` once a graphic on air states it (verified)."""

    as_of: datetime
    region: str


@dataclass(frozen=True, slots=True)
class Scenario:
    seed: int
    observers: tuple[str, ...]
    reports: tuple[ReportSend, ...]  # by time
    releases: tuple[Release, ...]  # by time
    fakes: tuple[Fake, ...]
    retraction: Retraction | None


# --- what observers write --------------------------------------------------------------------------

NAMES = (  # (first names, surnames) of men, then of women
    (("Тимур", "Сергей", "Нұрлан", "Андрей", "Ерлан", "Бауыржан", "Асқар", "Виктор", "Руслан", "Ержан"),
     ("Ковалёв", "Тұрсынов", "Оспанов", "Литвинов", "Мұқанов", "Әлімов", "Жүнісов", "Шевченко", "Ким", "Ли")),
    (("Айгерім", "Дина", "Ольга", "Гүлнар", "Мадина", "Әйгерім", "Ирина", "Жанар", "Сәуле", "Дана"),
     ("Абенова", "Серікова", "Жакупова", "Сапарова", "Петренко", "Иманғалиева", "Төлеуова", "Шевченко", "Ким", "Ли")),
)

TEXTS: Mapping[str, Mapping[str, Sequence[str]]] = {
    "queue": {
        "ru": ("У участка №{station} очередь около {people} человек.",
               "На участке №{station} очередь около {people} человек, работают две кабины."),
        "kk": ("№{station} учаскеде кезек ұзын: шамамен {people} адам.",
               "№{station} учаскеде шамамен {people} адам кезекте тұр, екі кабина ғана жұмыс істейді."),
    },
    "violation": {
        "ru": ("На участке №{station} наблюдателю не дают вести видеосъёмку.",
               "На участке №{station} урна не опломбирована.",
               "У входа на участок №{station} раздают агитационные листовки."),
        "kk": ("№{station} учаскеде бақылаушыға бейнеге түсіруге рұқсат бермей отыр.",
               "№{station} учаскеде дауыс беру жәшігі пломбаланбаған.",
               "№{station} учаскенің кіреберісінде үгіт парақтары таратылып жатыр."),
    },
    "incident": {
        "ru": ("На участке №{station} отключили электричество, голосование продолжается.",),
        "kk": ("№{station} учаскеде электр жарығы сөнді, дауыс беру жалғасуда.",),
    },
    "turnout": {
        "ru": ("К {hour} на участке №{station} проголосовали {voted} из {listed} избирателей.",),
        "kk": ("Сағат {hour} жағдайы бойынша №{station} учаскеде {listed} сайлаушының ішінен {voted} адам дауыс берді.",),
    },
    "other": {
        "ru": ("На участке №{station} всё спокойно, голосование идёт в обычном режиме.",),
        "kk": ("№{station} учаскеде бәрі тыныш, дауыс беру қалыпты өтіп жатыр.",),
    },
}
FAKE_TEXT = {
    "ru": "Переслано из чата: «{place}: к {hour} проголосовали всего {claimed}%, участки пустые». Автор неизвестен.",
    "kk": "Чаттан жіберілді: «{place}: сағат {hour} жағдайы бойынша небәрі {claimed}% дауыс берді, учаскелер бос». "
          "Авторы белгісіз.",
}
KINDS = ("turnout", "queue", "violation", "incident", "other")
STEADY_WEIGHTS = (0.15, 0.25, 0.25, 0.1, 0.25)
BURST_WEIGHTS = (0.7, 0.1, 0.1, 0.05, 0.05)  # around a turnout hour observers send their station's count


def observer_names(count: int) -> tuple[str, ...]:
    """``count`` distinct observer names, men and women in turn (a number is added once the pairs run out)."""
    names: list[str] = []
    for index in range(count):
        first, last = NAMES[index % 2]
        pair = index // 2
        name = f"{first[pair % len(first)]} {last[(pair % len(first) + pair // len(first)) % len(last)]}"
        rounds = pair // (len(first) * len(last))
        names.append(name if rounds == 0 else f"{name} {rounds + 1}")
    return tuple(names)


def _language(observer_index: int) -> str:
    return "kk" if observer_index // 2 % 2 == 0 else "ru"


def _poisson(rng: random.Random, mean: float) -> int:
    """A Poisson count (Knuth's method: the means here are small)."""
    limit, count, product = math.exp(-mean), 0, rng.random()
    while product > limit:
        count += 1
        product *= rng.random()
    return count


def _burst(minute: datetime, hours: Sequence[datetime], width: timedelta) -> float:
    """0..1: how close ``minute`` is to a turnout hour (a Gaussian around each)."""
    spread = width.total_seconds()
    return max((math.exp(-(((minute - hour).total_seconds() / spread) ** 2)) for hour in hours), default=0.0)


# --- the day -------------------------------------------------------------------------------------


def build(
    *,
    day: date,
    zone: ZoneInfo,
    start: datetime,
    end: datetime,
    turnout_hours: Sequence[time],
    published: Sequence[TurnoutRow],
    regions: Mapping[str, tuple[str, str]],
    seed: int,
    volume: Volume = Volume(),
) -> Scenario:
    """The rehearsal from ``start`` to ``end`` (simulated, aware): what arrives in that window.

    ``published``: the commission's rows for ``day``; ``regions``: region id -> (Kazakh, Russian) name.
    """
    rng = random.Random(seed)
    local = lambda moment: datetime.combine(day, moment, zone)  # noqa: E731
    hours = [local(hour) for hour in turnout_hours]
    observers = observer_names(volume.observers)
    region_ids = sorted(regions)
    busy = {region: [_trouble(rng, station) for station in rng.sample(range(1, 900), volume.busy_stations)]
            for region in region_ids}

    reports: list[ReportSend] = []
    minute, closing = max(start, local(volume.polls_open)), min(end, local(volume.polls_close))
    minute = minute.replace(second=0, microsecond=0)
    while minute < closing:
        closeness = _burst(minute, hours, volume.burst_width)
        mean = (volume.steady_per_hour + volume.burst_per_hour * closeness) / 60
        for _ in range(_poisson(rng, mean)):
            at = minute + timedelta(seconds=rng.uniform(0, 60))
            weights = BURST_WEIGHTS if closeness > 0.5 else STEADY_WEIGHTS
            index = rng.randrange(len(observers))
            reports.append(_report(rng, len(reports), seed, at, index, observers[index], region_ids, busy, weights,
                                   zone))
        minute += timedelta(minutes=1)

    releases = _releases(rng, published, start, end)
    fakes = _fakes(rng, published, releases, start, end, volume.fakes, regions)
    for number, fake in enumerate(fakes):
        index = rng.randrange(len(observers))
        place = regions[fake.region][0 if _language(index) == "kk" else 1]
        hour = f"{fake.as_of.astimezone(zone):%H:%M}"
        text = FAKE_TEXT[_language(index)].format(place=place, hour=hour, claimed=fake.claimed)
        body = {"region": fake.region, "kind": "turnout", "text": text, "channel": "telegram-forward"}
        arrives = fake.judge_at - timedelta(minutes=rng.randint(6, 15))
        reports.append(ReportSend(arrives, observers[index], fake.key, body, fake=True))
    reports.sort(key=lambda report: (report.at, report.key))
    return Scenario(seed, observers, tuple(reports), releases, fakes, _retraction(rng, releases))


def _trouble(rng: random.Random, station: int) -> tuple[int, str, int]:
    """A busy station: what goes on there (its kind, and which of the kind's texts), reported by many."""
    kind = rng.choice(("queue", "violation", "incident"))
    return station, kind, rng.randrange(len(TEXTS[kind]["ru"]))


def _report(
    rng: random.Random, number: int, seed: int, at: datetime, index: int, observer: str, region_ids: Sequence[str],
    busy: Mapping[str, Sequence[tuple[int, str, int]]], weights: Sequence[float], zone: ZoneInfo,
) -> ReportSend:
    region = rng.choice(region_ids)
    kind = rng.choices(KINDS, weights)[0]
    station, variant = rng.randint(1, 899), None
    if kind != "turnout" and rng.random() < 0.6:  # at a busy station: what goes on there
        station, kind, variant = rng.choice(busy[region])
    language = _language(index)
    listed = rng.randint(800, 2500)
    values = {
        "station": station, "people": rng.randint(15, 120), "listed": listed,
        "voted": rng.randint(listed // 10, listed * 7 // 10), "hour": f"{at.astimezone(zone):%H}:00",
    }
    texts = TEXTS[kind][language]
    text = (texts[variant] if variant is not None else rng.choice(texts)).format(**values)
    body = {"region": region, "station": station, "kind": kind, "text": text, "channel": "telegram-bot"}
    return ReportSend(at, observer, f"rehearsal-{seed}-{number}", body)


def _releases(rng: random.Random, published: Sequence[TurnoutRow], start: datetime, end: datetime) -> tuple[Release, ...]:
    by_instant: dict[datetime, list[TurnoutRow]] = {}
    for row in published:
        by_instant.setdefault(row.as_of, []).append(row)
    instants = [instant for instant in sorted(by_instant) if start <= instant < end]
    conflicted = rng.choice([i for i in instants if len(by_instant[i]) > 2] or instants or [None])
    releases = []
    for instant in instants:
        rows = tuple(by_instant[instant])
        conflict = None
        if instant == conflicted:
            printed = rng.choice([row for row in rows if row.region != NATIONAL] or list(rows))
            misprint = Decimal(printed.turnout_percent) + Decimal(rng.choice((-1, 1))) * Decimal(rng.randint(101, 499)) / 100
            conflict = TurnoutRow(printed.local_time, printed.region, f"{max(misprint, Decimal('0.5')):.2f}", "", "",
                                  f"{CONFLICT_OUTLET}/{instant.strftime('%H%M')}")
        verify_at = instant + timedelta(minutes=rng.randint(4, 9))
        releases.append(Release(instant, instant, rows, verify_at, conflict))
    return tuple(releases)


def _fakes(
    rng: random.Random, published: Sequence[TurnoutRow], releases: Sequence[Release], start: datetime, end: datetime,
    count: int, regions: Mapping[str, tuple[str, str]],
) -> tuple[Fake, ...]:
    """Fakes after some of the releases (a "screenshot" undercutting the figures), or in the morning without any."""
    official = {(row.as_of, row.region): row for row in published}
    chosen = rng.sample(list(releases), min(count, len(releases)))
    fakes = []
    for number, release in enumerate(sorted(chosen, key=lambda r: r.at)):
        region = rng.choice([row.region for row in release.rows if row.region in regions] or sorted(regions))
        judge_at = release.at + timedelta(minutes=rng.randint(20, 40))
        if judge_at >= end:
            continue
        claimed = f"{rng.randint(2, 6)}"
        fakes.append(Fake(f"rehearsal-fake-{number}", region, release.as_of, claimed,
                          official.get((release.as_of, region)), judge_at))
    return tuple(fakes)


def _retraction(rng: random.Random, releases: Sequence[Release]) -> Retraction | None:
    """A region's figure from a release with several regions: the desk retracts it once it is on air."""
    candidates = [release for release in releases if sum(row.region != NATIONAL for row in release.rows) >= 2]
    if not candidates:
        return None
    release = rng.choice(candidates)
    conflicted = release.conflict.region if release.conflict else None
    region = rng.choice([row.region for row in release.rows if row.region not in (NATIONAL, conflicted)])
    return Retraction(release.as_of, region)


def read_turnout(text: str, day: date) -> tuple[TurnoutRow, ...]:
    """The rows of a turnout file (studio import-turnout's shape) for ``day``; its header names the columns."""
    names = [spec.name for spec in fields(TurnoutRow)]
    rows = (TurnoutRow(*((row.get(name) or "").strip() for name in names))
            for row in csv.DictReader(io.StringIO(text.lstrip("\ufeff"))))
    return tuple(row for row in rows if row.as_of.date() == day)
