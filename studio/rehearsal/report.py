"""The rehearsal's report, from what was measured: a JSON file of figures, one HTML page, a text summary.

Pure: ``Measured`` in (studio/rehearsal/run.py fills it), text out. Every figure is computed from a
measurement; what was not measured says so (``"not measured": why``) instead of a number. The HTML page
draws its charts as inline SVG: no script, no library, nothing fetched, so it opens in any browser offline.
"""

from __future__ import annotations

import html
import json
import math
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from studio.i18n import Msg

LATENCY_MEASURED = "key to controller commit: the take_next call, location bug rendered, store committed; no OBS"
LATENCY_MEASURED_OBS = ("key to OBS's answer: the take_next call, location bug rendered, store committed, the"
                        " switcher's batch answered by OBS; retakes after a feed loss are in feeds.losses")
RESUMED_COVERS = ("the store's figures (takes in the event log, reports received, groups, facts, graphics pulled,"
                  " the store) cover the whole day; the ones this process measured (take and intake latency,"
                  " reports sent, the desk's counts, graphics aired, memory, CPU, real time) cover the part since"
                  " measured_since: a stopped process takes its measurements with it")
RATE_BUCKET = timedelta(minutes=10)
HOUR = timedelta(hours=1)
MB = 1024 * 1024


@dataclass(frozen=True, slots=True)
class Sample:
    wall: float  # real seconds since the rehearsal began
    simulated: datetime
    rss_bytes: int | None
    cpu_seconds: float  # this process's user + system time so far
    reports_accepted: int


@dataclass
class Measured:
    show_id: str
    rundown: str
    store: str
    mode: str  # auto | manual
    seed: int
    speed: float
    simulated_start: datetime
    simulated_end: datetime
    wall_seconds: float
    takes: list[tuple[datetime, str, float]]  # (simulated, segment, ms)
    take_refusals: dict[str, int]
    graphics_aired: int
    graphics_refused: dict[str, int]  # "template: code" -> count
    graphics_pulled: int
    played: int  # takes in the event log, whoever made them (the trainee's in --manual)
    reports_planned: int
    reports_attempted: int
    reports_accepted: int
    reports_refused: dict[str, int]  # HTTP status -> count
    reports_rate_limited: int
    reports_failed: int
    intake_ms: list[float]
    reports_in_store: int
    report_times: list[datetime]
    groups: int
    grouped: int  # reports in groups of two or more
    facts: dict[str, int]  # status -> count
    desk: dict[str, Any]
    retraction: dict[str, Any] | None
    retraction_planned: dict[str, str] | None
    unmarked_rows: int
    store_bytes: int
    samples: list[Sample] = field(default_factory=list)
    cpu_user: float = 0.0
    cpu_system: float = 0.0
    obs: dict[str, Any] | None = None  # which OBS (None: --no-obs)
    feeds: dict[str, Any] | None = None  # the feeds' losses and schedule (studio/rehearsal/feeds.py)
    never_black: dict[str, Any] | None = None  # the recording's check (studio/rehearsal/never_black.py)
    resumed: tuple[datetime, ...] = ()  # the instants the rehearsal was picked up at after a stop, this run's last


def percentile(values: Sequence[float], p: float) -> float | None:
    """The nearest-rank percentile ``p`` (0-100) of ``values``; None for none."""
    if not values:
        return None
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def _ms(values: Sequence[float]) -> dict[str, Any]:
    if not values:
        return {"count": 0, "not measured": "nothing was timed"}
    return {"count": len(values), "p50": round(percentile(values, 50) or 0, 3),
            "p99": round(percentile(values, 99) or 0, 3), "max": round(max(values), 3)}


def rate(times: Sequence[datetime], start: datetime, end: datetime, bucket: timedelta = RATE_BUCKET) -> list[tuple[datetime, int]]:
    """How many of ``times`` fall in each ``bucket`` from ``start`` to ``end`` (empty buckets included)."""
    counts = Counter(int((t - start) / bucket) for t in times if start <= t < end)
    buckets = max(0, math.ceil((end - start) / bucket))
    return [(start + bucket * i, counts.get(i, 0)) for i in range(buckets)]


def figures(m: Measured) -> dict[str, Any]:
    """The JSON report."""
    return {
        "rehearsal": {
            "show_id": m.show_id, "rundown": m.rundown, "store": m.store, "mode": m.mode, "seed": m.seed,
            "speed": m.speed, "obs": m.obs or False, "simulated_start": m.simulated_start.isoformat(),
            "simulated_end": m.simulated_end.isoformat(), "wall_seconds": round(m.wall_seconds, 3),
        } | ({"resumed": {"at": [at.isoformat() for at in m.resumed], "measured_since": m.resumed[-1].isoformat(),
                          "covers": RESUMED_COVERS}} if m.resumed else {}),
        "takes": {
            "by_rehearsal": len(m.takes), "in_event_log": m.played, "refused": m.take_refusals,
            "latency_ms": _ms([ms for _, _, ms in m.takes])
            | {"measured": LATENCY_MEASURED_OBS if m.obs else LATENCY_MEASURED},
            "series": [{"at": at.isoformat(), "segment": segment, "ms": round(ms, 3)} for at, segment, ms in m.takes],
        },
        "feeds": m.feeds if m.feeds is not None else {"losses": None, "not measured": "--no-obs"},
        "never_black": m.never_black if m.never_black is not None else {"not measured": "--no-obs"},
        "reports": {
            "planned": m.reports_planned, "sent": m.reports_attempted, "accepted": m.reports_accepted,
            "refused": m.reports_refused, "rate_limited": m.reports_rate_limited, "failed": m.reports_failed,
            "received_in_store": m.reports_in_store, "groups": m.groups, "grouped": m.grouped,
            "intake_ms": _ms(m.intake_ms),
            "per_10_minutes": [{"from": at.isoformat(), "count": n}
                               for at, n in rate(m.report_times, m.simulated_start, m.simulated_end)],
        },
        "desk": {"facts": m.facts, "verified": m.facts.get("verified", 0), "false": m.facts.get("false", 0),
                 "retracted": m.facts.get("retracted", 0)} | m.desk,
        "graphics": {"aired": m.graphics_aired, "refused": m.graphics_refused,
                     "refused_count": sum(m.graphics_refused.values()), "pulled": m.graphics_pulled},
        "retraction": m.retraction if m.retraction is not None else {"not measured": _no_retraction(m)},
        "rehearsal_marks": {"unmarked_rows": m.unmarked_rows},
        "store": {"bytes": m.store_bytes},
        "memory": _memory(m),
        "cpu_seconds": {"user": round(m.cpu_user, 3), "system": round(m.cpu_system, 3),
                        "series": [{"wall": round(s.wall, 3), "cpu": round(s.cpu_seconds, 3)} for s in m.samples]},
    }


def _memory(m: Measured) -> dict[str, Any]:
    """Resident memory by real second, its peak, and its highest in the simulated day's first and last hours:
    a leak grows from one to the other, a high-water mark steps up once (the issue's target: under 10%)."""
    sampled = [(s.simulated, s.rss_bytes) for s in m.samples if s.rss_bytes is not None]
    if not sampled:
        return {"not measured": "no /proc/self/statm on this system"}
    found: dict[str, Any] = {"peak_rss_bytes": max(rss for _, rss in sampled)}
    first = [rss for at, rss in sampled if at < m.simulated_start + HOUR]
    last = [rss for at, rss in sampled if at >= m.simulated_end - HOUR]
    if m.simulated_end - m.simulated_start >= 2 * HOUR and first and last:
        found |= {"first_hour_rss_bytes": max(first), "last_hour_rss_bytes": max(last),
                  "growth": round(max(last) / max(first) - 1, 4)}
    else:
        found["first_and_last_hour"] = {"not measured": "a day under two simulated hours has no first and last hour"}
    return found | {"rss": [{"wall": round(s.wall, 3), "bytes": s.rss_bytes} for s in m.samples]}


def _no_retraction(m: Measured) -> str:
    if m.retraction_planned is None:
        return "no release with several regions in this rehearsal"
    planned = m.retraction_planned
    return f"the figure of {planned['region']} at {planned['as_of']} was never on air while the rehearsal ran"


# --- text -------------------------------------------------------------------------------------------------


def summary(found: dict[str, Any], language: str) -> str:
    """A few lines for the terminal, from the JSON report."""
    r, takes, reports, desk = found["rehearsal"], found["takes"], found["reports"], found["desk"]
    lines = [Msg("rehearse.summary.title", show=r["show_id"], start=r["simulated_start"][11:16],
                 end=r["simulated_end"][11:16], wall=f"{r['wall_seconds']:.1f}", speed=f"{r['speed']:g}x")]
    latency = takes["latency_ms"]
    on_obs = bool(r["obs"])
    if latency["count"]:
        lines.append(Msg("rehearse.summary.takes_obs" if on_obs else "rehearse.summary.takes", count=latency["count"],
                         p50=latency["p50"], p99=latency["p99"]))
    else:
        lines.append(Msg("rehearse.summary.no_takes", count=takes["in_event_log"]))
    lines += _feed_lines(found["feeds"]) if on_obs else [Msg("rehearse.summary.feeds")]
    if on_obs:
        lines += _never_black_lines(found["never_black"])
    lines.append(Msg("rehearse.summary.reports", sent=reports["sent"], received=reports["received_in_store"],
                     groups=reports["groups"], grouped=reports["grouped"],
                     refused=sum(reports["refused"].values()), rate_limited=reports["rate_limited"]))
    lines.append(Msg("rehearse.summary.desk", verified=desk["verified"], false=desk["false"],
                     fakes=desk["fakes_false"], planted=desk["fakes_planted"], conflicts=desk["conflicts_false"]))
    graphics = found["graphics"]
    lines.append(Msg("rehearse.summary.graphics", aired=graphics["aired"], refused=graphics["refused_count"],
                     pulled=graphics["pulled"]))
    retraction = found["retraction"]
    if "off_air_ms" in retraction:
        lines.append(Msg("rehearse.summary.retraction", fact=f"F{retraction['fact']}",
                         ms=f"{retraction['off_air_ms']:.1f}", how=Msg(f"rehearse.how.{retraction['how']}")))
    else:
        lines.append(Msg("rehearse.summary.no_retraction", why=retraction["not measured"]))
    memory = found["memory"]
    peak = memory.get("peak_rss_bytes")
    lines.append(Msg("rehearse.summary.resources", store_mb=f"{found['store']['bytes'] / MB:.1f}",
                     rss_mb="?" if peak is None else f"{peak / MB:.0f}",
                     cpu=f"{found['cpu_seconds']['user'] + found['cpu_seconds']['system']:.1f}"))
    if "growth" in memory:
        lines.append(Msg("rehearse.summary.memory_hours", first_mb=f"{memory['first_hour_rss_bytes'] / MB:.0f}",
                         last_mb=f"{memory['last_hour_rss_bytes'] / MB:.0f}", growth=f"{memory['growth']:+.1%}"))
    lines.append(Msg("rehearse.summary.unmarked", count=found["rehearsal_marks"]["unmarked_rows"]))
    lines += _youtube_lines(found.get("youtube"))
    resumed = r.get("resumed")
    if resumed:
        lines.append(Msg("rehearse.summary.resumed", count=len(resumed["at"]),
                         times=", ".join(at[11:19] for at in resumed["at"]), since=resumed["measured_since"][11:19]))
    return "\n".join(line.render(language) for line in lines)


def _youtube_lines(youtube: dict[str, Any] | None) -> list[Msg]:
    """With --youtube unlisted: how long its broadcast was live, and what went wrong and what to do (the
    detail in English, as YouTube and Google's help word it)."""
    if youtube is None:
        return []
    lines = []
    if youtube["live_s"] is not None:
        units = youtube["quota_units_today"]
        lines.append(Msg("rehearse.summary.youtube_live", broadcast=youtube["broadcast"],
                         seconds=f"{youtube['live_s']:g}", units="?" if units is None else units))
    if youtube["error"]:
        lines.append(Msg("rehearse.summary.youtube_trouble", why=youtube["error"]))
    return lines


def _feed_lines(feeds: dict[str, Any]) -> list[Msg]:
    losses = feeds["losses"]
    lines = [Msg("rehearse.summary.losses", count=sum(1 for loss in losses if loss.get("lost_at")),
                 planned=len(feeds["schedule"]))]
    for loss in losses:
        if not loss.get("lost_at"):
            lines.append(Msg("rehearse.summary.loss_missed", segment=loss["segment"], at=loss["killed_at"][11:19]))
            continue
        slate = "?" if loss["slate_ms"] is None else f"{loss['slate_ms']:.0f}"
        back = loss["retaken_at"] or loss["slate_off_at"]
        lines.append(Msg("rehearse.summary.loss", segment=loss["segment"], at=loss["lost_at"][11:19], ms=slate,
                         back=Msg("rehearse.summary.retaken", at=loss["retaken_at"][11:19]) if loss["retaken_at"]
                         else Msg("rehearse.summary.slate_off", at=back[11:19]) if back
                         else Msg("rehearse.summary.not_back")))
    return lines


def _never_black_lines(checked: dict[str, Any]) -> list[Msg]:
    if "not measured" in checked:
        return [Msg("rehearse.summary.unchecked", why=checked["not measured"])]
    lines = [Msg("rehearse.summary.never_black", black=len(checked["black"]), frozen=len(checked["frozen"]),
                 seconds=f"{checked['recording_seconds']:.0f}", still=checked["still_by_nature"]["count"])]
    for key, stretches in (("rehearse.summary.black", checked["black"]), ("rehearse.summary.frozen", checked["frozen"])):
        for stretch in stretches:
            key = "rehearse.summary.frozen_dying" if stretch.get("feed_dying") else key
            lines.append(Msg(key, at=stretch["at"][11:19], seconds=f"{stretch['seconds']:.1f}",
                             segment=stretch["segment"] or "-"))
    stopped = checked.get("recording_stopped")
    if stopped:
        why = (Msg("rehearse.why.obs_gone") if stopped["cause"] == "obs_gone"
               else Msg("rehearse.why.stopped", free=stopped["free_mb"]))
        lines.append(Msg("rehearse.summary.recording_stopped", at=stopped["at"][11:16], why=why))
    return lines


# --- HTML -------------------------------------------------------------------------------------------------

WIDTH, HEIGHT, PAD = 720, 220, 40


def _plain(x: float) -> str:
    return f"{x:.4g}"


def _axes(x_label: str, y_max: float, x0: float, x1: float, tick: Callable[[float], str]) -> str:
    middle = (PAD + WIDTH - 10) / 2
    return (f'<text x="{PAD}" y="{HEIGHT - PAD + 14}" font-size="11">{html.escape(tick(x0))}</text>'
            f'<text x="{middle}" y="{HEIGHT - PAD + 14}" text-anchor="middle" font-size="11">'
            f'{html.escape(tick((x0 + x1) / 2))}</text>'
            f'<text x="{WIDTH - 10}" y="{HEIGHT - PAD + 14}" text-anchor="end" font-size="11">'
            f'{html.escape(tick(x1))}</text>'
            f'<line x1="{PAD}" y1="{HEIGHT - PAD}" x2="{WIDTH - 10}" y2="{HEIGHT - PAD}" stroke="#888"/>'
            f'<line x1="{PAD}" y1="10" x2="{PAD}" y2="{HEIGHT - PAD}" stroke="#888"/>'
            f'<text x="{PAD - 4}" y="16" text-anchor="end" font-size="11">{y_max:g}</text>'
            f'<text x="{PAD - 4}" y="{HEIGHT - PAD}" text-anchor="end" font-size="11">0</text>'
            f'<text x="{WIDTH - 10}" y="{HEIGHT - 8}" text-anchor="end" font-size="11">{html.escape(x_label)}</text>')


def chart(points: Sequence[tuple[float, float]], *, bars: bool = False, x_label: str = "", empty: str = "",
          tick: Callable[[float], str] = _plain) -> str:
    """An SVG chart of ``points`` (x, y), lines or bars, scaled to fit, the x axis said by ``tick`` (the day's
    clock for simulated hours); ``empty`` when there are none."""
    if not points:
        return f'<svg width="{WIDTH}" height="40"><text x="10" y="24">{html.escape(empty)}</text></svg>'
    xs, ys = [x for x, _ in points], [y for _, y in points]
    x0, x1, top = min(xs), max(xs), max(max(ys), 1e-9)
    span = (x1 - x0) or 1.0
    inner_w, inner_h = WIDTH - PAD - 10, HEIGHT - PAD - 10
    place = lambda x, y: (PAD + (x - x0) / span * inner_w, HEIGHT - PAD - y / top * inner_h)  # noqa: E731
    if bars:
        width = max(1.0, inner_w / len(points) - 1)
        shapes = "".join(
            f'<rect x="{px:.1f}" y="{py:.1f}" width="{width:.1f}" height="{HEIGHT - PAD - py:.1f}" fill="#3a7"/>'
            for px, py in (place(x, y) for x, y in points))
    else:
        path = " ".join(f"{px:.1f},{py:.1f}" for px, py in (place(x, y) for x, y in points))
        shapes = f'<polyline points="{path}" fill="none" stroke="#37a" stroke-width="1.5"/>' + "".join(
            f'<circle cx="{px:.1f}" cy="{py:.1f}" r="2" fill="#37a"/>' for px, py in (place(x, y) for x, y in points))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{HEIGHT}" role="img">'
            f'{_axes(x_label, float(f"{top:.3g}"), x0, x1, tick)}{shapes}</svg>')


def outages(losses: Sequence[dict[str, Any]], hours: Any, empty: str = "", tick: Callable[[float], str] = _plain) -> str:
    """An SVG timeline of the feed losses by simulated hour: a bar from the loss to the picture's return
    (retake or next segment), one row each, named by its segment."""
    shown = [(loss["segment"], hours(loss["lost_at"]), hours(loss["retaken_at"] or loss["slate_off_at"] or
                                                             loss["lost_at"])) for loss in losses if loss.get("lost_at")]
    if not shown:
        return f'<svg width="{WIDTH}" height="40"><text x="10" y="24">{html.escape(empty)}</text></svg>'
    x0, x1 = min(start for _, start, _ in shown), max(stop for _, _, stop in shown)
    span, row, left = (x1 - x0) or 1.0, 22, 200
    place = lambda x: left + (x - x0) / span * (WIDTH - left - 10)  # noqa: E731
    height = row * len(shown) + 30
    bars = "".join(
        f'<text x="{left - 6}" y="{row * i + 16}" text-anchor="end" font-size="11">{html.escape(segment)}</text>'
        f'<rect x="{place(start):.1f}" y="{row * i + 4}" width="{max(2.0, place(stop) - place(start)):.1f}"'
        f' height="{row - 8}" fill="#c33"/>'
        for i, (segment, start, stop) in enumerate(shown))
    return (f'<svg xmlns="http://www.w3.org/2000/svg" width="{WIDTH}" height="{height}" role="img">{bars}'
            f'<text x="{left}" y="{height - 6}" font-size="11">{html.escape(tick(x0))}</text>'
            f'<text x="{WIDTH - 10}" y="{height - 6}" text-anchor="end" font-size="11">{html.escape(tick(x1))}</text>'
            '</svg>')


def page(found: dict[str, Any], language: str) -> str:
    """The one-page HTML report: the summary, three charts, and every figure."""
    t = lambda key, **params: html.escape(Msg(key, **params).render(language))  # noqa: E731
    start = datetime.fromisoformat(found["rehearsal"]["simulated_start"])
    hours = lambda iso: (datetime.fromisoformat(iso) - start).total_seconds() / 3600  # noqa: E731
    clock = lambda hour: f"{start + timedelta(hours=hour):%H:%M}"  # noqa: E731  (the simulated day's, in its zone)
    latency = [(hours(take["at"]), take["ms"]) for take in found["takes"]["series"]]
    reports = [(hours(b["from"]), b["count"]) for b in found["reports"]["per_10_minutes"]]
    memory = [(s["wall"], s["bytes"] / MB) for s in found["memory"].get("rss", []) if s["bytes"] is not None]
    none = Msg("rehearse.html.none").render(language)
    on_obs = bool(found["rehearsal"]["obs"])
    sections = (
        ("rehearse.html.latency_obs" if on_obs else "rehearse.html.latency", chart(latency, empty=none, tick=clock)),
        *((("rehearse.html.outages", outages(found["feeds"]["losses"], hours, empty=none, tick=clock)),)
          if on_obs else ()),
        ("rehearse.html.rate", chart(reports, bars=True, empty=none, tick=clock)),
        ("rehearse.html.memory", chart(memory, x_label="s", empty=none)),
    )
    body = "".join(f"<h2>{t(key)}</h2>{svg}" for key, svg in sections)
    text = html.escape(summary(found, language))
    figures_json = html.escape(json.dumps(found, ensure_ascii=False, indent=2))
    return (f'<!DOCTYPE html><html lang="{language}"><head><meta charset="utf-8">'
            f"<title>{t('rehearse.html.title', show=found['rehearsal']['show_id'])}</title>"
            "<style>body{font-family:sans-serif;max-width:760px;margin:1em auto}pre{white-space:pre-wrap}</style>"
            f"</head><body><h1>{t('rehearse.html.title', show=found['rehearsal']['show_id'])}</h1>"
            f"<pre>{text}</pre>{body}<h2>{t('rehearse.html.figures')}</h2>"
            f"<details><summary>JSON</summary><pre>{figures_json}</pre></details></body></html>\n")
