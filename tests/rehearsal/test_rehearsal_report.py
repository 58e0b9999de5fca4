"""The report's arithmetic and pages: pure, from what was measured; what was not measured says so."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from studio.rehearsal.report import Measured, Sample, chart, figures, page, percentile, rate, summary

T0 = datetime(2026, 3, 15, 17, 45, tzinfo=ZoneInfo("Asia/Almaty"))


def measured(**changes) -> Measured:
    base = dict(
        show_id="referendum-2026", rundown="r.toml", store="s.db", mode="auto", seed=1, speed=600.0,
        simulated_start=T0, simulated_end=T0 + timedelta(hours=1), wall_seconds=6.0,
        takes=[(T0 + timedelta(minutes=i), f"s{i}", float(i + 1)) for i in range(100)], take_refusals={},
        graphics_aired=3, graphics_refused={"fact-card: graphic_refused": 1}, graphics_pulled=1, played=100,
        reports_planned=4, reports_attempted=4, reports_accepted=3, reports_refused={"422": 1},
        reports_rate_limited=0, reports_failed=0, intake_ms=[2.0, 4.0, 3.0], reports_in_store=3,
        report_times=[T0, T0 + timedelta(minutes=5), T0 + timedelta(minutes=25)], groups=2, grouped=2,
        facts={"verified": 5, "false": 2}, desk={"fakes_false": 1, "fakes_planted": 1, "conflicts_false": 1},
        retraction={"fact": 7, "off_air_ms": 21.5, "how": "pulled"}, retraction_planned=None, unmarked_rows=0,
        store_bytes=2 * 1024 * 1024, samples=[Sample(0.5, T0, 50 * 1024 * 1024, 0.2, 1),
                                              Sample(1.0, T0, None, 0.3, 2)],
    )
    return Measured(**(base | changes))


def test_percentiles_are_nearest_rank() -> None:
    values = [float(v) for v in range(1, 101)]
    assert percentile(values, 50) == 50 and percentile(values, 99) == 99 and percentile([], 50) is None


def test_the_report_rate_counts_every_bucket_empty_ones_too() -> None:
    counted = rate([T0, T0 + timedelta(minutes=9), T0 + timedelta(minutes=31)], T0, T0 + timedelta(minutes=40))
    assert [n for _, n in counted] == [2, 0, 0, 1]


def test_the_figures_say_what_was_not_measured_instead_of_a_number() -> None:
    found = figures(measured(takes=[], retraction=None, retraction_planned={"region": "abai", "as_of": "x"},
                             samples=[Sample(0.5, T0, None, 0.1, 0)]))
    assert found["feeds"] == {"losses": None, "not measured": "--no-obs"}
    assert found["takes"]["latency_ms"]["count"] == 0 and "not measured" in found["takes"]["latency_ms"]
    assert "abai" in found["retraction"]["not measured"]
    assert "not measured" in found["memory"]


def test_the_figures_come_from_the_measurements() -> None:
    found = figures(measured())
    assert found["takes"]["latency_ms"] | {"measured": ""} == {"count": 100, "p50": 50.0, "p99": 99.0,
                                                                "max": 100.0, "measured": ""}
    assert found["reports"]["refused"] == {"422": 1} and found["graphics"]["refused_count"] == 1
    assert found["memory"]["peak_rss_bytes"] == 50 * 1024 * 1024
    assert [b["count"] for b in found["reports"]["per_10_minutes"]][:3] == [2, 0, 1]


def test_the_memory_figures_compare_the_simulated_days_first_and_last_hour() -> None:
    """The highest RSS of each hour, by the simulated clock: a high-water mark between them counts too."""
    mb = 1024 * 1024
    at = lambda minutes, rss: Sample(minutes / 10, T0 + timedelta(minutes=minutes), rss * mb, 0.0, 0)  # noqa: E731
    day = [at(0, 70), at(50, 72), at(61, 90), at(120, 75), at(179, 77), at(180, 76)]
    found = figures(measured(simulated_end=T0 + timedelta(hours=3), samples=day))["memory"]
    assert (found["first_hour_rss_bytes"], found["last_hour_rss_bytes"], found["peak_rss_bytes"]) == (
        72 * mb, 77 * mb, 90 * mb)
    assert found["growth"] == round(77 / 72 - 1, 4)
    said = summary(figures(measured(simulated_end=T0 + timedelta(hours=3), samples=day)), "kk")
    assert "жад: бірінші сағатта 72 МБ, соңғы сағатта 77 МБ (+6.9%)" in said
    short = figures(measured())["memory"]  # one simulated hour: no first and last hour apart
    assert "not measured" in short["first_and_last_hour"] and "growth" not in short
    assert "memory: first hour" not in summary(figures(measured()), "en")


def test_the_summary_and_the_page_speak_the_readers_language() -> None:
    found = figures(measured())
    assert "p50 50.0 ms" in summary(found, "en") and "снято контроллером" in summary(found, "ru")
    html = page(found, "kk")
    assert html.startswith("<!DOCTYPE html>") and html.count("<svg") == 3 and "<script" not in html
    assert "Репетиция есебі" in html and "http" not in html.replace("http://www.w3.org/2000/svg", "")


def test_a_chart_with_nothing_says_so() -> None:
    assert "nothing measured" in chart([], empty="nothing measured")


def test_with_obs_the_report_times_each_loss_and_lists_each_stretch() -> None:
    t = lambda minutes: (T0 + timedelta(minutes=minutes)).isoformat()  # noqa: E731
    loss = {"segment": "live-astana", "killed_at": t(2), "lost_at": t(3), "detected_ms": 1200.0, "slate_ms": 1290.5,
            "slate_at": t(3), "returned_at": t(5), "retaken_at": t(6), "retake_ms": 480.0, "slate_off_at": t(6)}
    frozen = {"recording_s": 150.0, "seconds": 0.8, "at": t(2.5), "segment": "live-astana", "title": "Астана",
              "kind": "live", "feed_dying": True}
    found = figures(measured(
        obs={"version": "29.0.2", "host": "127.0.0.1", "port": 4455, "headless": True, "canvas": [640, 360]},
        feeds={"losses": [loss], "schedule": [{"segment": "live-astana"}]},
        never_black={"recording": "/r/p.mkv", "black": [], "frozen": [frozen], "recording_seconds": 360.0,
                     "still_by_nature": {"count": 4, "seconds": 20.0, "why": "..."}}))
    assert found["feeds"]["losses"] == [loss] and "OBS's answer" in found["takes"]["latency_ms"]["measured"]
    said = summary(found, "en")
    assert "key to OBS's answer p50 50.0 ms" in said and "feed losses: 1 reported by the watchdog" in said
    assert "17:48:00 live-astana: the slate on the programme 1290 ms after the feed died; retaken at 17:51:00" in said
    assert "never black: 0 black and 1 frozen" in said and "its feed had died" in said
    assert "заставка" in summary(found, "ru") and "заставка" in summary(found, "kk")
    html = page(found, "en")
    assert html.count("<svg") == 4 and "live-astana</text>" in html


def test_the_charts_of_the_day_read_the_days_clock() -> None:
    """Not hours since the start as raw numbers (0.0002742): the simulated day's local times."""
    html = page(figures(measured()), "en")
    assert ">17:45<" in html and ">19:24<" in html  # the first take and the last (99 minutes in)
    assert "0.000" not in html


def test_the_summary_says_how_youtube_went_and_what_to_do_when_it_did_not() -> None:
    found = figures(measured())
    assert "YouTube" not in summary(found, "en")  # not asked for
    found["youtube"] = {"broadcast": "b1", "privacy": "unlisted", "to_live_s": 9.0, "live_s": 42.0, "ended": None,
                        "quota_units_today": 307, "error": "ending: the sign-in was revoked; run `studio youtube auth`"}
    lines = summary(found, "en").splitlines()
    assert lines[-2:] == ["YouTube: the rehearsal's broadcast b1 (unlisted) was 42 s live; quota units spent today: 307",
                          "YouTube trouble, the rehearsal went on without it: ending: the sign-in was revoked;"
                          " run `studio youtube auth`"]
    assert "b1" in summary(found, "kk") and "studio youtube auth" in page(found, "ru")
