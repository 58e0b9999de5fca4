"""The C heap of a process that draws graphics all day: freed images go back to the system.

glibc's malloc serves a block above its mmap threshold (128 KiB at start) with a mapping of its own,
unmapped when freed. But the first time such a block is freed, glibc raises the threshold to that
block's size (up to 32 MiB) and the trim threshold, below which free memory at the heap's top is kept,
to twice that. After the day's first large image (a turnout board, the PNG encoder's buffers), every
image up to that size comes from the heap instead, and stays there when freed: the resident memory of
the show process stepped up at the larger graphics and never came down (a rehearsed day at 60x:
+12 MB of such free heap by the evening, studio/rehearsal/report.py's memory figures).

Fixed thresholds turn that adjustment off: a block above ``MMAP_THRESHOLD`` is always mapped and
unmapped, and at most ``TRIM_THRESHOLD`` of free memory stays at the heap's top. A lower third's image
(960x174 RGBA, 650 KiB) stays below it and costs what it did (bench/render.py, CPU median 2.5-3.0 ms
either way on a loaded machine); a full-frame board is mapped anew each time, a millisecond or two.
Elsewhere (macOS, musl) nothing changes.
"""

from __future__ import annotations

import os

MMAP_THRESHOLD = 1 << 20
TRIM_THRESHOLD = 2 << 20
_M_TRIM_THRESHOLD, _M_MMAP_THRESHOLD = -1, -3  # mallopt's parameters, from glibc's malloc.h


def keep_heap_flat() -> bool:
    """Fix glibc's malloc thresholds for this process; True when it did (False off glibc). Idempotent."""
    try:
        if not os.confstr("CS_GNU_LIBC_VERSION"):
            return False
    except (ValueError, OSError):  # no such name on this system: not glibc
        return False
    import ctypes  # 5 ms to import: only where it is used, once the renderer is built

    mallopt = ctypes.CDLL(None).mallopt
    return bool(mallopt(_M_MMAP_THRESHOLD, MMAP_THRESHOLD)) and bool(mallopt(_M_TRIM_THRESHOLD, TRIM_THRESHOLD))
