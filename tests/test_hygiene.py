"""The pure core never imports the UI, OBS or Google libraries."""

from __future__ import annotations

import pkgutil

import pytest

import studio

CORE = ("studio.rundown", "studio.store", "studio.regions", "studio.diagnostics", "studio.asrun", "studio.i18n", "studio.desk", "studio.graphics", "studio.settings_file", "studio.youtube.chapters", "studio.youtube.quota", "studio.youtube.health", "studio.broadcast", "studio.machine", "studio.show")
FORBIDDEN = ("textual", "obsws_python", "googleapiclient", "google", "aiohttp", "websocket")
NOT_CORE = {"studio.show.services": "the show process's wiring: it builds the OBS switcher and the YouTube broadcaster"}
ADAPTERS = ("studio.obs", "studio.youtube", "studio.tui", "studio.web")
"""What studio.show drives only through its ports (studio/show/ports.py), or what drives it."""


def core_modules() -> list[str]:
    names = []
    for package in CORE:
        module = __import__(package, fromlist=["_"])
        names.append(package)
        if hasattr(module, "__path__"):
            names += [m.name for m in pkgutil.walk_packages(module.__path__, prefix=package + ".")]
    return [name for name in names if name not in NOT_CORE]


@pytest.mark.parametrize("module", core_modules())
def test_core_module_imports_no_ui_or_device_library(module: str, run_python) -> None:
    forbidden = set(FORBIDDEN + (ADAPTERS if module.startswith("studio.show") else ()))
    result = run_python(
        f"import sys, {module}\n"
        f"bad = sorted(m for m in sys.modules if {{m.split('.')[0], '.'.join(m.split('.')[:2])}} & {forbidden!r})\n"
        "print(','.join(bad))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"{module} pulls in {result.stdout.strip()}"


def test_the_core_list_is_not_empty() -> None:
    assert len(core_modules()) >= 8
    assert studio.__name__ == "studio"
