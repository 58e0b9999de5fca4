"""The desk is core: no UI, device or network library, and every rule in rules.py."""

from __future__ import annotations

import pkgutil
import re
from pathlib import Path

import pytest

import studio.desk

FORBIDDEN = ("textual", "obsws_python", "googleapiclient", "google", "aiohttp", "websocket", "urllib.request")
MODULES = ["studio.desk", "studio.store.desk", "studio.store.intake"] + [
    m.name for m in pkgutil.walk_packages(studio.desk.__path__, prefix="studio.desk.")
]


@pytest.mark.parametrize("module", MODULES)
def test_desk_module_imports_no_ui_device_or_network_library(module: str, run_python) -> None:
    result = run_python(
        f"import sys, {module}\n"
        f"bad = sorted(m for m in sys.modules if m in {FORBIDDEN!r} or m.split('.')[0] in {FORBIDDEN!r})\n"
        "print(','.join(bad))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_only_the_rules_module_sets_a_fact_status() -> None:
    """Status changes are decided in studio/desk/rules.py and nowhere else."""
    root = Path(studio.desk.__file__).resolve().parent.parent
    setting = re.compile(r"""["']status["']\s*:\s*Status\.|status\s*=\s*Status\.""")
    offenders = [
        str(path.relative_to(root))
        for path in [*root.joinpath("desk").glob("*.py"), root / "store" / "desk.py", root / "store" / "intake.py"]
        if path.name != "rules.py" and setting.search(path.read_text("utf-8"))
    ]
    assert offenders == []
