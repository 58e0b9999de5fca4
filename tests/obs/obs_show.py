"""Small rundowns built in code, and a live feed simulated with ffmpeg, for the OBS show tests.

Every rundown gets its own scene and region names, so tests sharing the
session's OBS never see each other's scenes and feeds.
"""

from __future__ import annotations

import shutil
import socket
import subprocess
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from contextlib import contextmanager
from datetime import date, datetime, time as clock_time, timedelta
from zoneinfo import ZoneInfo

from studio.rundown.model import Bilingual, GraphicCue, Kind, Rundown, Segment, Show


def tag() -> str:
    return uuid.uuid4().hex[:6]


def segment(
    id_: str,
    kind: Kind,
    scene: str | None,
    *,
    region: str | None = None,
    feed: str | None = None,
    graphics: tuple[str, ...] = (),
) -> Segment:
    return Segment(
        id=id_,
        kind=kind,
        title=Bilingual(f"{id_} kk", f"{id_} ru"),
        duration=timedelta(minutes=5),
        region=region,
        scene=scene,
        feed=feed,
        graphics=tuple(GraphicCue(t, {}) for t in graphics),
    )


def rundown(*segments: Segment, show_id: str = "obs-test") -> Rundown:
    show = Show(show_id, Bilingual("Сынақ", "Тест"), date(2026, 3, 15), ZoneInfo("Asia/Almaty"), clock_time(9, 30))
    return Rundown(show, segments)


def free_udp_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def udp_url(port: int) -> str:
    return f"udp://127.0.0.1:{port}?pkt_size=1316"


def has_ffmpeg() -> bool:
    return shutil.which("ffmpeg") is not None


class Sender:
    """ffmpeg sending an H.264 test pattern as MPEG-TS over UDP, like a correspondent's encoder."""

    def __init__(self, url: str, gop: int | None = None) -> None:
        self.url = url
        self.gop = gop  # frames between keyframes; x264's default is 250 (10 s at 25 fps)
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "ffmpeg", "-nostdin", "-loglevel", "error", "-re",
                "-f", "lavfi", "-i", "testsrc2=size=320x180:rate=25",
                "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency",
                *(["-g", str(self.gop)] if self.gop else []),
                "-f", "mpegts", self.url,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def kill(self) -> float:
        """Kill the sender at once (a dropped link); returns the monotonic time of the kill."""
        assert self.process is not None
        self.process.kill()
        killed = time.monotonic()
        self.process.wait(5)
        self.process = None
        return killed

    def stop(self) -> None:
        if self.process is not None:
            self.kill()


@contextmanager
def sending(url: str) -> Iterator[Sender]:
    sender = Sender(url)
    sender.start()
    try:
        yield sender
    finally:
        sender.stop()


def wait_for(check, timeout: float = 5.0, every: float = 0.01):  # type: ignore[no-untyped-def]
    """The first truthy value of check() within timeout, else the last value."""
    deadline = time.monotonic() + timeout
    while True:
        value = check()
        if value or time.monotonic() > deadline:
            return value
        time.sleep(every)


def show_file(folder: Path, scene: str) -> Path:
    """Today's show (a plan of another day would be asked about before the console opens)."""
    path = folder / "show.toml"
    path.write_text(
        f"""[show]
id = "console-{scene}"
title = {{ kk = "Сынақ", ru = "Тест" }}
date = {datetime.now(ZoneInfo("Asia/Almaty")).date()}
zone = "Asia/Almaty"
start = 09:30:00

[[segment]]
id = "open"
kind = "studio"
title = {{ kk = "Ашылу", ru = "Открытие" }}
duration = "10m"
scene = "Studio {scene}"

[[segment]]
id = "talk"
kind = "studio"
title = {{ kk = "Қонақтармен сұхбат", ru = "Разговор с гостями" }}
duration = "15m"
scene = "Talk {scene}"
""",
        "utf-8",
    )
    return path
