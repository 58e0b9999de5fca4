"""One clock: code reads the time through a clock it is given, never on its own.

A ``datetime.now(``, ``datetime.utcnow(``, ``date.today(``, ``time.time(`` or a call of ``utc_now()``
anywhere in studio/ outside the places listed here fails this test: such a read would bypass the
rehearsal's simulated clock (studio/rehearsal/clock.py), and a test's. Pass a clock (``Clock`` of
studio/show/ports.py; ``utc_now`` itself as a default, not called) instead. Elapsed time measured on
``time.monotonic()`` or ``perf_counter()`` is not a reading of the day and stays allowed.
"""

import re
from pathlib import Path

STUDIO = Path(__file__).resolve().parents[1] / "studio"
READS = re.compile(r"\bdatetime\.now\(|\bdatetime\.utcnow\(|\bdate\.today\(|\btime\.time\(|\butc_now\(\)")

ROOTS = {
    "machine.py": "the clock itself",
    "desk/observers.py": "`studio observers add|revoke`: the instant a person issues a token",
    "desk/operators.py": "`studio operators` and the command line's sign-in: the instant a person acts",
    "rehearsal/run.py": "`studio rehearse`: the real date that names its files and marks its store",
    "commands/devices.py": "`studio preflight`: the checks are about today, on the machine's clock",
    "commands/common.py": "the store of today's rehearsal, named by the station's day on the machine's clock",
    "commands/up.py": "`studio up`: its status lines say when, on the machine's clock",
    "social/command.py": "`studio social publish`: the hour it publishes and a person's settling, on the machine's clock",
}
"""Composition roots: the commands where a person acts now, on the machine's clock."""


def stray_reads() -> list[str]:
    found = []
    for path in sorted(STUDIO.rglob("*.py")):
        name = path.relative_to(STUDIO).as_posix()
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
            code = line.split("#", 1)[0]
            if READS.search(code) and name not in ROOTS:
                found.append(f"studio/{name}:{number}: {line.strip()}")
    return found


def test_nothing_reads_the_time_around_the_clock() -> None:
    assert stray_reads() == []


def test_the_roots_listed_still_read_the_clock() -> None:
    # a root that no longer reads the time comes off the list, so the list never hides a new read
    for name in ROOTS:
        assert READS.search((STUDIO / name).read_text(encoding="utf-8")), name
