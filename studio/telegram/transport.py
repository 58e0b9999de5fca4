"""python-telegram-bot's HTTP requests over aiohttp (its documented ``BaseRequest`` extension point).

Why not the library's default (httpx): measured with the load benchmark
(bench/observer_bot.py), httpx spent most of the bot's time in its
connection pool and in a failed import per request (httpcore looks for
``sniffio`` on every call), which held the bot to about 60 reports/s on two
cores; aiohttp, which studio already serves its HTTP with, does not. Errors
are the library's own: ``TimedOut`` and ``NetworkError``, so the bot's retry
logic is the same whatever carries the request.
"""

from __future__ import annotations

import asyncio

import aiohttp
from telegram._utils.defaultvalue import DefaultValue
from telegram.error import NetworkError, TimedOut
from telegram.request import BaseRequest, RequestData


class AiohttpRequest(BaseRequest):
    """One aiohttp session with at most ``connections`` connections; ``read_timeout`` as the library's."""

    def __init__(self, connections: int = 64, read_timeout: float = 5.0, connect_timeout: float = 5.0) -> None:
        self.connections, self._read_timeout, self.connect_timeout = connections, read_timeout, connect_timeout
        self.session: aiohttp.ClientSession | None = None

    @property
    def read_timeout(self) -> float | None:
        return self._read_timeout

    async def initialize(self) -> None:
        if self.session is None or self.session.closed:
            self.session = aiohttp.ClientSession(connector=aiohttp.TCPConnector(limit=self.connections))

    async def shutdown(self) -> None:
        if self.session is not None and not self.session.closed:
            await self.session.close()

    async def do_request(
        self,
        url: str,
        method: str,
        request_data: RequestData | None = None,
        read_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
        write_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
        connect_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
        pool_timeout: float | None | DefaultValue[None] = BaseRequest.DEFAULT_NONE,
    ) -> tuple[int, bytes]:
        if self.session is None or self.session.closed:
            raise RuntimeError("AiohttpRequest is not initialized")
        read = self._read_timeout if isinstance(read_timeout, DefaultValue) else read_timeout
        connect = self.connect_timeout if isinstance(connect_timeout, DefaultValue) else connect_timeout
        data: aiohttp.FormData | dict[str, str] | None = None
        if request_data is not None and request_data.contains_files:
            data = aiohttp.FormData()
            for name, value in request_data.json_parameters.items():
                data.add_field(name, value)
            for name, (filename, content, mime) in request_data.multipart_data.items():
                data.add_field(name, content, filename=filename, content_type=mime)
        elif request_data is not None:
            data = request_data.json_parameters
        timeout = aiohttp.ClientTimeout(sock_connect=connect, sock_read=read)
        try:
            async with self.session.request(method, url, data=data, timeout=timeout) as response:
                return response.status, await response.read()
        except (asyncio.TimeoutError, aiohttp.ServerTimeoutError) as error:
            raise TimedOut from error
        except aiohttp.ClientError as error:
            # the error's text may hold the URL, and the URL the token: say only what kind of failure it was
            raise NetworkError(f"aiohttp: {type(error).__name__}") from None
