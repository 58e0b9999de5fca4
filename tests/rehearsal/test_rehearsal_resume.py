"""Picking a stopped rehearsal up (studio/rehearsal/resume.py): what the store tells, and every refusal said clearly.

The whole kill-and-restart proof is tests/reliability/test_rehearsal_kills.py; here, fast: the instant it
resumes at, the graphics gone through, and the command's answers on stores it cannot (or must not) pick up.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path
from types import SimpleNamespace
from zoneinfo import ZoneInfo

import pytest

from studio.paths import sample_rundown
from studio.rehearsal.resume import alone_in, graphics_taken, reached, unfinished
from studio.store import open_store
from studio.store.show import RehearsalMark
from tests.rehearsal.test_rehearse_command import studio

ZONE = ZoneInfo("Asia/Almaty")
DAY = datetime(2026, 3, 15, 17, 0, tzinfo=ZONE)


def marked(path: Path, seed: int = 3) -> None:
    """A store a rehearsal of the sample show began in (seed ``seed``, from 17:00 at 600x), then stopped."""
    store = open_store(path)
    with store.write():
        store.mark_rehearsal(RehearsalMark("referendum-2026", datetime.now(UTC), DAY, 600.0, seed))
    store.close()


def test_it_resumes_at_the_latest_instant_any_row_records_in_the_shows_zone(tmp_path: Path) -> None:
    store = open_store(tmp_path / "r.db")
    assert reached(store.db, DAY) == DAY  # nothing done yet: the day's first instant
    with store.write():
        store.log("referendum-2026", DAY + timedelta(minutes=5), "take", "producer", "test", "open")
    store.db.execute("INSERT INTO import_batch (kind, file, at, operator) VALUES ('turnout', 'f.csv', ?, 'desk')",
                     ((DAY + timedelta(minutes=9)).astimezone(UTC).isoformat(),))  # the desk writes UTC
    store.db.commit()
    found = reached(store.db, DAY)
    assert found == DAY + timedelta(minutes=9) and found.utcoffset() == timedelta(hours=5)
    store.close()


def test_the_graphics_gone_through_are_matched_to_the_cues_in_order(tmp_path: Path) -> None:
    store = open_store(tmp_path / "r.db")
    row = SimpleNamespace(segment_id="open", started_at=DAY)
    cues = [SimpleNamespace(template=name) for name in ("lower-third", "map", "lower-third")]
    with store.write():
        store.log("referendum-2026", DAY - timedelta(minutes=1), "graphic_on", "p", "t", "open", template="map")
        for minutes, action, template in ((1, "graphic_on", "lower-third"), (2, "graphic_refused", "lower-third")):
            store.log("referendum-2026", DAY + timedelta(minutes=minutes), action, "p", "t", "open", template=template)
    # the map before the row's take is another time on air; the refused lower-third is the third cue:
    # the map (second) was refused without a row in the log, and is not tried again
    assert graphics_taken(store.db, "referendum-2026", row, cues) == 3
    assert graphics_taken(store.db, "referendum-2026", row, cues[:1]) == 1
    store.close()


@pytest.mark.parametrize(("options", "said"), [
    (("--seed", "4"), "begun with --seed 3, not 4"),
    (("--start", "18:00"), "begun with --start 17:00, not 18:00"),
    ((), "picking one up on OBS is not supported yet"),
])
def test_a_store_it_cannot_pick_up_as_asked_is_refused_with_what_to_do(tmp_path: Path, options: tuple[str, ...],
                                                                      said: str) -> None:
    marked(tmp_path / "r.db")
    no_obs = ("--no-obs",) if options else ()
    done = studio(tmp_path, "rehearse", str(sample_rundown()), "--store", str(tmp_path / "r.db"), *no_obs, *options)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr


def test_resume_with_nothing_to_pick_up_says_so(tmp_path: Path) -> None:
    done = studio(tmp_path, "rehearse", "--no-obs", "--resume")
    assert done.returncode == 2 and "--resume: no rehearsal of referendum-2026" in done.stderr


def test_a_store_a_rehearsal_plays_now_is_not_taken_by_a_second(tmp_path: Path) -> None:
    marked(tmp_path / "r.db")
    with alone_in(tmp_path / "r.db"):
        done = studio(tmp_path, "rehearse", "--no-obs", "--store", str(tmp_path / "r.db"))
        assert unfinished(tmp_path, "referendum-2026") is None  # not "stopped": it plays
    assert done.returncode == 2 and "is in use by a rehearsal that is running now" in done.stderr


def test_the_newest_stopped_one_of_the_show_is_the_one_picked_up(tmp_path: Path) -> None:
    for stamp in ("20260101-100000", "20260101-110000", "20260101-120000"):
        marked(tmp_path / f"rehearsal-referendum-2026-{stamp}.db")
    (tmp_path / "rehearsal-referendum-2026-20260101-120000.json").write_text("{}")  # that one ended
    assert unfinished(tmp_path, "referendum-2026") == tmp_path / "rehearsal-referendum-2026-20260101-110000.db"
    assert unfinished(tmp_path, "another-show") is None


def test_a_store_that_is_not_a_rehearsals_own_is_never_picked_up(tmp_path: Path) -> None:
    store = open_store(tmp_path / "show.db", rehearses=True)  # `studio rehearse --store` on the show's store
    with store.write():
        store.log("referendum-2026", DAY, "take", "producer", "rehearse", "open")
    store.close()
    done = studio(tmp_path, "rehearse", "--no-obs", "--store", str(tmp_path / "show.db"))
    assert done.returncode == 2 and "is not a rehearsal's own store" in done.stderr
    with sqlite3.connect(tmp_path / "show.db") as db:
        assert db.execute("SELECT COUNT(*) FROM event").fetchone()[0] == 1  # nothing was added
