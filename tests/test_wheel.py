"""studio installed as a tool: the wheel, in a fresh virtualenv, works from any folder (issue 16 part 8).

Builds the wheel with pip from a copy of the checkout and installs it with its dependencies into a new
virtualenv, then, from an empty folder with HOME and the XDG folders in a temporary directory and nothing
of the checkout on the path, runs `studio check` on the shipped sample (no argument), `studio render`, and
`studio run --rehearsal` up to its first paint. Marked ``wheel``, which CI must run (a skip is a failure
there, tests/conftest.py).

The dependencies come from the package index as pip is configured on the machine (as for `make test`),
through a wheelhouse kept between runs: pip's own cache keeps no downloads on these machines, and the
index takes one to two minutes for studio's fifty-odd packages where the wheelhouse takes seconds. A
wheelhouse that lacks what the wheel requires (the first run, a changed dependency) is filled from the
index by ``pip download``, resolved from the wheel's own requirements.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

from tests.terminal import Terminal

pytestmark = [pytest.mark.wheel, pytest.mark.timeout(1200)]

ROOT = Path(__file__).resolve().parent.parent
FIRST_SEGMENT = "Эфир заставкасы"  # the sample show's first line, as the console draws it (kk)
# PYTHONPATH would put the checkout on the path: pip would take studio for installed and Python would import it.
CLEAN = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
WHEELHOUSE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "studio-tests" / "wheelhouse"


def shipped_files() -> set[str]:
    """Every file of the package that is not Python source: what the wheel must carry as package data."""
    return {
        path.relative_to(ROOT).as_posix()
        for path in (ROOT / "studio").rglob("*")
        if path.is_file() and path.suffix not in (".py", ".pyc") and "__pycache__" not in path.parts
    }


def run(argv: list[str], *, env: dict[str, str] = CLEAN, cwd: Path | None = None, check: bool = True):
    done = subprocess.run(argv, capture_output=True, text=True, env=env, cwd=cwd, timeout=900)
    if check:
        assert done.returncode == 0, (
            f"{argv} exited {done.returncode}\nstdout:\n{done.stdout[-3000:]}\nstderr:\n{done.stderr[-3000:]}"
        )
    return done


def install(wheel: Path, venv: Path, work: Path) -> None:
    """``wheel`` and its dependencies into ``venv``, from the wheelhouse, filled from the index when short."""
    offline = [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install", "--quiet",
               "--no-index", "--find-links", str(WHEELHOUSE), str(wheel)]
    if run(offline, check=False).returncode == 0:
        return
    fetched = work / "fetched"
    run([sys.executable, "-m", "pip", "download", "--quiet", "-d", str(fetched), str(wheel)])
    WHEELHOUSE.mkdir(parents=True, exist_ok=True)
    for file in fetched.iterdir():
        if not file.name.startswith("studio-"):  # a copy, then a rename: another run may read the wheelhouse now
            shutil.copy(file, WHEELHOUSE / f".{file.name}.part")
            os.replace(WHEELHOUSE / f".{file.name}.part", WHEELHOUSE / file.name)
    run(offline)


@pytest.fixture(scope="module")
def installed(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A fresh virtualenv with the wheel of this checkout installed; its bin/ folder."""
    work = tmp_path_factory.mktemp("wheel")
    source = work / "source"  # a copy: pip builds in the source tree and must not write into the checkout
    shutil.copytree(ROOT / "studio", source / "studio", ignore=shutil.ignore_patterns("__pycache__"))
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    started = time.perf_counter()
    run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--quiet", "-w", str(work / "dist"), str(source)])
    [wheel] = (work / "dist").glob("studio-*.whl")
    missing = shipped_files() - set(zipfile.ZipFile(wheel).namelist())
    assert not missing, f"the wheel lacks files studio reads at run time: {sorted(missing)}"
    built = time.perf_counter()
    run([sys.executable, "-m", "venv", "--without-pip", str(work / "venv")])  # the running pip installs into it
    install(wheel, work / "venv", work)
    print(f"wheel built in {built - started:.0f} s, installed with its dependencies in {time.perf_counter() - built:.0f} s")
    return work / "venv" / "bin"


@pytest.fixture
def station(tmp_path: Path) -> tuple[Path, dict[str, str]]:
    """An empty folder to start studio in, and an environment with nothing of the checkout or the developer:
    HOME and the XDG folders are in ``tmp_path``, no STUDIO_* variable, no PYTHONPATH."""
    empty = tmp_path / "empty"
    empty.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith(("STUDIO_", "XDG_", "PYTHON"))}
    env |= {"HOME": str(tmp_path / "home")} | {
        f"XDG_{kind}_HOME": str(tmp_path / "xdg" / kind.lower()) for kind in ("CONFIG", "DATA", "CACHE", "STATE")
    }
    return empty, env


def test_the_installed_wheel_checks_renders_and_runs_the_shipped_sample_from_an_empty_folder(
    installed: Path, station: tuple[Path, dict[str, str]], tmp_path: Path
) -> None:
    empty, env = station
    studio = str(installed / "studio")
    site = run([str(installed / "python"), "-c", "import studio; print(studio.__file__)"], env=env, cwd=empty)
    package = Path(site.stdout.strip()).parent
    assert installed.parent in package.parents  # the installed copy, not the checkout

    checked = run([studio, "--lang", "en", "check"], env=env, cwd=empty)
    sample = package / "sample" / "referendum-day.toml"
    assert f"no rundown given: {sample} (the sample show that studio ships" in checked.stderr
    assert "fixed starts: 7, hit exactly: 7" in checked.stdout

    data = tmp_path / "d.json"
    data.write_text('{"name": "Дана Ким", "role": "тілші"}', "utf-8")
    rendered = run([studio, "--lang", "en", "render", "lower-third", "--data", str(data)], env=env, cwd=empty)
    [png] = (tmp_path / "xdg" / "data" / "studio" / "graphics").glob("lower-third-*.png")
    assert f"wrote {png} " in rendered.stdout
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"

    located = run([studio, "--lang", "en", "locate"], env=env, cwd=empty).stdout
    assert f"  {package / 'overlays'}  (there)" in located and f"sample:    {sample}  (there)" in located
    assert f"data:      {package / 'sample' / 'referendum-2026'}  (there)" in located

    # No config: sign-in is on, as on a station. The operator's passphrase signs the console in.
    # The sample is a plan of another day: on today's clock, in today's rehearsal store (`locate` names it).
    rehearsal = next(line.split()[1] for line in located.splitlines() if line.startswith("rehearsal:"))
    key = run([studio, "--store", rehearsal, "operators", "add", "tester"], env=env, cwd=empty).stdout.strip()
    with Terminal([studio, "run", "--rehearsal", "--on-today", "--operator", "tester"], env=env | {"STUDIO_OPERATOR_KEY": key},
                  cwd=empty) as console:
        console.wait_for(FIRST_SEGMENT, timeout=90)
    assert list(empty.iterdir()) == []  # nothing written where studio was started
