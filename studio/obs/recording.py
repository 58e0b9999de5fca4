"""The programme recorded by OBS into a folder of studio's choosing, then OBS's own folder put back.

obs-websocket 5.1 (OBS 29) has no SetRecordDirectory: the folder is the profile's parameter, which
depends on the output mode (Simple: ``SimpleOutput/FilePath``; Advanced: ``AdvOut/RecFilePath``).
OBS names the file itself; StopRecord says which. The format is the station's (mkv survives a crash).
"""

from __future__ import annotations

import time
from pathlib import Path

from studio.obs.adapter import ObsAdapter
from studio.obs.errors import ObsError, ObsMsg

FOLDER_PARAMETER = {"Advanced": ("AdvOut", "RecFilePath")}
SIMPLE = ("SimpleOutput", "FilePath")


class Recording:
    """``start`` into ``folder``; ``status`` while it runs; ``stop`` for the file. On its own connection."""

    def __init__(self, adapter: ObsAdapter, folder: Path) -> None:
        self.adapter, self.folder = adapter, folder
        self.path: Path | None = None  # the file, once stopped
        self._parameter = SIMPLE
        self._before: str | None = None

    def start(self) -> None:
        """Raises ObsError when OBS records already (someone else's recording: studio does not stop it)."""
        if self.status()[0]:
            raise ObsError("request", ObsMsg("obs.record.busy"))
        mode = self._profile("Output", "Mode")
        self._parameter = FOLDER_PARAMETER.get(mode or "", SIMPLE)
        self._before = self._profile(*self._parameter)
        self.folder.mkdir(parents=True, exist_ok=True)
        self._set(str(self.folder.resolve()))
        self.adapter.start_record()

    def status(self) -> tuple[bool, float]:
        """(recording now, seconds recorded so far)."""
        record = self.adapter.call("GetRecordStatus")
        return bool(record["outputActive"]), float(record.get("outputDuration") or 0) / 1000

    def stop(self, timeout: float = 10.0) -> Path | None:
        """Stop it (if it still runs) and put OBS's folder back; the file once OBS has closed it."""
        path: str | None = None
        try:
            if self.status()[0]:
                path = self.adapter.stop_record()
            deadline = time.monotonic() + timeout
            while self.status()[0] and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            if self._before is not None:
                self._set(self._before)
        return Path(path) if path else self.newest()

    def newest(self) -> Path | None:
        """The newest file in the folder: the recording that stopped by itself (the disk full) says no path."""
        files = [f for f in self.folder.iterdir() if f.is_file()] if self.folder.is_dir() else []
        return max(files, key=lambda f: f.stat().st_mtime, default=None)

    def _profile(self, category: str, name: str) -> str | None:
        value = self.adapter.call("GetProfileParameter", parameterCategory=category, parameterName=name)
        return value.get("parameterValue")

    def _set(self, value: str) -> None:
        category, name = self._parameter
        self.adapter.call("SetProfileParameter", parameterCategory=category, parameterName=name, parameterValue=value)
