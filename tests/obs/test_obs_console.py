"""`studio run` against a real OBS, as the producer starts it: the show process that studio/show/services.py
builds connects to OBS, a key press puts the segment on OBS's programme, and what it sees of OBS is
published in the store for the control API."""

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
from studio.store import open_store
from studio.store.health import read
from studio.store.operators import add_operator
from tests.obs.obs_checks import raw_client
from tests.obs.obs_process import ObsProcess
from tests.obs.obs_show import show_file, tag, wait_for
from tests.terminal import Terminal

pytestmark = [pytest.mark.obs, pytest.mark.xdist_group("obs")]

ROOT = Path(__file__).resolve().parent.parent.parent


def test_studio_run_takes_on_real_obs_and_publishes_what_it_sees(obs: ObsProcess, adapter: ObsAdapter, tmp_path: Path):
    scene = tag()
    rundown = show_file(tmp_path, scene)
    setup(adapter, load_rundown(rundown))
    config = tmp_path / "config.toml"
    config.write_text(f'[obs]\nhost = "{obs.host}"\nport = {obs.port}\npassword_env = "{obs.password_env}"\n', "utf-8")
    store = tmp_path / "show.db"
    writer = open_store(store)
    key = add_operator(writer.db, "dana", by="admin", at=datetime.now(UTC))
    writer.close()
    env = dict(os.environ) | {"STUDIO_STORE": str(store), "STUDIO_CONFIG": str(config), "STUDIO_OPERATOR_KEY": key}
    argv = [sys.executable, "-m", "studio", "--lang", "en", "run", str(rundown), "--operator", "dana"]
    with raw_client(obs) as client, Terminal(argv, env=env, cwd=ROOT) as console:
        console.wait_for("Разговор с гостями")  # the rundown is drawn (in English: the Russian titles)
        console.wait_for("● connected", timeout=20)  # the OBS panel: the switcher reached OBS
        console.type(" ")  # take next
        assert wait_for(lambda: client.get_current_program_scene().current_program_scene_name == f"Studio {scene}",
                        timeout=10)
        reader = open_store(store)

        def published() -> dict | None:
            health = read(reader.db).get("obs")
            on_air = health and health.detail["wanted_scene"] == health.detail["program_scene"] == f"Studio {scene}"
            return health.detail if on_air else None

        seen = wait_for(published, timeout=10)  # a change in substance is published at the next refresh
        assert seen, f"the console did not publish the take: {read(reader.db)}"
        assert seen["connected"] is True and seen["in_sync"] is True
        assert obs.password not in str(seen)
        reader.close()
        time.sleep(0.5)  # let the console draw the take before it is closed
