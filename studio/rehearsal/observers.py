"""The rehearsal's observers: the real intake app on a loopback port, and the scenario's reports posted to it.

Its own thread with its own event loop (aiohttp's server and client), so the main thread's takes and
desk work never hold up an answer. Each report leaves when the rehearsal's clock reaches its time.
"""

from __future__ import annotations

import asyncio
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from studio.rehearsal.clock import SimulatedClock
from studio.rehearsal.scenario import ReportSend

SENDING_AT_ONCE = 16


@dataclass
class Sent:
    """What the observers' side saw; read by the main thread (each field written by the intake thread only)."""

    attempted: int = 0
    accepted: int = 0
    refused: Counter[int] = field(default_factory=Counter)  # HTTP status -> count
    rate_limited: int = 0  # 429 answers, each sent again after Retry-After
    failed: int = 0  # no answer (connection refused, reset)
    latency_ms: list[float] = field(default_factory=list)
    answers: dict[str, tuple[int, int]] = field(default_factory=dict)  # key -> (report id, group id)


class Observers:
    """The real intake app on a loopback port, and the scenario's observers posting to it (aiohttp)."""

    def __init__(self, store_path: Path, config: Any, clock: SimulatedClock, tokens: dict[str, str],
                 reports: tuple[ReportSend, ...], answered: dict[str, tuple[int, int]] | None = None) -> None:
        """``answered``: the reports the store holds already (a resumed rehearsal), never sent again."""
        answered = answered or {}
        self.store_path, self.config, self.clock, self.tokens = store_path, config, clock, tokens
        self.reports = tuple(report for report in reports if report.key not in answered)
        self.sent = Sent(answers=dict(answered))
        self.url = ""
        self._ready = threading.Event()
        self._failure: BaseException | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._stop: asyncio.Event | None = None
        self._thread = threading.Thread(target=self._run, name="rehearsal-observers", daemon=True)

    def start(self) -> None:
        self._thread.start()
        self._ready.wait()
        if self._failure is not None:
            raise self._failure

    def stop(self) -> None:
        if self._loop is not None and self._stop is not None:
            self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join()

    def _run(self) -> None:
        try:
            asyncio.run(self._main())
        except BaseException as error:  # said by start() when it failed before serving
            self._failure = error
            self._ready.set()

    async def _main(self) -> None:
        from aiohttp import ClientSession, web

        from studio.store.desk import open_desk
        from studio.web.intake import make_intake

        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        settings = self.config.intake
        desk = open_desk(self.store_path, self.config.desk.evidence_policy())  # the intake's own connection
        app = make_intake(desk, max_body=settings.max_body, rate=settings.rate, burst=settings.burst, now=self.clock)
        runner = web.AppRunner(app)
        await runner.setup()
        try:
            site = web.TCPSite(runner, "127.0.0.1", 0)
            await site.start()
            self.url = f"http://127.0.0.1:{runner.addresses[0][1]}/reports"
            self._ready.set()
            gate = asyncio.Semaphore(SENDING_AT_ONCE)
            async with ClientSession() as session:
                sending = set()
                for report in self.reports:
                    if await self._stopped_within(self.clock.real_until(report.at)):
                        break
                    task = asyncio.create_task(self._send(session, gate, report))
                    sending.add(task)
                    task.add_done_callback(sending.discard)
                await self._stop.wait()
                for task in list(sending):
                    task.cancel()
                await asyncio.gather(*sending, return_exceptions=True)
        finally:
            await runner.cleanup()
            desk.close()

    async def _stopped_within(self, seconds: float) -> bool:
        assert self._stop is not None
        try:
            await asyncio.wait_for(self._stop.wait(), timeout=seconds) if seconds > 0 else None
        except TimeoutError:
            return False
        return self._stop.is_set()

    async def _send(self, session: Any, gate: asyncio.Semaphore, report: ReportSend) -> None:
        from aiohttp import ClientError

        headers = {"Authorization": f"Bearer {self.tokens[report.observer]}", "Idempotency-Key": report.key}
        sent = self.sent
        async with gate:
            sent.attempted += 1
            while True:
                began = time.perf_counter()
                try:
                    async with session.post(self.url, json=dict(report.body), headers=headers) as answer:
                        body = await answer.json() if answer.status in (201, 429) else None
                        status, wait = answer.status, answer.headers.get("Retry-After", "1")
                except (ClientError, OSError):
                    sent.failed += 1
                    return
                if status != 429:
                    break
                sent.rate_limited += 1
                await asyncio.sleep(float(wait))
            sent.latency_ms.append((time.perf_counter() - began) * 1000)
            if status == 201 and body is not None:
                sent.accepted += 1
                sent.answers[report.key] = (int(body["id"]), int(body["group"]))
            else:
                sent.refused[status] += 1
