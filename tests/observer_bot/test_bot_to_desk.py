"""Done when: an observer reports from Telegram and the report appears at the desk with its photo.

The real python-telegram-bot runs ``studio bot`` against the fake Bot API, while a desk (``studio desk``, its
poll loop on) is open on the same store in another connection, as on the day. The test waits on the desk's own
refresh, bounded only by a generous patience: how fast it is, is the benchmark's figure (bench/observer_bot.py).
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable
from typing import Any

import pytest

from studio.config import Config
from studio.desk.media import located
from studio.store.desk import open_desk
from studio.tui.desk import make_desk
from studio.tui.desk.attachments import Attachments
from tests.observer_bot.conftest import PATIENCE
from tests.observer_bot.test_bot import USER, photo_with_gps

TEXT = "Итоговый протокол не вывешен, фото приложено"


async def until(pilot: Any, check: Callable[[], Any], what: str) -> Any:
    """``check()``'s first truthy value, the desk's loop running meanwhile; fails after PATIENCE."""
    deadline = time.monotonic() + PATIENCE
    while time.monotonic() < deadline:
        found = check()
        if found:
            return found
        await pilot.pause(0.02)
    pytest.fail(f"never happened: {what}")


async def test_a_guided_report_with_a_photo_appears_at_the_open_desk_with_its_photo(
    bound, fake_telegram, store
) -> None:
    bound()
    config = Config.model_validate({"station": {"language": "ru", "operator": "dana"}})
    app = make_desk(open_desk(store.path), config, live=True)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            def said(words: str) -> Callable[[], bool]:
                return lambda: any(words in t for t in fake_telegram.texts(USER))

            fake_telegram.message(USER, "/report")
            fake_telegram.press(USER, "region:almaty")
            fake_telegram.message(USER, "154")
            fake_telegram.press(USER, "kind:protocol")
            fake_telegram.message(USER, TEXT)
            await until(pilot, said("затем нажмите «Отправить»"), "the bot asking for attachments")
            fake_telegram.photo(USER, photo_with_gps())
            await until(pilot, said("Добавлено (1)"), "the photo attached")
            fake_telegram.press(USER, "send")

            queue = app.desk.query_one("#desk-queue")
            group = await until(pilot, lambda: next((i for i in app.desk.shown() if i.claim.ru == TEXT), None),
                                "the report in the desk's queue")
            assert (group.item, group.region, group.reports) == ("group", "almaty", 1)
            queue.move_cursor(row=queue.get_row_index(f"group:{group.item_id}"), animate=False)
            await pilot.press("enter")
            attachments = app.desk.query_one(Attachments)

            def looked() -> bool:
                return bool(attachments.files) and all(a.path in attachments.looks for a in attachments.files)

            await until(pilot, looked, "the report's photo looked at")
            [photo] = attachments.files
            assert photo.path == located(photo.stored, store.files) and photo.path.is_file()
            assert photo.stored.startswith("media/") and attachments.looks[photo.path].picture is not None
    finally:
        # a desk poll may still be running on a thread after the app stopped: closing SQLite under it crashes
        await asyncio.get_running_loop().shutdown_default_executor()
        app.client.store.close()
