"""The phone form's test site: an intake on a throwaway store with observers, their form links and a clock
that says when the intake rereads its tables (studio/web/form.py)."""

from __future__ import annotations

import io
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import pytest
from PIL import Image

from studio.desk.model import Report
from studio.store.desk import DeskStore, open_desk
from studio.store.observers import add_observer, issue_link, revoke_observer
from studio.web.intake import RELOAD_SECONDS, make_intake
from tests.web.http_helpers import ServerThread

T0 = datetime(2026, 3, 15, 5, 0, tzinfo=UTC)
OBSERVERS = ("Айгерім Сәрсенова", "Болат Жанов")


@dataclass
class Ticks:
    """The intake's monotonic clock: the tables are reread once it moves RELOAD_SECONDS on."""

    now: float = 0.0

    def __call__(self) -> float:
        return self.now

    def next_reload(self) -> None:
        self.now += RELOAD_SECONDS


@dataclass
class FormSite:
    url: str
    store: DeskStore
    links: dict[str, str]
    ticks: Ticks
    stores: list[DeskStore] = field(default_factory=list)

    def form(self, name: str = OBSERVERS[0]) -> str:
        return f"{self.url}/r/{self.links[name]}"

    def reports(self) -> list[Report]:
        other = open_desk(self.store.location)  # another connection: only what is committed
        try:
            ids = [row[0] for row in other.db.execute("SELECT id FROM report ORDER BY id")]
            return other.reports(ids)
        finally:
            other.close()

    def revoke(self, name: str = OBSERVERS[0]) -> None:
        revoke_observer(self.store.db, name, by="desk", at=T0)


@pytest.fixture
def form_site(store_location: Path | str, tmp_path: Path, monkeypatch) -> Iterator[Callable[..., FormSite]]:
    """``form_site(max_photo=...)``: the intake with the form, serving from a thread, on each database (a
    PostgreSQL store keeps the photos in $STUDIO_FILES, here the test's own folder)."""
    monkeypatch.setenv("STUDIO_FILES", str(tmp_path / "files"))
    servers: list[ServerThread] = []
    stores: list[DeskStore] = []

    def start(max_photo: int = 2 * 1024 * 1024) -> FormSite:
        store = open_desk(store_location)
        stores.append(store)
        links = {}
        for name in OBSERVERS:
            add_observer(store.db, name, by="desk", at=T0)
            links[name] = issue_link(store.db, name)
        ticks = Ticks()
        server = ServerThread(make_intake(store, rate=1000.0, burst=1000, max_photo=max_photo, monotonic=ticks))
        servers.append(server)
        return FormSite(server.start(), store, links, ticks)

    yield start
    for server in servers:
        server.stop()
    for store in stores:
        store.close()


def photo_with_location(size: tuple[int, int] = (64, 48)) -> bytes:
    """A JPEG that says where it was taken (Almaty), as a phone's camera writes it."""
    exif = Image.Exif()
    exif[0x0110] = "Phone"  # the camera model stays
    gps = exif.get_ifd(0x8825)
    gps.update({1: "N", 2: (43.0, 14.0, 17.0), 3: "E", 4: (76.0, 57.0, 0.0)})
    out = io.BytesIO()
    Image.new("RGB", size, (200, 30, 30)).save(out, "JPEG", exif=exif)
    return out.getvalue()
