"""The console's health line, under its top line: what the show depends on beyond OBS. The store's server
while it cannot be reached (PostgreSQL: since when, why, when the next attempt is, and that OBS keeps what is
on air), and the services other processes run for the show, as they last published their health on the store
(studio/store/health.py): the observers' Telegram bot (``studio bot``, its ``telegram`` snapshot): polling,
retrying with the reason, stopped, or silent when it died without saying so. The line is absent while all is
well with the store and no such service ever ran on it.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.containers import Horizontal

from studio.i18n import t
from studio.store.db import StoreLost
from studio.store.health import Health
from studio.tui.widgets.text import Readout

BOT_STYLES = {"starting": "dim", "polling": "green", "retrying": "bold yellow", "stopped": "bold red"}
"""How each state ``studio bot`` publishes looks: a bot that takes no reports is red."""
BOT_REASONS = frozenset({"rate_limited", "another_poller", "token_refused", "network"})
"""The reasons studio/telegram/bot.py publishes (a network failure with the error's name after ": ")."""


def bot_said(health: Health | None, now: datetime, zone: tzinfo) -> tuple[str, str] | None:
    """The observers' bot in a few words and their style; None when no bot ever ran on this store. A bot that
    died without saying so (its snapshot stale) is said as silent since its last word."""
    if health is None:
        return None
    state, reason = str(health.detail.get("state") or ""), str(health.detail.get("reason") or "")
    if state != "stopped" and health.stale(now):
        return t("health.bot.silent", at=health.at.astimezone(zone).strftime("%H:%M:%S")), BOT_STYLES["stopped"]
    if state not in BOT_STYLES:  # a state of a newer bot: as it says it
        return t("health.bot.other", state=state), ""
    if state == "stopped" and not reason:  # Ctrl+C
        return t("health.bot.stopped_cleanly"), BOT_STYLES[state]
    name, _, error = reason.partition(": ")  # "network: TimedOut"
    why = t(f"health.bot.reason.{name}", error=error) if name in BOT_REASONS else reason
    retry = health.detail.get("retry_s")
    seconds = max(1, round(retry)) if isinstance(retry, (int, float)) else "?"
    return t(f"health.bot.{state}", reason=why, seconds=seconds), BOT_STYLES[state]


class HealthLine(Horizontal):
    """One line, shown while the store is lost or once a service in it has published its health."""

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self._bot = self._store = False
        self._lost_since: datetime | None = None

    def compose(self) -> ComposeResult:
        yield Readout(id="store")
        yield Readout(id="bot")

    def show_store(self, lost: StoreLost | None, now: datetime, zone: tzinfo) -> None:
        """The store's server lost (the error says why and when the next attempt is), or reached."""
        self._store = lost is not None
        if lost is None:
            self._lost_since = None
        else:
            self._lost_since = self._lost_since or now
            params = lost.message.params
            said = t("health.store.lost", since=self._lost_since.astimezone(zone).strftime("%H:%M:%S"),
                     reason=params["reason"], seconds=params["seconds"])
            self.query_one("#store", Readout).set(said, "bold red")
        self._redisplay()

    def show_bot(self, health: Health | None, now: datetime, zone: tzinfo) -> None:
        said = bot_said(health, now, zone)
        self._bot = said is not None
        if said is not None:
            self.query_one("#bot", Readout).set(*said)
        self._redisplay()

    def _redisplay(self) -> None:
        """Each readout shown while it has something to say, the line while either has."""
        self.query_one("#store", Readout).display = self._store
        self.query_one("#bot", Readout).display = self._bot
        self.display = self._store or self._bot
