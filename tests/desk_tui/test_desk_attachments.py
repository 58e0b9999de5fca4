"""A report's attachments at the desk (studio/tui/desk/attachments.py): each path, a location as coordinates, a
photo in half blocks, ``i`` opening the file in the viewer (a fake one here), a missing file said in place."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import OptionList, Static

from studio.desk.media import PHOTOS, keep
from studio.desk.model import ReportKind
from studio.i18n import Msg
from studio.store.desk import NewReport
from studio.tui.desk.attachments import AttachmentPicker, Attachments, ViewerError
from tests.desk_tui.conftest import desk_settle

SIZE = (120, 40)
PHOTO = Path(__file__).resolve().parent.parent / "data" / "observer-photo.png"
GEO = "geo:43.23801,76.94562;u=35"
LOOKS = 2400
"""Pauses of 50 ms a test waits for the files to be looked at: generous, a loaded machine is slow."""


@pytest.fixture
def with_photo(other) -> dict[str, Any]:
    """A form report from Almaty with the committed photo (kept as the channels keep it), a shared location and
    a file that is not there."""
    stored = keep(PHOTO.read_bytes(), other.files, max_bytes=1024 * 1024, taken=PHOTOS)
    report = other.add_report(
        NewReport("Айгерім Сәрсенова", "form", datetime(2026, 3, 15, 10, 30, tzinfo=UTC), "almaty", 154,
                  ReportKind.PROTOCOL, "Хаттама ілінбеді, суретін жібердім",
                  attachments=(stored, GEO, "media/gone.jpg")),
        by="aigerim", at=datetime(2026, 3, 15, 10, 30, tzinfo=UTC),
    )
    return {"report": report.id, "stored": stored, "photo": other.files / stored, "photo_said": f"~/{stored}",
            "gone": other.files / "media" / "gone.jpg", "gone_said": "~/media/gone.jpg"}  # HOME: the store's files


class FakeViewer:
    """The system viewer, as the desk's opener: records what it was asked to open."""

    def __init__(self, refuse: Msg | None = None) -> None:
        self.opened: list[Path] = []
        self.refuse = refuse

    def __call__(self, path: Path) -> None:
        if self.refuse is not None:
            raise ViewerError(self.refuse)
        self.opened.append(path)


async def open_group(pilot: Any, report: int) -> Attachments:
    await desk_settle(pilot)
    desk = pilot.app.desk
    table = desk.query_one("#desk-queue")
    table.move_cursor(row=table.get_row_index(f"group:{report}"), animate=False)
    await pilot.press("enter")
    await desk_settle(pilot)
    attachments = desk.query_one(Attachments)
    for _ in range(LOOKS):  # the item read (its attachments shown), then each file looked at (its picture drawn)
        if desk.opened == ("group", report) and all(a.path in attachments.looks for a in attachments.files):
            break
        await pilot.pause(0.05)
    await desk_settle(pilot)
    return attachments


def notices(app: Any) -> list[str]:
    return [n.message for n in app._notifications]


async def test_the_open_report_shows_each_attachment_a_photo_as_a_picture_a_missing_file_as_missing(
    make_desk_app, with_photo
) -> None:
    app = make_desk_app("en")
    async with app.run_test(size=SIZE) as pilot:
        attachments = await open_group(pilot, with_photo["report"])
        report = f"R{with_photo['report']}"
        assert [line.text for line in attachments.lines] == [
            f"• {report} · {with_photo['stored']}",
            f"• {report} · location 43.23801, 76.94562 (±35 m)",
            f"• {report} · media/gone.jpg",
        ]
        photo, gone = (place for place in attachments.places if place is not None)
        assert "▀" in str(photo.render())  # the picture, in half blocks
        assert str(gone.render()) == f"The file is not there: {with_photo['gone_said']}"
        assert app.desk.check_action("attachment", ()) is True


async def test_the_open_key_asks_the_viewer_to_open_the_picked_file_by_its_absolute_path(
    make_desk_app, desk_path, desk_clock, with_photo
) -> None:
    viewer = FakeViewer()
    app = make_desk_app("en", opener=viewer)
    async with app.run_test(size=SIZE) as pilot:
        await open_group(pilot, with_photo["report"])
        await pilot.press("i")  # two files: the desk asks which
        await desk_settle(pilot)
        assert isinstance(app.screen, AttachmentPicker)
        assert [str(o.prompt) for o in app.screen.query_one(OptionList).options] == [
            f"R{with_photo['report']} · {with_photo['stored']}", f"R{with_photo['report']} · media/gone.jpg"]
        await pilot.press("enter")
        await desk_settle(pilot)
        assert viewer.opened == [with_photo["photo"]] and with_photo["photo"].is_absolute()
        assert f"Opening {with_photo['photo_said']} in the system viewer." in notices(app)


async def test_a_missing_file_or_viewer_is_a_notification_and_nothing_is_opened(make_desk_app, with_photo) -> None:
    viewer = FakeViewer()
    app = make_desk_app("ru", opener=viewer)
    async with app.run_test(size=SIZE) as pilot:
        await open_group(pilot, with_photo["report"])
        await pilot.press("i", "down", "enter")  # the file that is not there
        await desk_settle(pilot)
        assert viewer.opened == [] and f"Файла нет: {with_photo['gone_said']}" in notices(app)
        viewer.refuse = Msg("desk.attachment.no_viewer", command="xdg-open", path=with_photo["photo_said"])
        await pilot.press("i", "enter")
        await desk_settle(pilot)
        assert f"(xdg-open не найден): файл лежит здесь: {with_photo['photo_said']}" in notices(app)[-1]
        assert app.screen is app.desk  # no traceback screen


async def test_without_a_file_the_open_key_is_absent(make_desk_app, seeded) -> None:
    viewer = FakeViewer()
    app = make_desk_app("en", opener=viewer)
    async with app.run_test(size=SIZE) as pilot:
        attachments = await open_group(pilot, seeded["kk_report"])
        assert attachments.display is False and app.desk.check_action("attachment", ()) is False
        await pilot.press("i")
        await desk_settle(pilot)
        assert viewer.opened == [] and app.screen is app.desk


async def test_an_unreadable_photo_says_so_in_place_of_its_picture(make_desk_app, other) -> None:
    broken = other.files / "media" / "broken.png"
    broken.parent.mkdir(parents=True, exist_ok=True)
    broken.write_bytes(PHOTO.read_bytes()[:60])
    report = other.add_report(
        NewReport("Болат Жанов", "telegram", datetime(2026, 3, 15, 10, 31, tzinfo=UTC), "astana", None,
                  ReportKind.INCIDENT, "Сурет", attachments=("media/broken.png",)),
        by="aigerim", at=datetime(2026, 3, 15, 10, 31, tzinfo=UTC),
    )
    app = make_desk_app("kk")
    async with app.run_test(size=SIZE) as pilot:
        attachments = await open_group(pilot, report.id)
        [place] = [p for p in attachments.places if p is not None]
        said = str(place.render())
        assert said.startswith("Суретті оқу мүмкін емес") and said.endswith("~/media/broken.png")
        assert isinstance(place, Static)


def test_desk_in_kazakh_with_a_report_and_its_photo_open(snap_compare, make_desk_app, with_photo) -> None:
    app = make_desk_app("kk")

    async def run_before(pilot: Any) -> None:
        await open_group(pilot, with_photo["report"])

    assert snap_compare(app, run_before=run_before, terminal_size=(120, 56))  # tall: every attachment in sight
