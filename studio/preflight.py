"""``studio preflight``: every check for the day at once, as a list of results anything can show.

``run_checks(day)`` gives one ``Result`` per line: ✓ fine, ✗ would fail on air
(with what to do), ! worth a look or not checked. The command prints them and
exits 1 when any is ✗ (warnings alone: 0); ``studio up`` or the console can show
the same list. The checks:

- the rundown loads, its fixed starts are met, it is dated today;
- OBS answers and holds every scene and input the rundown needs (``studio obs check``);
- each live feed answers (ffprobe, ``FEED_TIMEOUT``); a feed OBS listens on (UDP, an
  SRT or RTMP listener) cannot be probed from here and says so;
- the YouTube sign-in loads; with it, the show's broadcast and its stream (2 units of
  quota); today's quota left, from the store's ledger;
- the store takes a write; free disk where it is (``DISK_WARN`` / ``DISK_FAIL``);
  the graphics folder is writable;
- every graphics template loads with its fonts (which must cover Kazakh);
- the control API's tokens and the intake's observers, when those services are
  configured (their section is in the config file or, for the API, its variable
  is set). Only names of variables are said, never a token.

The checks run at once, each on its own thread with its own timeout: a check that
waits on the network cannot hold the others up, one that does not finish is ✗
"no answer within N s", one that crashes is ✗ with its error, never a traceback.
Nothing here changes OBS or creates a store; the only write is the quota ledger's
record of the two units the broadcast's check spends.

One module (~480 lines) on purpose: each check is a short function and the
module reads top to bottom as the checklist it prints; split, a reader would
chase one list across files.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import threading
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import parse_qs, urlsplit

from studio.diagnostics import DiagnosticsError
from studio.errors import StudioError
from studio.i18n import Msg
from studio.store.location import shown

GB = 1024**3
DISK_WARN = 5 * GB
"""Free space under which the store's disk is a warning: a day's store, rendered graphics and logs take ~1 GB."""
DISK_FAIL = 1 * GB
"""Free space under which the day would run out of disk: a failure."""
FEED_TIMEOUT = 5.0
"""Seconds ffprobe may take to open a feed and read its streams."""
LISTED = 3
"""Feeds named on the line of those that cannot be probed; the rest are counted."""
OBS_TIMEOUT = 30.0
YOUTUBE_TIMEOUT = 30.0
LOCAL_TIMEOUT = 15.0
"""Seconds each check may take before it is ✗ "no answer"; the local ones read files only."""


class Mark(StrEnum):
    OK = "✓"
    FAIL = "✗"  # would fail on air
    WARN = "!"  # worth a look, or not checked


@dataclass(frozen=True)
class Result:
    mark: Mark
    what: Msg
    advice: Msg | None = None  # what to do (every ✗ has it)


@dataclass(frozen=True)
class Day:
    """What the checks look at. ``rundown`` is None when it does not load; ``rundown_error`` says why."""

    config: Any  # studio.config.Config
    rundown_path: Path
    rundown: Any  # studio.rundown.model.Rundown | None
    rundown_error: Exception | None
    store_path: Path | str  # a SQLite file or a PostgreSQL URL
    now: datetime


@dataclass(frozen=True)
class Check:
    name: Msg  # what is checked: the line's words when the check fails as a whole
    run: Callable[[Day], list[Result]]
    timeout: float


def day_for(config: Any, rundown_path: Path, store_path: Path | str, now: datetime) -> Day:
    """The day to check; a rundown that does not load is kept as its error, for the rundown's line."""
    from studio.rundown.load import load_rundown

    try:
        if not rundown_path.is_file():
            raise StudioError(Msg("cli.error.no_rundown", path=str(rundown_path)))
        rundown, error = load_rundown(rundown_path), None
    except (DiagnosticsError, StudioError) as failed:
        rundown, error = None, failed
    return Day(config, rundown_path, rundown, error, store_path, now)


# --- the rundown ---------------------------------------------------------------------------------


def check_rundown(day: Day) -> list[Result]:
    from studio.rundown.timing import plan

    path = str(day.rundown_path)
    if day.rundown is None:
        assert day.rundown_error is not None
        raise day.rundown_error
    show = day.rundown.show
    results = [Result(Mark.OK, Msg("preflight.rundown.ok", path=path, segments=len(day.rundown.segments),
                                   date=show.date.isoformat(), start=f"{show.start:%H:%M}"))]
    missed = [slot.segment.id for slot in plan(day.rundown) if slot.miss]
    if missed:
        results.append(Result(Mark.WARN, Msg("preflight.rundown.misses", count=len(missed), ids=", ".join(missed)),
                              Msg("preflight.rundown.see_plan", path=path)))
    today = day.now.astimezone(show.zone).date()
    if show.date != today:
        results.append(Result(Mark.WARN, Msg("preflight.rundown.not_today", date=show.date.isoformat(),
                                             today=today.isoformat())))
    return results


# --- OBS ------------------------------------------------------------------------------------------


def check_obs(day: Day) -> list[Result]:
    from studio.canvas import is_16_9
    from studio.obs.cli import inspect, settings_from, versions_line

    found, size = inspect(day.config, day.rundown)
    results = [Result(Mark.OK, Msg("preflight.obs.ok", versions=versions_line(found.versions,
                                                                              settings_from(day.config.obs))))]
    what = Msg("obs.cli.for_rundown", path=str(day.rundown_path)) if day.rundown else Msg("obs.cli.for_slate")
    if found.ok:
        results.append(Result(Mark.OK, Msg("preflight.obs.has_all", what=what, checked=found.checked)))
    else:
        lacking = [*found.missing, *found.differing, *found.problems, *found.black]
        results.append(Result(
            Mark.FAIL,
            Msg("preflight.obs.lacks", missing=len(found.missing), differing=len(found.differing),
                problems=len(found.problems), black=len(found.black), what=what, first=lacking[0]),
            Msg("obs.cli.fix", rundown=str(day.rundown_path)),
        ))
    if not is_16_9(size):
        results.append(Result(Mark.WARN, Msg("obs.check.canvas_not_16_9", width=size[0], height=size[1])))
    return results


# --- feeds ----------------------------------------------------------------------------------------


def feed_place(url: str) -> str:
    """``scheme://host:port`` of a feed: its path and query may hold a stream key or an SRT passphrase."""
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc.rpartition('@')[2]}" if parts.scheme else "?"


def is_listener(url: str) -> bool:
    """A feed OBS listens on: the sender calls OBS, so nothing here can call it. UDP and RTP are always
    received where OBS binds the port; SRT, RTMP and TCP when their URL says listen."""
    parts = urlsplit(url)
    options = {key.lower(): values[-1].lower() for key, values in parse_qs(parts.query).items()}
    return (
        parts.scheme in ("udp", "rtp")
        or options.get("mode") == "listener"
        or options.get("listen") in ("1", "2")
    )


def probe(url: str, timeout: float = FEED_TIMEOUT) -> bool:
    """Whether ffprobe opens ``url`` and finds a stream in it within ``timeout`` seconds."""
    # a second of the stream is enough to find a picture (ffprobe's default analysis takes five)
    command = ["ffprobe", "-v", "error", "-analyzeduration", "1000000", "-probesize", "1000000",
               "-show_entries", "stream=codec_type", "-of", "csv=p=0", url]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, stdin=subprocess.DEVNULL)
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0 and bool(done.stdout.strip())


def check_feeds(day: Day) -> list[Result]:
    if day.rundown is None:
        return [Result(Mark.WARN, Msg("preflight.feeds.no_rundown"))]
    users: dict[str, list[str]] = {}
    for segment in day.rundown.segments:
        if segment.feed:
            users.setdefault(segment.feed, []).append(segment.id)
    if not users:
        return [Result(Mark.OK, Msg("preflight.feeds.none"))]
    listeners = [url for url in users if is_listener(url)]
    results = []
    if listeners:  # a station's whole UDP plan is one line, not twenty
        places = ", ".join(feed_place(url) for url in listeners[:LISTED])
        more = Msg("preflight.feeds.more", count=len(listeners) - LISTED) if len(listeners) > LISTED else ""
        results.append(Result(Mark.WARN, Msg("preflight.feeds.listeners", count=len(listeners), places=places,
                                             more=more)))
    ffprobe = shutil.which("ffprobe") is not None
    callers = [url for url in users if url not in listeners]
    probed = _concurrently({url: (lambda u=url: probe(u)) for url in callers if ffprobe})
    for url in callers:
        said = {"place": feed_place(url), "segments": ", ".join(users[url])}
        if not ffprobe:
            results.append(Result(Mark.WARN, Msg("preflight.feeds.no_ffprobe", **said),
                                  Msg("preflight.feeds.install_ffprobe")))
        elif probed[url]:
            results.append(Result(Mark.OK, Msg("preflight.feeds.answers", **said)))
        else:
            results.append(Result(Mark.FAIL, Msg("preflight.feeds.silent", seconds=f"{FEED_TIMEOUT:g}", **said),
                                  Msg("preflight.feeds.ask_sender")))
    return results


def _concurrently(calls: dict[str, Callable[[], bool]]) -> dict[str, bool]:
    answers: dict[str, bool] = {}
    threads = [threading.Thread(target=lambda k=key, c=call: answers.__setitem__(k, c()), daemon=True)
               for key, call in calls.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return answers


# --- YouTube --------------------------------------------------------------------------------------


def check_youtube(day: Day) -> list[Result]:
    from studio.show.services import youtube_token

    token = youtube_token(day.config)
    try:
        credentials = token.load()
    except StudioError as error:  # not signed in: nothing to ask YouTube
        return [Result(Mark.FAIL, Msg("preflight.youtube.signed_out"), error.message), *_quota(day)]
    results = [Result(Mark.OK, Msg("preflight.youtube.signed_in", path=str(token.path)))]
    if day.rundown is not None:
        results.extend(_broadcast(day, credentials))
    return results + _quota(day)


def _broadcast(day: Day, credentials: Any) -> list[Result]:
    """The show's broadcast and its stream as the store remembers them, then as YouTube has them."""
    from studio.broadcast import unprepared
    from studio.show.services import make_broadcaster
    from studio.youtube.cli import said

    store = _existing_store(day)
    if store is None:
        return [Result(Mark.FAIL, Msg("youtube.ready.no_broadcast", show=day.rundown.show.id),
                       Msg("preflight.youtube.schedule", path=str(day.rundown_path)))]
    try:
        if missing := unprepared(store, day.rundown.show.id, streaming=True):
            return [Result(Mark.FAIL, error.message, Msg("preflight.youtube.schedule", path=str(day.rundown_path)))
                    for error in missing]
        broadcaster, _ = make_broadcaster(day.config, store, day.rundown, None, "preflight", credentials=credentials)
        status = broadcaster.status()
    finally:
        store.close()
    broadcast, stream = status.broadcast, status.stream
    if broadcast is None or stream is None or broadcast.life_cycle in ("complete", "revoked"):
        return [Result(Mark.FAIL, Msg("preflight.youtube.gone"), Msg("preflight.youtube.schedule_new",
                                                                    path=str(day.rundown_path)))]
    return [Result(Mark.OK, Msg("preflight.youtube.broadcast", id=broadcast.id,
                                state=said("youtube.state", broadcast.life_cycle),
                                privacy=said("youtube.privacy", broadcast.privacy)))]


def _quota(day: Day) -> list[Result]:
    from studio.youtube.quota import COSTS, RESERVE, quota_day

    # going live and ending: two transitions and the reads around them, with a retry each
    needed = 2 * (2 * COSTS["liveBroadcasts.transition"] + 4 * COSTS["liveStreams.list"])
    allowance = day.config.youtube.daily_quota
    store = _existing_store(day)
    spent = 0
    if store is not None:
        from studio.store.youtube import YouTubeStore

        try:
            spent = YouTubeStore(store.db).spent(quota_day(day.now))
        finally:
            store.close()
    left = allowance - spent
    said = Msg("preflight.youtube.quota", left=left, allowance=allowance)
    if left < needed:
        return [Result(Mark.FAIL, said, Msg("youtube.advice.quota"))]
    return [Result(Mark.WARN if left < RESERVE else Mark.OK, said)]


def _existing_store(day: Day):  # -> ShowStore | None: never creates a store where none is
    from studio.store import open_store

    from studio.store.location import is_url

    return open_store(day.store_path) if is_url(day.store_path) or Path(day.store_path).is_file() else None


# --- the store, the disk, the graphics folder -----------------------------------------------------


def _nearest_folder(path: Path) -> Path:
    """``path``'s folder, or its nearest ancestor that exists (where it would be created)."""
    folder = path if path.is_dir() else path.parent
    while not folder.exists() and folder != folder.parent:
        folder = folder.parent
    return folder


def check_store(day: Day) -> list[Result]:
    from studio.paths import graphics_dir

    from studio.paths import store_files
    from studio.store.location import is_url

    path = day.store_path
    results = [_server_writable(path) if is_url(path) else _store_writable(path)]
    # Where this machine keeps the photos, on either database (a PostgreSQL store's may be a shared mount).
    folder = _nearest_folder(store_files(path, day.config.store.files) / "media")
    free = shutil.disk_usage(folder).free
    said = Msg("preflight.disk.free", free=f"{free / GB:.1f}", folder=str(folder))
    if free < DISK_FAIL:
        results.append(Result(Mark.FAIL, said, Msg("preflight.disk.fail", least=f"{DISK_FAIL / GB:g}")))
    elif free < DISK_WARN:
        results.append(Result(Mark.WARN, said, Msg("preflight.disk.warn", least=f"{DISK_WARN / GB:g}")))
    else:
        results.append(Result(Mark.OK, said))
    graphics = graphics_dir(day.config.graphics.out)
    if os.access(_nearest_folder(graphics), os.W_OK):
        results.append(Result(Mark.OK, Msg("preflight.graphics_dir.ok", path=str(graphics))))
    else:
        results.append(Result(Mark.FAIL, Msg("preflight.graphics_dir.read_only", path=str(graphics)),
                              Msg("preflight.fix_permissions")))
    return results


def _server_writable(url: str) -> Result:
    """The PostgreSQL store takes a write: the writers' lock taken, nothing written."""
    from studio.store import open_store
    from studio.store.db import StoreError

    try:
        store = open_store(url)
        try:
            with store.write():
                pass
        finally:
            store.close()
    except (StoreError, sqlite3.Error) as error:
        reason = error.message if isinstance(error, StudioError) else str(error)
        return Result(Mark.FAIL, Msg("preflight.store.not_writable", path=shown(url), reason=reason),
                      Msg("preflight.store.server"))
    return Result(Mark.OK, Msg("preflight.store.ok", path=shown(url)))


def _store_writable(path: Path) -> Result:
    if not path.is_file():
        folder = _nearest_folder(path)
        if not os.access(folder, os.W_OK):
            return Result(Mark.FAIL, Msg("preflight.store.cannot_create", path=str(path), folder=str(folder)),
                          Msg("preflight.fix_permissions"))
        return Result(Mark.WARN, Msg("preflight.store.new", path=str(path)), Msg("preflight.store.which"))
    try:
        db = sqlite3.connect(path, timeout=2.0, isolation_level=None)
        try:
            db.execute("BEGIN IMMEDIATE")  # takes the write lock, writes nothing
            db.execute("ROLLBACK")
        finally:
            db.close()
    except sqlite3.OperationalError as error:
        if "locked" in str(error):
            return Result(Mark.WARN, Msg("preflight.store.busy", path=str(path)))
        return Result(Mark.FAIL, Msg("preflight.store.not_writable", path=str(path), reason=str(error)),
                      Msg("preflight.fix_permissions"))
    return Result(Mark.OK, Msg("preflight.store.ok", path=str(path)))


# --- graphics templates and their fonts -----------------------------------------------------------


def check_fonts(day: Day) -> list[Result]:
    from studio.graphics import load_templates
    from studio.paths import template_folders

    # the station's and the shipped templates, as the show finds them; every font each names, checked for Kazakh
    templates = load_templates(*template_folders(day.config.graphics.templates))
    fonts = {font.path.name for template in templates.values() for font in template.fonts.values()}
    return [Result(Mark.OK, Msg("preflight.fonts.ok", templates=len(templates), fonts=", ".join(sorted(fonts))))]


# --- the services' tokens -------------------------------------------------------------------------


def check_tokens(day: Day) -> list[Result]:
    from studio.web.commands import api_tokens

    config, results = day.config, []
    if "api" in config.model_fields_set or config.api.token_env in os.environ:
        names = [config.api.token_env, *config.api.tokens.values()]
        try:
            api_tokens(config.api)
        except StudioError as error:
            results.append(Result(Mark.FAIL, Msg("preflight.api.name"), error.message))
        else:
            results.append(Result(Mark.OK, Msg("preflight.api.ok", variables=", ".join(f"${n}" for n in names))))
    else:
        results.append(Result(Mark.WARN, Msg("preflight.api.not_configured", variable=config.api.token_env)))
    if "intake" in config.model_fields_set:
        results.append(_observers(day))
    else:
        results.append(Result(Mark.WARN, Msg("preflight.intake.not_configured")))
    return results


def _observers(day: Day) -> Result:
    from studio.store.observers import list_observers

    store = _existing_store(day)
    working = 0
    if store is not None:
        try:
            working = sum(1 for token in list_observers(store.db) if token.revoked_at is None)
        finally:
            store.close()
    if working == 0:
        return Result(Mark.FAIL, Msg("preflight.intake.no_observers"), Msg("preflight.intake.add_observer"))
    return Result(Mark.OK, Msg("preflight.intake.ok", count=working))


# --- running them ---------------------------------------------------------------------------------


def checks(day: Day) -> list[Check]:
    """The day's checks, in the order their lines are shown."""
    obs = day.config.obs
    return [
        Check(Msg("preflight.rundown.name", path=str(day.rundown_path)), check_rundown, LOCAL_TIMEOUT),
        Check(Msg("preflight.obs.name", host=obs.host, port=obs.port), check_obs, OBS_TIMEOUT),
        Check(Msg("preflight.feeds.name"), check_feeds, FEED_TIMEOUT + 5),
        Check(Msg("preflight.youtube.name"), check_youtube, YOUTUBE_TIMEOUT),
        Check(Msg("preflight.store.name", path=shown(day.store_path)), check_store, LOCAL_TIMEOUT),
        Check(Msg("preflight.fonts.name"), check_fonts, LOCAL_TIMEOUT),
        Check(Msg("preflight.tokens.name"), check_tokens, LOCAL_TIMEOUT),
    ]


def _outcome(check: Check, day: Day) -> list[Result]:
    """The check's results; a failure of the check itself is its one ✗ line, never a traceback."""
    try:
        return check.run(day)
    except StudioError as error:
        return [Result(Mark.FAIL, check.name, error.message)]
    except DiagnosticsError as error:
        first = error.diagnostics[0]
        where = f"{first.path}:{first.line}"
        more = len(error.diagnostics) - 1
        said = Msg("preflight.diagnostics", where=where, message=first.message, more=more) if more else Msg(
            "preflight.diagnostic", where=where, message=first.message)
        return [Result(Mark.FAIL, check.name, said)]
    except Exception as error:  # a bug or the unforeseen: said as the check's failure, the others go on
        return [Result(Mark.FAIL, check.name, Msg("preflight.crashed", error=f"{type(error).__name__}: {error}"))]


def run_checks(day: Day, to_run: Iterable[Check] | None = None) -> list[Result]:
    """Every check at once, each on its own thread; a check still running after its timeout is ✗."""
    began = time.monotonic()
    started = [(check, _started(check, day)) for check in (checks(day) if to_run is None else to_run)]
    results: list[Result] = []
    for check, (thread, box) in started:
        thread.join(max(0.0, began + check.timeout - time.monotonic()))
        if thread.is_alive():  # left running (a daemon thread): the command does not wait for it
            results.append(Result(Mark.FAIL, check.name, Msg("preflight.timeout", seconds=f"{check.timeout:g}")))
        else:
            results.extend(box)
    return results


def _started(check: Check, day: Day) -> tuple[threading.Thread, list[Result]]:
    box: list[Result] = []
    thread = threading.Thread(target=lambda: box.extend(_outcome(check, day)), daemon=True, name="preflight")
    thread.start()
    return thread, box


def would_fail(results: Iterable[Result]) -> bool:
    return any(result.mark is Mark.FAIL for result in results)


def lines(results: list[Result], language: str) -> list[str]:
    """The checklist: one line per result, ``✗`` ones with what to do under them, and a summary."""
    out = []
    for result in results:
        out.append(f"{result.mark} {result.what.render(language)}")
        if result.advice is not None:
            out.append(f"    {result.advice.render(language)}")
    count = {mark: sum(1 for r in results if r.mark is mark) for mark in Mark}
    out.append(Msg("preflight.summary", failed=count[Mark.FAIL], warnings=count[Mark.WARN],
                   fine=count[Mark.OK]).render(language))
    return out
