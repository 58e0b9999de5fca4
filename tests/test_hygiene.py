"""The pure core never imports the UI, OBS or Google libraries; the screens never import OBS or YouTube."""

from __future__ import annotations

import ast
import pkgutil
from pathlib import Path

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


# --- the screens never reach a device: they get the show's services (studio/show/services.py) ---------

SCREENS = Path(studio.__file__).parent / "tui"
ADAPTERS = ("studio.obs", "studio.youtube")


def _named_imports(path: Path) -> list[tuple[int, str]]:
    """Every module an import in ``path`` names, with its line: lazy ones and ``if TYPE_CHECKING:`` ones too."""
    package = ".".join(path.relative_to(SCREENS.parent.parent).with_suffix("").parts[:-1])
    found = []
    for node in ast.walk(ast.parse(path.read_text("utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = node.module or ""
            if node.level:
                anchor = package.rsplit(".", node.level - 1)[0]
                base = f"{anchor}.{base}" if base else anchor
            found.append((node.lineno, base))
    return found


def test_no_screen_imports_obs_or_youtube() -> None:
    crossing = [
        f"{path.relative_to(SCREENS.parent.parent)}:{line}: {name}"
        for path in sorted(SCREENS.rglob("*.py"))
        for line, name in _named_imports(path)
        if name.startswith(tuple(f"{adapter}." for adapter in ADAPTERS)) or name in ADAPTERS
    ]
    assert crossing == [], "the screens import an adapter:\n" + "\n".join(crossing)


def test_the_screens_load_no_adapter(run_python) -> None:
    """Not even through another module: every screen imported, no OBS or YouTube module is loaded."""
    result = run_python(
        "import importlib, pkgutil, sys, studio.tui\n"
        "for m in pkgutil.walk_packages(studio.tui.__path__, prefix='studio.tui.'): importlib.import_module(m.name)\n"
        f"print(','.join(sorted(m for m in sys.modules if m.split('.')[:2] in {[a.split('.') for a in ADAPTERS]!r})))"
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "", f"the screens load {result.stdout.strip()}"


def test_the_adapter_check_sees_a_lazy_import() -> None:
    """An import inside a function (the kind a quick fix adds) is found too."""
    module = SCREENS / "app.py"
    assert any(name == "studio.tui.desk.screen" for _, name in _named_imports(module))  # imported in a method
