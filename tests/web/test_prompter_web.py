"""The browser prompter's server: the page, and the SSE stream following takes made elsewhere.

The "browser" here is aiohttp's client reading ``/events``; the real browser
is in test_prompter_browser.py.
"""

from __future__ import annotations

import asyncio
import json
import sqlite3
import time

import aiohttp
import pytest

from studio.store import open_store
from studio.web.follow import Follower
from studio.web.prompter import make_prompter_web
from tests.web.http_helpers import ALMATY, http


@pytest.fixture
def prompter(controllers, serve):
    """The browser prompter on its own read-only connection, and the producer's controller."""
    producer = controllers(origin="console")  # first: it loads the plan into the store
    follower = Follower(controllers(origin="prompter"))
    served = serve(make_prompter_web(follower, ALMATY, "kk"))
    return served.url, producer, follower


async def cards(session: aiohttp.ClientSession, url: str):
    """Yield each card the stream sends, as a dict."""
    async with session.get(url) as response:
        assert response.status == 200
        assert response.headers["Content-Type"].startswith("text/event-stream")
        event = None
        async for raw in response.content:
            line = raw.decode().rstrip("\n")
            if line.startswith("event: "):
                event = line.removeprefix("event: ")
            elif line.startswith("data: ") and event == "card":
                yield json.loads(line.removeprefix("data: "))


def test_every_take_elsewhere_reaches_the_stream_in_order(prompter) -> None:
    """How fast is bench/prompter_latency.py's business."""
    url, producer, _ = prompter

    async def run() -> None:
        async with aiohttp.ClientSession() as session:
            stream = cards(session, f"{url}/events?lang=ru")
            first = await anext(stream)
            assert first["state"] == "idle" and first["title"] == "В эфире ничего нет"
            assert first["next_title"] == "Открытие эфира"
            for segment in ["open", "astana-live", "almaty-live", "open", "briefing-10"]:
                await asyncio.to_thread(producer.take, segment)
                while (card := await asyncio.wait_for(anext(stream), 10))["segment_id"] != segment:
                    pass
                assert card["state"] == "on_air" and card["language"] == "ru"

    asyncio.run(run())


def test_the_card_carries_the_cue_in_the_language_asked(prompter) -> None:
    url, producer, _ = prompter
    producer.take("open")
    time.sleep(0.3)
    card = http("GET", f"{url}/card.json?lang=kk", token=None).body
    assert card["title"] == "Эфирді ашу" and card["detail"] == "студия · 3:00"
    assert card["cue"].startswith("Қайырлы таң, құрметті көрермендер!")
    assert card["labels"]["next"] == "Келесі" and card["warning"] == ""
    english = http("GET", f"{url}/card.json?lang=en", token=None).body
    assert english["title"] == "Открытие эфира"  # English screens show the Russian title
    assert english["labels"]["on_air"] == "On air"


def test_the_page_is_in_the_language_asked_and_mirrors_on_request(prompter) -> None:
    url, _, _ = prompter
    page = http("GET", f"{url}/?lang=ru&mirror=1&size=5", token=None)
    assert page.status == 200 and page.headers["Content-Type"].startswith("text/html")
    assert '<html lang="ru">' in page.body and '<body class="mirror">' in page.body
    assert "Суфлёр — День референдума: центр наблюдателей" in page.body
    assert '"size": 5' in page.body and "Пробел или касание: пауза" in page.body
    policy = page.headers["Content-Security-Policy"]
    nonce = policy.split("'nonce-")[1].split("'")[0]
    assert page.body.count(f'nonce="{nonce}"') == 2  # the style and the script, nothing else runs
    default = http("GET", f"{url}/?lang=xx", token=None)
    assert '<html lang="kk">' in default.body and '<body class="">' in default.body


def test_the_browser_prompter_only_reads(prompter, store_path) -> None:
    url, producer, follower = prompter
    observer = open_store(store_path)
    http("GET", f"{url}/card.json", token=None)
    time.sleep(0.5)  # five polls of the store
    assert not observer.changed_elsewhere()  # nobody committed
    observer.close()
    with pytest.raises(sqlite3.OperationalError, match="readonly|read-only"):  # SQLite's words, PostgreSQL's
        follower._show.take_next()
    producer.take_next()
    assert {event.origin for event in producer.store.events(producer.show_id)} == {"console"}
    observer.close()


def test_an_unknown_route_or_method_is_a_json_error_in_the_pages_language(prompter) -> None:
    url, _, _ = prompter
    missing = http("GET", f"{url}/nothing?lang=ru", token=None)
    assert (missing.status, missing.body["error"]) == (404, "not_found")
    assert missing.body["message"].startswith("Здесь нет GET /nothing") and "/card.json" in missing.body["message"]
    wrong = http("POST", f"{url}/card.json", token=None, data=b"")  # the station's language: kk
    assert (wrong.status, wrong.body["error"]) == (405, "method_not_allowed")
    assert wrong.body["message"] == "/card.json үшін POST әдісіне рұқсат жоқ: суфлер тек оқиды (GET)."
    assert wrong.headers["Allow"].startswith("GET")
