"""One path in (issue 20 part 3): the same report through every channel is the same row, apart from its channel.

Each channel writes into a store of its own, so the ids and the groups can be
compared too. What may differ besides the channel is where the row came from
in its batch (``batch``, ``line``: a file's line number, 0 for a message).
"""

from __future__ import annotations

import asyncio
import csv
import json
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from aiohttp.test_utils import TestClient, TestServer

from studio.desk.importer import import_reports
from studio.store.desk import open_desk
from studio.store.observers import add_observer, issue_link
from studio.web.intake import make_intake
from tests.observer_bot.conftest import eventually

AT = datetime(2026, 3, 15, 7, 2, 3, tzinfo=UTC)  # 12:02:03 in Almaty
OBSERVER = "Айгерім"
REPORT = {"region": "almaty", "station": 154, "kind": "protocol", "text": "Итоговый протокол не вывешен"}
COMPARED = "id, observer, received_at, region, station, kind, text, attachments, group_id"


def rows(path: Path) -> list[tuple[Any, ...]]:
    store = open_desk(path)
    try:
        return [tuple(row) for row in store.db.execute(f"SELECT {COMPARED}, channel FROM report ORDER BY id")]
    finally:
        store.close()


def through_http(folder: Path, attachments: list[str]) -> Path:
    path = folder / "http" / "studio.db"
    store = open_desk(path)
    token = add_observer(store.db, OBSERVER, by="coordinator", at=AT)

    async def post() -> None:
        async with TestClient(TestServer(make_intake(store, now=lambda: AT))) as client:
            answer = await client.post(
                "/reports", json={**REPORT, "attachments": attachments},
                headers={"Authorization": f"Bearer {token}", "Idempotency-Key": "one-path-1"},
            )
            assert answer.status == 201, await answer.text()

    asyncio.run(post())
    store.close()
    return path


def through_phone_form(folder: Path, attachments: list[str]) -> Path:
    path = folder / "phone-form" / "studio.db"
    store = open_desk(path)
    add_observer(store.db, OBSERVER, by="coordinator", at=AT)
    link = issue_link(store.db, OBSERVER)

    async def post() -> None:
        async with TestClient(TestServer(make_intake(store, now=lambda: AT))) as client:
            answer = await client.post(f"/r/{link}/reports", json={**REPORT, "attachments": attachments},
                                       headers={"Idempotency-Key": "one-path-1"})
            assert answer.status == 201, await answer.text()

    asyncio.run(post())
    store.close()
    return path


def through_import(folder: Path, attachments: list[str]) -> Path:
    path = folder / "import" / "studio.db"
    store = open_desk(path)
    export = folder / "export.csv"
    with export.open("w", newline="", encoding="utf-8") as out:
        writer = csv.writer(out)
        writer.writerow(["observer", "received_at", "region", "station", "kind", "text", "attachments"])
        writer.writerow([OBSERVER, AT.isoformat(), "almaty", "154", "protocol", REPORT["text"], ";".join(attachments)])
    import_reports(store, export, operator="coordinator")
    store.close()
    return path


CHANNELS: dict[str, tuple[Callable[[Path, list[str]], Path], str]] = {
    "http": (through_http, "http"),
    "phone form": (through_phone_form, "form"),  # GET /r/<link>'s page posts here (studio/web/form.py)
    "file import": (through_import, "form"),  # a file exported from someone else's form
}
"""Each channel: how the report is sent, and the channel its row says."""


def test_the_same_report_through_the_bot_the_intake_the_phone_form_and_an_import_is_the_same_row(
    bound, fake_telegram, store, tmp_path
) -> None:
    bound(name=OBSERVER, now=lambda: AT)
    fake_telegram.message(501, "/report")
    fake_telegram.press(501, "region:almaty")
    fake_telegram.message(501, "154")
    fake_telegram.press(501, "kind:protocol")
    fake_telegram.message(501, REPORT["text"])
    fake_telegram.document(501, b"%PDF-1.4 protocol", "application/pdf", "protocol.pdf")
    eventually(lambda: any("Добавлено (1)" in t for t in fake_telegram.texts(501)), "the document attached")
    fake_telegram.press(501, "send")
    eventually(lambda: any("Принято" in t for t in fake_telegram.texts(501)), "the report acknowledged")
    [bot_row] = rows(store.path)
    attachments = [Path(p).as_posix() for p in json.loads(bot_row[7])]
    assert bot_row[-1] == "telegram"
    for name, (send, channel) in CHANNELS.items():
        [row] = rows(send(tmp_path / name.replace(" ", "-"), attachments))
        assert row[:-1] == bot_row[:-1], name
        assert row[-1] == channel, name
