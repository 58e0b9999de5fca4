"""``python -m studio.up.child ARGS``: ``studio ARGS`` as a child of ``studio up``, ended with its parent.

Should the supervisor itself be killed (SIGKILL, a crash), Linux sends its
children SIGTERM (``PR_SET_PDEATHSIG``), which they answer with their clean
shutdown: no orphan keeps a port that the next ``studio up`` needs.
"""

from __future__ import annotations

import ctypes
import os
import signal
import sys

PR_SET_PDEATHSIG = 1  # <linux/prctl.h>


def end_with_parent(parent: int) -> None:
    """SIGTERM when ``parent`` ends (Linux); a parent gone before this was asked: end now."""
    if sys.platform == "linux":
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:
        raise SystemExit(0)


def main() -> int:
    end_with_parent(int(os.environ.get("STUDIO_UP_PARENT", os.getppid())))
    from studio.cli import main as studio

    return studio(sys.argv[1:])


if __name__ == "__main__":
    raise SystemExit(main())
