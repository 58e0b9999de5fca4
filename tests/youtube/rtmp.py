"""A real local RTMP ingest (nginx + nginx-rtmp) standing in for a.rtmp.youtube.com/live2.

nginx asks the fake YouTube over HTTP (`on_publish`) whether a stream key may
publish and tells it when publishing ends, so a liveStream turns `active` only
when real RTMP media arrives: OBS or ffmpeg must really stream.
"""

from __future__ import annotations

import itertools
import os
import shutil
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Self

NGINX = Path("/usr/sbin/nginx")
RTMP_MODULE = Path("/usr/lib/nginx/modules/ngx_rtmp_module.so")
INSTALL_HINT = "install them with: apt-get install nginx libnginx-mod-rtmp ffmpeg"
APP = "live2"  # YouTube's ingest application name


class RtmpError(RuntimeError):
    """nginx would not start or died; the message carries its error log."""


def missing_binaries() -> list[str]:
    """What this machine lacks to run the ingest and publish a test stream."""
    missing = []
    if not (NGINX.exists() or shutil.which("nginx")):
        missing.append("nginx (package nginx)")
    if not RTMP_MODULE.exists():
        missing.append(f"{RTMP_MODULE} (package libnginx-mod-rtmp)")
    if not shutil.which("ffmpeg"):
        missing.append("ffmpeg (package ffmpeg)")
    return missing


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def accepts(port: int) -> bool:
    with socket.socket() as probe:
        probe.settimeout(0.2)
        return probe.connect_ex(("127.0.0.1", port)) == 0


class RtmpIngest:
    """nginx-rtmp on a free loopback port, its config, logs and pid file all under `root`."""

    def __init__(self, root: Path, *, on_publish: str, on_publish_done: str) -> None:
        self.root = root
        self.on_publish = on_publish
        self.on_publish_done = on_publish_done
        self.port = 0
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        """The ingestionAddress a liveStream reports: append "/<streamName>" to publish."""
        return f"rtmp://127.0.0.1:{self.port}/{APP}"

    @property
    def error_log(self) -> Path:
        return self.root / "error.log"

    def config(self) -> str:
        # As root, nginx's workers would switch to an unprivileged user that may not exist here.
        user = "user root;\n" if os.geteuid() == 0 else ""
        return (
            f"load_module {RTMP_MODULE};\n{user}"
            f"worker_processes 1;\npid {self.root / 'nginx.pid'};\nerror_log {self.error_log} info;\n"
            "events { worker_connections 64; }\n"
            "rtmp {\n  server {\n"
            f"    listen 127.0.0.1:{self.port};\n    chunk_size 4096;\n"
            f"    application {APP} {{\n"
            "      live on;\n      record off;\n      drop_idle_publisher 5s;\n"
            f"      on_publish {self.on_publish};\n      on_publish_done {self.on_publish_done};\n"
            "    }\n  }\n}\n"
        )

    def start(self, timeout: float = 10.0) -> Self:
        """Start nginx; a port taken between choosing and binding it gets a second try."""
        if missing := missing_binaries():
            raise RtmpError(f"cannot run the RTMP ingest: {', '.join(missing)} missing; {INSTALL_HINT}")
        for attempt in itertools.count(1):
            self.port = free_port()
            conf = self.root / "nginx.conf"
            conf.write_text(self.config())
            nginx = str(NGINX if NGINX.exists() else shutil.which("nginx"))
            self.process = subprocess.Popen(
                [nginx, "-p", str(self.root), "-c", str(conf), "-e", str(self.error_log), "-g", "daemon off;"],
                stdout=subprocess.DEVNULL,
                stderr=(self.root / "stderr.log").open("ab"),
                start_new_session=True,  # its workers share our process group id: stop() can end them all
            )
            deadline = time.monotonic() + timeout
            while time.monotonic() < deadline and self.process.poll() is None:
                if accepts(self.port):
                    return self
                time.sleep(0.05)
            log = self.logs()
            self.stop()
            if "Address already in use" not in log or attempt == 3:
                raise RtmpError(f"nginx-rtmp did not accept on port {self.port}:\n{log}")

    def logs(self) -> str:
        texts = [p.read_text(errors="replace") for p in (self.error_log, self.root / "stderr.log") if p.exists()]
        return "\n".join(texts)[-4000:]

    def stop(self) -> None:
        """Fast shutdown (SIGTERM); kill the group if it hangs. Raise if nginx had died on its own."""
        process, self.process = self.process, None
        if process is None:
            return
        died = process.poll()
        if died is None:
            process.terminate()
            try:
                process.wait(5)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)
                process.wait(5)
        if died not in (None, 0):
            raise RtmpError(f"nginx-rtmp had exited with {died}:\n{self.logs()}")

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextmanager
def publish(url: str, stream_name: str) -> Iterator[subprocess.Popen[bytes]]:
    """Publish a synthetic 320x240 test card with tone to `url/stream_name` until the block ends."""
    command = [
        "ffmpeg", "-nostdin", "-hide_banner", "-loglevel", "error", "-re",
        "-f", "lavfi", "-i", "testsrc=size=320x240:rate=25",
        "-f", "lavfi", "-i", "sine=frequency=440",
        "-c:v", "libx264", "-preset", "ultrafast", "-tune", "zerolatency", "-g", "50",
        "-c:a", "aac", "-f", "flv", f"{url}/{stream_name}",
    ]  # fmt: skip
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        yield process
    finally:
        if process.poll() is None:
            process.kill()
        process.wait(10)
        if process.stderr is not None:
            process.stderr.close()
