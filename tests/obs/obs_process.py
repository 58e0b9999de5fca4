"""A real, headless OBS Studio for tests and benchmarks: the product's own (studio/obs/headless.py),
with the tests' env variable for its password by default."""

from __future__ import annotations

from pathlib import Path

from studio.obs.headless import BINARIES, INSTALL_HINT, HeadlessObs, free_port, missing_binaries

__all__ = ["BINARIES", "INSTALL_HINT", "ObsProcess", "free_port", "missing_binaries"]


class ObsProcess(HeadlessObs):
    def __init__(self, root: Path, *, password_env: str = "STUDIO_TEST_OBS_PASSWORD", width: int = 640,
                 height: int = 360, fps: int = 30) -> None:
        super().__init__(root, password_env=password_env, width=width, height=height, fps=fps)
