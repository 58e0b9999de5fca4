"""How long a take (scene switch + one overlay, one SerialFrame batch) takes in real OBS.

A measurement, not a test: it prints figures and exits 0 unless it crashes.
The floor is the same batch written straight onto an obsws-python ReqClient's
socket; the ratio shows what ObsAdapter.apply() adds (lock, checks, error mapping).
Both wait for OBS's next graphics tick, so at 30 fps most of a take is that wait;
takes are sent at random points of a frame, as an operator's would be.

    .venv/bin/python bench/obs_take.py
"""

from __future__ import annotations

import json
import os
import random
import statistics
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from functools import partial
from pathlib import Path

from record import figure  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import obsws_python  # noqa: E402

from studio.obs import ObsAdapter  # noqa: E402
from studio.obs.protocol import Request, set_item_enabled, set_program_scene  # noqa: E402
from studio.obs.redact import install_log_filter, remember_secret  # noqa: E402
from tests.obs.obs_process import ObsProcess, missing_binaries  # noqa: E402

TAKES = 200
WARM_UP = 20
SCENES = ("Bench A", "Bench B")
OVERLAY = "Bench lower third"
BLUE, YELLOW, RED = 0xFFFF0000, 0xFF00FFFF, 0xFF0000FF  # 0xAABBGGRR


def set_up(client: obsws_python.ReqClient, size: tuple[int, int]) -> int:
    width, height = size
    for scene, colour in zip(SCENES, (BLUE, YELLOW)):
        client.create_scene(scene)
        client.create_input(
            scene,
            f"{scene} colour",
            "color_source_v3",
            {"color": colour, "width": width, "height": height},
            True,
        )
    client.create_input(
        SCENES[1], OVERLAY, "color_source_v3", {"color": RED, "width": 200, "height": 60}, False
    )
    client.set_current_scene_transition("Cut")
    return int(client.get_scene_item_id(SCENES[1], OVERLAY).scene_item_id)


def take(number: int, item_id: int) -> list[Request]:
    """Odd takes go to B with the overlay on; even ones to A with it off."""
    on = number % 2 == 1
    return [set_program_scene(SCENES[number % 2]), set_item_enabled(SCENES[1], item_id, on)]


def floor_batch(ws: obsws_python.baseclient.websocket.WebSocket, requests: list[Request]) -> None:
    """The least any batch needs: send op 8, read until its op 9."""
    request_id = uuid.uuid4().hex
    ws.send(
        json.dumps(
            {
                "op": 8,
                "d": {
                    "requestId": request_id,
                    "haltOnFailure": True,
                    "executionType": 1,
                    "requests": requests,
                },
            }
        )
    )
    while True:
        message = json.loads(ws.recv())
        if message["op"] == 9 and message["d"]["requestId"] == request_id:
            return


def percentile(ms: list[float], fraction: float) -> float:
    ordered = sorted(ms)
    return ordered[min(len(ordered) - 1, round(fraction * (len(ordered) - 1)))]


def timed(run: Callable[[], object]) -> float:
    started = time.perf_counter()
    run()
    return (time.perf_counter() - started) * 1000


def main() -> int:
    if missing := missing_binaries():
        print(
            f"obs_take: skipped, {' and '.join(missing)} not installed "
            "(apt-get install -y obs-studio xvfb)"
        )
        return 1 if os.environ.get("CI") == "true" else 0
    with tempfile.TemporaryDirectory(prefix="obs-bench-") as folder:
        obs = ObsProcess(Path(folder), password_env="STUDIO_BENCH_OBS_PASSWORD")
        os.environ[obs.password_env] = obs.password
        install_log_filter()  # the raw ReqClient would log the password
        remember_secret(obs.password)
        try:
            started_in = obs.start()
            raw = obsws_python.ReqClient(
                host=obs.host, port=obs.port, password=obs.password, timeout=10
            )
            item_id = set_up(raw, obs.size)
            adapter = ObsAdapter(obs.settings(timeout=10))
            versions = adapter.connect()
            ws = raw.base_client.ws
            floor: list[float] = []
            through_adapter: list[float] = []
            number = 0
            frame = 1 / obs.fps
            phase = random.Random(5)
            # Interleaved, so drift in OBS's load hits both series alike. A SerialFrame
            # batch waits for the next tick: without a random pause each take would be
            # sent right after the previous one returned at a tick, phase-locked.
            runs: dict[str, Callable[[list[Request]], object]] = {
                "floor": lambda batch: floor_batch(ws, batch),
                "adapter": adapter.apply,
            }
            times: dict[str, list[float]] = {"floor": floor, "adapter": through_adapter}
            for round_ in range(WARM_UP + TAKES):
                # Both series get the same pause each round, so the same frame phases
                # (separate draws left a +-2 ms p50 noise that followed the seed); the
                # order swaps each round so each series gets both directions (A/B).
                pause = phase.uniform(0, frame)
                for name in ("floor", "adapter") if round_ % 2 else ("adapter", "floor"):
                    number += 1
                    batch = take(number, item_id)
                    time.sleep(pause)
                    ms = timed(partial(runs[name], batch))
                    if round_ >= WARM_UP:
                        times[name].append(ms)
            stats = adapter.status()
            adapter.close()
            raw.disconnect()
        finally:
            obs.stop()

    f50, f99 = statistics.median(floor), percentile(floor, 0.99)
    a50, a99 = statistics.median(through_adapter), percentile(through_adapter, 0.99)
    print(
        f"OBS {versions.obs}, obs-websocket {versions.websocket}, "
        f"{obs.size[0]}x{obs.size[1]} at {obs.fps} fps, started in {started_in:.2f} s"
    )
    print(
        f"take = SetCurrentProgramScene + SetSceneItemEnabled, one SerialFrame batch, "
        f"{TAKES} takes each"
    )
    print(f"floor (raw socket)   p50 {f50:6.2f} ms   p99 {f99:6.2f} ms")
    print(f"ObsAdapter.apply()   p50 {a50:6.2f} ms   p99 {a99:6.2f} ms")
    print(f"ratio                p50 x{a50 / f50:.2f}      p99 x{a99 / f99:.2f}")
    figure("obs_take", "p50", a50, f50, "ms")
    figure("obs_take", "p99", a99, f99, "ms")
    print(
        f"frame at {obs.fps} fps      {1000 / obs.fps:6.2f} ms; OBS render skipped "
        f"{stats.render_skipped_frames}/{stats.render_total_frames}, cpu {stats.cpu_percent:.0f}%"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
