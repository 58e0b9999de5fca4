"""The console's health line, under its top line: the services other processes run for the show, as they last
published their health on the store (studio/store/health.py). Today the observers' Telegram bot (``studio
bot``, its ``telegram`` snapshot): polling, retrying with the reason, stopped, or silent when it died without
saying so. The line is absent while no such service ever ran on this store.
"""

from __future__ import annotations

from datetime import datetime, tzinfo

from textual.app import ComposeResult
from textual.containers import Horizontal

from studio.i18n import t
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
    """One line, shown once a service in it has published its health."""

    def compose(self) -> ComposeResult:
        yield Readout(id="bot")

    def show_bot(self, health: Health | None, now: datetime, zone: tzinfo) -> None:
        said = bot_said(health, now, zone)
        self.display = said is not None
        if said is not None:
            self.query_one("#bot", Readout).set(*said)
