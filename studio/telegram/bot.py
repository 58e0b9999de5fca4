"""``studio bot``: observers report through Telegram (python-telegram-bot's ``Bot``, long polling).

One loop: ``getUpdates`` from the offset after the last update the store
holds, turn each update into a step of the conversation (studio/telegram/
dialogue.py), then write, in ONE transaction, the reports those steps made
(through the intake's own ``make_send``/``write_sends``: the same checks,
keys and grouping as ``POST /reports``), the conversations and the last
update id. Only after the commit are the answers sent. A restart therefore
starts after the last committed update: an update that was being processed
is processed again, one that was committed is never processed twice.

Registration: ``/start CODE`` (the link ``studio observers add`` prints)
binds the account to the observer's token. The bindings are read from the
store on every batch and checked again inside the write, so revoking an
observer stops the bot taking anything from them at the next update.

Outages: a 429 waits Telegram's ``retry_after``; a network failure, a
timeout, a 5xx or a 409 (another poller) is retried with backoff; each is
published as the ``telegram`` health snapshot (studio/store/health.py) that
the console and ``GET /state`` read. A 401 (a bad token) stops the bot.

The token is in the environment only. It is part of every Bot API URL, so
the HTTP libraries' request logs are silenced and every log record, health
detail and error this module writes goes through ``Redactor``.
"""

from __future__ import annotations

import asyncio
import logging
import math
import os
import sqlite3
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import datetime, timedelta, tzinfo
from typing import Any

# python-telegram-bot 22 deprecates an int ``retry_after``; opt in to the timedelta of its next major version
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Bot, InlineKeyboardButton, InlineKeyboardMarkup, Update  # noqa: E402
from telegram.error import Conflict, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut  # noqa: E402

from studio.desk import media
from studio.desk.grouping import GroupingOptions
from studio.desk.ids import report_label
from studio.desk.report_body import ReportRefused, Send, make_send, write_sends
from studio.errors import Kind, StudioError
from studio.i18n import Catalogue, Msg
from studio.machine import utc_now
from studio.store.desk import DeskStore
from studio.store.health import HEARTBEAT, Publisher
from studio.store.intake import DeskError
from studio.store.telegram import (
    HEALTH_SOURCE,
    Binding,
    bindings,
    last_audit,
    position,
    redeem,
    reports_since,
    save_position,
    save_states,
    verdicts_since,
)
from studio.telegram import dialogue
from studio.telegram.dialogue import Incoming, Reply, Turn
from studio.telegram.transport import AiohttpRequest
from studio.up.supervisor import backoff
from studio.web.intake import TokenBuckets

log = logging.getLogger("studio.telegram")

BATCH_FILE = "telegram: studio bot"
"""The import_batch file of reports that came through the bot."""
SEND_ATTEMPTS = 5
"""Tries of one answer through 429s and network failures before it is given up (logged)."""


class BotStopped(StudioError):
    """The bot cannot go on (a refused token): the message says what to do; it never holds the token."""

    kind = Kind.REFUSED


class Redactor(logging.Filter):
    """Replaces the token wherever it would be written: log records (their arguments too) and texts."""

    def __init__(self, token: str) -> None:
        super().__init__()
        self.token = token

    def text(self, value: object) -> str:
        return str(value).replace(self.token, "***") if self.token else str(value)

    def filter(self, record: logging.LogRecord) -> bool:
        said = record.getMessage()
        if record.exc_info and record.exc_info[1] is not None:  # a traceback prints the error's text: say it here
            said = f"{said}: {type(record.exc_info[1]).__name__}: {record.exc_info[1]}"
            record.exc_info, record.exc_text = None, None
        record.msg, record.args = self.text(said), None
        return True

    def install(self) -> None:
        """On the handlers of the root logger (every record reaches them) and the HTTP libraries' loggers,
        whose request lines carry the URL, and so the token: those are kept to warnings."""
        for handler in logging.getLogger().handlers:
            handler.addFilter(self)
        for name in ("httpx", "httpcore", "telegram", "studio.telegram"):
            logger = logging.getLogger(name)
            logger.addFilter(self)
            if name != "studio.telegram":
                logger.setLevel(logging.WARNING)


@dataclass(frozen=True)
class BotSettings:
    """What the bot needs of ``[bot]`` (studio/config.py ``Bot``)."""

    api_url: str = "https://api.telegram.org/bot"
    file_url: str = "https://api.telegram.org/file/bot"
    poll_seconds: int = 25
    rate: float = 0.2
    burst: int = 10
    max_file_mb: int = 20
    notify_verdicts: bool = True

    @classmethod
    def of(cls, config: Any) -> BotSettings:
        return cls(**{name: getattr(config, name) for name in cls.__dataclass_fields__})


@dataclass
class _Pending:
    """One update's outcome before the commit: what to answer, and the report it sends (index in sends)."""

    chat_id: int
    replies: list[Reply]
    language: str
    send: int | None = None
    free: bool = False
    callback: str | None = None  # a callback query to answer


class TelegramBot:
    """The polling loop, the conversations and the one store writer of ``studio bot``."""

    def __init__(
        self,
        store: DeskStore,
        token: str,
        settings: BotSettings = BotSettings(),
        *,
        zone: tzinfo,
        grouping: GroupingOptions = GroupingOptions(),
        now: Callable[[], datetime] = utc_now,
        monotonic: Callable[[], float] = time.monotonic,
        pool: int = 64,
    ) -> None:
        self.store, self.settings, self.zone, self.grouping, self.now = store, settings, zone, grouping, now
        self.redactor = Redactor(token)
        self.redactor.install()  # before the Bot: building it logs its URLs, the token in them, at DEBUG
        self.buckets = TokenBuckets(settings.rate, settings.burst, monotonic)
        self.executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="bot-store")
        self.health = Publisher(store.db, HEALTH_SOURCE, volatile=("updates",))
        self.bot = Bot(
            token,
            base_url=settings.api_url,
            base_file_url=settings.file_url,
            request=AiohttpRequest(connections=pool, read_timeout=30.0),
            get_updates_request=AiohttpRequest(connections=1, read_timeout=settings.poll_seconds + 10.0),
        )
        self.last_update, self.last_audit = 0, 0
        self.sending: set[asyncio.Task[None]] = set()  # answers on their way
        self.tails: dict[int, asyncio.Task[None]] = {}  # each chat's last answer task: the next one waits for it
        self.updates = 0
        self.failures = 0
        self.said: tuple[str, str, float | None] = ("starting", "", None)  # the health last published

    # --- the store, on its one thread ----------------------------------------

    async def _db(self, function: Callable[[], Any]) -> Any:
        return await asyncio.get_running_loop().run_in_executor(self.executor, function)

    async def _publish(self, state: str, reason: str = "", retry_s: float | None = None) -> None:
        self.said = (state, reason, retry_s)
        detail = {"state": state, "reason": self.redactor.text(reason), "retry_s": retry_s, "updates": self.updates}
        try:
            await self._db(lambda: self.health.offer(detail, self.now()))
        except sqlite3.Error as error:
            log.warning("cannot publish the bot's health: %s", error)

    async def _heartbeat(self, stop: asyncio.Event) -> None:
        """The last health said again every HEARTBEAT seconds: a quiet long poll (``poll_seconds``, 25 s) is
        no dead bot to the console and ``GET /state`` (a snapshot three heartbeats old is stale)."""
        while not stop.is_set():
            try:
                await asyncio.wait_for(stop.wait(), HEARTBEAT)
            except TimeoutError:
                await self._publish(*self.said)

    # --- the loop ---------------------------------------------------------------

    async def run(self, stop: asyncio.Event | None = None) -> None:
        """Poll until ``stop`` is set (or forever). Raises BotStopped when Telegram refuses the token."""
        stop = stop or asyncio.Event()
        self.last_update, self.last_audit = await self._db(lambda: position(self.store.db))
        await self._publish("starting")
        heartbeat = asyncio.ensure_future(self._heartbeat(stop))
        reason = ""
        try:
            await self._guarded(self.bot.initialize, stop)
            while not stop.is_set():
                updates = await self._guarded(self._poll, stop)
                if updates is None:
                    break
                if updates:
                    await self.handle(updates)
                if self.settings.notify_verdicts:
                    await self._guarded(self._tell_verdicts, stop)
        except BotStopped:
            reason = "token_refused"
            raise
        finally:
            heartbeat.cancel()
            if self.sending:  # answers of committed reports still go out, unless the bot is cancelled
                await asyncio.gather(*self.sending, return_exceptions=True)
            await self._publish("stopped", reason)
            try:
                await self.bot.shutdown()
            except TelegramError:
                pass
            self.executor.shutdown(wait=True)

    async def _poll(self) -> Sequence[Update]:
        return await self.bot.get_updates(
            offset=self.last_update + 1,
            timeout=self.settings.poll_seconds,
            allowed_updates=["message", "callback_query"],
        )

    async def _guarded(self, call: Callable[[], Any], stop: asyncio.Event) -> Any:
        """``call()`` retried through Telegram's outages; None when stopped meanwhile."""
        while not stop.is_set():
            try:
                result = await call()
            except InvalidToken:
                raise BotStopped(Msg("bot.error.token_refused")) from None
            except RetryAfter as error:
                wait = _seconds(error.retry_after)
                await self._outage("rate_limited", wait, stop)
            except Conflict:
                self.failures += 1
                await self._outage("another_poller", backoff(self.failures + 1), stop)
            except (NetworkError, TimedOut) as error:  # TimedOut is a NetworkError; 5xx arrive as NetworkError
                self.failures += 1
                await self._outage(f"network: {type(error).__name__}", backoff(self.failures + 1), stop)
            else:
                if self.failures:
                    self.failures = 0
                await self._publish("polling")
                return result
        return None

    async def _outage(self, reason: str, wait: float, stop: asyncio.Event) -> None:
        log.warning("telegram: %s; retrying in %.1f s", reason, wait)
        await self._publish("retrying", reason, wait)
        try:
            await asyncio.wait_for(stop.wait(), wait)
        except TimeoutError:
            pass

    # --- one batch of updates -------------------------------------------------------

    async def handle(self, updates: Sequence[Update]) -> None:
        """Process ``updates`` (those after the stored offset), commit, then answer."""
        fresh = [u for u in updates if u.update_id > self.last_update]
        start = 0
        for n, update in enumerate(fresh):  # a registration is committed on its own: later updates see it
            if _start_code(update):
                await self._segment(fresh[start:n])
                await self._register(update)
                start = n + 1
        await self._segment(fresh[start:])

    async def _segment(self, updates: Sequence[Update]) -> None:
        if not updates:
            return
        users = {u.effective_user.id for u in updates if u.effective_user is not None}
        known: dict[int, Binding] = await self._db(lambda: bindings(self.store.db, users))
        states = {user: dict(binding.state) for user, binding in known.items()}
        sends: list[Send] = []
        pending: list[_Pending] = []
        for update in updates:
            found = await self._step(update, known, states, sends)
            if found is not None:
                pending.append(found)
        last = updates[-1].update_id
        changed = {user: states[user] for user in states if user in users}

        def commit() -> list[tuple[str, Any]]:
            def keep() -> None:
                save_states(self.store.db, changed)
                save_position(self.store.db, last, self.last_audit)

            return write_sends(self.store, sends, at=self.now(), grouping=self.grouping, file=BATCH_FILE, by="bot", then=keep)

        outcomes = await self._db(commit)
        self.last_update = last
        self.updates += len(updates)
        await self._answer(pending, outcomes)

    async def _step(
        self, update: Update, known: dict[int, Binding], states: dict[int, dict[str, Any]], sends: list[Send]
    ) -> _Pending | None:
        user, chat = update.effective_user, update.effective_chat
        if user is None or chat is None or chat.type != "private":
            return None  # channels, groups, edits: nothing for the desk
        query = update.callback_query
        binding = known.get(user.id)
        language = states[user.id]["lang"] if user.id in states else dialogue.language_of(user.language_code)
        answer = _Pending(chat.id, [], language, callback=query.id if query else None)
        if binding is None or not binding.active:
            key = "bot.revoked" if binding is not None else "bot.unknown"
            answer.replies.append(Reply(Catalogue(language).t(key)))
            if binding is not None:
                states[user.id] = dialogue.new_state(language)  # the draft of a revoked observer goes
            return answer
        came = await self._incoming(update, states[user.id], answer)
        if came is None:
            return answer
        if came.what == "command" and came.name == "status":
            answer.replies.append(await self._status(binding.observer, language))
            return answer
        turn: Turn = dialogue.step(states[user.id], came)
        answer.replies += turn.replies
        answer.language = turn.state.get("lang", language)
        if turn.report is None:
            states[user.id] = turn.state
            return answer
        wait = self.buckets.take(binding.observer)
        if wait:
            states[user.id] = dialogue.held(turn.state)
            answer.replies.append(Reply(Catalogue(answer.language).t("bot.rate", seconds=max(1, math.ceil(wait)))))
            return answer
        try:
            send = make_send(turn.report, binding.observer, self.now(), key=f"telegram-{update.update_id}", token=binding.token)
        except ReportRefused as refused:
            states[user.id] = dialogue.held(turn.state)
            said = "; ".join(p.message.render(answer.language) for p in refused.problems)
            answer.replies.append(Reply(Catalogue(answer.language).t("bot.refused", problems=said)))
            return answer
        states[user.id] = dialogue.stored(turn.state)
        answer.send, answer.free = len(sends), dialogue.needs_details(turn.report)
        sends.append(send)
        return answer

    async def _incoming(self, update: Update, state: dict[str, Any], answer: _Pending) -> Incoming | None:
        """What the observer did, its media saved; None (with the reason in ``answer``) when it cannot be taken."""
        if update.callback_query is not None:
            return Incoming("button", update.callback_query.data or "")
        message = update.message
        if message is None:
            return None
        if message.location is not None:
            return Incoming("location", text=f"geo:{message.location.latitude},{message.location.longitude}")
        if message.text is not None:
            if message.text.startswith("/"):
                command, _, argument = message.text[1:].partition(" ")
                return Incoming("command", command.split("@")[0].lower(), argument.strip())
            return Incoming("text", text=message.text)
        found = _media(message)
        if found is None:
            answer.replies.append(Reply(Catalogue(answer.language).t("bot.media.unsupported")))
            return None
        file_id, size = found
        try:
            limit = self.settings.max_file_mb * 1024 * 1024
            media.refuse_size(size, limit)  # Telegram's size, when it says one: nothing downloaded over the limit
            data = bytes(await (await self.bot.get_file(file_id)).download_as_bytearray())
            shared = bool((state.get("draft") or {}).get("location"))
            path = await self._db(lambda: media.keep(data, self.store.files, max_bytes=limit, location_shared=shared))
        except media.MediaRefused as refused:
            answer.replies.append(Reply(refused.render(answer.language)))
            return None
        return Incoming("media", text=message.caption or "", path=path)

    async def _status(self, observer: str, language: str) -> Reply:
        today = datetime.combine(self.now().astimezone(self.zone).date(), datetime.min.time(), self.zone)
        found = await self._db(lambda: reports_since(self.store.db, observer, today))
        say = Catalogue(language).t
        if not found:
            return Reply(say("bot.status.none"))
        lines = [
            say("bot.status.line", report=report_label(i), kind=say(f"bot.kind.{kind}"), status=say(f"bot.desk.{status or 'queued'}"))
            for i, kind, status in found
        ]
        return Reply(say("bot.status.head", count=len(found)) + "\n" + "\n".join(lines))

    async def _register(self, update: Update) -> None:
        user, chat, code = update.effective_user, update.effective_chat, _start_code(update)
        assert user is not None and chat is not None and code
        language = dialogue.language_of(user.language_code)
        state = dialogue.new_state(language)

        def bind() -> str | Msg:
            with self.store.write():
                try:
                    name: str | Msg = redeem(self.store.db, code, user_id=user.id, chat_id=chat.id, at=self.now(), state=state)
                except DeskError as refused:
                    name = refused.message
                save_position(self.store.db, update.update_id, self.last_audit)
            return name

        outcome = await self._db(bind)
        self.last_update = update.update_id
        say = Catalogue(language).t
        if isinstance(outcome, Msg):
            replies = [Reply(outcome.render(language))]
        else:
            replies = [Reply(say("bot.bound", name=outcome)), Reply(say("bot.ask.language"), dialogue.language_buttons())]
        self._queue(chat.id, replies)

    # --- answers ---------------------------------------------------------------------

    async def _answer(self, pending: list[_Pending], outcomes: list[tuple[str, Any]]) -> None:
        by_chat: dict[int, list[Reply]] = {}
        callbacks: list[str] = []
        for item in pending:
            replies = list(item.replies)
            if item.send is not None:
                kind, detail = outcomes[item.send]
                say = Catalogue(item.language).t
                if kind in ("created", "replay"):  # the id, with what to do next: one message
                    key = "bot.stored_free" if item.free else "bot.stored"
                    menu = dialogue.menu({"lang": item.language}).buttons
                    replies.insert(0, Reply(say(key, report=report_label(detail["id"])), menu))
                else:  # revoked between the look and the write
                    replies.append(Reply(say("bot.revoked")))
            by_chat.setdefault(item.chat_id, []).extend(replies)
            if item.callback:
                callbacks.append(item.callback)
        for chat, replies in by_chat.items():
            self._queue(chat, replies)
        for callback in callbacks:
            self._spawn(self._retrying(lambda c=callback: self.bot.answer_callback_query(c)))

    def _spawn(self, work: Any) -> asyncio.Task[None]:
        task = asyncio.ensure_future(work)
        self.sending.add(task)
        task.add_done_callback(self.sending.discard)
        return task

    def _queue(self, chat_id: int, replies: Sequence[Reply]) -> None:
        """Send ``replies`` after the chat's earlier answers, while the loop goes on to the next updates: the
        answers of one batch go out as the next one is read and written (each chat's in order)."""
        before = self.tails.get(chat_id)

        async def after() -> None:
            if before is not None:
                await asyncio.shield(before)
            await self._send_all(chat_id, replies)

        task = self._spawn(after())
        self.tails[chat_id] = task
        task.add_done_callback(lambda done: self.tails.pop(chat_id, None) if self.tails.get(chat_id) is done else None)

    async def _send_all(self, chat_id: int, replies: Sequence[Reply]) -> None:
        """One chat's answers, in order."""
        for reply in replies:
            markup = (
                InlineKeyboardMarkup([[InlineKeyboardButton(label, callback_data=data) for label, data in row] for row in reply.buttons])
                if reply.buttons
                else None
            )
            await self._retrying(lambda: self.bot.send_message(chat_id, reply.text, reply_markup=markup))

    async def _retrying(self, call: Callable[[], Any]) -> None:
        """One answer, through 429s and short outages; given up (and logged) after SEND_ATTEMPTS."""
        for attempt in range(1, SEND_ATTEMPTS + 1):
            try:
                await call()
                return
            except RetryAfter as error:
                await asyncio.sleep(_seconds(error.retry_after))
            except Forbidden:  # the observer blocked the bot: nothing to tell them
                return
            except (NetworkError, TimedOut) as error:
                if attempt == SEND_ATTEMPTS:
                    log.warning("telegram: an answer was not delivered: %s", self.redactor.text(type(error).__name__))
                    return
                await asyncio.sleep(backoff(attempt + 1))
            except TelegramError as error:  # a refused message (a chat gone): the report is stored all the same
                log.warning("telegram: an answer was refused: %s", self.redactor.text(error))
                return

    # --- verdicts --------------------------------------------------------------------

    async def _tell_verdicts(self) -> None:
        """Tell bound observers the verdicts given since the last look, then move the mark past them."""
        def look() -> tuple[int, list[tuple[int, int, str, int, int]], dict[int, Binding]]:
            newest = last_audit(self.store.db)
            if newest <= self.last_audit:
                return newest, [], {}
            found = verdicts_since(self.store.db, self.last_audit)
            return newest, found, bindings(self.store.db, {row[4] for row in found})

        newest, found, known = await self._db(look)
        if newest <= self.last_audit:
            return
        by_chat: dict[int, list[Reply]] = {}
        for _, fact_id, status, report_id, user in found:
            binding = known.get(user)
            if binding is None or not binding.active:
                continue
            say = Catalogue(binding.state.get("lang", "ru")).t
            text = say("bot.verdict", report=report_label(report_id), status=say(f"bot.desk.{status}"))
            by_chat.setdefault(binding.chat_id, []).append(Reply(text))
        for chat, replies in by_chat.items():
            self._queue(chat, replies)
        self.last_audit = newest

        def keep() -> None:
            with self.store.write():
                save_position(self.store.db, self.last_update, newest)

        await self._db(keep)


def _seconds(retry_after: int | timedelta) -> float:
    return retry_after.total_seconds() if isinstance(retry_after, timedelta) else float(retry_after)


def _start_code(update: Update) -> str | None:
    message = update.message
    if message is None or not message.text or update.effective_chat is None or update.effective_chat.type != "private":
        return None
    command, _, code = message.text.partition(" ")
    return code.strip() or None if command.split("@")[0] == "/start" else None


def _media(message: Any) -> tuple[str, int | None] | None:
    """(file id, size) of a message's photo (its largest size), video or document; its type is read from what
    is downloaded (studio/desk/media.py), never from what Telegram declares."""
    if message.photo:
        largest = message.photo[-1]
        return largest.file_id, largest.file_size
    for item in (message.video, message.document):
        if item is not None:
            return item.file_id, item.file_size
    return None
