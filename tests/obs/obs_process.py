"""A real, headless OBS Studio for tests and benchmarks: the product's own (studio/obs/headless.py),
with the tests' env variable for its password by default."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from studio.obs.errors import ObsError
from studio.obs.headless import BINARIES, INSTALL_HINT, HeadlessObs, free_port, missing_binaries

__all__ = ["BINARIES", "INSTALL_HINT", "PASSWORD_ENV", "ObsProcess", "free_port", "missing_binaries", "started_obs"]

PASSWORD_ENV = "STUDIO_TEST_OBS_PASSWORD"


class ObsProcess(HeadlessObs):
    def __init__(self, root: Path, *, password_env: str = PASSWORD_ENV, width: int = 640,
                 height: int = 360, fps: int = 30) -> None:
        super().__init__(root, password_env=password_env, width=width, height=height, fps=fps)


def started_obs(root: Path, password_env: str, **canvas: int) -> ObsProcess:
    """A real headless OBS in ``root``, its password in ``password_env``, for a fixture. Without OBS or Xvfb
    the test is skipped; under CI=true it fails: CI must never pass by not testing."""
    if missing := missing_binaries():
        reason = f"needs real OBS: {' and '.join(missing)} not found; {INSTALL_HINT}"
        if os.environ.get("CI") == "true":
            pytest.fail(reason, pytrace=False)
        pytest.skip(reason)
    process = ObsProcess(root, password_env=password_env, **canvas)
    os.environ[password_env] = process.password
    try:
        process.start()
    except ObsError as error:
        process.stop()
        pytest.fail(str(error), pytrace=False)
    return process
