"""`studio rehearse` as a person runs it: a short accelerated day of the sample rundown, to the end.

One subprocess at 1200x from 17:45 (about half a minute on a busy machine): no timing threshold is
asserted, only that every figure is there and that what it says happened did happen in its store.
"""

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from studio.paths import sample_rundown
from studio.desk.report_body import BATCH_FILE

ROOT = Path(__file__).resolve().parents[2]
FIGURES = ("rehearsal", "takes", "feeds", "reports", "desk", "graphics", "retraction", "rehearsal_marks", "store",
           "memory", "cpu_seconds")


def studio(tmp_path: Path, *args: str, timeout: float = 60, env: dict[str, str] | None = None
           ) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"XDG_DATA_HOME": str(tmp_path / "data"), "STUDIO_STORE": str(tmp_path / "show.db"),
                        "PYTHONPATH": str(ROOT)} | (env or {})
    return subprocess.run([sys.executable, "-m", "studio", "--lang", "en", *args], capture_output=True, text=True,
                          env=env, cwd=ROOT, timeout=timeout)


@pytest.fixture(scope="module")
def rehearsed(tmp_path_factory: pytest.TempPathFactory):
    tmp_path = tmp_path_factory.mktemp("rehearse")
    done = studio(tmp_path, "rehearse", str(sample_rundown()), "--no-obs", "--auto", "--speed", "1200",
                  "--start", "17:45", "--seed", "3", timeout=600)
    assert done.returncode == 0, done.stderr
    [report] = (tmp_path / "data" / "studio").glob("rehearsal-referendum-2026-*.json")
    return tmp_path, done, json.loads(report.read_text(encoding="utf-8")), report


def test_it_runs_to_the_end_and_its_report_has_every_figure(rehearsed) -> None:
    tmp_path, done, found, report = rehearsed
    assert all(name in found for name in FIGURES)
    latency = found["takes"]["latency_ms"]
    assert latency["count"] == found["takes"]["by_rehearsal"] > 0 and {"p50", "p99"} <= set(latency)
    assert found["feeds"] == {"losses": None, "not measured": "--no-obs"}
    assert found["memory"]["peak_rss_bytes"] > 0 and found["store"]["bytes"] > 0
    assert str(report) in done.stdout and str(report.with_suffix(".html")) in done.stdout
    assert report.with_suffix(".html").read_text(encoding="utf-8").count("<svg") == 3
    assert "takes:" in done.stdout and "key to controller commit" in done.stdout


def test_the_reports_went_through_the_intake_into_its_store(rehearsed) -> None:
    tmp_path, _, found, _ = rehearsed
    reports = found["reports"]
    db = sqlite3.connect(found["rehearsal"]["store"])
    through_intake = db.execute("SELECT COUNT(*) FROM report JOIN import_batch AS b ON b.id = report.batch"
                                " WHERE b.file = ?", (BATCH_FILE,)).fetchone()[0]
    assert through_intake == reports["accepted"] == reports["received_in_store"] > 0
    assert db.execute("SELECT COUNT(*) FROM observer_token").fetchone()[0] > 0
    # the desk: every release verified by someone other than who imported it, the fakes found false
    assert found["desk"]["figures_verified"] > 0 and found["desk"]["fakes_false"] == found["desk"]["fakes_planted"]
    assert db.execute("SELECT COUNT(*) FROM fact WHERE status = 'verified' AND verified_by = created_by"
                      ).fetchone()[0] == 0


def test_the_retraction_pulled_the_graphic_that_stated_it(rehearsed) -> None:
    _, _, found, _ = rehearsed
    retraction = found["retraction"]
    assert retraction["how"] == "pulled" and retraction["off_air_ms"] >= 0
    db = sqlite3.connect(found["rehearsal"]["store"])
    assert db.execute("SELECT status FROM fact WHERE id = ?", (retraction["fact"],)).fetchone() == ("retracted",)
    pulled = db.execute("SELECT detail FROM event WHERE action = 'graphic_pulled'").fetchall()
    assert pulled and found["graphics"]["pulled"] == len(pulled)


def test_every_event_and_as_run_row_is_marked_and_the_exports_say_so(rehearsed) -> None:
    tmp_path, _, found, _ = rehearsed
    store = found["rehearsal"]["store"]
    db = sqlite3.connect(store)
    assert db.execute("SELECT COUNT(*), SUM(rehearsal) FROM event").fetchone()[0] > 0
    assert db.execute("SELECT COUNT(*) FROM event WHERE rehearsal = 0").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM asrun WHERE rehearsal = 0").fetchone() == (0,)
    assert db.execute("SELECT COUNT(*) FROM rehearsal").fetchone() == (1,)
    asrun = studio(tmp_path, "--store", store, "asrun", "export", "--format", "json")
    assert asrun.returncode == 0 and {r["rehearsal"] for r in json.loads(asrun.stdout)} == {True}
    provenance = studio(tmp_path, "--store", store, "provenance", "export", "--format", "json")
    shown = [entry for record in json.loads(provenance.stdout) for entry in record["on_air"]]
    assert shown and {entry["rehearsal"] for entry in shown} == {True}


def test_the_real_store_was_not_touched(rehearsed) -> None:
    tmp_path, _, found, _ = rehearsed
    assert not (tmp_path / "show.db").exists()
    assert Path(found["rehearsal"]["store"]).parent == tmp_path / "data" / "studio"


def without_obs(tmp_path: Path, *tools: str) -> dict[str, str]:
    """A PATH with only ``tools`` on it: no obs, no Xvfb."""
    folder = tmp_path / "bin"
    folder.mkdir()
    for tool in tools:
        (folder / tool).symlink_to(shutil.which(tool))
    return {"PATH": str(folder)}


def test_without_obs_and_nothing_to_start_it_with_it_says_what_to_do(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text("[obs]\nport = 1\n", encoding="utf-8")  # nothing listens on port 1
    done = studio(tmp_path, "--config", str(config), "rehearse", str(sample_rundown()), "--speed", "600",
                  env=without_obs(tmp_path, "ffmpeg"))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [
        "studio: error: OBS is not reachable at 127.0.0.1:1, and no headless OBS can be started (obs and Xvfb not"
        " found): start OBS, install them with: apt-get install -y obs-studio xvfb, or pass --no-obs to rehearse"
        " without it"]
    assert not list((tmp_path / "data").glob("**/rehearsal-*"))


def test_without_ffmpeg_it_names_the_package(tmp_path: Path) -> None:
    done = studio(tmp_path, "rehearse", str(sample_rundown()), "--speed", "600", env=without_obs(tmp_path))
    assert done.returncode != 0 and "Traceback" not in done.stderr
    assert "ffmpeg is not installed" in done.stderr and "apt-get install -y ffmpeg" in done.stderr
    assert not list((tmp_path / "data").glob("**/rehearsal-*"))


@pytest.mark.parametrize(("option", "said"), [
    (("--speed", "0"), "--speed 0: give a number above 0"),
    (("--start", "7pm"), "--start 7pm: write the time of day as HH:MM"),
    (("--start", "02:00"), "--start 02:00 is not before the plan's end"),
])
def test_bad_options_get_a_clear_error(tmp_path: Path, option: tuple[str, str], said: str) -> None:
    done = studio(tmp_path, "rehearse", "--no-obs", *option)
    assert done.returncode == 2 and said in done.stderr and "Traceback" not in done.stderr


def test_a_port_held_by_another_program_is_named_not_taken_for_obs(tmp_path: Path) -> None:
    import socket
    import threading

    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen()

        def answer() -> None:  # a web server, say, where OBS should be
            while True:
                try:
                    client, _ = server.accept()
                except OSError:
                    return
                with client:
                    client.recv(4096)
                    client.sendall(b"HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\n")

        threading.Thread(target=answer, daemon=True).start()
        config = tmp_path / "config.toml"
        config.write_text(f"[obs]\nport = {server.getsockname()[1]}\ntimeout = 2\n", encoding="utf-8")
        port = server.getsockname()[1]
        done = studio(tmp_path, "--config", str(config), "rehearse", str(sample_rundown()), "--speed", "600")
    assert done.returncode != 0 and "Traceback" not in done.stderr
    [said] = done.stderr.strip().splitlines()
    assert said.startswith(f"studio: error: OBS at 127.0.0.1:{port} ") and "cannot be used for the rehearsal" in said
    assert "not as obs-websocket 5" in said
    assert not list((tmp_path / "data").glob("**/rehearsal-*"))
