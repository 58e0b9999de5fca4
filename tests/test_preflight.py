"""`studio preflight`: every check at once, through the real entry point. OBS here is a dead port (the
real-OBS half is tests/obs/test_obs_preflight.py); YouTube is the real googleapiclient against the
loopback fake; feeds are real ffmpeg senders probed by the real ffprobe."""

from __future__ import annotations

import re
import shutil
import sqlite3
import subprocess
import time
from collections import namedtuple
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.cli import main
from studio.preflight import GB, Check, Mark, Result, day_for, feed_place, run_checks, would_fail
from studio.i18n import Msg
from studio.store import open_store
from studio.store.observers import add_observer
from tests.obs.obs_process import free_port
from tests.tui.test_languages import english_fragments
from tests.youtube.conftest import fake_youtube, youtube_server  # noqa: F401 (fixtures)
from tests.youtube.test_youtube_api import write_token

ROOT = Path(__file__).resolve().parents[1]
SMALL = ROOT / "tests" / "data" / "small.toml"
Usage = namedtuple("Usage", "total used free")


def write_config(tmp_path: Path, *, obs_port: int, obs_env: str = "OBS_PASSWORD", youtube: str = "",
                 more: str = "") -> Path:
    config = tmp_path / "config.toml"
    config.write_text(
        f'[obs]\nport = {obs_port}\npassword_env = "{obs_env}"\ntimeout = 2.0\n'
        f'[graphics]\nout = "{tmp_path / "graphics"}"\n'
        f'[youtube]\ntoken_file = "{tmp_path / "token.json"}"\n{youtube}{more}'
    )
    return config


def signed_in_youtube(fake, tmp_path: Path) -> str:
    """The [youtube] keys of a sign-in to the fake, with the token file in place."""
    write_token(fake, tmp_path / "token.json")
    return f'api_endpoint = "{fake.url}"\ntoken_uri = "{fake.url}token"\n'


def preflight(tmp_path: Path, config: Path, capsys, *args: str, rundown: Path = SMALL) -> tuple[int, list[str]]:
    code = main(["--config", str(config), "--store", str(tmp_path / "studio.db"), *args, "preflight", str(rundown)])
    captured = capsys.readouterr()
    assert "Traceback" not in captured.out + captured.err
    return code, captured.out.splitlines()


def line(lines: list[str], words: str) -> tuple[str, str]:
    """(the line that has ``words``, the advice under it or "")."""
    for at, text in enumerate(lines):
        if words in text:
            after = lines[at + 1] if at + 1 < len(lines) else ""
            return text, after.strip() if after.startswith("    ") else ""
    raise AssertionError(f"no line with {words!r} in:\n" + "\n".join(lines))


def test_a_dead_obs_and_no_sign_in_are_both_said_with_what_to_do(tmp_path, capsys, fake_youtube):  # noqa: F811
    config = write_config(tmp_path, obs_port=free_port())
    code, lines = preflight(tmp_path, config, capsys, "--lang", "en")
    assert code == 1
    obs, advice = line(lines, "OBS at 127.0.0.1:")
    assert obs.startswith("✗") and "is OBS running" in advice
    youtube, advice = line(lines, "YouTube: not signed in")
    assert youtube.startswith("✗") and "run `studio youtube auth`" in advice
    assert fake_youtube.units_spent == 0  # not signed in: YouTube is not asked anything
    quota, _ = line(lines, "YouTube quota:")
    assert quota == "✓ YouTube quota: 10000 of 10000 units left today"
    assert line(lines, "rundown ")[0].startswith("✓ rundown") and "5 segments" in lines[0]
    assert lines[-1].startswith("preflight: 2 would fail on air")


def test_signed_in_and_scheduled_youtube_is_fine_and_costs_two_units(tmp_path, capsys, fake_youtube):  # noqa: F811
    config = write_config(tmp_path, obs_port=free_port(), youtube=signed_in_youtube(fake_youtube, tmp_path))
    code, lines = preflight(tmp_path, config, capsys, "--lang", "en")
    said, advice = line(lines, "no broadcast is scheduled for the show small")
    assert said.startswith("✗") and advice == f"run `studio youtube schedule {SMALL}`"
    store = ["--config", str(config), "--store", str(tmp_path / "studio.db"), "--lang", "en"]
    assert main([*store, "youtube", "schedule", str(SMALL)]) == 0
    capsys.readouterr()
    spent = fake_youtube.units_spent
    code, lines = preflight(tmp_path, config, capsys, "--lang", "en")
    (broadcast,) = fake_youtube.broadcasts
    assert line(lines, "YouTube: signed in")[0].startswith("✓")
    assert line(lines, "YouTube: broadcast")[0] == f"✓ YouTube: broadcast {broadcast} ready, not live (unlisted), its stream bound"
    assert fake_youtube.units_spent == spent + 2
    assert line(lines, "YouTube quota:")[0] == f"✓ YouTube quota: {10000 - spent - 2} of 10000 units left today"
    fake_youtube.revoke()
    fake_youtube.expire_access_tokens()
    code, lines = preflight(tmp_path, config, capsys, "--lang", "en")
    said, advice = line(lines, "✗ YouTube")
    assert "studio youtube auth" in advice and fake_youtube.refresh_token not in "\n".join(lines)


@pytest.mark.parametrize(("free", "mark", "fails"), [(0.5 * GB, "✗", True), (3 * GB, "!", False), (50 * GB, "✓", False)])
def test_free_disk_under_the_thresholds(tmp_path, monkeypatch, free, mark, fails):
    monkeypatch.setattr(shutil, "disk_usage", lambda path: Usage(100 * GB, 100 * GB - free, int(free)))
    day = day_for(config_of(tmp_path), SMALL, tmp_path / "studio.db", datetime.now(UTC))
    results = run_checks(day, [check_named(day, "store ")])
    (disk,) = [r for r in results if "free on the store's disk" in r.what]
    assert disk.mark == mark and would_fail(results) is fails
    if fails:
        assert "under 1 GB the day runs out of disk" in disk.advice


def test_a_store_another_process_holds_is_a_warning(tmp_path):
    store = tmp_path / "studio.db"
    open_store(store).close()
    day = day_for(config_of(tmp_path), SMALL, store, datetime.now(UTC))
    holder = sqlite3.connect(store, isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")
    try:
        (busy, *_) = run_checks(day, [check_named(day, "store ")])
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert busy.mark is Mark.WARN and "held its write lock" in busy.what
    (writable, *_) = run_checks(day, [check_named(day, "store ")])
    assert writable.mark is Mark.OK and str(writable.what) == f"store {store}: writable"


def test_a_store_that_is_not_there_yet_is_a_warning(tmp_path):
    day = day_for(config_of(tmp_path), SMALL, tmp_path / "new" / "studio.db", datetime.now(UTC))
    (new, *_) = run_checks(day, [check_named(day, "store ")])
    assert new.mark is Mark.WARN and "does not exist yet" in new.what and "studio locate" in new.advice
    assert not (tmp_path / "new").exists()  # preflight creates nothing


def test_a_postgresql_store_is_checked_on_its_server(tmp_path, monkeypatch, pg_server):
    """The server takes a write (nothing written); the disk checked is the one the photos go to."""
    monkeypatch.setenv("STUDIO_FILES", str(tmp_path / "files"))
    url = pg_server.new_database()
    day = day_for(config_of(tmp_path), SMALL, url, datetime.now(UTC))
    (writable, disk, *_) = run_checks(day, [check_named(day, "store ")])
    assert writable.mark is Mark.OK and str(writable.what) == f"store {url}: writable"
    assert f"({tmp_path})" in str(disk.what)  # files/media are not there yet: their nearest folder
    gone = url.rsplit("/", 1)[0] + "/no_such_database"
    day = day_for(config_of(tmp_path), SMALL, gone, datetime.now(UTC))
    (refused, *_) = run_checks(day, [check_named(day, "store ")])
    assert refused.mark is Mark.FAIL and "no_such_database" in refused.what and "PGPASSWORD" in refused.advice


def config_of(tmp_path: Path, more: str = ""):  # -> Config
    from studio.config import load_config

    return load_config(write_config(tmp_path, obs_port=free_port(), more=more))


def check_named(day, words: str) -> Check:
    from studio.preflight import checks

    (found,) = [check for check in checks(day) if check.name.startswith(words)]
    return found


def test_a_check_that_crashes_or_hangs_is_a_failed_line_and_the_others_go_on(tmp_path):
    day = day_for(config_of(tmp_path), SMALL, tmp_path / "studio.db", datetime.now(UTC))

    def crashes(day):
        raise KeyError("surprise")

    def hangs(day):
        time.sleep(60)  # far longer than the run may take: a run that waited for it would show
        return []

    def fine(day):
        return [Result(Mark.OK, Msg("diag.as_is", text="fine"))]

    began = time.monotonic()
    results = run_checks(day, [
        Check(Msg("diag.as_is", text="crashing"), crashes, 1.0),
        Check(Msg("diag.as_is", text="hanging"), hangs, 0.3),
        Check(Msg("diag.as_is", text="fine"), fine, 1.0),
    ])
    assert time.monotonic() - began < 30  # the hanging one was not waited for
    assert [(r.mark, str(r.what)) for r in results] == [
        (Mark.FAIL, "crashing"), (Mark.FAIL, "hanging"), (Mark.OK, "fine")]
    assert "KeyError" in results[0].advice and "surprise" in results[0].advice
    assert results[1].advice == "no answer within 0.3 s"


@pytest.fixture
def sending() -> tuple[str, subprocess.Popen]:
    """A real feed: ffmpeg waits on a TCP port and sends a test pattern to whoever calls."""
    if shutil.which("ffmpeg") is None:
        pytest.fail("ffmpeg is needed (it is installed with the project's tools)")
    port = free_port()
    sender = subprocess.Popen(
        ["ffmpeg", "-v", "error", "-re", "-f", "lavfi", "-i", "testsrc=size=160x90:rate=25", "-t", "20",
         "-f", "mpegts", f"tcp://127.0.0.1:{port}?listen=1"],
        stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )
    time.sleep(0.5)  # until it listens
    yield f"tcp://127.0.0.1:{port}", sender
    sender.kill()
    sender.wait()


def rundown_with_feeds(tmp_path: Path, *feeds: str) -> Path:
    path = tmp_path / "feeds.toml"
    text = SMALL.read_text("utf-8")
    for number, feed in enumerate(feeds):
        text += (f'\n[[segment]]\nid = "feed-{number}"\nkind = "live"\nregion = "almaty"\nduration = "5m"\n'
                 f'title = {{ kk = "Тікелей", ru = "Прямое" }}\nfeed = "{feed}"\n')
    path.write_text(text, "utf-8")
    return path


def test_feeds_that_answer_that_do_not_and_that_cannot_be_probed(tmp_path, capsys, sending):
    live, _ = sending
    dead = f"tcp://127.0.0.1:{free_port()}"
    secret = "rtmp://studio:hunter2@127.0.0.1:1/live/STREAMKEY123?listen=1"
    rundown = rundown_with_feeds(tmp_path, live, dead, secret)
    code, lines = preflight(tmp_path, write_config(tmp_path, obs_port=free_port()), capsys, "--lang", "en",
                            rundown=rundown)
    assert line(lines, f"feed {live} (feed-0)")[0] == f"✓ feed {live} (feed-0): answers"
    said, advice = line(lines, f"feed {dead} (feed-1)")
    assert said.startswith("✗") and "no picture within 5 s" in said and "ask the region" in advice
    said, _ = line(lines, "feed(s) OBS listens for")
    assert said.startswith("! 2 feed(s) OBS listens for (udp://127.0.0.1:9101, rtmp://127.0.0.1:1)")
    assert "STREAMKEY123" not in "\n".join(lines) and "hunter2" not in "\n".join(lines)
    assert feed_place(secret) == "rtmp://127.0.0.1:1"


def test_tokens_of_the_configured_services(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("STUDIO_API_TOKEN", raising=False)
    config = write_config(tmp_path, obs_port=free_port(), more='[api]\nport = 8765\n[intake]\nport = 8767\n')
    code, lines = preflight(tmp_path, config, capsys, "--lang", "en")
    said, advice = line(lines, "control API tokens")
    assert said.startswith("✗") and "STUDIO_API_TOKEN" in advice
    said, advice = line(lines, "observers' intake")
    assert said.startswith("✗") and "studio observers add NAME" in advice

    token = "a-long-enough-secret-token-for-the-api-0123456789"
    monkeypatch.setenv("STUDIO_API_TOKEN", token)
    store = open_store(tmp_path / "studio.db")
    add_observer(store.db, "Айгүл", by="test", at=datetime.now(UTC))
    store.close()
    code, lines = preflight(tmp_path, config, capsys, "--lang", "en")
    assert line(lines, "control API")[0] == "✓ control API: tokens set in $STUDIO_API_TOKEN"
    assert line(lines, "observers' intake")[0] == "✓ observers' intake: 1 observer(s) with a working token"
    assert token not in "\n".join(lines)


def test_unconfigured_services_are_not_checked_and_do_not_fail(tmp_path, capsys, monkeypatch):
    monkeypatch.delenv("STUDIO_API_TOKEN", raising=False)
    code, lines = preflight(tmp_path, write_config(tmp_path, obs_port=free_port()), capsys, "--lang", "en")
    assert line(lines, "control API")[0].startswith("! control API: not configured")
    assert line(lines, "observers' intake")[0].startswith("! observers' intake: not configured")


def test_a_template_whose_font_is_gone(tmp_path, capsys, monkeypatch):
    overlays = tmp_path / "overlays"
    shutil.copytree(ROOT / "studio" / "overlays", overlays)
    (overlays / "fonts" / "NotoSans-Bold.ttf").unlink()
    monkeypatch.setenv("STUDIO_OVERLAYS", str(overlays))
    code, lines = preflight(tmp_path, write_config(tmp_path, obs_port=free_port()), capsys, "--lang", "en")
    said, advice = line(lines, "graphics templates and their fonts")
    assert said.startswith("✗") and "NotoSans-Bold.ttf" in advice and "more)" in advice


def test_a_broken_rundown_is_a_failed_line_and_the_rest_is_still_checked(tmp_path, capsys):
    broken = tmp_path / "broken.toml"
    broken.write_text(SMALL.read_text("utf-8").replace('duration = "10m"', 'duration = "ten minutes"', 1))
    code, lines = preflight(tmp_path, write_config(tmp_path, obs_port=free_port()), capsys, "--lang", "en",
                            rundown=broken)
    said, advice = line(lines, f"rundown {broken}")
    assert code == 1 and said == f"✗ rundown {broken}" and advice.startswith(f"{broken}:")
    assert line(lines, "live feeds: not checked")[0].startswith("!")
    assert line(lines, "OBS at")[0].startswith("✗") and line(lines, "graphics: ")[0].startswith("✓")


def test_in_kazakh_no_english(tmp_path, capsys, fake_youtube):  # noqa: F811
    config = write_config(tmp_path, obs_port=free_port(), youtube=signed_in_youtube(fake_youtube, tmp_path),
                          more='[intake]\nport = 8767\n')
    code, lines = preflight(tmp_path, config, capsys, "--lang", "kk", rundown=rundown_with_feeds(
        tmp_path, f"tcp://127.0.0.1:{free_port()}"))
    shown = "\n".join(lines)
    assert code == 1 and len(lines) > 10
    # commands to type, file names and paths are the same in every language
    words = re.sub(r"`[^`]*`|\S*\.toml\b|/\S+", "…", shown)
    leaks = sorted(fragment for fragment in english_fragments("kk") if fragment in words and fragment != "studio")
    assert leaks == [], f"English in the Kazakh checklist: {leaks}\n{shown}"
