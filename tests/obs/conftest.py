"""Real, headless OBS Studio for the tests in this folder: the session's (``obs``, in tests/conftest.py, shared
with tests/rehearsal), and one per canvas size.

Tests that use the `obs` fixture are skipped when OBS or Xvfb is not installed,
except under CI=true, where that is a failure: CI must never pass by not testing.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator

import pytest
from PIL import Image

from studio.obs import ObsAdapter
from tests.obs.obs_checks import BLUE, OVERLAY_AT, OVERLAY_SIZE, RED_RGB, YELLOW, Show, raw_client
from tests.obs.obs_process import PASSWORD_ENV, ObsProcess, started_obs

@pytest.fixture(scope="session")
def show(obs: ObsProcess) -> Show:
    image = obs.root / "overlay-red.png"
    Image.new("RGBA", OVERLAY_SIZE, (*RED_RGB, 255)).save(image)
    made = Show(image=str(image))
    width, height = obs.size
    with raw_client(obs) as client:
        existing = {s["sceneName"] for s in client.get_scene_list().scenes}
        if made.a not in existing:  # the session's OBS may have been restarted
            client.create_scene(made.a)
            client.create_scene(made.b)
            colour = {"width": width, "height": height}
            client.create_input(
                made.a, "Test A colour", "color_source_v3", {**colour, "color": BLUE}, True
            )
            client.create_input(
                made.b, "Test B colour", "color_source_v3", {**colour, "color": YELLOW}, True
            )
            client.create_input(made.b, made.overlay, "image_source", {"file": str(image)}, False)
            item = client.get_scene_item_id(made.b, made.overlay).scene_item_id
            x, y = OVERLAY_AT
            client.set_scene_item_transform(made.b, item, {"positionX": x, "positionY": y})
        client.set_current_scene_transition("Cut")  # no 300 ms fade between checks
    return made


@pytest.fixture
def adapter(obs: ObsProcess) -> Iterator[ObsAdapter]:
    connected = ObsAdapter(obs.settings())
    connected.connect()
    yield connected
    connected.close()


@pytest.fixture(scope="session")
def obs_at(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Callable[[int, int], ObsProcess]]:
    """A real OBS whose canvas is width x height, one per size for the session (started on first use).

    The `obs` fixture's small canvas keeps most tests cheap; what viewers see is
    checked at the stations' real sizes (1280x720, 1920x1080) on these. The password
    is in an env variable of its own size (its settings() name it), never on a command line.
    """
    started: dict[tuple[int, int], ObsProcess] = {}

    def at(width: int, height: int) -> ObsProcess:
        if (width, height) not in started:
            started[(width, height)] = started_obs(tmp_path_factory.mktemp(f"obs-{width}x{height}"),
                                                   f"{PASSWORD_ENV}_{width}x{height}", width=width, height=height)
        return started[(width, height)]

    yield at
    for process in started.values():
        process.stop()
        os.environ.pop(process.password_env, None)
