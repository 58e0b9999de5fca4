"""Screenshots of the programme as viewers see it, on a real headless OBS at 1280x720 and 1920x1080.

For the README and the closing note of issue 15: one studio segment with its lower third, one live
inclusion (an ffmpeg test pattern as the correspondent's feed) with its location bug. Each OBS runs on
its own Xvfb display, free port and throw-away home (tests/obs/obs_process.py), and is stopped after.
The scenes are set up as `studio obs setup` does, with their cards: without a camera the studio shows its
placeholder card (the centre's name and «Студия»), never black.

    PYTHONPATH=. .venv/bin/python bench/programme_screenshots.py [--out docs/img]
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from studio.graphics import Renderer  # noqa: E402
from studio.paths import shipped  # noqa: E402
from studio.obs import ObsAdapter  # noqa: E402
from studio.obs.setup import setup  # noqa: E402
from studio.obs.switcher import ObsSwitcher  # noqa: E402
from studio.onair import RendererGraphics  # noqa: E402
from studio.rundown.model import GraphicCue, Kind  # noqa: E402
from studio.show import Controller  # noqa: E402
from studio.store import open_store  # noqa: E402
from tests.clock import Clock  # noqa: E402
from tests.obs.obs_checks import mean_luma, programme, raw_client, rgb  # noqa: E402
from tests.obs.obs_process import ObsProcess  # noqa: E402
from tests.obs.obs_show import free_udp_port, rundown, segment, sending, udp_url, wait_for  # noqa: E402
from tests.obs.test_obs_never_black import cards  # noqa: E402

LIVE_RGB = (214, 40, 57)


def shoot(size: tuple[int, int], out: Path, work: Path) -> list[Path]:
    obs = ObsProcess(work / f"obs-{size[0]}x{size[1]}", password_env="STUDIO_SHOT_OBS_PASSWORD",
                     width=size[0], height=size[1])
    os.environ[obs.password_env] = obs.password
    url = udp_url(free_udp_port())
    studio = replace(segment("open", Kind.STUDIO, "Studio"),
                     graphics=(GraphicCue("lower-third", {"name": "Айгерім Сәрсенбаева", "role": "жүргізуші · ведущая"}),))
    live = segment("live-almaty", Kind.LIVE, "Live Almaty", region="almaty", feed=url)
    show = rundown(studio, live, show_id=f"shots-{size[0]}")
    written = []
    obs.start()
    try:
        adapter = ObsAdapter(obs.settings())
        adapter.connect()
        setup(adapter, show, cards=cards(show))
        adapter.close()
        switcher = ObsSwitcher(ObsAdapter(obs.settings()), show.segments)
        switcher.start()
        try:
            assert wait_for(lambda: switcher.health().connected, timeout=10), switcher.health().reason
            graphics = RendererGraphics(Renderer(shipped("overlays"), work / "out"), canvas=lambda: switcher.canvas)
            clock = Clock(datetime(2026, 3, 15, 5, 12, tzinfo=UTC))  # 10:12 in Almaty
            controller = Controller(open_store(work / f"show-{size[0]}.db"), show, switcher=switcher, clock=clock,
                                    graphics=graphics)
            with raw_client(obs) as client, sending(url):
                client.set_current_scene_transition("Cut")
                controller.take_next()
                controller.graphic_take(0)
                wait_for(lambda: rgb(programme(client, size), (size[0] // 2, int(size[1] * 0.82))) != (0, 0, 0), 3)
                written.append(save(programme(client, size), out / f"programme-studio-{size[0]}x{size[1]}.png"))
                controller.take_next()
                bug = (round(size[0] * 1510 / 1920), round(size[1] * 64 / 1080))
                wait_for(lambda: rgb(programme(client, size), bug) == LIVE_RGB, 5)
                wait_for(lambda: mean_luma(programme(client, size)) > 40, 10)  # the feed's picture is up
                written.append(save(programme(client, size), out / f"programme-live-{size[0]}x{size[1]}.png"))
        finally:
            switcher.stop()
    finally:
        obs.stop()
        os.environ.pop(obs.password_env, None)
    return written


def save(picture, path: Path) -> Path:
    """A small PNG for the docs: 256 colours are plenty for flat panels, text and a test pattern."""
    path.parent.mkdir(parents=True, exist_ok=True)
    picture.quantize(256, dither=0).save(path, optimize=True)
    return path


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "img")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="studio-shots-") as work:
        for size in ((1280, 720), (1920, 1080)):
            for path in shoot(size, args.out, Path(work)):
                print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
