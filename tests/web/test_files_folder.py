"""A photo sent through `studio intake` lands in the store's files folder as config.toml's [store] files names
it (studio/paths.py ``store_files``), and a desk opened as `studio desk` or the console opens it looks there."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

from studio.commands.common import open_desk_store
from studio.store.desk import open_desk
from studio.store.location import is_url
from studio.store.observers import add_observer, issue_link
from tests.pg_server import free_port
from tests.web.form_helpers import OBSERVERS, T0, photo_with_location
from tests.web.http_helpers import http

ROOT = Path(__file__).resolve().parents[2]


def started_intake(config: Path, store: Path | str, port: int) -> subprocess.Popen[str]:
    process = subprocess.Popen(
        [sys.executable, "-m", "studio", "--config", str(config), "--store", str(store), "intake", "--port", str(port)],
        cwd=ROOT, env=os.environ | {"PYTHONPATH": str(ROOT)}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE,
        text=True,
    )
    deadline = time.monotonic() + 30
    while True:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/health", timeout=1):
                return process
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                process.kill()
                raise AssertionError(f"studio intake did not start: {process.communicate()[1]}") from None
            time.sleep(0.1)


def test_an_intakes_photo_lands_in_the_configured_files_folder(store_location: Path | str, tmp_path: Path) -> None:
    station = tmp_path / "station"
    station.mkdir()
    config = station / "config.toml"
    config.write_text('[store]\nfiles = "shared"\n', "utf-8")  # beside the config: station/shared
    setup = open_desk(store_location)
    try:
        add_observer(setup.db, OBSERVERS[0], by="desk", at=T0)
        link = issue_link(setup.db, OBSERVERS[0])
    finally:
        setup.close()
    port = free_port()
    intake = started_intake(config, store_location, port)
    try:
        answer = http("POST", f"http://127.0.0.1:{port}/r/{link}/photos", data=photo_with_location(),
                      headers={"Content-Type": "image/jpeg"})
    finally:
        intake.terminate()
        intake.wait(10)
    assert answer.status == 201, answer.body
    # A PostgreSQL store's photos go where the config says; a SQLite store keeps its own beside it.
    folder = station / "shared" if is_url(store_location) else Path(store_location).parent
    assert (folder / answer.body["path"]).is_file()
    args = argparse.Namespace(config=config, store=str(store_location), lang=None)
    _, desk = open_desk_store(args)  # as `studio desk` and `studio bot` open theirs
    desk.close()
    assert desk.files == folder


def test_the_consoles_desk_looks_in_the_configured_files_folder(store_location: Path | str, tmp_path: Path) -> None:
    from studio.config import Config
    from studio.rundown.load import load_rundown
    from studio.show.services import Shape, build

    config = Config.model_validate({"store": {"files": str(tmp_path / "shared")}})
    services = build(Shape("console"), config, load_rundown(ROOT / "tests" / "data" / "small.toml"), store_location)
    desk = services.open_desk()  # as the console's desk screen opens its own
    services.controller.close()
    desk.close()
    assert desk.files == (tmp_path / "shared" if is_url(store_location) else Path(store_location).parent)
