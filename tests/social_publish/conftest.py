"""Cards in an hour folder, written here (as `studio social` writes them), a desk with facts, and the fake
Bot API of tests/observer_bot with the centre's channel in it."""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from PIL import Image

from studio.desk import rules
from studio.desk.model import Claim, Draft, Fact, ReportKind, SourceKind
from studio.desk.views import GraphicsFacts
from studio.social.command import one_round
from studio.social.publish import Outcome
from studio.social.sidecar import Sidecar, StatedFact
from studio.store.desk import DeskStore, open_desk
from studio.telegram.channel import TelegramChannel
from tests.observer_bot.conftest import fake_telegram, telegram_server  # noqa: F401 - the fake Bot API's fixtures
from tests.observer_bot.fake_telegram import FakeTelegram

ZONE = ZoneInfo("Asia/Almaty")
NOW = datetime(2026, 3, 15, 9, 30, tzinfo=UTC)  # 14:30 in Almaty
SHOW, HOUR = "referendum-2026", "2026-03-15T14"
CHANNEL = "@observers_centre"
AUTHOR, CHECKER = "aigerim", "erlan"


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[DeskStore]:
    store = open_desk(tmp_path / "studio.db")
    yield store
    store.close()


@pytest.fixture
def verified(desk: DeskStore) -> Callable[..., Fact]:
    """A verified turnout fact of the 14:00 release."""
    source = desk.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/14-00", by=AUTHOR, at=NOW).id

    def make(value: str = "51.20", region: str | None = None) -> Fact:
        draft = Draft(ReportKind.TURNOUT, Claim(kk=f"Келу {value}%", ru=f"Явка {value}%"), region, None,
                      Decimal(value), NOW - timedelta(minutes=30))
        fact = desk.create_fact(draft, by=AUTHOR, at=NOW, source_ids=[source])
        fact = desk.change(fact.id, fact.version, rules.StartReview(), by=AUTHOR, at=NOW)
        return desk.change(fact.id, fact.version, rules.Verify(), by=CHECKER, at=NOW)

    return make


def retract(desk: DeskStore, fact: Fact, kk: str = "", ru: str = "") -> Fact:
    current = desk.get(fact.id)
    return desk.change(current.id, current.version, rules.Retract(Claim(kk=kk, ru=ru), why="the commission corrected it"),
                       by=CHECKER, at=NOW)


@pytest.fixture
def out(tmp_path: Path) -> Path:
    return tmp_path / "social"


def write_card(folder: Path, name: str, facts: tuple[Fact, ...] = (), caption: str | None = None) -> Path:
    """A card's square image (a small PNG) and its sidecar in ``folder``; the sidecar's path."""
    folder.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (108, 108), (20, 40, 90)).save(folder / f"{name}-square.png")
    sidecar = Sidecar(
        card=name, kind="fact" if facts else "announcement", rendered_at=NOW, images={"square": f"{name}-square.png"},
        caption=caption or f"Келу / Явка {name}\nОрталық / Центр",
        facts=tuple(StatedFact(id=f"F{f.id}", version=f.version, sources=("https://www.election.gov.kz/14-00",))
                    for f in facts),
    )
    return sidecar.write(folder)


@pytest.fixture
def card(out: Path) -> Callable[..., Path]:
    """``write_card`` in the 14:00 folder of the show."""
    return lambda name, facts=(), caption=None: write_card(out / SHOW / HOUR, name, facts, caption)


def withdraw(path: Path) -> Path:
    """What `studio social --watch` does to a card whose fact is retracted: moved to withdrawn/, reason filled."""
    from studio.social.sidecar import Withdrawal

    sidecar = Sidecar.read(path)
    target = path.parent / "withdrawn"
    target.mkdir(exist_ok=True)
    for image in sidecar.images.values():
        (path.parent / image).replace(target / image)
    moved = sidecar.model_copy(update={"withdrawn": Withdrawal(at=NOW, reason="retracted")})
    path.unlink()
    return moved.write(target)


@pytest.fixture
def publish(desk: DeskStore, out: Path, fake_telegram: FakeTelegram) -> Callable[..., list[Outcome]]:
    """One round of `studio social publish --telegram` for 14:00, against the fake Bot API."""
    fake_telegram.channel(CHANNEL)

    def run(token: str | None = None, chat: str = CHANNEL, wrap: Callable[[Any], Any] | None = None) -> list[Outcome]:
        def open_channel() -> Any:
            channel = TelegramChannel(token or fake_telegram.token, chat, api_url=fake_telegram.api_url,
                                      file_url=fake_telegram.file_url)
            return wrap(channel) if wrap else channel

        facts = GraphicsFacts(desk, NOW.date(), ZONE)
        return asyncio.run(one_round(open_channel, desk, facts, out, zone=ZONE, hour=None, now=lambda: NOW))

    return run
