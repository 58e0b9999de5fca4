"""Helpers for the HTTP tests: the test show, tokens, a server thread and a small HTTP client."""

from __future__ import annotations

import asyncio
import json
import threading
import urllib.error
import urllib.request
from dataclasses import dataclass, replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web

from studio.onair import GraphicRefused, RenderedGraphic
from studio.rundown.model import GraphicCue, Rundown

SHOW = Path(__file__).parents[1] / "prompter" / "prompter_show.toml"  # the prompter tests' show
ALMATY = ZoneInfo("Asia/Almaty")
TOKEN = "test-token-0123456789abcdef"
DESK_TOKEN = "desk-token-fedcba9876543210"


class Clock:
    def __init__(self, at: datetime) -> None:
        self.now = at.astimezone(UTC)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> None:
        self.now += timedelta(**delta)


@dataclass
class Served:
    url: str
    app: web.Application


class ServerThread:
    """An aiohttp application served on 127.0.0.1:<free port> from its own thread and loop."""

    def __init__(self, app: web.Application) -> None:
        self.app = app
        self.loop = asyncio.new_event_loop()
        self.runner = web.AppRunner(app, shutdown_timeout=1.0)
        self.thread = threading.Thread(target=self.loop.run_forever, name="test-server", daemon=True)

    def start(self) -> str:
        self.thread.start()
        asyncio.run_coroutine_threadsafe(self._start(), self.loop).result(10)
        host, port = self.runner.addresses[0][:2]
        return f"http://{host}:{port}"

    async def _start(self) -> None:
        await self.runner.setup()
        await web.TCPSite(self.runner, "127.0.0.1", 0).start()

    def stop(self) -> None:
        asyncio.run_coroutine_threadsafe(self.runner.cleanup(), self.loop).result(10)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)
        self.loop.close()


@dataclass
class Answer:
    status: int
    body: Any
    headers: dict[str, str]


def http(
    method: str,
    url: str,
    *,
    token: str | None = TOKEN,
    json_body: Any = None,
    data: bytes | None = None,
    headers: dict[str, str] | None = None,
) -> Answer:
    """One HTTP call with the standard library; the body is parsed as JSON when it is JSON."""
    all_headers = dict(headers or {})
    if token is not None:
        all_headers.setdefault("Authorization", f"Bearer {token}")
    if json_body is not None:
        data = json.dumps(json_body).encode()
        all_headers.setdefault("Content-Type", "application/json")
    request = urllib.request.Request(url, data=data, method=method, headers=all_headers)
    try:
        with urllib.request.urlopen(request, timeout=10) as response:
            status, raw, got = response.status, response.read(), dict(response.headers)
    except urllib.error.HTTPError as error:
        status, raw, got = error.code, error.read(), dict(error.headers)
    try:
        body = json.loads(raw)
    except ValueError:
        body = raw.decode("utf-8", "replace")
    return Answer(status, body, got)


LOWER = GraphicCue("lower-third", {"name": "Дана Ким", "role": "корреспондент"})
REFUSED_FACT = GraphicCue("fact-card", {"fact": "7"})


def with_graphics(rundown: Rundown) -> Rundown:
    """The show with two graphics armed on "open": a lower third, and a fact card the gate refuses."""
    segments = list(rundown.segments)
    segments[0] = replace(segments[0], graphics=(LOWER, REFUSED_FACT))
    return rundown.with_segments(tuple(segments))


class StandInGraphics:
    """The renderer port without Pillow: a file per template; fact 7 is refused as the gate would."""

    def render(self, cue: GraphicCue) -> RenderedGraphic:
        if cue.data.get("fact") == "7":
            raise GraphicRefused("fact-card: fact 7 is not verified")
        return RenderedGraphic(cue.template, f"/out/{cue.template}.png", (96, 822, 960, 174))
