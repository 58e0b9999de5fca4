"""How many observer reports `studio bot` takes per second through Telegram, and how soon each is stored.

A measurement, not a test: it prints figures and exits 0 unless a target is
missed or a report is lost (1). It makes a fresh store with OBSERVERS
observers, each bound to a Telegram account with a registered region and
station (so one message is one report, as most are on the day), starts the
fake Bot API (tests/observer_bot/fake_telegram.py) and `studio bot` in
subprocesses of their own, and sends the reports as the observers would:

- turnout hours: BURSTS bursts, each of every observer's report, offered at
  OFFERED per second (the target rate), a quiet second between them;
- the peak: one more burst of every observer's report at once, for the most
  the bot can take (its rate).

Before them, WARM_UP reports as the stations open, counted as sent (lost
must be 0) but not in the figures: the first answers of a fresh bot open
its connections and took ~0.4 s, which is not what the turnout hours see.

Latency is from the update's creation at the fake to the bot's answer naming
the report id there, which the bot sends only after the commit: an upper
bound of update-to-stored. Lost: reports sent minus reports stored (must be
0). The baseline, in the same run: the same reports, at the same offered
rate and then at once, sent as bare `POST /reports` to `studio intake`.

    .venv/bin/python bench/observer_bot.py [OBSERVERS]

Targets: the bot's rate at least 500 reports/s, p99 under 200 ms at the turnout hours, nothing lost.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import secrets
import subprocess
import sys
import tempfile
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from desk_intake import _free_port, _line, _percentile, _stop  # noqa: E402  (bench/ is the script's folder)
from record import figure  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
OBSERVERS = int(sys.argv[1]) if len(sys.argv) > 1 and sys.argv[1].isdigit() else 2000
BURSTS = 3
OFFERED = 500.0
STEP = 0.01  # seconds between the driver's sends at the offered rate
TARGET_RATE, TARGET_P99_MS = 500.0, 200.0
TEXTS = (
    "Явка на 12:00 составила {n}%",
    "Учаске алдында үлкен кезек, шамамен {n} адам",
    "Наблюдателя №{n} выгнали с участка без объяснений",
    "Урна для голосования не опломбирована, {n}",
    "Учаскеде бәрі тыныш, {n}",
)
FIRST_USER = 100_000
WARM_UP = 200
"""Reports sent before the measured bursts, as the stations open: the bot's first answers open its connections."""


# --- the processes ------------------------------------------------------------------------


def _serve_bot(store: str, api: str) -> None:
    from zoneinfo import ZoneInfo

    from studio.store.desk import open_desk
    from studio.telegram.bot import BotSettings, TelegramBot

    settings = BotSettings(api_url=f"{api}/bot", file_url=f"{api}/file/bot", poll_seconds=5)
    bot = TelegramBot(open_desk(Path(store)), os.environ["STUDIO_BOT_TOKEN"], settings, zone=ZoneInfo("Asia/Almaty"))
    asyncio.run(bot.run())


def _serve_intake(store: str, port: int) -> None:
    from aiohttp import web

    from studio.store.desk import open_desk
    from studio.web.intake import make_intake

    app = make_intake(open_desk(Path(store)), rate=0.2, burst=10)  # the bot's defaults: the same limits
    web.run_app(app, host="127.0.0.1", port=port, print=None, access_log=None)


def _start(args: list[str], port: int | None, env: dict[str, str] | None = None) -> subprocess.Popen[bytes]:
    import socket

    process = subprocess.Popen(
        [sys.executable, *args], env=dict(os.environ, PYTHONPATH=str(ROOT), **(env or {})), cwd=ROOT
    )
    deadline = time.monotonic() + 20
    while port is not None and time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return process
        except OSError:
            time.sleep(0.05)
    if port is not None:
        process.kill()
        raise SystemExit(f"the server on port {port} did not start")
    return process


def _make_store(path: Path) -> list[str]:
    """OBSERVERS observers, each with an intake token and a bound Telegram account: their tokens."""
    from studio.machine import utc_now
    from studio.regions import regions
    from studio.store.desk import open_desk
    from studio.store.observers import add_observer
    from studio.store.telegram import issue_code, redeem

    rng = random.Random(20)
    region_ids = list(regions())
    desk = open_desk(path)
    tokens = []
    for n in range(OBSERVERS):
        name = f"observer-{n:04}"
        tokens.append(add_observer(desk.db, name, by="bench", at=utc_now()))
        code = issue_code(desk.db, name, at=utc_now(), valid=timedelta(hours=1))
        state = {"lang": "ru", "step": None, "draft": {}, "home_region": rng.choice(region_ids),
                 "home_station": rng.randint(1, 400)}
        with desk.write():
            redeem(desk.db, code, user_id=FIRST_USER + n, chat_id=FIRST_USER + n, at=utc_now(), state=state)
    desk.close()
    return tokens


# --- the load --------------------------------------------------------------------------------


def _texts(burst: int) -> list[tuple[int, str]]:
    rng = random.Random(burst + 1)
    users = list(range(FIRST_USER, FIRST_USER + OBSERVERS))
    rng.shuffle(users)
    return [(user, rng.choice(TEXTS).format(n=rng.randint(5, 90))) for user in users]


async def _paced(send, items: list, rate: float | None) -> None:
    """``send(chunk)`` for all ``items``: ``rate`` per second in steps of STEP, or all at once (None)."""
    if rate is None:
        await asyncio.gather(*(send(items[n : n + 100]) for n in range(0, len(items), 100)))
        return
    per_step = max(1, round(rate * STEP))
    start, tasks = time.perf_counter(), []
    for step, n in enumerate(range(0, len(items), per_step)):
        await asyncio.sleep(max(0.0, start + step * STEP - time.perf_counter()))
        tasks.append(asyncio.create_task(send(items[n : n + per_step])))
    await asyncio.gather(*tasks)


async def _through_bot(api: str) -> tuple[list[tuple[int, int]], dict]:
    """Send every burst through the fake; (user, update id) in order sent, and the fake's record."""
    import aiohttp

    sent: list[tuple[int, int]] = []
    async with aiohttp.ClientSession() as session:

        async def send(chunk: list[tuple[int, str]]) -> None:
            async with session.post(f"{api}/_fake/messages", json=chunk) as answer:
                sent.extend(zip((user for user, _ in chunk), await answer.json()))

        await _paced(send, _texts(-1)[:WARM_UP], OFFERED)  # the polls open (excluded from the figures, not from lost)
        await _settle(session, api, len(sent))
        warm, sent[:] = list(sent), []
        for burst in range(BURSTS + 1):
            await _paced(send, _texts(burst), OFFERED if burst < BURSTS else None)
            await _settle(session, api, len(warm) + len(sent))
            await asyncio.sleep(1.0)
        sent[:0] = warm
        async with session.post(f"{api}/_fake/acks", json={}) as answer:
            return sent, await answer.json()


async def _settle(session, api: str, expected: int, cap: float = 120.0) -> None:
    """Wait until the bot has answered ``expected`` reports (or the cap: the figures then say what was lost)."""
    deadline = time.monotonic() + cap
    while time.monotonic() < deadline:
        async with session.post(f"{api}/_fake/acks", json={}) as answer:
            record = await answer.json()
        if sum(1 for _, text, _ in record["answers"] if text.startswith("Принято")) >= expected:
            return
        await asyncio.sleep(0.2)


def _bot_figures(sent: list[tuple[int, int]], record: dict) -> tuple[list[list[float]], list[float], int]:
    """Per burst: latencies (s); per burst: elapsed (first update made to last answer); answers naming a report."""
    acks: dict[int, list[float]] = {}
    for chat, text, at in record["answers"]:
        if text.startswith("Принято"):
            acks.setdefault(chat, []).append(at)
    created = {int(k): v for k, v in record["created"].items()}
    seen: dict[int, int] = {}
    latencies: list[list[float]] = [[] for _ in range(BURSTS + 1)]
    spans: list[list[float]] = [[float("inf"), 0.0] for _ in range(BURSTS + 1)]
    for n, (user, update) in enumerate(sent):
        k = seen.get(user, 0)
        seen[user] = k + 1
        burst = (n - WARM_UP) // OBSERVERS
        if burst < 0:
            continue
        spans[burst][0] = min(spans[burst][0], created[update])
        if k < len(acks.get(user, [])):
            latencies[burst].append(acks[user][k] - created[update])
            spans[burst][1] = max(spans[burst][1], acks[user][k])
    return latencies, [end - begin for begin, end in spans], sum(len(v) for v in acks.values())


async def _through_intake(url: str, tokens: list[str]) -> tuple[list[list[float]], list[float], int]:
    """The same bursts as bare POST /reports: per burst latencies and elapsed, and the 201s."""
    import aiohttp

    rng = random.Random(3)
    from studio.regions import regions

    region_ids = list(regions())
    homes = [(rng.choice(region_ids), rng.randint(1, 400)) for _ in tokens]
    latencies: list[list[float]] = [[] for _ in range(BURSTS + 1)]
    spans: list[float] = []
    created = 0
    connector = aiohttp.TCPConnector(limit=256)
    async with aiohttp.ClientSession(connector=connector) as session:
        for burst in range(-1, BURSTS + 1):  # -1: the warm-up, as the bot's

            async def send(chunk: list[tuple[int, str]], burst: int = burst) -> None:
                nonlocal created

                async def one(user: int, text: str) -> None:
                    nonlocal created
                    n = user - FIRST_USER
                    region, station = homes[n]
                    body = {"region": region, "station": station, "kind": "other", "text": text, "channel": "telegram"}
                    headers = {"Authorization": f"Bearer {tokens[n]}", "Idempotency-Key": f"b{burst}-{n}"}
                    began = time.perf_counter()
                    async with session.post(url + "/reports", json=body, headers=headers) as answer:
                        await answer.read()
                        if answer.status == 201:
                            created += 1
                    if burst >= 0:
                        latencies[burst].append(time.perf_counter() - began)

                await asyncio.gather(*(one(user, text) for user, text in chunk))

            began = time.perf_counter()
            await _paced(send, _texts(burst)[:WARM_UP] if burst < 0 else _texts(burst), OFFERED if burst < BURSTS else None)
            if burst >= 0:
                spans.append(time.perf_counter() - began)
            await asyncio.sleep(1.0)
    return latencies, spans, created


def main() -> int:
    from studio.store.desk import open_desk

    token = f"7000000001:{secrets.token_urlsafe(24)}"
    with tempfile.TemporaryDirectory(prefix="studio-bot-bench-") as folder:
        bot_store, intake_store = Path(folder) / "bot" / "studio.db", Path(folder) / "intake" / "studio.db"
        _make_store(bot_store)
        tokens = _make_store(intake_store)
        total = OBSERVERS * (BURSTS + 1) + WARM_UP
        print(f"{OBSERVERS} observers on Telegram; {BURSTS} turnout-hour bursts of {OBSERVERS} reports offered at "
              f"{OFFERED:.0f}/s, then the peak: {OBSERVERS} at once ({total} reports)")

        port = _free_port()
        fake = _start(["-m", "tests.observer_bot.fake_telegram", str(port), token], port)
        api = f"http://127.0.0.1:{port}"
        bot = _start([__file__, "--bot", str(bot_store), api], None, {"STUDIO_BOT_TOKEN": token})
        try:
            sent, record = asyncio.run(_through_bot(api))
        finally:
            _stop(bot)
            _stop(fake)
        latencies, spans, acknowledged = _bot_figures(sent, record)

        port = _free_port()
        intake = _start([__file__, "--intake", str(intake_store), str(port)], port)
        try:
            base_latencies, base_spans, base_created = asyncio.run(_through_intake(f"http://127.0.0.1:{port}", tokens))
        finally:
            _stop(intake)

        desk = open_desk(bot_store)
        stored = desk.db.execute("SELECT COUNT(*) FROM report WHERE channel = 'telegram'").fetchone()[0]
        desk.close()

    hours = [x for burst in latencies[:BURSTS] for x in burst]
    base_hours = [x for burst in base_latencies[:BURSTS] for x in burst]
    print("at the turnout hours (offered 500/s):")
    _line("  baseline POST /reports", len(base_hours), base_hours, sum(base_spans[:BURSTS]))
    _, p99 = _line("  studio bot", sum(len(b) for b in latencies[:BURSTS]), hours, sum(spans[:BURSTS]))
    print("the peak (all at once):")
    base_rate, _ = _line("  baseline POST /reports", OBSERVERS, base_latencies[BURSTS], base_spans[BURSTS])
    rate, _ = _line("  studio bot", len(latencies[BURSTS]), latencies[BURSTS], spans[BURSTS])
    p50 = _percentile(hours, 0.5) * 1000
    print(f"sent {len(sent)} reports through Telegram; stored {stored}; answered with their id {acknowledged}; "
          f"baseline: {base_created} of {total} answered 201")
    verdicts = [
        (rate >= TARGET_RATE, f"rate {rate:.0f}/s >= {TARGET_RATE:.0f}/s"),
        (p99 < TARGET_P99_MS, f"p99 {p99:.1f} ms < {TARGET_P99_MS:.0f} ms at the turnout hours (p50 {p50:.1f} ms)"),
        (stored == len(sent), f"lost: {len(sent) - stored} (sent {len(sent)}, stored {stored})"),
    ]
    for passed, text in verdicts:
        print(("ok    " if passed else "MISSED ") + text)
    base_p99 = _percentile(base_hours, 0.99) * 1000
    figure("observer_bot", "p99", p99, base_p99, "ms", target=f"under {TARGET_P99_MS:.0f} ms", met=p99 < TARGET_P99_MS)
    figure("observer_bot", "seconds_per_report", 1 / rate if rate else float("inf"), 1 / base_rate, "s",
           target=f"{TARGET_RATE:.0f}/s", met=rate >= TARGET_RATE)
    return 0 if all(passed for passed, _ in verdicts) else 1


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--bot":
        _serve_bot(sys.argv[2], sys.argv[3])
    elif len(sys.argv) > 1 and sys.argv[1] == "--intake":
        _serve_intake(sys.argv[2], int(sys.argv[3]))
    else:
        raise SystemExit(main())
