"""``studio demo-data``: the sample day in a store, so a newcomer can walk the desk in five minutes.

What it loads, each through the same path real data takes, with realistic
times on 15 March 2026 (Asia/Almaty, UTC+5):

- observer reports from several regions and observers, in Kazakh and
  Russian, through the intake's own store path (``report_body.make_send`` and
  ``write_sends``: the same checks, grouping and idempotency keys as
  ``POST /reports``);
- a correction: a late opening at Kostanay station №412, reported by two
  observers, verified, then retracted with its correction (it was №421);
- a planted fake: a viral "4% in Almaty at 12:00" screenshot, checked
  against the commission's 12:00 release and marked false, with the
  correction in Kazakh and Russian that a debunk card shows;
- the commission's turnout figures (studio/sample/referendum-2026), through the
  turnout importer, in review: a second person verifies them at the desk.

Two named operators share the work, so four eyes holds in the audit:
``demo-desk-1`` creates and imports, ``demo-desk-2`` gives the verdicts.
Running it again adds nothing: the reports and stories carry import keys,
the turnout file is recognised row by row, and the summary says so.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Any, Callable
from zoneinfo import ZoneInfo

from studio.desk import rules
from studio.desk.ids import fact_label
from studio.desk.model import Claim, Draft, Fact, ReportKind, Source, SourceKind
from studio.desk.outcome import ImportSummary
from studio.desk.report_body import make_send, write_sends
from studio.desk.turnout import import_turnout, release_source
from studio.diagnostics import Diagnostic, DiagnosticsError
from studio.i18n import FALLBACK, Msg
from studio.paths import sample_data
from studio.store.desk import DeskStore

DATA = sample_data()
TURNOUT_FILE = "referendum-2026-turnout.csv"
DAY = date(2026, 3, 15)
ZONE = ZoneInfo("Asia/Almaty")
CREATOR = "demo-desk-1"
"""Imports the figures and writes the facts."""
VERIFIER = "demo-desk-2"
"""Gives the verdicts: never the author of what they judge."""
REPORTS_FILE = "demo-data: observer reports"
"""The import batch the demo's reports are recorded under (provenance says where they came from)."""


def local(clock: str) -> datetime:
    """An instant of the demo day from its local time ("12:38")."""
    return datetime.combine(DAY, time.fromisoformat(clock), ZONE)


@dataclass(frozen=True, slots=True)
class DemoReport:
    key: str  # the send's Idempotency-Key
    observer: str
    at: str  # local time on the day
    body: dict[str, Any]


def _report(key: str, observer: str, at: str, region: str, station: int | str, kind: str, text: str) -> DemoReport:
    """A report as the observers' chat bot sends it: region and kind as the observer wrote them."""
    body = {"region": region, "station": station, "kind": kind, "text": text, "channel": "telegram-bot"}
    return DemoReport(key, observer, at, body)


REPORTS = (
    _report("kst-412-a", "Сергей Ковалёв", "07:36", "kostanay", 412, "violation",
            "Участок №412 не открылся вовремя: двери закрыты, избиратели ждут на улице."),
    _report("kst-412-b", "Ольга Ким", "07:41", "kostanay", 412, "violation",
            "Участок №412 до сих пор не открылся, двери закрыты, избиратели ждут на улице."),
    _report("ala-154-a", "Дина Абенова", "08:05", "almaty", 154, "queue",
            "У участка №154 очередь около 80 человек, работают только две кабины для голосования."),
    _report("ala-154-b", "Тимур Сейтжанов", "08:11", "almaty", 154, "queue",
            "Очередь у участка №154 около 80 человек, работают только две кабины."),
    _report("ala-154-c", "Айдана Серікова", "08:19", "Алматы қаласы", "№154", "кезек",
            "№154 учаске алдында 80-ге жуық адам кезекте тұр, тек екі кабина жұмыс істейді."),
    _report("kst-421", "Сергей Ковалёв", "09:12", "kostanay", 421, "violation",
            "Поправка к моему сообщению в 07:36: с опозданием открылся участок №421, а не №412. Ошибся в номере."),
    _report("shy-87-a", "Нұрлан Бекұлы", "10:42", "shymkent", 87, "violation",
            "№87 учаскеде дауыс беру жәшігі пломбаланбаған, комиссия төрағасына ескерту жасадық."),
    _report("shy-87-b", "Гүлнар Әміржанқызы", "10:47", "shymkent", 87, "бұзушылық",
            "№87 учаскеде дауыс беру жәшігі пломбаланбаған, комиссия төрағасына ескерту жасалды."),
    _report("krg-233-a", "Андрей Литвинов", "11:15", "karaganda", 233, "incident",
            "На участке №233 пропало электричество, голосование продолжается, урны под присмотром наблюдателей."),
    _report("krg-233-b", "Мадина Жакупова", "11:18", "Карагандинская область", "УИК 233", "происшествие",
            "На участке №233 отключили электричество, голосование продолжается, урны под присмотром."),
    _report("trk-612-a", "Ерлан Тұрсынов", "12:06", "turkistan", 612, "turnout",
            "Сағат 12:00-ге дейін №612 учаскеде 1900 сайлаушының 540-ы дауыс берді."),
    _report("trk-612-b", "Әйгерім Жұмабаева", "12:09", "Түркістан облысы", 612, "қатысу",
            "№612 учаскеде сағат 12:00-ге дейін 1900 сайлаушының 540-ы дауыс берді."),
    _report("ast-35", "Бауыржан Оспанов", "15:30", "astana", 35, "violation",
            "№35 учаскенің кіреберісінде үгіт парақтары таратылып жатыр, дауыс беру күні бұған тыйым салынған."),
    _report("pvl-301", "Ирина Шевченко", "19:40", "Павлодарская область", "УИК 301", "очередь",
            "Перед закрытием у участка №301 очередь около 40 человек, комиссия обещает пропустить всех, "
            "кто пришёл до 20:00."),
)


# --- sources ---------------------------------------------------------------------


def rumour(store: DeskStore, at: datetime) -> Source:
    """The fake's source: a social post, a lead and never evidence."""
    return store.add_source(
        SourceKind.SOCIAL, "Telegram", by=CREATOR, at=at, origin="Telegram",  # what a source line on air says
        note="a forwarded screenshot «В Алматы к 12:00 проголосовали всего 4%», first seen 12:18, author unknown",
    )


@dataclass(frozen=True, slots=True)
class Release:
    """One row of the commission's turnout file."""

    region: str
    at: datetime
    percent: Decimal
    source: str

    @property
    def figure(self) -> str:
        return str(self.percent).replace(".", ",")


def release(data: Path, region: str, hour: str) -> Release:
    """The commission's figure for ``region`` at ``hour`` from the turnout file, as published."""
    path = data / TURNOUT_FILE
    try:
        with open(path, encoding="utf-8-sig", newline="") as rows:
            for row in csv.DictReader(rows):
                when = datetime.fromisoformat(row["local_time"])
                if row["region"] == region and when == local(hour):
                    return Release(region, when, Decimal(row["turnout_percent"]), row["source"])
    except (OSError, KeyError, ValueError, ArithmeticError):
        pass  # said below, with what to do
    problem = Msg("demo.no_release", file=str(path), region=region, hour=hour)
    raise DiagnosticsError([Diagnostic(path, 1, 0, problem, Msg("demo.hint.no_release"))])


# --- the stories -------------------------------------------------------------------


def retracted_station(store: DeskStore, reports: dict[str, int]) -> Fact:
    """A late opening, verified on two observers' word, then retracted: it was another station."""
    draft = Draft(
        ReportKind.VIOLATION,
        Claim(
            kk="Қостанай облысы, №412 учаске: дауыс беру 07:00-де басталмады, учаске кешігіп ашылды",
            ru="Костанайская область, участок №412: голосование не началось в 07:00, участок открылся с опозданием",
        ),
        region="kostanay",
        station=412,
        as_of=local("07:00"),
    )
    fact = store.create_fact(
        draft, by=CREATOR, at=local("07:58"), report_ids=[reports["kst-412-a"], reports["kst-412-b"]],
        why="two observers at the station report it",
    )
    fact = _change(store, fact, rules.StartReview("two observers, checked by phone"), CREATOR, "07:59")
    fact = _change(store, fact, rules.Verify("two observers of the network confirm it"), VERIFIER, "08:06")
    correction = Claim(
        kk="Түзету: кешігіп ашылған — №421 учаске, №412 емес. №412 учаске уақытында ашылды.",
        ru="Поправка: с опозданием открылся участок №421, а не №412. Участок №412 открылся вовремя.",
    )
    return _change(store, fact, rules.Retract(correction), CREATOR, "09:24")


def planted_fake(store: DeskStore, official: Release) -> Fact:
    """A viral turnout figure that contradicts the commission, marked false with its correction."""
    draft = Draft(
        ReportKind.TURNOUT,
        Claim(
            kk="Алматыда сағат 12:00-ге дейін сайлаушылардың небәрі 4%-ы дауыс берді, учаскелер бос",
            ru="В Алматы к 12:00 проголосовали всего 4% избирателей, участки пустые",
        ),
        region=official.region,
        value=Decimal("4"),
        as_of=official.at,
    )
    fact = store.create_fact(
        draft, by=CREATOR, at=local("12:24"), source_ids=[rumour(store, local("12:22")).id],
        why="a viral screenshot: checked before anyone repeats it",
    )
    fact = _change(store, fact, rules.StartReview("compared with the commission's 12:00 release"), CREATOR, "12:25")
    commission = release_source(store, official.source, official.at, CREATOR, local("12:38"))
    fact = _change(store, fact, rules.AttachSource(commission, "the commission's 12:00 release"), CREATOR, "12:38")
    correction = Claim(
        kk=f"ОРК деректері бойынша Алматыда сағат 12:00-ге дейін сайлаушылардың {official.figure}%-ы дауыс берді. "
        "«4%» туралы скриншот — жалған.",
        ru=f"По данным ЦРК, явка в Алматы на 12:00 — {official.figure}%. Скриншот с «4%» — фейк.",
    )
    verdict = rules.MarkFalse(
        f"the commission's 12:00 release gives {official.percent}% for Almaty; the screenshot has no source",
        correction,
    )
    return _change(store, fact, verdict, VERIFIER, "12:41")


def verified_queue(store: DeskStore, reports: dict[str, int]) -> Fact:
    """A queue at Almaty station 154 that three observers saw: a fact made from their group, verified."""
    draft = Draft(
        ReportKind.QUEUE,
        Claim(
            kk="Алматы, №154 учаске: 80-ге жуық адам кезекте тұр, тек екі кабина жұмыс істейді",
            ru="Алматы, участок №154: в очереди около 80 человек, работают только две кабины",
        ),
        region="almaty",
        station=154,
        as_of=local("08:05"),
    )
    fact = store.create_from_group(draft, reports["ala-154-a"], by=CREATOR, at=local("08:24"),
                                   why="three observers at the station report it")
    fact = _change(store, fact, rules.StartReview("three observers, two of them called back"), CREATOR, "08:25")
    return _change(store, fact, rules.Verify("three observers of the network, independent of each other"),
                   VERIFIER, "08:31")


def _change(store: DeskStore, fact: Fact, action: rules.Action, by: str, clock: str) -> Fact:
    return store.change(fact.id, fact.version, action, by=by, at=local(clock))


# --- loading ---------------------------------------------------------------------


@dataclass(frozen=True)
class DemoSummary:
    turnout: ImportSummary
    reports_added: int
    reports_known: int
    stories: tuple[tuple[str, int, bool], ...] = field(default=())  # (story, fact id, added now)

    @property
    def added_anything(self) -> bool:
        return bool(self.turnout.added or self.reports_added or any(added for _, _, added in self.stories))

    def render(self, language: str = FALLBACK) -> str:
        lines = [
            self.turnout.render(language),
            Msg("demo.reports", added=self.reports_added, known=self.reports_known).render(language),
        ]
        for story, fact_id, added in self.stories:
            said = Msg(f"demo.story.{story}", fact=fact_label(fact_id), id=fact_id)
            lines.append(Msg("demo.added" if added else "demo.known", story=said).render(language))
        if self.added_anything:
            lines.append(Msg("demo.operators", creator=CREATOR, verifier=VERIFIER).render(language))
        else:
            lines.append(Msg("demo.nothing").render(language))
        return "\n".join(lines)


def load_demo(store: DeskStore, data: Path = DATA) -> DemoSummary:
    """Load the demo day into ``store``; a second run adds nothing. A turnout file
    that cannot be read raises DiagnosticsError before anything is stored."""
    official = release(data, "almaty", "12:00")
    reports, added = _send_reports(store)
    stories = (
        _once(store, "correction", lambda: retracted_station(store, reports)),
        _once(store, "fake", lambda: planted_fake(store, official)),
        _once(store, "verified", lambda: verified_queue(store, reports)),
    )
    turnout = import_turnout(store, data / TURNOUT_FILE, operator=CREATOR, now=lambda: local("20:45"))
    return DemoSummary(turnout, added, len(REPORTS) - added, stories)


def _send_reports(store: DeskStore) -> tuple[dict[str, int], int]:
    """Each report as the intake takes it; (report id by key, how many were new)."""
    ids: dict[str, int] = {}
    added = 0
    for report in REPORTS:
        at = local(report.at)
        send = make_send(report.body, report.observer, at, key=f"demo-{report.key}", token=None)
        [(outcome, answer)] = write_sends(store, [send], at=at, file=REPORTS_FILE, by=CREATOR)
        ids[report.key] = answer["id"]
        added += outcome == "created"
    return ids, added


def _once(store: DeskStore, story: str, tell: Callable[[], Fact]) -> tuple[str, int, bool]:
    """Tell ``story`` unless this store has it: (story, its fact's id, told now). One transaction."""
    key = f"demo:story:{story}"
    with store.write():
        known = store.known_keys([key])
        if key in known:
            return story, known[key][1], False
        fact = tell()
        store.add_keys([(key, "fact", fact.id, key)])
    return story, fact.id, True


def demo_command(store: DeskStore, data: Path | None, *, if_empty: bool = False, language: str = FALLBACK) -> int:
    """``studio demo-data [--data DIR] [--if-empty]``: load, and say what was added (or that nothing was).
    ``if_empty``: only into a store nobody has worked in (``make run`` on the sample show)."""
    if if_empty and not store.is_empty():
        print(Msg("demo.not_empty").render(language))
        return 0
    print(load_demo(store, data or DATA).render(language))
    return 0
