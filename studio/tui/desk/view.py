"""What the desk screen shows, as plain text in the interface language.

Pure functions over the client's data (no Textual, no store): the queue's
rows, the status and filter lines, the open item and its history.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from studio.desk.arithmetic import notes
from studio.desk.ids import conflict_label, fact_label, report_label
from studio.desk.model import Claim, Fact, FigureConflict, Outcome, Report, ReportKind, Settlement
from studio.i18n import t
from studio.tui import format as fmt
from studio.tui.desk.client import Detail, Queue, QueueItem
from studio.tui.desk.fields import show_value
from studio.tui.format import region_name

COLUMNS: tuple[tuple[str, int], ...] = (
    ("id", 5),
    ("status", 12),
    ("region", 16),
    ("kind", 10),
    ("figure", 15),
    ("age", 6),
    ("taken", 10),
    ("text", 28),
)
"""Each column's key and width; the figure has its own, so a claim cut short never hides its number."""
WIDTH = dict(COLUMNS)
DEFAULT_WHYS = frozenset(("created", "taken into review", "verified", "source attached", "reports linked"))
"""The rules' own default reasons: the translated action name already says them."""


def key(item: QueueItem) -> str:
    return f"{item.item}:{item.item_id}"


def label(item: QueueItem) -> str:
    """F12 for fact 12, R34 for the group of reports led by report 34, C3 for conflict 3."""
    labels = {"fact": fact_label, "group": report_label, "conflict": conflict_label}
    return labels[item.item](item.item_id)


def kind_name(kind: ReportKind | str) -> str:
    return t(f"desk.kind.{ReportKind(kind).value}")


def age(since: datetime, now: datetime | None) -> str:
    return "" if now is None else length(now - since)


def length(span: timedelta) -> str:
    """A span in its largest whole unit: «45m», «3h», «2d» (the column is 6 wide)."""
    minutes = max(0, int(span.total_seconds() // 60))
    if minutes < 60:
        return t("desk.age.minutes", minutes=minutes)
    if minutes < 60 * 24:
        return t("desk.age.hours", hours=minutes // 60)
    return t("desk.age.days", days=minutes // (60 * 24))


def clip(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1] + "…"


def claim_text(claim: Claim, language: str) -> str:
    return claim.text("ru" if language == "en" else language)


def figure(value: Decimal | None, as_of: datetime | None, kind: ReportKind, language: str, zone: ZoneInfo) -> str:
    """A fact's figure whole, with the hour it is about: «18:00 — 70,98%»."""
    if value is None:
        return ""
    number = show_value(value, language) + ("%" if kind is ReportKind.TURNOUT else "")
    return f"{_time(as_of, zone)} — {number}" if as_of else number


def figures(values: tuple[Decimal, ...], kind: ReportKind, language: str) -> str:
    """A conflict's figures side by side: «20,68% ≠ 20,86%»."""
    unit = "%" if kind is ReportKind.TURNOUT else ""
    return " ≠ ".join(show_value(value, language) + unit for value in values)


def row(item: QueueItem, taken_by: str, now: datetime | None, language: str, zone: ZoneInfo) -> tuple[str, ...]:
    said = (clip(figures(item.figures, item.kind, language), WIDTH["figure"]) if item.item == "conflict"
            else figure(item.value, item.as_of, item.kind, language, zone))
    return (
        label(item),
        t(f"desk.status.{item.status}"),
        clip(region_name(item.region, language), WIDTH["region"]),
        kind_name(item.kind),
        said,
        age(item.at, now),
        clip(taken_by, WIDTH["taken"]),
        clip(claim_text(item.claim, language), WIDTH["text"]),
    )


def status_line(
    operator: str, opened: tuple[str, int] | None, queue: Queue | None, language: str, zone: ZoneInfo
) -> str:
    at = queue.at.astimezone(zone).strftime("%H:%M:%S") if queue and queue.at else "…"
    taken = len([c for c in (queue.claims.values() if queue else ()) if c.who != operator])
    line = t("desk.status_line", operator=fmt.operator(operator), at=at, taken=taken)
    return f"{line} · {t('desk.status_held', count=queue.held)}" if queue and queue.held else line


def span_name(span: timedelta) -> str:
    return t("desk.age.within", age=length(span))


def _time(at: datetime | None, zone: ZoneInfo) -> str:
    return at.astimezone(zone).strftime("%H:%M") if at else "—"


def detail_text(detail: Detail, language: str, zone: ZoneInfo) -> str:
    if detail.item == "conflict" and detail.conflict is not None:
        return conflict_text(detail.conflict, detail.figures, language, zone)
    if detail.conflict is not None:  # a fact held in an open conflict: said first
        return "\n".join((t("desk.fact.held", conflict=conflict_label(detail.conflict.id)),
                          _fact_text(detail, language, zone)))
    return _fact_text(detail, language, zone)


def _fact_text(detail: Detail, language: str, zone: ZoneInfo) -> str:
    lines: list[str] = []
    fact = detail.fact
    if fact is not None:
        lines.append(
            t(
                "desk.fact.heading",
                id=fact_label(fact.id),
                status=t(f"desk.status.{fact.status.value}"),
                region=region_name(fact.region, language),
                kind=kind_name(fact.kind),
                version=fact.version,
            )
        )
        if fact.claim.kk:
            lines.append(f"ҚАЗ  {fact.claim.kk}")
        if fact.claim.ru:
            lines.append(f"РУС  {fact.claim.ru}")
        if fact.value is not None:
            lines.append(t("desk.fact.value", value=show_value(fact.value, language), as_of=_time(fact.as_of, zone)))
        lines += [note.render(language) for note in notes(fact)]  # a bound is no figure; a check that failed
        lines.append(t("desk.fact.created", who=fact.created_by, at=_time(fact.created_at, zone)))
        if fact.verified_by:
            lines.append(t("desk.fact.verdict", who=fact.verified_by, at=_time(fact.verified_at, zone)))
        correction = " / ".join(filter(None, (fact.correction.kk, fact.correction.ru)))
        if correction:
            lines.append(t("desk.fact.correction", text=correction))
        lines.append("")
        lines.append(t("desk.sources", count=len(fact.sources)))
        for source in fact.sources:
            # A reprint names the page it quotes: what the verifier compares the figure with.
            quoted = "" if source.quotes is None else f" → {source.quotes.origin} · {source.quotes.reference}"
            kind = t(f"desk.source_kind.{source.kind.value}")
            lines.append(f"• {kind} · {source.origin} · {source.reference}{quoted}")
    elif detail.item == "group":
        lead = detail.reports[0] if detail.reports else None
        lines.append(
            t(
                "desk.group.heading",
                id=detail.item_id,
                region=region_name(lead.region if lead else None, language),
                kind=kind_name(lead.kind if lead else ReportKind.OTHER),
                count=len(detail.reports),
            )
        )
    else:
        lines.append(t("desk.gone", id=detail.item_id))
    lines.append("")
    lines.append(t("desk.reports", count=len(detail.reports)))
    for report in detail.reports:
        lines.append(f"• {report_heading(report, zone)}")
        lines.append(f"  {report.text}")
    return "\n".join(lines)


def report_heading(report: Report, zone: ZoneInfo) -> str:
    """R12 15:12 Игорь Ким (form) №27: which report, when, from whom."""
    station = f" №{report.station}" if report.station else ""
    return f"{report_label(report.id)} {_time(report.received_at, zone)} {report.observer} ({report.channel}){station}"


def report_line(report: Report, zone: ZoneInfo) -> str:
    """A report on one line, for lists to choose from."""
    return f"{report_heading(report, zone)}: {clip(report.text, 60)}"


def history_text(detail: Detail, language: str, zone: ZoneInfo) -> str:
    if detail.item == "conflict" and detail.conflict is not None:
        return conflict_history(detail, language, zone)
    if detail.fact is None:
        return t("desk.no_history")
    lines = []
    for entry in reversed(detail.audit):
        lines.append(f"v{entry.version} {_time(entry.at, zone)} {entry.who} · {t(f'desk.action.{entry.action}')}")
        if entry.why and entry.why not in DEFAULT_WHYS:
            lines.append(f"  {entry.why}")
    return "\n".join(lines)


# --- a conflict between figures: its figures side by side --------------------------------------

CONFLICT_LABEL = 14
"""The width of the row names of a conflict's side-by-side table."""
CONFLICT_COLUMN = 30
"""The width of each figure's column: two fit beside the labels in the detail pane."""


def conflict_text(conflict: FigureConflict, facts: tuple[Fact, ...], language: str, zone: ZoneInfo) -> str:
    """The conflict's measure, then its figures side by side (figure, status, sources, where and when each was
    published, when it came in), then the settlement proposed, if any."""
    kind, region, _, as_of, _ = conflict.measure
    now = {fact.id: fact for fact in facts}
    heading = t("desk.conflict.heading", id=conflict_label(conflict.id), region=region_name(region, language),
                kind=kind_name(kind), at=_time(as_of, zone))
    columns: dict[str, list[str]] = {name: [] for name in ("fact", "figure", "status", "source", "address",
                                                            "published", "received")}
    for joined in conflict.figures:
        fact = now.get(joined.fact_id)
        sources = fact.sources if fact is not None else joined.sources
        published = [s.published_at for s in sources if s.published_at is not None]
        columns["fact"].append(fact_label(joined.fact_id))
        columns["figure"].append(figures((fact.value if fact else joined.value,), ReportKind(kind), language))
        columns["status"].append(t(f"desk.status.{(fact.status if fact else joined.status).value}"))
        columns["source"].append(", ".join(
            f"{t(f'desk.source_kind.{s.kind.value}')} · {s.origin}" for s in sources) or "—")
        columns["address"].append(sources[0].reference if sources else "—")
        columns["published"].append(_time(min(published), zone) if published else "—")
        columns["received"].append(_time(joined.joined_at, zone))
    lines = [heading, t("desk.conflict.held"), ""]
    for name, cells in columns.items():
        title = "" if name == "fact" else t(f"desk.conflict.row.{name}")
        lines.append(clip(title, CONFLICT_LABEL).ljust(CONFLICT_LABEL) + " "
                     + " ".join(clip(cell, CONFLICT_COLUMN - 1).ljust(CONFLICT_COLUMN) for cell in cells).rstrip())
    lines.append("")
    if conflict.proposal is None:
        lines.append(t("desk.conflict.none_proposed"))
    else:
        lines.append(t("desk.conflict.proposal", who=conflict.proposal.by, at=_time(conflict.proposal.at, zone),
                       what=settlement_text(conflict.proposal, conflict, language), why=conflict.proposal.why))
    return "\n".join(lines)


def settlement_text(settlement: Settlement, conflict: FigureConflict, language: str) -> str:
    """What a settlement decides, in a line: which figure stands, or that none is proven."""
    if settlement.outcome is Outcome.UNPROVEN:
        return t("desk.conflict.unproven")
    chosen = next(f for f in conflict.figures if f.fact_id == settlement.chosen)
    kind = ReportKind(conflict.measure[0])
    return t("desk.conflict.stands", fact=fact_label(chosen.fact_id), value=figures((chosen.value,), kind, language))


def conflict_history(detail: Detail, language: str, zone: ZoneInfo) -> str:
    """The conflict's log, newest first: opened, each figure that joined, proposals, the confirmation."""
    lines = []
    for step in reversed(detail.log):
        at = _time(datetime.fromisoformat(str(step["at"])), zone)
        fact = fact_label(int(step["fact"])) if "fact" in step else ""  # type: ignore[call-overload]
        value = show_value(Decimal(str(step["value"])), language) if "value" in step else ""
        lines.append(f"{at} {step['who']} · " + t(f"desk.conflict.log.{step['action']}", fact=fact, value=value,
                                                     why=str(step.get("why", ""))))
    return "\n".join(lines)
