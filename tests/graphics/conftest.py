"""Fixtures for the graphics tests: the shipped templates, facts from the real
turnout figures of 15 March 2026, a fixed clock, and golden-image comparison."""

from __future__ import annotations

import csv
import os
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from studio.graphics import Renderer, load_templates
from studio.graphics.gate import FactView, MemoryFacts

ROOT = Path(__file__).resolve().parents[2]
OVERLAYS = ROOT / "studio" / "overlays"
GOLDEN = Path(__file__).resolve().parent / "golden"
TURNOUT_CSV = ROOT / "tests" / "data" / "referendum-2026-turnout.csv"
RESULTS_CSV = ROOT / "studio" / "sample" / "referendum-2026" / "referendum-2026-results.csv"
RESULTS_VERIFIED = datetime(2026, 3, 17, 6, 0, tzinfo=UTC)  # 11:00 in Almaty
NOW = datetime(2026, 3, 15, 9, 5, tzinfo=UTC)  # 14:05 in Almaty

# A verified fact built from the 10:00 national release (tests/data/referendum-2026-turnout.csv).
NATIONAL_10 = FactView(
    id="f-101",
    status="verified",
    claim_kk="Сағат 10:00-ге дейін 2 393 844 сайлаушы дауыс берді — тізімдегілердің 19,21%-ы",
    claim_ru="К 10:00 проголосовали 2 393 844 избирателя — 19,21% от внесённых в списки",
    value="19.21",
    region=None,
    sources=("https://www.nur.kz/politics/kazakhstan/2354058-referendum-v-kazahstane-ozvuchena-yavka-izbirateley-na-10-00",),
    verifier="Гүлнар Сейітова",
    as_of=datetime(2026, 3, 15, 5, 0, tzinfo=UTC),
)
# A claim the desk found false: polls closed at 20:00 everywhere (data README).
FALSE_CLOSING = FactView(
    id="f-102",
    status="false",
    claim_kk="Алматыда учаскелер сағат 18:00-де жабылады",
    claim_ru="В Алматы участки закроются в 18:00",
    correction_kk="Учаскелер бүкіл елде сағат 20:00-ге дейін жұмыс істейді",
    correction_ru="Участки по всей стране работают до 20:00",
    sources=("ОРК · ЦРК",),
    verifier="Гүлнар Сейітова",
    as_of=datetime(2026, 3, 15, 7, 40, tzinfo=UTC),
)


def turnout_facts() -> list[FactView]:
    views = []
    with TURNOUT_CSV.open(encoding="utf-8") as file:
        for row in csv.DictReader(file):
            at = datetime.fromisoformat(row["local_time"])
            views.append(FactView(
                id=f"turnout-{at:%H%M}-{row['region']}", status="verified",
                claim_kk=f"{row['region']}: {row['turnout_percent']}", claim_ru=f"{row['region']}: {row['turnout_percent']}",
                value=row["turnout_percent"], region=row["region"], sources=(row["source"],),
                verifier="Гүлнар Сейітова", as_of=at,
            ))
    return views


def results_facts() -> list[FactView]:
    """The final result of the sample, each line a verified fact (``result-yes`` ...) as the desk gives it."""
    with RESULTS_CSV.open(encoding="utf-8") as file:
        return [
            FactView(id=f"result-{row['item']}", status="verified", value=row["value"], region="national",
                     sources=(row["source"],), verifier="Гүлнар Сейітова", as_of=RESULTS_VERIFIED, version=3,
                     line=row["item"])
            for row in csv.DictReader(file)
        ]


@pytest.fixture
def facts() -> MemoryFacts:
    return MemoryFacts().add(NATIONAL_10, FALSE_CLOSING, *turnout_facts(), *results_facts())


@pytest.fixture(scope="session")
def templates():
    return load_templates(OVERLAYS)


@pytest.fixture
def renderer(tmp_path: Path, facts: MemoryFacts) -> Renderer:
    return Renderer(OVERLAYS, tmp_path / "out", facts, clock=lambda: NOW)


def compare(image: Image.Image, golden: Path) -> tuple[float, float]:
    """Mean absolute difference per channel, and the share of pixels with a channel off by more than 32."""
    expected = Image.open(golden).convert("RGBA")
    assert image.size == expected.size, f"{golden.name}: size {image.size}, golden {expected.size}"
    difference = ImageChops.difference(image.convert("RGBA"), expected)
    channels = difference.split()
    pixels = image.size[0] * image.size[1]
    mean = max(sum(i * n for i, n in enumerate(c.histogram())) / pixels for c in channels)
    over = channels[0].point(lambda v: 255 if v > 32 else 0)
    for channel in channels[1:]:
        over = ImageChops.lighter(over, channel.point(lambda v: 255 if v > 32 else 0))
    share = over.histogram()[255] / pixels
    return mean, share


@pytest.fixture
def golden():
    """Check an image against tests/graphics/golden/NAME.png; STUDIO_UPDATE_GOLDEN=1 rewrites it."""

    def check(image: Image.Image, name: str) -> None:
        path = GOLDEN / f"{name}.png"
        if os.environ.get("STUDIO_UPDATE_GOLDEN") == "1" or not path.exists():
            if os.environ.get("CI") and not path.exists():
                pytest.fail(f"golden image {path.name} is missing; run STUDIO_UPDATE_GOLDEN=1 and commit it")
            GOLDEN.mkdir(exist_ok=True)
            image.save(path, "PNG", optimize=True)
            if os.environ.get("STUDIO_UPDATE_GOLDEN") != "1":
                pytest.skip(f"wrote new golden image {path.name}; look at it, then commit it")
            return
        mean, share = compare(image, path)
        assert mean < 2 and share < 0.005, (
            f"{name}: differs from the golden image (mean abs diff {mean:.2f} per channel, "
            f"{share:.2%} pixels off by > 32); if the change is intended, rerun with STUDIO_UPDATE_GOLDEN=1 "
            "and look at the new image before committing it"
        )

    return check


@pytest.fixture
def now() -> datetime:
    return NOW


@pytest.fixture
def root() -> Path:
    return ROOT


@pytest.fixture
def overlays() -> Path:
    return OVERLAYS


@pytest.fixture
def national() -> FactView:
    return NATIONAL_10


@pytest.fixture
def false_claim() -> FactView:
    return FALSE_CLOSING
