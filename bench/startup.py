"""Startup: a 500-segment rundown reaches first paint in a real terminal.

Runs `studio run` (signed in by $STUDIO_OPERATOR_KEY) in a 120x40 pseudo-terminal and times, from process start,
until the first rundown line is drawn. In the same run, the baseline: a bare
Textual app showing a 500-row DataTable, started and timed the same way.
Target: studio under 1 s. Prints medians over several starts and the ratio.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

from record import figure  # noqa: E402  (bench/ is the script's folder)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tests.terminal import Terminal  # noqa: E402

SEGMENTS = 500
RUNS = 5
MARKER = "Бірінші сегмент"

BARE_APP = f"""
from textual.app import App
from textual.widgets import DataTable

class Bare(App):
    def compose(self):
        yield DataTable()

    def on_mount(self):
        table = self.query_one(DataTable)
        table.add_columns("start", "dur", "kind", "title")
        table.add_rows([("07:00:00", "5m", "studio", "{MARKER}" if i == 0 else f"Сегмент {{i}}") for i in range({SEGMENTS})])

Bare().run()
"""


def rundown_text() -> str:
    lines = [
        "[show]",
        'id = "bench"',
        'title = { kk = "Өлшеу", ru = "Замер" }',
        # dated today in the show's zone, so the console opens on the rundown, not on the "another day" question
        f"date = {datetime.now(ZoneInfo('Asia/Almaty')).date().isoformat()}",
        'zone = "Asia/Almaty"',
        "start = 07:00:00",
    ]
    for index in range(SEGMENTS):
        title = MARKER if index == 0 else f"Сегмент {index}"
        lines += [
            "[[segment]]",
            f'id = "seg-{index:04d}"',
            'kind = "studio"',
            f'title = {{ kk = "{title}", ru = "Сегмент {index}" }}',
            'duration = "2m"',
            f'cue = "Cue {index}"',
        ]
    return "\n".join(lines) + "\n"


def operator(store: Path) -> str:
    """A store with the operator ``bench``; its passphrase."""
    from datetime import UTC, datetime

    from studio.store import open_store
    from studio.store.operators import add_operator

    show = open_store(store)
    try:
        return add_operator(show.db, "bench", by="bench", at=datetime.now(UTC))
    finally:
        show.close()


def first_paint(argv: list[str], env: dict[str, str]) -> float:
    with Terminal(argv, env=env, cwd=ROOT) as terminal:
        return terminal.wait_for(MARKER, timeout=30)


def main() -> None:
    import os

    with tempfile.TemporaryDirectory() as folder:
        work = Path(folder)
        rundown = work / "bench.toml"
        rundown.write_text(rundown_text(), "utf-8")
        (work / "bare.py").write_text(BARE_APP, "utf-8")
        env = dict(os.environ) | {"STUDIO_CONFIG": str(ROOT / "config.toml")}
        studio, bare = [], []
        for run in range(RUNS):
            env["STUDIO_STORE"] = str(work / f"store-{run}.db")
            # signed in by the key, as a producer restarting mid-show would: the passphrase's scrypt (~0.1 s) counts
            env["STUDIO_OPERATOR_KEY"] = operator(work / f"store-{run}.db")
            argv = [sys.executable, "-m", "studio", "run", str(rundown), "--operator", "bench"]
            studio.append(first_paint(argv, env))
            bare.append(first_paint([sys.executable, str(work / "bare.py")], env))
    s, b = statistics.median(studio), statistics.median(bare)
    print(f"studio run, {SEGMENTS} segments: first paint median {s * 1000:.0f} ms (min {min(studio) * 1000:.0f}, {RUNS} starts)")
    print(f"bare Textual, {SEGMENTS}-row DataTable: median {b * 1000:.0f} ms (min {min(bare) * 1000:.0f})")
    print(f"ratio           x{s / b:.2f}")
    print(f"target 1 s      {'met' if s < 1.0 else 'NOT met'}")
    figure("startup", "first_paint_median", s * 1000, b * 1000, "ms", target="under 1 s", met=s < 1.0)


if __name__ == "__main__":
    main()
