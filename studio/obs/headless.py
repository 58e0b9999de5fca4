"""A real OBS Studio without a display: Xvfb gives it one, a throw-away HOME holds its profile.

``studio rehearse`` starts one when the configured OBS cannot be reached; the tests and benches start
theirs through it too (tests/obs/obs_process.py). The throw-away home has an empty scene collection
(OBS makes one named "Scene"), the obs-websocket settings and a small canvas, so nothing touches a
real user's OBS. Written for OBS 29 / obs-websocket 5.1 (Debian 12): it keeps its websocket
settings in global.ini. The password is written there and nowhere else: never on OBS's command line,
which OBS copies into its own log. ``stop`` removes that file again.
"""

from __future__ import annotations

import json
import os
import secrets
import select
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

import obsws_python
import websocket
from obsws_python.error import OBSSDKError

from studio.obs.adapter import ObsSettings
from studio.obs.errors import ObsError, ObsMsg
from studio.obs.redact import install_log_filter, remember_secret

BINARIES = ("obs", "Xvfb")
INSTALL_HINT = "install them with: apt-get install -y obs-studio xvfb"
# Proxies at a closed local port make OBS's update and ingest lookups fail at once
# instead of waiting on the network.
DEAD_PROXY = "http://127.0.0.1:9"


def missing_binaries() -> list[str]:
    return [name for name in BINARIES if shutil.which(name) is None]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


class HeadlessObs:
    """One OBS on its own Xvfb display, reachable on 127.0.0.1:port; its password in the env var
    ``password_env`` of whoever connects (set it from ``password``)."""

    host = "127.0.0.1"

    def __init__(
        self, root: Path, *, password_env: str, width: int = 640, height: int = 360, fps: int = 30
    ) -> None:
        self.root = root
        self.port = free_port()
        self.password = secrets.token_urlsafe(18)
        self.password_env = password_env
        self.size = (width, height)
        self.fps = fps
        self.home = root / "home"
        self.log_path = root / "obs.log"
        self._obs: subprocess.Popen[bytes] | None = None
        self._xvfb: subprocess.Popen[bytes] | None = None
        self._display = ""

    def settings(self, timeout: float = 5.0) -> ObsSettings:
        return ObsSettings(self.host, self.port, self.password_env, timeout)

    # -- config ---------------------------------------------------------------

    @property
    def _global_ini(self) -> Path:
        return self.home / ".config" / "obs-studio" / "global.ini"

    def write_home(self) -> None:
        config = self.home / ".config" / "obs-studio"
        profile = config / "basic" / "profiles" / "CI"
        profile.mkdir(parents=True, exist_ok=True)
        (config / "basic" / "scenes").mkdir(parents=True, exist_ok=True)
        (self.root / "rec").mkdir(exist_ok=True)
        width, height = self.size
        # OBS 29 keeps obs-websocket 5.1 settings in global.ini (not the JSON file of
        # later versions), and the server is off unless ServerEnabled is set.
        # FirstRun=true skips the auto-configuration wizard.
        self._global_ini.write_text(f"""\
[General]
Pre19Defaults=false
Pre21Defaults=false
Pre23Defaults=false
Pre24.1Defaults=false
FirstRun=true
LastVersion=486539266
ConfirmOnExit=false
EnableAutoUpdates=false

[Basic]
Profile=CI
ProfileDir=CI
SceneCollection=CI
SceneCollectionFile=CI

[BasicWindow]
SysTrayEnabled=false
SysTrayWhenStarted=false
WarnBeforeStartingStream=false
WarnBeforeStoppingStream=false
WarnBeforeStoppingRecord=false

[OBSWebSocket]
FirstLoad=false
ServerEnabled=true
ServerPort={self.port}
AlertsEnabled=false
AuthRequired=true
ServerPassword={self.password}
""")
        self._global_ini.chmod(0o600)
        # A small canvas keeps software rendering and x264 cheap on 2 cores.
        (profile / "basic.ini").write_text(f"""\
[General]
Name=CI

[Video]
BaseCX={width}
BaseCY={height}
OutputCX={width}
OutputCY={height}
FPSType=0
FPSCommon={self.fps}

[Output]
Mode=Simple

[SimpleOutput]
FilePath={self.root / "rec"}
RecFormat=mkv
VBitrate=1500
StreamEncoder=x264
RecQuality=Stream
RecEncoder=x264
Preset=veryfast
""")
        # A custom RTMP service on a local port: no lookups of real ingest servers.
        service = {
            "type": "rtmp_custom",
            "settings": {"server": "rtmp://127.0.0.1:1935/live", "key": "ci"},
        }
        (profile / "service.json").write_text(json.dumps(service))

    # -- processes ------------------------------------------------------------

    def start(self, timeout: float = 60.0) -> float:
        """Start OBS (and Xvfb if needed); return seconds until obs-websocket let us in."""
        if missing := missing_binaries():
            raise ObsError("refused", ObsMsg("obs.headless.missing", names=", ".join(missing)))
        if not self._global_ini.exists():
            self.write_home()
        if self._xvfb is None or self._xvfb.poll() is not None:
            self._start_xvfb()
        started = time.monotonic()
        with open(self.log_path, "ab") as log:
            self._obs = subprocess.Popen(
                ["obs", "--multi", "--disable-missing-files-check", "--profile", "CI", "--collection", "CI"],
                cwd=self.root,
                env=self._obs_env(),
                stdin=subprocess.DEVNULL,
                stdout=log,
                stderr=subprocess.STDOUT,
                start_new_session=True,
                # OBS saves global.ini again (a new file: the 0600 above would be lost), and service.json
                # with the stream key: whatever it writes, its owner only reads
                umask=0o077,
            )
        self._wait_for_login(started + timeout)
        return time.monotonic() - started

    def kill(self) -> None:
        """Kill OBS at once, as a crash would; Xvfb stays up for a restart."""
        if self._obs is not None:
            _end(self._obs, signal.SIGKILL, grace=0)
            self._obs = None

    def stop(self) -> None:
        """Stop OBS and Xvfb, and take the password off the disk (a later start writes it again)."""
        for attr in ("_obs", "_xvfb"):
            process = getattr(self, attr)
            if process is not None:
                _end(process, signal.SIGTERM, grace=5)
                setattr(self, attr, None)
        self._global_ini.unlink(missing_ok=True)

    @property
    def pid(self) -> int | None:
        return self._obs.pid if self._obs is not None else None

    def __enter__(self) -> HeadlessObs:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def _obs_env(self) -> dict[str, str]:
        # A clean environment: no user HOME, no session bus, no real proxies.
        return {
            "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
            "LANG": "C.UTF-8",
            "HOME": str(self.home),
            "XDG_CONFIG_HOME": str(self.home / ".config"),
            "XDG_RUNTIME_DIR": str(self.home),
            "DISPLAY": self._display,
            "LIBGL_ALWAYS_SOFTWARE": "1",
            "QT_QPA_PLATFORM": "xcb",
            "http_proxy": DEAD_PROXY,
            "https_proxy": DEAD_PROXY,
            "HTTP_PROXY": DEAD_PROXY,
            "HTTPS_PROXY": DEAD_PROXY,
        }

    def _start_xvfb(self) -> None:
        # -displayfd: Xvfb picks a free display itself and writes its number to us.
        read_end, write_end = os.pipe()
        try:
            with open(self.root / "xvfb.log", "ab") as log:
                self._xvfb = subprocess.Popen(
                    ["Xvfb", "-displayfd", str(write_end), "-screen", "0", "1280x720x24", "-nolisten", "tcp",
                     "-noreset"],
                    pass_fds=(write_end,),
                    stdin=subprocess.DEVNULL,
                    stdout=subprocess.DEVNULL,
                    stderr=log,
                    start_new_session=True,
                )
            os.close(write_end)
            number = _read_line(read_end, timeout=10)
        finally:
            os.close(read_end)
        if not number:
            raise ObsError("refused", ObsMsg("obs.headless.no_xvfb", log=str(self.root / "xvfb.log")))
        self._display = f":{number}"

    def _wait_for_login(self, deadline: float) -> None:
        """Until our password is accepted: a Hello alone could come from another
        OBS that took the same free port first."""
        install_log_filter()  # obsws-python logs the password on connect
        remember_secret(self.password)
        while True:
            assert self._obs is not None
            if self._obs.poll() is not None:
                raise ObsError("refused", ObsMsg("obs.headless.exited", code=self._obs.returncode,
                                                 log=str(self.log_path), tail=self._log_tail()))
            try:
                obsws_python.ReqClient(host=self.host, port=self.port, password=self.password, timeout=2).disconnect()
                return
            except OBSSDKError as error:
                if "identify" in str(error):
                    raise ObsError("auth", ObsMsg("obs.headless.port_taken", port=self.port)) from None
            except (OSError, websocket.WebSocketException, ValueError):
                pass
            if time.monotonic() > deadline:
                raise ObsError("timeout", ObsMsg("obs.headless.no_websocket", port=self.port, log=str(self.log_path),
                                                 tail=self._log_tail()))
            time.sleep(0.05)

    def _log_tail(self, lines: int = 20) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""


def _read_line(fd: int, timeout: float) -> str:
    """Read up to the newline: Xvfb writes the number and the newline apart, and dies
    ("Cannot write display number") if the pipe is closed in between."""
    data = b""
    deadline = time.monotonic() + timeout
    while b"\n" not in data:
        ready, _, _ = select.select([fd], [], [], max(0.0, deadline - time.monotonic()))
        chunk = os.read(fd, 64) if ready else b""
        if not chunk:
            break
        data += chunk
    return data.decode().strip()


def _end(process: subprocess.Popen[bytes], sig: int, grace: float) -> None:
    """End a process we started, with its process group (OBS forks ffmpeg muxers)."""
    if process.poll() is not None:
        return
    try:
        os.killpg(process.pid, sig)
        process.wait(grace or 5)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(5)
    except ProcessLookupError:
        pass
