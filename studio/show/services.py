"""The show process, built in one place: the controller and what serves it.

``build(shape, ...)`` makes a ``ShowServices`` with the parts a process needs
(``Shape``): the controller always; the renderer for graphics; the OBS switcher
with its feed watchdog, OBS's health published for the control API and the
YouTube watch streaming through that OBS. ``studio run`` is ``CONSOLE`` (or
``REHEARSAL``: no OBS, the rundown runs on its own), ``studio serve`` is ``API``, ``studio rehearse``
``REHEARSE_OBS`` (``REHEARSE`` with ``--no-obs``).
The prompters and ``studio asrun export`` only read: ``reader(...)`` gives them a
``ShowReader`` that takes no lock and writes nothing. The screens get the
``ShowServices`` and never import an adapter (studio/obs/, studio/youtube/).

Light to import: the adapters (obsws-python, Google's client, Pillow) are
imported when built, the slow ones on their own threads after the first paint.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from studio.machine import default_operator, utc_now
from studio.show import Controller, ShowReader
from studio.show.ports import Clock

if TYPE_CHECKING:
    from google.oauth2.credentials import Credentials

    from studio.broadcast import Broadcaster
    from studio.config import Config
    from studio.desk.model import Fact
    from studio.obs.adapter import ObsAdapter
    from studio.obs.health import ObsHealthPublisher
    from studio.obs.switcher import ObsSwitcher
    from studio.onair import RendererGraphics
    from studio.rundown.model import Rundown
    from studio.show.health import ObsHealth, YouTubeWatch
    from studio.show.watch import StoreWatch
    from studio.social.listing import HourCards
    from studio.desk.rules import EvidencePolicy
    from studio.store.desk import DeskStore
    from studio.store.show import ShowStore
    from studio.youtube.api import TokenFile
    from studio.youtube.quota import StoreLedger


@dataclass(frozen=True)
class Shape:
    """What one process of the show needs besides its controller."""

    origin: str  # who acts, in the event log: console, api, prompter, cli
    graphics: bool = False  # the renderer: graphics drawn through the fact gate, recorded by this process
    obs: bool = False  # the show process: it owns OBS (switcher, feed watchdog, health)
    youtube: bool = False  # ... and YouTube through that OBS
    rehearses: bool = False  # every event and as-run row it writes is marked as a rehearsal's


CONSOLE = Shape("console", graphics=True, obs=True, youtube=True)
REHEARSAL = Shape("console", graphics=True)
API = Shape("api", graphics=True)  # writes the store; the show process switches what it writes
REHEARSE = Shape("rehearse", graphics=True, rehearses=True)  # studio rehearse --no-obs: the simulated day
REHEARSE_OBS = Shape("rehearse", graphics=True, obs=True, rehearses=True)  # studio rehearse: on OBS, no YouTube


@dataclass
class ShowServices:
    """One process's show: the controller, and in the show process OBS and YouTube beside it.

    ``switcher``: the OBS switcher (its feed watchdog is ``switcher.watchdog``); ``obs_publisher``
    publishes what it sees for the control API; ``youtube``: the YouTube watch, signed in on its
    own thread. ``store_path``: the store the controller writes (a file or a URL), for the connections other
    threads open on it (the desk, the fact picker).
    """

    controller: Controller
    store_path: Path | str  # a SQLite file or a PostgreSQL URL
    switcher: ObsSwitcher | None = None
    obs_publisher: ObsHealthPublisher | None = None
    youtube: YouTubeWatch | None = None
    social_cards: Callable[[], HourCards] | None = None
    """The social cards of the hour now (studio/social/listing.py): reads files, call it from a worker."""
    files_setting: str = ""
    """config.toml's [store] files: where the desks it opens find what observers attach (paths.store_files)."""

    @property
    def has_obs(self) -> bool:
        return self.switcher is not None

    def on_feed_lost(self, report: Callable[[str], object]) -> None:
        """``report(segment_id)`` when the watchdog finds the on-air feed dead (on the watchdog's thread)."""
        if self.switcher is not None:
            self.switcher.on_feed_lost = report

    def obs_now(self) -> ObsHealth | None:
        """What the switcher last saw of OBS (None: no OBS in this process). Cheap: no call to OBS."""
        return self.switcher.health() if self.switcher is not None else None

    def read_obs(self) -> ObsHealth | None:
        """``obs_now``, published for the control API. Blocks on a SQLite write at most every
        5 s: call it from a worker."""
        health = self.obs_now()
        if health is not None and self.obs_publisher is not None:
            self.obs_publisher.offer(health, self.controller.clock())
        return health

    def watch_store(self, on_change: Callable[[], object]) -> StoreWatch:
        """Follow other machines' takes and retractions as they commit, on a thread of its own: the controller
        refreshes there (OBS switches, a withdrawn graphic is pulled), whatever the screen is busy with, then
        ``on_change()`` (the screen shows it). Stop it when the process ends."""
        from studio.show.watch import StoreWatch

        def follow() -> None:
            self.controller.refresh()
            on_change()

        return StoreWatch(self.controller.store, follow).start()

    def open_desk(self, policy: EvidencePolicy | None = None) -> DeskStore:
        """The desk on a connection of its own (the controller's serves takes on other threads)."""
        from studio.desk.rules import EvidencePolicy
        from studio.store.desk import open_desk

        return open_desk(self.store_path, policy or EvidencePolicy(), files=self.files_setting)

    def desk_facts(self) -> list[Fact]:
        """Every fact at the desk, for the producer's fact picker. Blocks: call it from a worker."""
        desk = self.open_desk()  # the picker's thread, once per opening
        try:
            return desk.facts()
        finally:
            desk.close()

    @contextmanager
    def running(self) -> Iterator[ShowServices]:
        """The show process owns OBS while this lasts: it connects (retrying until OBS is there)
        and puts back on air what the store says is on air; at the end it lets go of OBS."""
        if self.switcher is None:
            yield self
            return
        self.switcher.start()
        try:
            self.controller.resume_air()
            yield self
        finally:
            self.switcher.stop()
            if self.obs_publisher is not None:
                self.obs_publisher.close()


def build(
    shape: Shape,
    config: Config,
    rundown: Rundown,
    store_path: Path | str,
    *,
    sign_in: Callable[[sqlite3.Connection], str] | None = None,
    clock: Clock = utc_now,
) -> ShowServices:
    """The process ``shape`` describes, on the store at ``store_path``, on ``clock`` (tests move their own).

    ``sign_in(db)`` names who the controller acts as (the passphrase proves it, see
    studio/desk/operators.py), asked once the store is open and before the controller
    writes anything; without it, ``[station] operator``. ``clock``: the time for everything
    the process builds (the controller, the graphics' clocks; a rehearsal's simulated day).
    """
    from studio.store import open_store

    store = open_store(store_path, rehearses=shape.rehearses)
    operator = sign_in(store.db) if sign_in is not None else config.station.operator or None
    switcher = _switcher(config, rundown) if shape.obs else None
    # Graphics are drawn for OBS's canvas as the switcher last read it (1920x1080 until OBS answers).
    canvas = (lambda: switcher.canvas) if switcher is not None else None
    controller = Controller(
        store,
        rundown,
        operator=operator,
        origin=shape.origin,
        switcher=switcher,
        graphics=_graphics(config, rundown, store_path, canvas, clock) if shape.graphics else None,
        turnout_hours=config.station.turnout_hours,
        clock=clock,
    )
    services = ShowServices(controller, store_path, switcher=switcher, files_setting=config.store.files)
    if shape.graphics:
        from studio.paths import social_dir
        from studio.social.listing import hour_cards

        services.social_cards = lambda: hour_cards(social_dir(), controller.clock(), config.station.zone)
    if switcher is not None:
        from studio.obs.health import obs_publisher

        services.obs_publisher = obs_publisher(store_path)
    if switcher is not None and shape.youtube:
        services.youtube = youtube_watch(config, store_path, rundown, switcher, controller.clock, controller.operator)
    return services


def reader(config: Config, rundown: Rundown, store_path: Path | str) -> ShowReader:
    """The show as a process that only reads sees it (prompters, exports): no lock, no write."""
    from studio.store import open_store

    return ShowReader(open_store(store_path), rundown, turnout_hours=config.station.turnout_hours)


def _switcher(config: Config, rundown: Rundown) -> ObsSwitcher:
    from studio.obs import ObsAdapter
    from studio.obs.cli import settings_from
    from studio.obs.switcher import ObsSwitcher

    return ObsSwitcher(ObsAdapter(settings_from(config.obs)), rundown.segments)


def _graphics(
    config: Config, rundown: Rundown, store_path: Path | str, canvas: Callable[[], Any] | None, clock: Clock
) -> RendererGraphics:
    """Graphics for the show: the desk's verified facts through the gate, rendered off the UI's start,
    for ``canvas()`` (OBS's size) with the station's location bug; their clocks read ``clock``."""
    from studio.onair import BugStyle, RendererGraphics
    from studio.paths import graphics_dir, template_folders

    def renderer():  # -> Renderer, built on its own thread (Pillow and the templates take ~0.35 s)
        from studio.desk.views import GraphicsFacts
        from studio.graphics import Renderer
        from studio.heap import keep_heap_flat
        from studio.store.desk import open_desk

        keep_heap_flat()  # before the first image: a day of graphics would otherwise ratchet the heap up
        show = rundown.show  # a rehearsal on today's clock shows the figures of the day it was planned for
        facts = GraphicsFacts(open_desk(store_path), show.plan_date or show.date, show.zone)
        folders = template_folders(config.graphics.templates)
        return Renderer(folders, graphics_dir(config.graphics.out), facts, zone=show.zone, clock=clock)

    bug = BugStyle(live_word=config.graphics.live_word, clock=config.graphics.bug_clock)
    return RendererGraphics(factory=renderer, canvas=canvas, bug=bug)


# --- YouTube ---------------------------------------------------------------------------------


def youtube_token(config: Config) -> TokenFile:
    """The sign-in `studio youtube auth` keeps: ``load()`` it (a YouTubeError says what to do when it
    is missing or unreadable)."""
    from studio.paths import youtube_token_file
    from studio.youtube.api import TokenFile

    return TokenFile(youtube_token_file(config.youtube.token_file), config.youtube.token_uri)


def make_broadcaster(
    config: Config, store: ShowStore, rundown: Rundown, output: ObsAdapter | None, origin: str, *,
    operator: str | None = None, credentials: Credentials | None = None, privacy: str | None = None,
    clock: Clock = utc_now,
) -> tuple[Broadcaster, StoreLedger]:
    """The go-live controller over the signed-in account, and the store's quota ledger it charges;
    ``output``: OBS's stream output (None: a command that does not stream). Its events name
    ``operator`` (default: [station] operator, else the login name) at ``clock``'s time (a rehearsal's
    simulated day; the quota day stays Google's real one). ``credentials``: the sign-in already loaded
    (``youtube_token(config).load()``), else it is loaded here. ``privacy``: default [youtube] privacy."""
    from studio.broadcast import Broadcaster
    from studio.store.youtube import YouTubeStore
    from studio.youtube.api import YouTubeApi
    from studio.youtube.live import YouTube
    from studio.youtube.quota import StoreLedger

    token_file = youtube_token(config)
    ledger = StoreLedger(YouTubeStore(store.db), utc_now)
    api = YouTubeApi(
        credentials or token_file.load(), ledger, endpoint=config.youtube.api_endpoint or None, token_file=token_file
    )
    go_live = Broadcaster(
        YouTube(api),
        store,
        rundown,
        output=output,
        privacy=privacy or config.youtube.privacy,
        language=config.station.language,
        operator=operator or config.station.operator or default_operator(),
        origin=origin,
        clock=clock,
    )
    return go_live, ledger


def youtube_watch(
    config: Config,
    store_path: Path | str,
    rundown: Rundown,
    switcher: ObsSwitcher,
    clock: Callable[[], datetime],
    operator: str | None = None,
) -> YouTubeWatch:
    """The show process's watch: signed in with `studio youtube auth`, streaming through the switcher's OBS;
    its go-live and end are logged as ``operator`` (the console's signed-in one)."""
    from studio.paths import youtube_token_file
    from studio.youtube.watch import SOURCE, VOLATILE, Link, YouTubeWatch

    def connect() -> Link:  # on the watch's thread, after the first paint
        # google-api-python-client's import and the client's build: ~0.5 s
        from studio.store import open_store
        from studio.store.health import Publisher

        store = open_store(store_path)  # a connection of its own: the controller's serves takes on other threads
        try:
            go_live, ledger = make_broadcaster(config, store, rundown, switcher.adapter, "console", operator=operator)
        except BaseException:
            store.close()
            raise
        return Link(go_live, ledger, Publisher(store.db, SOURCE, volatile=VOLATILE))

    return YouTubeWatch(
        youtube_token_file(config.youtube.token_file),
        connect,
        allowance=config.youtube.daily_quota,
        obs=switcher.health,
        clock=clock,
    )
