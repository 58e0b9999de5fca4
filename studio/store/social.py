"""Social cards published to the centre's Telegram channel: the ``social_post`` table (studio/store/db.py).

Each step of publishing one card (the post, the caption's correction, the correction post) is appended
twice: ``started`` in its own commit before the request goes out, then ``done`` with the message id or
``failed`` after. A step whose last row is ``started`` may have reached the channel before a crash: it is
never sent again by itself (``studio social publish`` says so, and a person looks at the channel). The
table is append-only, like the audit logs; the provenance export reads it (studio/desk/provenance.py).

Pure sqlite: no network.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from studio.store.db import immediate
from studio.store.intake import utc_text

Step = Literal["post", "edit", "correction"]
State = Literal["started", "done", "failed"]


@dataclass(frozen=True, slots=True)
class StepState:
    """Where one step of one card stands: its last row."""

    state: State
    at: datetime
    message_id: int | None


@dataclass(frozen=True, slots=True)
class SocialPost:
    """A step that was done, as the provenance export lists it."""

    folder: str
    card: str
    chat: str
    step: Step
    at: datetime
    message_id: int
    facts: tuple[tuple[int, int], ...]


def record(
    db: sqlite3.Connection, *, at: datetime, folder: str, card: str, chat: str, step: Step, state: State,
    message_id: int | None = None, facts: Sequence[tuple[int, int]] = (),
) -> None:
    """Append one row, committed before this returns (so a ``started`` is on disk before the request)."""
    with immediate(db):
        db.execute(
            "INSERT INTO social_post (at, folder, card, chat, step, state, message_id, facts)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            (utc_text(at), folder, card, chat, step, state, message_id, json.dumps([list(f) for f in facts])),
        )


def progress(db: sqlite3.Connection, folder: str, card: str, chat: str) -> dict[Step, StepState]:
    """Each step's last row for this card in this channel; a step never tried is absent."""
    found: dict[Step, StepState] = {}
    for step, state, at, message_id in db.execute(
        "SELECT step, state, at, message_id FROM social_post WHERE folder = ? AND card = ? AND chat = ? ORDER BY id",
        (folder, card, chat),
    ):
        found[step] = StepState(state, datetime.fromisoformat(at), message_id)
    return found


def unconfirmed(db: sqlite3.Connection, folder: str, card: str, chat: str) -> Step | None:
    """The step of this card left ``started`` (a post or a correction post that may have gone out), or None."""
    return next((step for step, last in progress(db, folder, card, chat).items() if last.state == "started"), None)


def published(db: sqlite3.Connection) -> list[SocialPost]:
    """Every step that was done, oldest first."""
    return [
        SocialPost(folder, card, chat, step, datetime.fromisoformat(at), message_id,
                   tuple((int(i), int(v)) for i, v in json.loads(facts)))
        for folder, card, chat, step, at, message_id, facts in db.execute(
            "SELECT folder, card, chat, step, at, message_id, facts FROM social_post WHERE state = 'done' ORDER BY id"
        )
    ]
