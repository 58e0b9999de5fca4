"""`studio run` on a PostgreSQL store whose server is lost mid-show (issue 22, part 2), against real OBS.

The show process keeps OBS on what is on air and says so on the health line; a take meanwhile is refused with
the reason and changes nothing on air; once the server is back the console says so, reads the show again and
takes again. A take made on another machine reaches OBS through the doorbell, not the console's tick.
"""

from __future__ import annotations

import os
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from studio.obs import ObsAdapter
from studio.obs.setup import setup
from studio.rundown.load import load_rundown
from studio.show import Controller
from studio.store import open_store
from studio.store.operators import add_operator
from tests.obs.obs_checks import raw_client
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import show_file, tag, wait_for
from tests.pg_server import PgServer
from tests.terminal import Terminal

pytestmark = [pytest.mark.obs, pytest.mark.postgresql, pytest.mark.xdist_group("obs")]

ROOT = Path(__file__).resolve().parent.parent.parent


def test_the_show_keeps_obs_on_air_while_the_store_is_lost_and_takes_again_once_it_is_back(
    obs: ObsProcess, adapter: ObsAdapter, own_pg_server: PgServer, tmp_path: Path
):
    scene = tag()
    rundown = show_file(tmp_path, scene)
    setup(adapter, load_rundown(rundown))
    config = tmp_path / "config.toml"
    config.write_text(f'[obs]\nhost = "{obs.host}"\nport = {obs.port}\npassword_env = "{obs.password_env}"\n', "utf-8")
    url = own_pg_server.new_database()
    writer = open_store(url)
    key = add_operator(writer.db, "dana", by="admin", at=datetime.now(UTC))
    writer.close()
    env = dict(os.environ) | {"STUDIO_STORE": url, "STUDIO_CONFIG": str(config), "STUDIO_OPERATOR_KEY": key,
                              "STUDIO_FILES": str(tmp_path / "files")}
    argv = [sys.executable, "-m", "studio", "--lang", "en", "run", str(rundown), "--operator", "dana"]
    on_program = lambda name: lambda: client.get_current_program_scene().current_program_scene_name == name  # noqa: E731
    with raw_client(obs) as client, Terminal(argv, env=env, cwd=ROOT) as console:
        console.wait_for("● connected", timeout=30)
        console.type(" ")  # take next: the opening
        assert wait_for(on_program(f"Studio {scene}"), timeout=10), console.text[-3000:]

        own_pg_server.crash()
        try:
            console.wait_for("Store lost since", timeout=15)
            lost_at = len(console.text)
            console.type(" ")  # a take while the store is away: refused, nothing moves
            console.wait_for("Take next: refused", timeout=10, after=lost_at)
            time.sleep(1.0)
            assert on_program(f"Studio {scene}")(), "OBS left the segment on air while the store was lost"
            assert "Traceback" not in console.text and "Unexpected" not in console.text
        finally:
            own_pg_server.resume()
        console.wait_for("Store reached again", timeout=30)
        console.type(" ")  # take next: the talk
        assert wait_for(on_program(f"Talk {scene}"), timeout=10), console.text[-3000:]

        elsewhere = Controller(open_store(url), load_rundown(rundown), operator="dana", origin="api")
        elsewhere.take("open")  # another machine's take: the show process puts it on OBS
        assert wait_for(on_program(f"Studio {scene}"), timeout=5), console.text[-3000:]
        elsewhere.close()
        assert "Traceback" not in console.text
