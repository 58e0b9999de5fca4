"""``studio social [--out DIR] [--hour HH] [--watch]``: the cards of an hour of the show into the folder the
social team publishes from (studio/social/folder.py), and with ``--watch`` kept current.

The hour is the show day's (``--hour``, else the local hour now, as a clock on the show day reads it).
Each round reads the rundown file and the desk as they are: a card refused by the gate is not written and
is said on standard error with why; one already in the folder is withdrawn. ``--watch`` runs a round
again when another process commits to the store (``Connection.changed_elsewhere``, as the show process
notices the desk), when the rundown file changes, and when the hour turns (without ``--hour``); a rundown that
no longer reads is said and the folder left as it was until the file is fixed. It stops on Ctrl+C or
when ``stop`` is set (tests run it in a thread).
"""

from __future__ import annotations

import sys
import threading
from dataclasses import dataclass
from datetime import datetime, time, tzinfo
from pathlib import Path
from typing import Callable, TextIO

from studio.desk.views import GraphicsFacts
from studio.diagnostics import DiagnosticsError
from studio.graphics.resolve import ZONE
from studio.i18n import Msg
from studio.machine import utc_now
from studio.rundown.load import load_rundown
from studio.rundown.model import Rundown
from studio.social.cards import Branding, hour_cards
from studio.social.folder import CardFolder, Outcome, hour_folder
from studio.store.desk import DeskStore
from studio.store.youtube import YouTubeStore

POLL_SECONDS = 0.5
"""How often ``--watch`` asks the store whether another process committed: one cheap PRAGMA on SQLite, one
round trip to its listening connection on PostgreSQL (studio/store/postgresql.py ``PgChanges``)."""


def watch_link(broadcast_id: str) -> str:
    """Where viewers watch the show (as studio/youtube/live.py ``Broadcast.watch_url``)."""
    return f"https://www.youtube.com/watch?v={broadcast_id}"


@dataclass
class SocialRun:
    rundown_path: Path
    desk: DeskStore
    out: Path
    hour: int | None  # local hour of the show day; None: the hour now
    language: str
    stdout: TextIO
    stderr: TextIO
    clock: Callable[[], datetime] = utc_now
    zone: tzinfo = ZONE  # the show's, once a round has read the rundown

    def hour_start(self, rundown: Rundown, now: datetime) -> datetime:
        show = rundown.show
        return show.at(time(self.hour if self.hour is not None else now.astimezone(show.zone).hour))

    def round(self) -> tuple[Path, Outcome]:
        """One sync of the hour folder; says what it wrote, withdrew and refused."""
        now = self.clock()
        rundown = load_rundown(self.rundown_path)
        show = rundown.show
        self.zone = show.zone
        record = YouTubeStore(self.desk.db).broadcast(show.id)
        branding = Branding(show.title, watch_link(record.broadcast_id) if record else None)
        start = self.hour_start(rundown, now)
        folder = hour_folder(self.out, show.id, start, show.zone)
        cards = CardFolder(folder, GraphicsFacts(self.desk, show.date, show.zone), zone=show.zone,
                           language=self.language)
        outcome = cards.sync(hour_cards(rundown, start, branding), now)
        self.say(outcome, folder)
        return folder, outcome

    def say(self, outcome: Outcome, folder: Path) -> None:
        def line(key: str, names: list[str], out: TextIO) -> None:
            if names:
                print(Msg(key, count=len(names), cards=", ".join(names), folder=str(folder)).render(self.language),
                      file=out)

        line("social.wrote", outcome.written, self.stdout)
        line("social.unchanged", outcome.unchanged, self.stdout)
        line("social.withdrew", outcome.withdrawn, self.stdout)
        for name, error in outcome.refused:
            said = Msg("social.refused", card=name, reason=error.said)
            print(f"studio: note: {said.render(self.language)}", file=self.stderr)
        if not (outcome.written or outcome.unchanged or outcome.withdrawn or outcome.refused):
            print(Msg("social.none", folder=str(folder)).render(self.language), file=self.stdout)

    def watch(self, stop: threading.Event, rounds: Callable[[Outcome], None] = lambda _: None) -> None:
        """A round now, then one whenever the desk, the rundown or the hour changed, until ``stop``."""
        folder, outcome = self.round()
        rounds(outcome)
        seen = self.rundown_path.stat().st_mtime_ns
        while not stop.wait(POLL_SECONDS):
            changed = self.desk.changed_elsewhere()
            mtime = self.rundown_path.stat().st_mtime_ns
            turned = self.hour is None and f"{self.clock().astimezone(self.zone):%H}" != folder.name[-2:]
            if changed or mtime != seen or turned:
                seen = mtime
                try:
                    folder, outcome = self.round()
                except DiagnosticsError as error:  # a rundown saved half-edited: said, and the next save is read
                    print(error.render(self.language), file=self.stderr)
                    continue
                rounds(outcome)


def social_command(run: SocialRun, *, watch: bool) -> int:
    if not watch:
        run.round()
        return 0
    print(Msg("social.watching").render(run.language), file=run.stderr)
    try:
        run.watch(threading.Event())
    except KeyboardInterrupt:
        pass
    return 0
