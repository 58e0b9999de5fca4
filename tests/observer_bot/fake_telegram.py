"""A fake Telegram Bot API for the real python-telegram-bot: the subset ``studio bot`` uses.

aiohttp on 127.0.0.1, in a thread of its own (tests) or a process of its own
(the load benchmark, ``python -m tests.observer_bot.fake_telegram PORT TOKEN``).
The bot under test reaches it through ``base_url``/``base_file_url``, so every
call is real HTTP through the library: ``getMe``, ``getUpdates`` (long
polling, offsets confirm updates as Telegram's do), ``sendMessage`` (a reply
only to a message that exists), ``answerCallbackQuery``, ``getFile`` and the
file download; for the centre's channel (``channel``: one the bot administers,
or is only a member of), ``sendPhoto`` (caption at most 1,024 characters) and
``editMessageCaption`` (of a post that exists; the same caption again is
Telegram's "message is not modified"). Error shapes are
Telegram's: ``{"ok": false, "error_code", "description", "parameters"}`` with
429 + ``retry_after``, 409 when a second ``getUpdates`` runs beside the first,
401 for a token it does not know (core.telegram.org/bots/api#making-requests).

Observers act through ``message``, ``press``, ``photo``, ``document`` and
``location``; what the bot answered is in ``sent`` (each with the monotonic
time it arrived, for the benchmark's latency). ``fail(method, status, ...)``
makes the next calls of a method fail.
"""

from __future__ import annotations

import asyncio
import json
import secrets
import socket
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Self

from aiohttp import web

BOT_ID = 7000000001
BOT_NAME = "studio_test_bot"


@dataclass
class Sent:
    chat_id: int | str  # a user's chat, or a channel's @username
    text: str  # a photo's caption
    buttons: list[list[dict[str, Any]]]
    at: float  # time.monotonic() when it arrived
    message_id: int
    reply_to: int | None = None
    photo: bytes | None = None


@dataclass
class Failure:
    status: int
    description: str
    times: int
    retry_after: int | None = None


@dataclass
class _State:
    updates: list[dict[str, Any]] = field(default_factory=list)
    history: list[dict[str, Any]] = field(default_factory=list)  # every update ever made, confirmed or not
    next_update: int = 1
    next_message: int = 1
    sent: list[Sent] = field(default_factory=list)
    answered: list[str] = field(default_factory=list)
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # file_id -> (file_path, bytes)
    failures: dict[str, list[Failure]] = field(default_factory=dict)
    polling: int = 0  # getUpdates requests in flight
    calls: list[str] = field(default_factory=list)
    created: dict[int, float] = field(default_factory=dict)  # update id -> monotonic time it was made
    hold_files: bool = False  # downloads wait until released (a bot stopped mid-update)
    channels: dict[str, int] = field(default_factory=dict)  # @username -> its id, for channels the bot may post to
    members: set[str] = field(default_factory=set)  # channels the bot is in without the right to post
    edits: list[tuple[int | str, int, str]] = field(default_factory=list)  # (chat, message id, new caption)


class FakeTelegram:
    """The fake server. Thread-safe for the test's thread: every change runs on the server's loop."""

    def __init__(self, token: str | None = None) -> None:
        self.token = token or f"{BOT_ID}:{secrets.token_urlsafe(24)}"
        self.state = _State()
        self.port = 0
        self._loop: asyncio.AbstractEventLoop | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self._arrived: asyncio.Event | None = None
        self._released: asyncio.Event | None = None

    # --- serving --------------------------------------------------------------------

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/bot"

    @property
    def file_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/file/bot"

    def app(self) -> web.Application:
        app = web.Application(client_max_size=64 * 1024 * 1024)
        app.router.add_route("*", "/bot{token}/{method}", self._method)
        app.router.add_get("/file/bot{token}/{path:.+}", self._file)
        app.router.add_post("/_fake/{action}", self._control)  # the benchmark's driver, from another process

        async def events(app: web.Application) -> None:
            self._arrived, self._released = asyncio.Event(), asyncio.Event()

        app.on_startup.append(events)
        return app

    def start(self) -> Self:
        self._socket = socket.socket()
        self._socket.bind(("127.0.0.1", 0))
        self.port = self._socket.getsockname()[1]
        ready = threading.Event()
        self._thread = threading.Thread(target=self._serve, args=(ready,), name="fake-telegram", daemon=True)
        self._thread.start()
        if not ready.wait(10):
            raise RuntimeError("fake Telegram did not start within 10 s")
        return self

    def _serve(self, ready: threading.Event) -> None:
        loop = asyncio.new_event_loop()
        asyncio.set_event_loop(loop)
        self._loop = loop
        runner = web.AppRunner(self.app(), access_log=None)
        loop.run_until_complete(runner.setup())
        assert self._socket is not None
        loop.run_until_complete(web.SockSite(runner, self._socket).start())
        ready.set()
        loop.run_forever()
        loop.run_until_complete(runner.cleanup())
        loop.close()

    def stop(self) -> None:
        if self._loop is not None and self._thread is not None:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(10)

    def __enter__(self) -> Self:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()

    def _on_loop(self, function: Callable[[], Any]) -> Any:
        """Run ``function`` on the server's loop and wait for its result (from the test's thread)."""
        if self._thread is None or threading.current_thread() is self._thread:  # its own process, or its loop
            return function()
        done = threading.Event()
        box: list[Any] = []
        self._loop.call_soon_threadsafe(lambda: (box.append(function()), done.set()))
        done.wait(10)
        return box[0]

    def reset(self) -> None:
        def clear() -> None:
            self.state = _State()
            if self._released is not None:
                self._released.set()

        self._on_loop(clear)

    # --- what observers do --------------------------------------------------------------

    def _push(self, user: int, kind: str, payload: dict[str, Any], language: str = "ru") -> int:
        def push() -> int:
            state = self.state
            update_id = state.next_update
            state.next_update += 1
            who = {"id": user, "is_bot": False, "first_name": f"Observer {user}", "language_code": language}
            if kind == "callback_query":
                body = {"id": f"cb{update_id}", "from": who, "chat_instance": str(user), **payload}
                body["message"] = {
                    "message_id": payload.pop("message_id", 1), "date": int(time.time()),
                    "chat": {"id": user, "type": "private"}, "text": "…",
                    "from": {"id": BOT_ID, "is_bot": True, "first_name": "bot"},
                }
                body.pop("message_id", None)
            else:
                body = {
                    "message_id": 10_000 + update_id, "date": int(time.time()),
                    "chat": {"id": user, "type": "private", "first_name": who["first_name"]}, "from": who, **payload,
                }
            state.updates.append({"update_id": update_id, kind: body})
            state.history.append(state.updates[-1])
            state.created[update_id] = time.monotonic()
            assert self._arrived is not None
            self._arrived.set()
            return update_id

        return self._on_loop(push)

    def message(self, user: int, text: str, *, language: str = "ru") -> int:
        entities = [{"type": "bot_command", "offset": 0, "length": len(text.split(" ")[0])}] if text.startswith("/") else []
        return self._push(user, "message", {"text": text, **({"entities": entities} if entities else {})}, language)

    def press(self, user: int, data: str) -> int:
        return self._push(user, "callback_query", {"data": data})

    def location(self, user: int, latitude: float, longitude: float) -> int:
        return self._push(user, "message", {"location": {"latitude": latitude, "longitude": longitude}})

    def _add_file(self, data: bytes, suffix: str) -> tuple[str, str, int]:
        file_id = "F" + secrets.token_hex(8)
        path = f"files/{file_id}{suffix}"
        self._on_loop(lambda: self.state.files.__setitem__(file_id, (path, data)))
        return file_id, path, len(data)

    def photo(self, user: int, data: bytes, caption: str | None = None) -> int:
        file_id, _, size = self._add_file(data, ".jpg")
        sizes = [
            {"file_id": file_id + "s", "file_unique_id": "us", "width": 90, "height": 60, "file_size": 100},
            {"file_id": file_id, "file_unique_id": "u" + file_id, "width": 1280, "height": 853, "file_size": size},
        ]
        return self._push(user, "message", {"photo": sizes, **({"caption": caption} if caption else {})})

    def document(self, user: int, data: bytes, mime: str, name: str, caption: str | None = None) -> int:
        file_id, _, size = self._add_file(data, "." + name.rsplit(".", 1)[-1])
        document = {"file_id": file_id, "file_unique_id": "u" + file_id, "file_name": name, "mime_type": mime, "file_size": size}
        return self._push(user, "message", {"document": document, **({"caption": caption} if caption else {})})

    def fail(self, method: str, status: int, description: str, *, times: int = 1, retry_after: int | None = None) -> None:
        """The next ``times`` calls of ``method`` answer ``status`` the way Telegram does."""
        failure = Failure(status, description, times, retry_after)
        self._on_loop(lambda: self.state.failures.setdefault(method, []).append(failure))

    def redeliver_all(self) -> None:
        """Offer every update again, confirmed or not: Telegram that never got the confirming offset."""
        self._on_loop(lambda: setattr(self.state, "updates", list(self.state.history)))

    def hold_files(self, held: bool) -> None:
        """While held, file downloads wait: a bot stopped then is stopped in the middle of an update."""
        def hold() -> None:
            self.state.hold_files = held
            assert self._released is not None
            (self._released.clear if held else self._released.set)()

        self._on_loop(hold)

    # --- what the bot sees ---------------------------------------------------------------

    def channel(self, name: str, *, admin: bool = True) -> None:
        """A channel ``@name``: the bot is its administrator (it may post), or only a member (403)."""
        def add() -> None:
            if admin:
                self.state.channels[name] = -1001000000000 - len(self.state.channels)
            else:
                self.state.members.add(name)

        self._on_loop(add)

    def edits(self) -> list[tuple[int | str, int, str]]:
        return self._on_loop(lambda: list(self.state.edits))

    def sent_to(self, chat_id: int | str) -> list[Sent]:
        return self._on_loop(lambda: [s for s in self.state.sent if s.chat_id == chat_id])

    def texts(self, chat_id: int) -> list[str]:
        return [s.text for s in self.sent_to(chat_id)]

    def pending(self) -> int:
        """Updates not yet confirmed by an offset."""
        return self._on_loop(lambda: len(self.state.updates))

    def calls(self) -> list[str]:
        return self._on_loop(lambda: list(self.state.calls))

    # --- the Bot API ---------------------------------------------------------------------

    async def _params(self, request: web.Request) -> dict[str, Any]:
        if request.content_type == "application/json":
            return await request.json()
        form = await request.post()
        params: dict[str, Any] = {}
        for key, value in form.items():  # PTB posts a form; objects and arrays in it are JSON
            if isinstance(value, str):
                params[key] = json.loads(value) if value[:1] in ("{", "[") else value
            elif isinstance(value, web.FileField):  # an uploaded file (sendPhoto): its bytes
                params[key] = value.file.read()
        return params | dict(request.query)

    async def _method(self, request: web.Request) -> web.Response:
        method = request.match_info["method"]
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        state = self.state
        state.calls.append(method)
        params = await self._params(request)
        failures = state.failures.get(method)
        if failures:
            failure = failures[0]
            failure.times -= 1
            if failure.times <= 0:
                failures.pop(0)
            extra = {"retry_after": failure.retry_after} if failure.retry_after is not None else None
            return _error(failure.status, failure.description, extra)
        handler = getattr(self, "_" + method, None)
        if handler is None:
            return _error(404, "Not Found: method not found")
        return await handler(params)

    async def _getMe(self, params: dict[str, Any]) -> web.Response:
        return _ok({"id": BOT_ID, "is_bot": True, "first_name": "Studio", "username": BOT_NAME,
                    "can_join_groups": False, "can_read_all_group_messages": False, "supports_inline_queries": False})

    async def _getUpdates(self, params: dict[str, Any]) -> web.Response:
        state = self.state
        if state.polling:
            return _error(409, "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running")
        offset = int(params.get("offset") or 0)
        limit = max(1, min(100, int(params.get("limit") or 100)))
        timeout = float(params.get("timeout") or 0)
        if offset:
            state.updates = [u for u in state.updates if u["update_id"] >= offset]  # confirmed: forgotten
        state.polling += 1
        try:
            deadline = time.monotonic() + timeout
            assert self._arrived is not None
            while not state.updates and time.monotonic() < deadline:
                self._arrived.clear()
                try:
                    await asyncio.wait_for(self._arrived.wait(), deadline - time.monotonic())
                except TimeoutError:
                    break
            return _ok(state.updates[:limit])
        finally:
            state.polling -= 1

    def _chat(self, given: Any) -> tuple[int | str, dict[str, Any]] | web.Response:
        """The chat a method names, as Telegram finds it: a user's chat by id, or a channel the bot may post to."""
        name = str(given)
        if not name.startswith("@"):
            return int(name), {"id": int(name), "type": "private"}
        if name in self.state.members:
            return _error(403, "Forbidden: need administrator rights in the channel chat")
        if name not in self.state.channels:
            return _error(400, "Bad Request: chat not found")
        return name, {"id": self.state.channels[name], "type": "channel", "title": name[1:], "username": name[1:]}

    def _message(self, chat: dict[str, Any], sent: Sent) -> web.Response:
        body: dict[str, Any] = {"message_id": sent.message_id, "date": int(time.time()), "chat": chat}
        if chat["type"] == "private":
            body["from"] = {"id": BOT_ID, "is_bot": True, "first_name": "Studio", "username": BOT_NAME}
        if sent.photo is not None:
            body["photo"] = [{"file_id": f"P{sent.message_id}", "file_unique_id": f"uP{sent.message_id}",
                              "width": 1080, "height": 1080, "file_size": len(sent.photo)}]
            body["caption"] = sent.text
        else:
            body["text"] = sent.text
        if sent.reply_to is not None:
            body["reply_to_message"] = {"message_id": sent.reply_to, "date": int(time.time()), "chat": chat}
        return _ok(body)

    def _posted(self, chat: int | str, message_id: int) -> Sent | None:
        return next((s for s in self.state.sent if s.chat_id == chat and s.message_id == message_id), None)

    def _store(self, chat: int | str, text: str, buttons: list[Any], **more: Any) -> Sent:
        sent = Sent(chat, text, buttons, time.monotonic(), self.state.next_message, **more)
        self.state.next_message += 1
        self.state.sent.append(sent)
        return sent

    async def _sendMessage(self, params: dict[str, Any]) -> web.Response:
        found = self._chat(params["chat_id"])
        if isinstance(found, web.Response):
            return found
        (chat_id, chat), text = found, str(params["text"])
        if not text or len(text) > 4096:
            return _error(400, "Bad Request: message text is empty" if not text else "Bad Request: message is too long")
        reply_to = (params.get("reply_parameters") or {}).get("message_id")
        if reply_to is not None and self._posted(chat_id, int(reply_to)) is None:
            return _error(400, "Bad Request: message to be replied not found")
        markup = params.get("reply_markup") or {}
        sent = self._store(chat_id, text, markup.get("inline_keyboard", []),
                           reply_to=None if reply_to is None else int(reply_to))
        return self._message(chat, sent)

    async def _sendPhoto(self, params: dict[str, Any]) -> web.Response:
        found = self._chat(params["chat_id"])
        if isinstance(found, web.Response):
            return found
        (chat_id, chat), caption, photo = found, str(params.get("caption") or ""), params.get("photo")
        if not isinstance(photo, bytes) or not photo:
            return _error(400, "Bad Request: there is no photo in the request")
        if len(caption) > 1024:
            return _error(400, "Bad Request: message caption is too long")
        return self._message(chat, self._store(chat_id, caption, [], photo=photo))

    async def _editMessageCaption(self, params: dict[str, Any]) -> web.Response:
        found = self._chat(params["chat_id"])
        if isinstance(found, web.Response):
            return found
        (chat_id, chat), caption = found, str(params.get("caption") or "")
        post = self._posted(chat_id, int(params["message_id"]))
        if post is None or post.photo is None:
            return _error(400, "Bad Request: message to edit not found")
        if len(caption) > 1024:
            return _error(400, "Bad Request: message caption is too long")
        if caption == post.text:
            return _error(400, "Bad Request: message is not modified: specified new message content and reply "
                               "markup are exactly the same as a current content and reply markup of the message")
        post.text = caption
        self.state.edits.append((chat_id, post.message_id, caption))
        return self._message(chat, post)

    async def _answerCallbackQuery(self, params: dict[str, Any]) -> web.Response:
        self.state.answered.append(str(params["callback_query_id"]))
        return _ok(True)

    async def _getFile(self, params: dict[str, Any]) -> web.Response:
        found = self.state.files.get(str(params["file_id"]))
        if found is None:
            return _error(400, "Bad Request: invalid file_id")
        path, data = found
        return _ok({"file_id": params["file_id"], "file_unique_id": "u" + str(params["file_id"]),
                    "file_size": len(data), "file_path": path})

    async def _file(self, request: web.Request) -> web.Response:
        if request.match_info["token"] != self.token:
            return _error(401, "Unauthorized")
        if self.state.hold_files:
            assert self._released is not None
            await self._released.wait()
        for path, data in self.state.files.values():
            if path == request.match_info["path"]:
                return web.Response(body=data, content_type="application/octet-stream")
        return _error(404, "Not Found")

    # --- the benchmark's driver (another process) ----------------------------------------

    async def _control(self, request: web.Request) -> web.Response:
        action, body = request.match_info["action"], await request.json()
        if action == "messages":  # [[user, text], ...]: one update each
            return web.json_response([self.message(user, text) for user, text in body])
        if action == "presses":
            return web.json_response([self.press(user, data) for user, data in body])
        if action == "acks":  # update-to-answer latencies of answers that name a report, and the answers' count
            created = self.state.created
            return web.json_response({"sent": len(self.state.sent), "pending": len(self.state.updates),
                                      "created": {str(k): v for k, v in created.items()},
                                      "answers": [[s.chat_id, s.text, s.at] for s in self.state.sent]})
        return web.json_response({"error": "unknown action"}, status=404)


def _ok(result: Any) -> web.Response:
    return web.json_response({"ok": True, "result": result})


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> web.Response:
    body: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        body["parameters"] = parameters
    return web.json_response(body, status=status)


if __name__ == "__main__":  # the benchmark's server process: PORT TOKEN
    fake = FakeTelegram(sys.argv[2])
    web.run_app(fake.app(), host="127.0.0.1", port=int(sys.argv[1]), access_log=None, print=None)
