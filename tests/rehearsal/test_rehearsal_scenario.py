"""The rehearsal's day is decided by its seed: the same seed, the same day; what it plants is there."""

from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from hypothesis import given, settings, strategies as st

from studio.desk.demo import DATA, TURNOUT_FILE
from studio.regions import regions
from studio.rehearsal import scenario
from studio.rehearsal.scenario import NATIONAL, Volume, build, read_turnout

DAY = date(2026, 3, 15)
ZONE = ZoneInfo("Asia/Almaty")
HOURS = [time(h) for h in (10, 12, 14, 16, 18, 20)]
PUBLISHED = read_turnout((DATA / TURNOUT_FILE).read_text(encoding="utf-8"), DAY)
REGIONS = {r.id: (r.kk, r.ru) for r in regions().values()}
SMALL = Volume(steady_per_hour=20, burst_per_hour=60, observers=30)


def day(seed: int, start: str = "07:00", end: datetime | None = None):
    begin = datetime.combine(DAY, time.fromisoformat(start), ZONE)
    return build(day=DAY, zone=ZONE, start=begin, end=end or datetime(2026, 3, 16, 1, 0, tzinfo=ZONE),
                 turnout_hours=HOURS, published=PUBLISHED, regions=REGIONS, seed=seed, volume=SMALL)


def test_the_project_copy_of_the_2026_figures_is_read_whole() -> None:
    assert len(PUBLISHED) == 105 and {row.as_of.hour for row in PUBLISHED} == {10, 12, 14, 16, 18, 20}


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32), start=st.sampled_from(["07:00", "11:30", "17:45"]))
def test_the_same_seed_gives_the_same_day(seed: int, start: str) -> None:
    assert day(seed, start) == day(seed, start)


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32), start=st.sampled_from(["07:00", "11:30", "17:45"]))
def test_everything_arrives_within_the_rehearsal_and_in_order(seed: int, start: str) -> None:
    found = day(seed, start)
    begin = datetime.combine(DAY, time.fromisoformat(start), ZONE)
    close = datetime.combine(DAY, time(20), ZONE)
    assert [r.at for r in found.reports] == sorted(r.at for r in found.reports)
    assert all(begin <= r.at < close + timedelta(hours=1) for r in found.reports)
    assert len({r.key for r in found.reports}) == len(found.reports)
    assert {r.observer for r in found.reports} <= set(found.observers)
    assert all(begin <= release.at and release.verify_at > release.at for release in found.releases)
    # the commission's figures arrive at the hours they were published, exactly as the project's copy has them
    assert {row for release in found.releases for row in release.rows} == {
        row for row in PUBLISHED if row.as_of >= begin}


@settings(max_examples=15, deadline=None)
@given(seed=st.integers(0, 2**32))
def test_the_planted_conflict_fakes_and_retraction_are_there(seed: int) -> None:
    found = day(seed)
    [conflicted] = [release for release in found.releases if release.conflict is not None]
    printed = conflicted.conflict
    official = next(row for row in conflicted.rows if row.region == printed.region)
    assert printed.source.startswith(scenario.CONFLICT_OUTLET)
    assert Decimal(printed.turnout_percent) != Decimal(official.turnout_percent)
    fakes = [r for r in found.reports if r.fake]
    assert len(fakes) == len(found.fakes) == SMALL.fakes
    judged = {fake.key: fake.judge_at for fake in found.fakes}
    assert all(report.at < judged[report.key] for report in fakes)
    target = found.retraction
    assert target is not None and target.region != NATIONAL
    assert (target.as_of, target.region) != (conflicted.as_of, printed.region)
    assert any(row.as_of == target.as_of and row.region == target.region for row in PUBLISHED)


def test_reports_come_in_bursts_around_the_turnout_hours() -> None:
    found = build(day=DAY, zone=ZONE, start=datetime.combine(DAY, time(7), ZONE),
                  end=datetime.combine(DAY, time(20), ZONE), turnout_hours=HOURS, published=PUBLISHED,
                  regions=REGIONS, seed=5)
    near = sum(1 for r in found.reports if min(abs(r.at - datetime.combine(DAY, h, ZONE)) for h in HOURS)
               < timedelta(minutes=10))
    far = sum(1 for r in found.reports if timedelta(minutes=50) <= r.at - datetime.combine(DAY, time(10), ZONE)
              < timedelta(minutes=70))
    assert near / (6 * 20) > 2 * far / 20  # reports per minute near an hour: more than twice those in between


def test_observers_have_distinct_names() -> None:
    names = scenario.observer_names(450)
    assert len(set(names)) == 450
