"""The show process's C heap: after a large image is freed, the next large one is mapped anew rather than
taken from a heap that then stays as large as the day's largest graphic (studio/heap.py).

Each check runs in a fresh interpreter: the thresholds are the process's, and glibc raises them for good at
the first large block freed. The probe frees an 8 MiB block (a turnout board and its encoder's buffers),
then asks for 2 MiB: mapped, it goes back to the system when freed; from the heap, it stays resident.
"""

from __future__ import annotations

import os

import pytest

PROBE = """
import ctypes

libc = ctypes.CDLL(None)


class Info(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in
                "arena ordblks smblks hblks hblkhd usmblks fsmblks uordblks fordblks keepcost".split()]


libc.mallinfo2.restype = Info
libc.malloc.restype = ctypes.c_void_p
libc.free.argtypes = [ctypes.c_void_p]
libc.free(libc.malloc(8 << 20))
mapped = libc.mallinfo2().hblkhd
libc.malloc(2 << 20)
print("mapped" if libc.mallinfo2().hblkhd - mapped >= 2 << 20 else "heap")
"""


def _glibc() -> bool:
    try:
        return bool(os.confstr("CS_GNU_LIBC_VERSION"))
    except (ValueError, OSError):
        return False


pytestmark = pytest.mark.skipif(not _glibc(), reason="glibc's malloc only: elsewhere keep_heap_flat does nothing")


def test_glibc_alone_serves_the_next_large_image_from_the_heap(run_python) -> None:
    """What the fix is for, so the checks below can fail: glibc's own moving threshold."""
    done = run_python(PROBE)
    assert done.stdout.strip() == "heap", done.stderr


def test_a_flat_heap_maps_the_next_large_image(run_python) -> None:
    done = run_python("from studio.heap import keep_heap_flat\nassert keep_heap_flat()\nassert keep_heap_flat()\n"
                      + PROBE)
    assert done.stdout.strip() == "mapped", done.stderr


def test_the_show_process_keeps_its_heap_flat_once_its_renderer_is_built(run_python, tmp_path) -> None:
    code = f"""
from pathlib import Path
from studio.config import Config
from studio.paths import sample_rundown
from studio.rundown.load import load_rundown
from studio.show.services import _graphics

graphics = _graphics(Config(), load_rundown(sample_rundown()), Path({str(tmp_path / "show.db")!r}), None,
                     lambda: None)
graphics._ready.result(timeout=30)
""" + PROBE
    done = run_python(code, XDG_DATA_HOME=str(tmp_path / "data"))
    assert done.stdout.strip() == "mapped", done.stderr
