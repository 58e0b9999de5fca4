"""What moved between two runs of ``make bench``: ``bench/compare.py OLD.json NEW.json``.

Each figure's ratio to its same-run baseline is compared (the milliseconds alone say more about the machine
than about studio). A ratio that grew by more than ``MOVED`` is marked worse, one that shrank as much better.
Exit 1 when a figure got worse, so a script can stop on it.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

MOVED = 0.10
"""A ratio change under 10% is noise on a shared 2-core machine."""


def compare(old: dict, new: dict) -> tuple[list[str], bool]:
    lines = [f"{'figure':<42}{'old ratio':>11}{'new ratio':>11}{'change':>9}",
             f"{'':<42}{old['run'].get('commit') or '?':>11}{new['run'].get('commit') or '?':>11}"]
    worse = False
    for name in sorted(set(old["figures"]) | set(new["figures"])):
        before, after = old["figures"].get(name), new["figures"].get(name)
        if before is None or after is None:
            lines.append(f"{name:<42}{'—' if before is None else before['ratio']:>11}"
                         f"{'—' if after is None else after['ratio']:>11}   {'new' if before is None else 'gone'}")
            continue
        if not before["ratio"] or not after["ratio"]:
            continue
        change = after["ratio"] / before["ratio"] - 1
        verdict = "worse" if change > MOVED else "better" if change < -MOVED else ""
        worse = worse or verdict == "worse"
        lines.append(f"{name:<42}{before['ratio']:>11.2f}{after['ratio']:>11.2f}{change:>+9.0%}  {verdict}")
    return lines, worse


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: bench/compare.py OLD.json NEW.json (files written by make bench in bench/results/)",
              file=sys.stderr)
        return 2
    try:
        old, new = (json.loads(Path(path).read_text("utf-8")) for path in argv)
    except (OSError, ValueError) as error:
        print(f"bench/compare.py: cannot read the results: {error}", file=sys.stderr)
        return 2
    try:
        lines, worse = compare(old, new)
    except (KeyError, TypeError, AttributeError):
        print("bench/compare.py: these are not files written by make bench (bench/results/*.json)", file=sys.stderr)
        return 2
    print("\n".join(lines))
    return 1 if worse else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
