"""The Telegram bot's tables (``telegram_code``, ``telegram_chat``, ``telegram_state``; studio/store/db.py).

A one-time code binds a Telegram account to an observer's working token
(``studio observers add``): only the code's SHA-256 is kept, it works once,
and it expires. The binding is to the token, so revoking the observer ends it.
Each bound account's conversation (language, home region and station, the
step and the draft) is a JSON object written in the same transaction as the
update that changed it and the bot's place in the update stream, so a
restarted bot goes on exactly where the last commit left it.

Pure sqlite: no network.
"""

from __future__ import annotations

import json
import secrets
import sqlite3
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from studio.errors import Kind
from studio.i18n import Msg
from studio.store.db import immediate, json_text
from studio.store.intake import DeskError, utc_text
from studio.store.observers import token_hash

HEALTH_SOURCE = "telegram"
"""The health snapshot ``studio bot`` publishes (studio/store/health.py): ``state`` starting, polling, retrying
(``reason``, ``retry_s``) or stopped (``reason``), and ``updates`` taken."""
CODE_BYTES = 24
"""A start code's randomness: 32 URL-safe characters, within Telegram's 64 for a start parameter."""


@dataclass(frozen=True, slots=True)
class Binding:
    """A Telegram account bound to an observer; ``token`` is the hash the intake's checks use."""

    user_id: int
    chat_id: int
    observer: str
    token: str
    active: bool
    state: dict[str, Any]


def issue_code(db: sqlite3.Connection, name: str, *, at: datetime, valid: timedelta) -> str:
    """A new one-time start code for the working token of observer ``name`` (returned once)."""
    code = secrets.token_urlsafe(CODE_BYTES)
    with immediate(db):
        row = db.execute(
            "SELECT id FROM observer_token WHERE name = ? AND revoked_at IS NULL", (name.strip(),)
        ).fetchone()
        if row is None:
            raise DeskError(Msg("observers.error.none_to_revoke", name=name.strip()))
        db.execute(
            "INSERT INTO telegram_code (hash, token_id, expires_at) VALUES (?, ?, ?)",
            (token_hash(code), row[0], utc_text(at + valid)),
        )
    return code


def redeem(
    db: sqlite3.Connection, code: str, *, user_id: int, chat_id: int, at: datetime, state: Mapping[str, Any]
) -> str:
    """Bind ``user_id`` to the observer of ``code``; the observer's name. Call inside a write transaction.

    Refuses (DeskError, kind REFUSED, its message naming why) a code never issued, used, expired, or whose
    observer has been revoked since."""
    assert db.in_transaction, "redeem runs inside the bot's write transaction"
    row = db.execute(
        "SELECT c.token_id, c.expires_at, c.used_at, t.name, t.revoked_at FROM telegram_code c "
        "JOIN observer_token t ON t.id = c.token_id WHERE c.hash = ?",
        (token_hash(code),),
    ).fetchone()
    if row is None:
        raise DeskError(Msg("bot.code.unknown"), kind=Kind.REFUSED)
    if row[2] is not None:
        raise DeskError(Msg("bot.code.used"), kind=Kind.REFUSED)
    if datetime.fromisoformat(row[1]) <= at or row[4] is not None:
        raise DeskError(Msg("bot.code.expired"), kind=Kind.REFUSED)
    db.execute("UPDATE telegram_code SET used_at = ?, used_by = ? WHERE hash = ?", (utc_text(at), user_id, token_hash(code)))
    db.execute(
        "INSERT INTO telegram_chat (user_id, chat_id, token_id, bound_at, state) VALUES (?, ?, ?, ?, ?) "
        "ON CONFLICT (user_id) DO UPDATE SET chat_id = excluded.chat_id, token_id = excluded.token_id, "
        "bound_at = excluded.bound_at, state = excluded.state",
        (user_id, chat_id, row[0], utc_text(at), json.dumps(dict(state), ensure_ascii=False)),
    )
    return str(row[3])


def bindings(db: sqlite3.Connection, user_ids: Iterable[int] | None = None) -> dict[int, Binding]:
    """The bound accounts (all, or those of ``user_ids``), each with its observer and whether the token works."""
    sql = (
        "SELECT c.user_id, c.chat_id, t.name, t.hash, t.revoked_at IS NULL, c.state FROM telegram_chat c "
        "JOIN observer_token t ON t.id = c.token_id"
    )
    wanted = None if user_ids is None else sorted(set(user_ids))
    rows: list[sqlite3.Row] = []
    if wanted is None:
        rows = db.execute(sql).fetchall()
    else:
        for start in range(0, len(wanted), 500):
            chunk = wanted[start : start + 500]
            rows += db.execute(f"{sql} WHERE c.user_id IN ({', '.join('?' * len(chunk))})", chunk).fetchall()
    return {row[0]: Binding(row[0], row[1], row[2], row[3], bool(row[4]), json.loads(row[5])) for row in rows}


def bound_names(db: sqlite3.Connection) -> dict[str, int]:
    """Observer name -> how many Telegram accounts are bound to its working token (``studio observers list``)."""
    return {
        row[0]: row[1]
        for row in db.execute(
            "SELECT t.name, COUNT(*) FROM telegram_chat c JOIN observer_token t ON t.id = c.token_id "
            "WHERE t.revoked_at IS NULL GROUP BY t.name"
        )
    }


def save_states(db: sqlite3.Connection, states: Mapping[int, Mapping[str, Any]]) -> None:
    """Write the conversations of these accounts. Call inside a write transaction."""
    db.executemany(
        "UPDATE telegram_chat SET state = ? WHERE user_id = ?",
        [(json.dumps(dict(state), ensure_ascii=False), user_id) for user_id, state in states.items()],
    )


def position(db: sqlite3.Connection) -> tuple[int, int]:
    """(last update id processed, last fact_audit id told); a new bot starts after today's verdicts."""
    row = db.execute("SELECT last_update, last_audit FROM telegram_state WHERE id = 1").fetchone()
    if row is not None:
        return row[0], row[1]
    audit = db.execute("SELECT COALESCE(MAX(id), 0) FROM fact_audit").fetchone()[0]
    return 0, audit


def save_position(db: sqlite3.Connection, last_update: int, last_audit: int) -> None:
    """Move the bot's place. Call inside the transaction that wrote what the updates did."""
    db.execute(
        "INSERT INTO telegram_state (id, last_update, last_audit) VALUES (1, ?, ?) "
        "ON CONFLICT (id) DO UPDATE SET last_update = excluded.last_update, last_audit = excluded.last_audit",
        (last_update, last_audit),
    )


VERDICTS = ("verified", "false", "unproven")


def verdicts_since(db: sqlite3.Connection, audit_id: int) -> list[tuple[int, int, str, int, int]]:
    """Verdicts given after audit entry ``audit_id`` on facts backed by reports of bound observers:
    (audit id, fact id, status, report id, Telegram user id), oldest first."""
    status, was = json_text(db, "a.after", "status"), json_text(db, "a.before", "status")
    return [
        tuple(row)  # type: ignore[misc]
        for row in db.execute(
            f"""SELECT DISTINCT a.id, a.fact_id, {status} AS status, g.id, c.user_id
                FROM fact_audit a
                JOIN fact_report fr ON fr.fact_id = a.fact_id
                JOIN report_grouped lead ON lead.id = fr.report_id
                JOIN report_grouped g ON g.group_id = lead.group_id AND g.region = lead.region
                    AND g.station IS NOT DISTINCT FROM lead.station AND g.kind = lead.kind
                JOIN observer_token t ON t.name = g.observer AND t.revoked_at IS NULL
                JOIN telegram_chat c ON c.token_id = t.id
                WHERE a.id > ? AND {status} IN ({", ".join("?" * len(VERDICTS))})
                  AND (a.before IS NULL OR {was} IS DISTINCT FROM {status})
                ORDER BY a.id, g.id""",
            (audit_id, *VERDICTS),
        )
    ]


def last_audit(db: sqlite3.Connection) -> int:
    return int(db.execute("SELECT COALESCE(MAX(id), 0) FROM fact_audit").fetchone()[0])


def reports_since(db: sqlite3.Connection, observer: str, since: datetime) -> list[tuple[int, str, str | None]]:
    """The observer's reports received since ``since``: (id, kind, the desk's status of its group or None)."""
    return [
        (row[0], row[1], row[2])
        for row in db.execute(
            """SELECT r.id, r.kind,
                      (SELECT f.status FROM fact_report fr JOIN fact f ON f.id = fr.fact_id
                       JOIN report_grouped m ON m.id = fr.report_id
                       WHERE m.group_id = r.group_id AND m.region = r.region AND m.station IS NOT DISTINCT FROM r.station
                         AND m.kind = r.kind
                       ORDER BY f.updated_at DESC LIMIT 1)
               FROM report_grouped r WHERE r.observer = ? AND r.received_at >= ? ORDER BY r.id""",
            (observer, utc_text(since)),
        )
    ]
