"""The centre's Telegram channel as studio/social/publish.py's ``Channel``: python-telegram-bot's ``Bot``.

Every failure becomes a ``ChannelError`` whose message is a catalogue text and never holds the token:
a refused token (401), a channel the bot cannot post to (403, or a chat Telegram does not know), Telegram
asking to slow down (429) and an unreachable Bot API stop the round; a request Telegram refuses for this
card alone (400) stops only the card. A timeout may have delivered the request: it is marked
``maybe_sent`` so the publisher never sends it again by itself.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Self

# as studio/telegram/bot.py: the timedelta ``retry_after`` of python-telegram-bot's next major version
os.environ.setdefault("PTB_TIMEDELTA", "1")

from telegram import Bot, ReplyParameters  # noqa: E402
from telegram.error import BadRequest, Forbidden, InvalidToken, NetworkError, RetryAfter, TelegramError, TimedOut  # noqa: E402

from studio.i18n import Msg  # noqa: E402
from studio.social.publish import ChannelError  # noqa: E402
from studio.telegram.bot import Redactor, _seconds  # noqa: E402
from studio.telegram.transport import AiohttpRequest  # noqa: E402

NOT_MODIFIED = "message is not modified"
"""Telegram's 400 for an edit that changes nothing: the caption already says it (an edit redone)."""
CHAT_GONE = ("chat not found", "not enough rights", "need administrator rights", "channel_private")


class TelegramChannel:
    """Posts as the observers' bot to ``chat`` (an @username or a numeric id); ``async with`` opens it."""

    def __init__(self, token: str, chat: str, *, api_url: str, file_url: str) -> None:
        self.chat = chat
        self.redactor = Redactor(token)
        self.redactor.install()  # before the Bot: building it logs its URLs, the token in them, at DEBUG
        self.bot = Bot(token, base_url=api_url, base_file_url=file_url,
                       request=AiohttpRequest(connections=4, read_timeout=60.0))

    async def __aenter__(self) -> Self:
        await self._call(self.bot.initialize)
        return self

    async def __aexit__(self, *_: object) -> None:
        try:
            await self.bot.shutdown()
        except TelegramError:
            pass  # closing a session that never opened: nothing was sent

    async def post_photo(self, image: Path, caption: str) -> int:
        data = image.read_bytes()
        message = await self._call(lambda: self.bot.send_photo(self.chat, data, caption=caption, filename=image.name))
        return message.message_id

    async def edit_caption(self, message_id: int, caption: str) -> None:
        await self._call(lambda: self.bot.edit_message_caption(self.chat, message_id, caption=caption),
                         not_modified_ok=True)

    async def reply(self, message_id: int, text: str) -> int:
        message = await self._call(lambda: self.bot.send_message(
            self.chat, text, reply_parameters=ReplyParameters(message_id)))
        return message.message_id

    async def _call(self, call, *, not_modified_ok: bool = False):  # noqa: ANN001, ANN202 - the Bot's own types
        chat = self.chat
        try:
            return await call()
        except InvalidToken:
            raise ChannelError(Msg("social.error.token_refused")) from None
        except Forbidden:
            raise ChannelError(Msg("social.error.channel", chat=chat)) from None
        except RetryAfter as error:
            raise ChannelError(Msg("social.error.slow_down", seconds=round(_seconds(error.retry_after)))) from None
        except TimedOut:
            raise ChannelError(Msg("social.error.timed_out"), maybe_sent=True) from None
        except BadRequest as error:
            said = error.message.lower()
            if not_modified_ok and NOT_MODIFIED in said:
                return None
            if any(words in said for words in CHAT_GONE):
                raise ChannelError(Msg("social.error.channel", chat=chat)) from None
            raise ChannelError(Msg("social.error.refused", reason=self.redactor.text(error.message)),
                               whole_round=False) from None
        except NetworkError:  # unreachable, or a 5xx: the library says which only in text that may hold the URL
            raise ChannelError(Msg("social.error.unreachable")) from None
        except TelegramError as error:
            raise ChannelError(Msg("social.error.refused", reason=self.redactor.text(error.message))) from None
