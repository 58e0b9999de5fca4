"""Run a terminal program in a real pseudo-terminal, as a user would.

Used by the tests that kill and restart the console and by the startup
benchmark: the program gets a 120x40 terminal, keys are typed into it, and
what it draws is read back with escape sequences stripped.
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import termios
import time
from pathlib import Path
from typing import Sequence

_ESCAPES = re.compile(rb"\x1b(?:\[[0-9;?<>=]*[ -/]*[@-~]|\][^\x07\x1b]*(?:\x07|\x1b\\)|[()][A-Z0-9]|[=>78DEHMNOc])")


class Terminal:
    def __init__(
        self,
        argv: Sequence[str],
        *,
        env: dict[str, str] | None = None,
        cwd: Path | None = None,
        size: tuple[int, int] = (120, 40),
    ) -> None:
        master, slave = os.openpty()
        columns, rows = size
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", rows, columns, 0, 0))
        environment = (env or dict(os.environ)) | {"TERM": "xterm-256color", "COLUMNS": str(columns), "LINES": str(rows)}
        self.started = time.perf_counter()
        self.process = subprocess.Popen(
            list(argv), stdin=slave, stdout=slave, stderr=slave, env=environment, cwd=cwd, start_new_session=True
        )
        os.close(slave)
        self._master = master
        self._raw = bytearray()

    @property
    def text(self) -> str:
        """Everything drawn so far, without escape sequences."""
        return self.text_since(0)

    @property
    def mark(self) -> int:
        """How much has been drawn so far: text_since(mark) is what is drawn after now."""
        return len(self._raw)

    def text_since(self, mark: int) -> str:
        """What was drawn after ``mark``, without escape sequences (not all of it: a long-running program's
        whole output is costly to search again and again)."""
        return _ESCAPES.sub(b"", bytes(self._raw[mark:])).decode("utf-8", "replace")

    def pump(self, timeout: float) -> None:
        """Read what the program drew in the next ``timeout`` seconds at most."""
        ready, _, _ = select.select([self._master], [], [], timeout)
        if ready:
            try:
                self._raw += os.read(self._master, 1 << 16)
            except OSError:  # the program has gone: nothing more to read
                time.sleep(timeout)

    def wait_for(self, needle: str, timeout: float = 30.0, *, after: int = 0) -> float:
        """Seconds from start until ``needle`` was drawn (searching from text offset ``after``)."""
        deadline = time.perf_counter() + timeout
        while needle not in self.text[after:]:
            if time.perf_counter() > deadline:
                tail = self.text[-2000:]
                raise TimeoutError(f"{needle!r} not drawn within {timeout} s; exit={self.process.poll()}; tail:\n{tail}")
            self.pump(0.05)
        return time.perf_counter() - self.started

    def type(self, keys: str) -> None:
        os.write(self._master, keys.encode())

    def kill(self, sig: int = signal.SIGKILL) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, sig)
        self.process.wait(timeout=10)

    def close(self) -> None:
        self.kill()
        os.close(self._master)

    def __enter__(self) -> Terminal:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
