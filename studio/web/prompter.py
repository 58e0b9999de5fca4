"""The browser prompter (``studio prompter --web``): the cue view over HTTP for a tablet
or a prompter monitor, pushed with server-sent events.

Why an aiohttp page with server-sent events and not textual-serve:
textual-serve runs one Textual app process per browser tab and streams its
terminal to xterm.js, so every tablet would cost a Python process and a
store connection, the text would still be terminal cells at a fixed size,
and mirroring for beam-splitter glass, real font sizes and touch would all
have to be faked in a terminal. Here one process follows the store once
(a thread, 10 Hz, ``Follower.poll``) and fans the same small JSON
``CueCard`` out to any number of tabs; the browser draws it with real
fonts (Kazakh letters included), ``?mirror=1`` is one CSS transform, and
``EventSource`` reconnects by itself after a network drop. SSE and not a
websocket: the traffic is one-way, plain HTTP, nothing to install.

Routes: ``GET /`` the page (``?lang=kk|ru|en``, ``?mirror=1``,
``?size=1..5``), ``GET /events`` the stream (``event: card``, a JSON
``CueCard`` plus ``warning``; a comment every 15 s keeps proxies from
closing it), ``GET /card.json`` the current card. Anything else is the
JSON ``{"error", "message"}`` every studio server answers (studio/web/http.py),
in the page's language.

This process only reads (see ``studio/web/follow.py``): it has no switcher
and its store connection is ``query_only``. It serves on loopback unless
told otherwise; the page is read-only and has no token, so put it on the
studio network only (``--host``), never on a public address.
"""

from __future__ import annotations

import asyncio
import json
import logging
import secrets
import sqlite3
import threading
from datetime import tzinfo

from aiohttp import web

from studio.i18n import LANGUAGES, Catalogue
from studio.show import ShowView
from studio.web.cue import cue_card
from studio.web.follow import POLL, Follower
from studio.web.http import json_errors
from studio.web.page import SIZES_VW, render_page

log = logging.getLogger("studio.web.prompter")

KEEPALIVE = 15.0
"""Seconds between SSE comments on a quiet stream."""
MAX_BODY = 1024
"""The prompter only reads: it takes no request bodies."""


class Hub:
    """Follows the show in one thread and hands the latest card to every stream.

    The thread posts each new view to the event loop; ``changed`` is an
    event replaced on every publication, so a stream that captured it before
    reading a card never misses the next one. Cards are built lazily, once
    per view and language.
    """

    def __init__(self, follower: Follower, zone: tzinfo, language: str, *, poll: float = POLL) -> None:
        self.follower = follower
        self.zone = zone
        self.language = language
        self.poll = poll
        self.catalogues = {code: Catalogue(code) for code in LANGUAGES}
        self.view: ShowView = follower.view()
        self.warning = ""
        self.closing = False
        self._cards: dict[str, str] = {}
        self._changed = asyncio.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None
        self._loop: asyncio.AbstractEventLoop | None = None

    @property
    def changed(self) -> asyncio.Event:
        return self._changed

    def card(self, language: str) -> str:
        """The current card as JSON, in one language."""
        cached = self._cards.get(language)
        if cached is None:
            card = cue_card(self.view, self.catalogues[language], self.zone).as_json()
            warning = self.catalogues[language].t("prompter.store_error", error=self.warning) if self.warning else ""
            cached = self._cards[language] = json.dumps(card | {"warning": warning}, ensure_ascii=False)
        return cached

    async def start(self, app: web.Application) -> None:
        self._loop = asyncio.get_running_loop()
        self._thread = threading.Thread(target=self._follow, name="prompter-follow", daemon=True)
        self._thread.start()

    async def shutdown(self, app: web.Application) -> None:
        """Stop following and release every open stream, so the server closes at once."""
        self.closing = True
        self._stop.set()
        self._wake()
        if self._thread is not None:
            await asyncio.to_thread(self._thread.join, 2.0)

    def _follow(self) -> None:
        while not self._stop.is_set():
            try:
                view = self.follower.poll()
            except (sqlite3.Error, OSError) as error:  # a locked or vanished store: say so, keep trying
                log.warning("cannot read the store: %s", error)
                self._post(self._failed, str(error))
                self._stop.wait(1.0)
                continue
            if view is not None:
                self._post(self._publish, view)
            self._stop.wait(self.poll)

    def _post(self, callback, *args) -> None:  # type: ignore[no-untyped-def]
        assert self._loop is not None
        try:
            self._loop.call_soon_threadsafe(callback, *args)
        except RuntimeError:  # the loop closed while this thread was reading
            self._stop.set()

    def _publish(self, view: ShowView) -> None:
        self.view, self.warning = view, ""
        self._cards.clear()
        self._wake()

    def _failed(self, error: str) -> None:
        if error != self.warning:
            self.warning = error
            self._cards.clear()
            self._wake()

    def _wake(self) -> None:
        event, self._changed = self._changed, asyncio.Event()
        event.set()


HUB = web.AppKey("hub", Hub)
SIZE = web.AppKey("size", int)


def _language(request: web.Request) -> str:
    """``?lang=``, else the station's language: for the page, the cards and the errors."""
    default = request.app[HUB].language
    language = request.query.get("lang", default)
    return language if language in LANGUAGES else default


async def page(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    language = _language(request)
    catalogue = hub.catalogues[language]
    try:
        size = min(len(SIZES_VW), max(1, int(request.query.get("size", request.app[SIZE]))))
    except ValueError:
        size = request.app[SIZE]
    nonce = secrets.token_urlsafe(16)
    text = {  # "size" stays a template ({size}/{max}): the page fills it in
        key: catalogue.t(f"prompter.{key}")
        for key in ("connecting", "disconnected", "paused", "scrolling", "size", "web.keys")
    }
    text["keys"] = text.pop("web.keys")
    body = render_page(
        language=language,
        title=catalogue.t("prompter.web.title", show=hub.view.rundown.show.title.text(language)),
        text=text,
        events=f"events?lang={language}",
        size=size,
        mirror=request.query.get("mirror", "0") in ("1", "true", "yes"),
        nonce=nonce,
    )
    return web.Response(
        text=body,
        content_type="text/html",
        headers={
            "Content-Security-Policy": (
                f"default-src 'none'; style-src 'nonce-{nonce}'; script-src 'nonce-{nonce}'; "
                "connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
            ),
            "Cache-Control": "no-store",
            "X-Content-Type-Options": "nosniff",
            "Referrer-Policy": "no-referrer",
        },
    )


async def events(request: web.Request) -> web.StreamResponse:
    hub = request.app[HUB]
    language = _language(request)
    response = web.StreamResponse(
        headers={
            "Content-Type": "text/event-stream; charset=utf-8",
            "Cache-Control": "no-store",
            "X-Accel-Buffering": "no",  # a proxy in front must not hold events back
        }
    )
    await response.prepare(request)
    sent = None
    try:
        await response.write(b"retry: 1000\n\n")  # reconnect within a second after a drop
        while not hub.closing:
            changed = hub.changed  # captured before reading: a publication in between wakes us
            data = hub.card(language)
            if data != sent:
                await response.write(f"event: card\ndata: {data}\n\n".encode())
                sent = data
            try:
                await asyncio.wait_for(changed.wait(), KEEPALIVE)
            except TimeoutError:
                await response.write(b": keep-alive\n\n")
    except ConnectionResetError:  # the tab closed or the network dropped: its EventSource comes back
        pass
    return response


async def card_json(request: web.Request) -> web.Response:
    hub = request.app[HUB]
    return web.Response(text=hub.card(_language(request)), content_type="application/json")


def make_prompter_web(
    follower: Follower, zone: tzinfo, language: str, *, size: int = 3, poll: float = POLL
) -> web.Application:
    """The browser prompter as an aiohttp application (``studio prompter --web`` runs it)."""
    errors = json_errors(
        max_body=MAX_BODY,
        not_found="prompter.error.not_found",
        not_allowed="prompter.error.method_not_allowed",
        language=_language,
    )
    app = web.Application(middlewares=[errors], client_max_size=MAX_BODY)
    hub = Hub(follower, zone, language, poll=poll)
    app[HUB] = hub
    app[SIZE] = size
    app.on_startup.append(hub.start)
    app.on_shutdown.append(hub.shutdown)
    app.router.add_get("/", page)
    app.router.add_get("/events", events)
    app.router.add_get("/card.json", card_json)
    return app
