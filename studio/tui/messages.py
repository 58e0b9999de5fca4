"""App-wide messages: results that thread workers post back to the event loop.

Workers never touch widgets; they post one of these (``post_message`` is
thread-safe) and the app applies it on its own loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from textual.message import Message

from studio.diagnostics import Diagnostic
from studio.rundown.model import Rundown
from studio.show import ShowView
from studio.store.db import StoreLost
from studio.store.health import Health


@dataclass
class ViewReady(Message):
    """A fresh view of the show (the refresh tick, or after an action)."""

    view: ShowView
    changed_elsewhere: bool = False
    health: Any = None  # the switcher's ObsHealth snapshot; None in rehearsal
    bot: Health | None = None  # what ``studio bot`` last published on this store; None: no bot ever ran here
    store_lost: StoreLost | None = None  # the store's server cannot be reached: the view is the last one read


@dataclass
class StoreRang(Message):
    """Another process may have committed to the store (the store watch's thread): refresh now."""


@dataclass
class FeedLost(Message):
    """The watchdog found the on-air feed dead; the controller has put the slate up."""

    segment_id: str


@dataclass
class PreflightDone(Message):
    """Whether the next segment's feed is up (None: no feed, or OBS cannot tell)."""

    segment_id: str
    up: bool | None


@dataclass
class ControlDone(Message):
    """A controller action finished; ``result`` is what the controller returned."""

    action: str  # the binding id of the action
    result: Any
    subject: str | None = None  # the segment id the action was about


@dataclass
class RundownFileRead(Message):
    """The rundown file was read (and checked) in a worker."""

    rundown: Rundown | None
    diagnostics: list[Diagnostic]
    differs: bool
    explicit: bool  # the operator asked (app.reload), not the file watcher


@dataclass
class LanguageChanged(Message):
    """The interface language switched: every screen re-renders its text."""

    language: str
