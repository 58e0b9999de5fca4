"""The store's schema and its history (``MIGRATIONS``), opening the SQLite file (WAL, migrations), and
``Connection``, which every repository is, on either database (PostgreSQL: studio/store/postgresql.py).

Over ~450 lines on purpose: most of it is ``MIGRATIONS``, the schema's history in
order, which is appended to and never edited; the code that opens and migrates is
about a hundred lines below it.

One list of migrations, one number for both databases. The first ``PG_BASELINE`` entries are SQLite's
history and are SQLite scripts only: a PostgreSQL store starts at that number from one script that
equals SQLite's schema there (studio/store/pg_baseline.py), since no PostgreSQL store ever existed at an
earlier one (one is made empty, or copied from a SQLite store at the newest version) and replaying
SQLite's table rebuilds would only copy empty tables. Every entry after it is a ``Migration`` that says
the same change twice, once per database; tests/store/test_migrations.py checks it."""

from __future__ import annotations

import sqlite3
import time
from contextlib import contextmanager
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, Iterator, Protocol, Self, Sequence

from studio.errors import Kind, StudioError
from studio.i18n import FALLBACK, Msg


@dataclass(frozen=True, slots=True)
class Migration:
    """One step of the schema, in each database's SQL: the same tables, constraints and triggers.
    PostgreSQL's is run as one script (it may hold several statements and functions)."""

    sqlite: str
    postgresql: str


# Each entry moves the schema from version N to N+1; never edit a shipped one. Up to PG_BASELINE, SQLite
# scripts; after it, Migration (both databases).
MIGRATIONS: tuple[str | Migration, ...] = (
    """
    CREATE TABLE plan (
        show_id TEXT PRIMARY KEY,
        show TEXT NOT NULL,            -- the [show] table as JSON
        segments TEXT NOT NULL,        -- the live rundown: a JSON list in rundown-file form
        revision INTEGER NOT NULL
    );
    CREATE TABLE flag (
        show_id TEXT NOT NULL,
        segment_id TEXT NOT NULL,
        flag TEXT NOT NULL CHECK (flag IN ('held', 'skipped')),
        PRIMARY KEY (show_id, segment_id)
    );
    -- The played record, frozen apart from the plan: a row is a snapshot of
    -- the segment as it was when taken. The on-air segment is the open row.
    CREATE TABLE asrun (
        id INTEGER PRIMARY KEY,
        show_id TEXT NOT NULL,
        segment_id TEXT NOT NULL,
        kind TEXT NOT NULL,
        title_kk TEXT NOT NULL,
        title_ru TEXT NOT NULL,
        region TEXT,
        planned_s INTEGER NOT NULL,
        started_at TEXT NOT NULL,      -- UTC, ISO 8601
        ended_at TEXT,                 -- NULL while on air
        taken_by TEXT NOT NULL,
        origin TEXT NOT NULL,
        undone INTEGER NOT NULL DEFAULT 0,
        note TEXT NOT NULL DEFAULT ''
    );
    CREATE INDEX asrun_show ON asrun (show_id, undone, started_at);
    CREATE UNIQUE INDEX asrun_one_on_air ON asrun (show_id) WHERE ended_at IS NULL AND undone = 0;
    CREATE TABLE event (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,              -- UTC, ISO 8601
        show_id TEXT NOT NULL,
        action TEXT NOT NULL,
        segment_id TEXT,
        who TEXT NOT NULL,
        origin TEXT NOT NULL,
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE INDEX event_show ON event (show_id, id);
    CREATE TRIGGER event_append_only_update BEFORE UPDATE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    CREATE TRIGGER event_append_only_delete BEFORE DELETE ON event
        BEGIN SELECT RAISE(ABORT, 'the event log is append-only'); END;
    """,
    # 2: the verification desk (studio/store/desk.py; the rules are studio/desk/rules.py)
    """
    -- One import (or one report typed in at the desk): who brought rows in, from where, when.
    CREATE TABLE import_batch (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('reports', 'turnout', 'desk')),
        file TEXT NOT NULL,            -- the path as given; '' when typed in
        at TEXT NOT NULL,              -- UTC, ISO 8601
        operator TEXT NOT NULL
    );
    CREATE TRIGGER import_batch_append_only_update BEFORE UPDATE ON import_batch
        BEGIN SELECT RAISE(ABORT, 'the import log is append-only'); END;
    CREATE TRIGGER import_batch_append_only_delete BEFORE DELETE ON import_batch
        BEGIN SELECT RAISE(ABORT, 'the import log is append-only'); END;
    -- What came in. Never changed: a correction is a new report or a fact.
    CREATE TABLE report (
        id INTEGER PRIMARY KEY,
        observer TEXT NOT NULL,
        channel TEXT NOT NULL,
        received_at TEXT NOT NULL,     -- UTC, ISO 8601
        region TEXT NOT NULL,
        station INTEGER,               -- NULL: not about one polling station
        kind TEXT NOT NULL CHECK (kind IN ('turnout', 'violation', 'incident', 'queue', 'other')),
        text TEXT NOT NULL,
        attachments TEXT NOT NULL DEFAULT '[]',  -- JSON list of paths
        group_id INTEGER NOT NULL,     -- the first report of its group (its own id for a lead)
        batch INTEGER NOT NULL,        -- import_batch.id (not a declared foreign key: 100k checks per import)
        line INTEGER NOT NULL          -- its line in the batch's file; 0 when typed in
    );
    -- Grouping and the group of a report both go through (region, station, kind): one index, fast imports.
    CREATE INDEX report_bucket ON report (region, station, kind, received_at);
    -- The desk's queue: one row per group of reports, kept by the store as reports are added.
    CREATE TABLE report_group (
        id INTEGER PRIMARY KEY,        -- the group's lead report
        region TEXT NOT NULL,
        station INTEGER,
        kind TEXT NOT NULL,
        first_at TEXT NOT NULL,        -- UTC, ISO 8601
        last_at TEXT NOT NULL,
        reports INTEGER NOT NULL
    );
    CREATE TRIGGER report_never_changed BEFORE UPDATE ON report
        BEGIN SELECT RAISE(ABORT, 'a report is what came in and is never changed'); END;
    CREATE TRIGGER report_never_deleted BEFORE DELETE ON report
        BEGIN SELECT RAISE(ABORT, 'a report is what came in and is never deleted'); END;
    CREATE TABLE source (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('official', 'observer', 'media', 'social')),
        reference TEXT NOT NULL,       -- a URL, a document number, a report id
        origin TEXT NOT NULL,          -- the observer or organisation behind it
        note TEXT NOT NULL DEFAULT '',
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        UNIQUE (kind, origin, reference)
    );
    CREATE TRIGGER source_never_changed BEFORE UPDATE ON source
        BEGIN SELECT RAISE(ABORT, 'a source is never changed; add another'); END;
    CREATE TRIGGER source_never_deleted BEFORE DELETE ON source
        BEGIN SELECT RAISE(ABORT, 'a source is never deleted; detach it from the fact'); END;
    CREATE TABLE fact (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('turnout', 'violation', 'incident', 'queue', 'other')),
        claim_kk TEXT NOT NULL,
        claim_ru TEXT NOT NULL,
        region TEXT,                   -- NULL: the whole country
        station INTEGER,
        value TEXT,                    -- a decimal exactly as published
        as_of TEXT,                    -- UTC, ISO 8601: the instant the value is about
        detail TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL
            CHECK (status IN ('new', 'in_review', 'verified', 'false', 'unproven', 'retracted')),
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        editors TEXT NOT NULL DEFAULT '[]',
        verified_by TEXT,              -- who gave the verdict (verified, false, unproven), and when
        verified_at TEXT,
        correction_kk TEXT NOT NULL DEFAULT '',  -- what is true (a retraction's on-air correction)
        correction_ru TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL,      -- optimistic concurrency: every change names the version it read
        CHECK (claim_kk != '' OR claim_ru != ''),
        -- A safety net under studio/desk/rules.py, which decides: never verified by its creator.
        CHECK (status != 'verified' OR (verified_by IS NOT NULL AND verified_by != created_by)),
        CHECK (status != 'retracted' OR correction_kk != '' OR correction_ru != '')
    );
    CREATE INDEX fact_status ON fact (status, kind);
    CREATE INDEX fact_instant ON fact (kind, as_of);
    CREATE TABLE fact_source (
        fact_id INTEGER NOT NULL REFERENCES fact (id),
        source_id INTEGER NOT NULL REFERENCES source (id),
        PRIMARY KEY (fact_id, source_id)
    ) WITHOUT ROWID;
    CREATE TABLE fact_report (
        fact_id INTEGER NOT NULL REFERENCES fact (id),
        report_id INTEGER NOT NULL REFERENCES report (id),
        PRIMARY KEY (fact_id, report_id)
    ) WITHOUT ROWID;
    CREATE INDEX fact_report_report ON fact_report (report_id);
    -- One entry per successful change of a fact; fact.version = its number of entries.
    CREATE TABLE fact_audit (
        id INTEGER PRIMARY KEY,
        fact_id INTEGER NOT NULL REFERENCES fact (id),
        version INTEGER NOT NULL,      -- the fact's version after the change
        at TEXT NOT NULL,              -- UTC, ISO 8601
        who TEXT NOT NULL,
        action TEXT NOT NULL,
        why TEXT NOT NULL,
        before TEXT,                   -- JSON; NULL for the creation
        after TEXT NOT NULL,           -- JSON
        UNIQUE (fact_id, version)
    );
    CREATE TRIGGER fact_audit_append_only_update BEFORE UPDATE ON fact_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER fact_audit_append_only_delete BEFORE DELETE ON fact_audit
        BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
    CREATE TRIGGER fact_never_deleted BEFORE DELETE ON fact
        BEGIN SELECT RAISE(ABORT, 'a fact is never deleted; mark it false or retract it'); END;
    -- Rows an import could not take, kept as they were with the reason.
    CREATE TABLE quarantine (
        id INTEGER PRIMARY KEY,
        key TEXT NOT NULL UNIQUE,      -- the same bad row imported again is not added again
        batch INTEGER NOT NULL REFERENCES import_batch (id),
        line INTEGER NOT NULL,
        reason TEXT NOT NULL,
        raw TEXT NOT NULL              -- the row as it was in the file
    );
    CREATE TRIGGER quarantine_never_deleted BEFORE DELETE ON quarantine
        BEGIN SELECT RAISE(ABORT, 'quarantined rows are kept'); END;
    -- One row per imported row: importing the same row again adds nothing.
    CREATE TABLE import_key (
        key TEXT PRIMARY KEY,
        target TEXT NOT NULL CHECK (target IN ('report', 'fact')),
        target_id INTEGER NOT NULL,
        digest TEXT NOT NULL           -- the row's content, to notice a changed re-export
    ) WITHOUT ROWID;
    """,
    # 3: graphics on air (studio/onair.py): a restart puts them back; the event log keeps their record
    """
    CREATE TABLE graphic (
        show_id TEXT NOT NULL,
        template TEXT NOT NULL,        -- one graphic per template on air
        segment_id TEXT NOT NULL,
        scene TEXT,
        file TEXT NOT NULL,            -- the rendered PNG, absolute
        detail TEXT NOT NULL,          -- JSON: placement, canvas, description
        taken_at TEXT NOT NULL,        -- UTC, ISO 8601
        PRIMARY KEY (show_id, template)
    );
    """,
    # 4: observers' intake tokens (studio/web/intake.py, studio/desk/observers.py); only a hash is kept
    """
    CREATE TABLE observer_token (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,            -- the observer: the name written on every report sent with the token
        hash TEXT NOT NULL UNIQUE,     -- sha256 (hex) of the token; the token itself is never stored
        created_at TEXT NOT NULL,      -- UTC, ISO 8601
        created_by TEXT NOT NULL,
        revoked_at TEXT,               -- NULL while the token works
        revoked_by TEXT
    );
    CREATE UNIQUE INDEX observer_token_active ON observer_token (name) WHERE revoked_at IS NULL;
    CREATE TRIGGER observer_token_never_deleted BEFORE DELETE ON observer_token
        BEGIN SELECT RAISE(ABORT, 'an observer token is revoked, never deleted'); END;
    """,
    # 5: the desk's claims (studio/store/claims.py): an item one desk terminal has open shows as taken to the others
    """
    CREATE TABLE desk_claim (
        item TEXT NOT NULL CHECK (item IN ('fact', 'group')),
        item_id INTEGER NOT NULL,      -- fact.id, or report_group.id (the group's lead report)
        who TEXT NOT NULL,
        at TEXT NOT NULL,              -- UTC, ISO 8601; refreshed while open, stale after studio.store.claims.CLAIM_TTL
        PRIMARY KEY (item, item_id)
    ) WITHOUT ROWID;
    CREATE INDEX desk_claim_who ON desk_claim (who);
    """,
    # 6: health snapshots the show process publishes for other processes (the control API's GET /state),
    #    and YouTube: the show's broadcast (never two for one show) and the day's quota ledger
    """
    CREATE TABLE health (
        source TEXT PRIMARY KEY,       -- 'obs', 'youtube'
        at TEXT NOT NULL,              -- UTC, ISO 8601: when the snapshot was taken
        detail TEXT NOT NULL           -- JSON snapshot
    ) WITHOUT ROWID;
    CREATE TABLE youtube_broadcast (
        show_id TEXT PRIMARY KEY,
        broadcast_id TEXT NOT NULL UNIQUE,
        stream_id TEXT,                -- the bound liveStream, once bound
        created_at TEXT NOT NULL,      -- UTC, ISO 8601
        created_by TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TABLE youtube_quota (
        day TEXT NOT NULL,             -- the quota day: a date in America/Los_Angeles (Google resets at its midnight)
        method TEXT NOT NULL,          -- e.g. liveBroadcasts.insert
        calls INTEGER NOT NULL,
        units INTEGER NOT NULL,
        PRIMARY KEY (day, method)
    ) WITHOUT ROWID;
    """,
    # 7: the facts each on-air graphic states, at the version it was rendered with (the on-air invariant:
    #    studio/show/graphics.py pulls a graphic whose fact is no longer verified at that version)
    """
    CREATE TABLE graphic_fact (
        show_id TEXT NOT NULL,
        template TEXT NOT NULL,        -- graphic.template
        fact_id INTEGER NOT NULL,
        version INTEGER NOT NULL,      -- fact.version when the graphic was rendered
        PRIMARY KEY (show_id, template, fact_id)
    ) WITHOUT ROWID;
    CREATE INDEX graphic_fact_fact ON graphic_fact (fact_id);
    """,
    # 8: operators who sign in (studio/store/operators.py): the audit names the person a passphrase proves
    """
    CREATE TABLE operator (
        id INTEGER PRIMARY KEY,
        name TEXT NOT NULL,            -- the name written in the audit once the passphrase proves it
        salt BLOB NOT NULL,            -- 16 random bytes, this operator's own
        scrypt_n INTEGER NOT NULL,     -- scrypt's cost parameters, kept per row so they can rise later
        scrypt_r INTEGER NOT NULL,
        scrypt_p INTEGER NOT NULL,
        hash BLOB NOT NULL,            -- scrypt(passphrase, salt); the passphrase itself is never stored
        created_at TEXT NOT NULL,      -- UTC, ISO 8601
        created_by TEXT NOT NULL,
        revoked_at TEXT,               -- NULL while the passphrase works
        revoked_by TEXT
    );
    CREATE UNIQUE INDEX operator_active ON operator (name) WHERE revoked_at IS NULL;
    CREATE TRIGGER operator_never_deleted BEFORE DELETE ON operator
        BEGIN SELECT RAISE(ABORT, 'an operator is revoked, never deleted'); END;
    -- Wrong passphrases in a row per name tried, shared by every process: a burst is slowed down
    -- and a restart does not reset it.
    CREATE TABLE sign_in_failure (
        name TEXT PRIMARY KEY,         -- the name tried, whether or not an operator has it
        failures INTEGER NOT NULL,     -- wrong passphrases since the last success
        last_at TEXT NOT NULL,         -- UTC, ISO 8601
        locked_until TEXT NOT NULL     -- UTC, ISO 8601: no passphrase for this name is checked before then
    ) WITHOUT ROWID;
    """,
    # 9: sources with a type of five (the commission, another official body, an observer, media, social), the
    #    time they published and the source a reprint quotes; a report split out of its group (studio/desk/rules.py
    #    plan_split): reports never change, so a move is a row of its own and report_grouped is where a report is.
    #    The source table is rebuilt for its new CHECK (migrate() turns foreign keys off meanwhile).
    """
    CREATE TABLE source_v9 (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('official', 'authority', 'observer', 'media', 'social')),
        reference TEXT NOT NULL,       -- a URL, a document number, a report id
        origin TEXT NOT NULL,          -- the observer or organisation behind it
        note TEXT NOT NULL DEFAULT '',
        published_at TEXT,             -- UTC, ISO 8601: when the source published it; NULL: not known
        quotes INTEGER REFERENCES source_v9 (id),  -- a reprint: the source it quotes (the commission's release)
        added_at TEXT NOT NULL,
        added_by TEXT NOT NULL,
        UNIQUE (kind, origin, reference)
    );
    INSERT INTO source_v9 (id, kind, reference, origin, note, added_at, added_by)
        SELECT id, kind, reference, origin, note, added_at, added_by FROM source;
    DROP TABLE source;
    ALTER TABLE source_v9 RENAME TO source;
    CREATE TRIGGER source_never_changed BEFORE UPDATE ON source
        BEGIN SELECT RAISE(ABORT, 'a source is never changed; add another'); END;
    CREATE TRIGGER source_never_deleted BEFORE DELETE ON source
        BEGIN SELECT RAISE(ABORT, 'a source is never deleted; detach it from the fact'); END;
    CREATE TABLE report_move (
        id INTEGER PRIMARY KEY,
        report_id INTEGER NOT NULL REFERENCES report (id),
        group_id INTEGER NOT NULL,     -- the group it is in from now on (the lead report of the new group)
        from_group INTEGER NOT NULL,
        at TEXT NOT NULL,              -- UTC, ISO 8601
        who TEXT NOT NULL,
        why TEXT NOT NULL
    );
    CREATE INDEX report_move_report ON report_move (report_id, id);
    CREATE TRIGGER report_move_append_only_update BEFORE UPDATE ON report_move
        BEGIN SELECT RAISE(ABORT, 'a group move is recorded, never changed'); END;
    CREATE TRIGGER report_move_append_only_delete BEFORE DELETE ON report_move
        BEGIN SELECT RAISE(ABORT, 'a group move is recorded, never deleted'); END;
    CREATE VIEW report_grouped AS
        SELECT r.id, r.observer, r.channel, r.received_at, r.region, r.station, r.kind, r.text, r.attachments,
               COALESCE((SELECT m.group_id FROM report_move AS m WHERE m.report_id = r.id ORDER BY m.id DESC LIMIT 1),
                        r.group_id) AS group_id,
               r.batch, r.line
        FROM report AS r;
    """,
    # 10: rehearsals (studio rehearse, studio/rehearsal/). Every event and as-run row says whether a rehearsal
    #     wrote it: a row is marked when the store is a rehearsal's (the one row of ``rehearsal``, written when
    #     `studio rehearse` made the store: then a trainee's console on it marks its rows too) or when the
    #     process writing it is a rehearsal (`studio rehearse --store` on a store that is not one).
    """
    ALTER TABLE event ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE asrun ADD COLUMN rehearsal INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE rehearsal (
        id INTEGER PRIMARY KEY CHECK (id = 1),  -- at most one row: this whole store is a rehearsal's
        show_id TEXT NOT NULL,
        begun_at TEXT NOT NULL,        -- UTC, ISO 8601: the wall clock when the rehearsal began
        simulated_start TEXT NOT NULL, -- UTC, ISO 8601: the instant of the show's day it began at
        speed REAL NOT NULL,           -- simulated seconds per real second
        seed INTEGER NOT NULL          -- the scenario's seed (studio/rehearsal/scenario.py)
    );
    CREATE TRIGGER rehearsal_never_deleted BEFORE DELETE ON rehearsal
        BEGIN SELECT RAISE(ABORT, 'a rehearsal store stays one'); END;
    """,
    # form (issue 20 part 2; the bot's kinds too): the kind 'protocol', a polling station's result protocol
    #     (studio/desk/model.py ReportKind). report and fact are rebuilt for their new CHECK, as source was in 9;
    #     report_grouped, which reads report, is dropped first and made again.
    """
    DROP VIEW report_grouped;
    CREATE TABLE report_with_protocol (
        id INTEGER PRIMARY KEY,
        observer TEXT NOT NULL,
        channel TEXT NOT NULL,
        received_at TEXT NOT NULL,     -- UTC, ISO 8601
        region TEXT NOT NULL,
        station INTEGER,               -- NULL: not about one polling station
        kind TEXT NOT NULL CHECK (kind IN ('turnout', 'violation', 'incident', 'queue', 'protocol', 'other')),
        text TEXT NOT NULL,
        attachments TEXT NOT NULL DEFAULT '[]',  -- JSON list of paths
        group_id INTEGER NOT NULL,     -- the first report of its group (its own id for a lead)
        batch INTEGER NOT NULL,        -- import_batch.id (not a declared foreign key: 100k checks per import)
        line INTEGER NOT NULL          -- its line in the batch's file; 0 when typed in
    );
    INSERT INTO report_with_protocol SELECT * FROM report;
    DROP TABLE report;
    ALTER TABLE report_with_protocol RENAME TO report;
    CREATE INDEX report_bucket ON report (region, station, kind, received_at);
    CREATE TRIGGER report_never_changed BEFORE UPDATE ON report
        BEGIN SELECT RAISE(ABORT, 'a report is what came in and is never changed'); END;
    CREATE TRIGGER report_never_deleted BEFORE DELETE ON report
        BEGIN SELECT RAISE(ABORT, 'a report is what came in and is never deleted'); END;
    CREATE TABLE fact_with_protocol (
        id INTEGER PRIMARY KEY,
        kind TEXT NOT NULL CHECK (kind IN ('turnout', 'violation', 'incident', 'queue', 'protocol', 'other')),
        claim_kk TEXT NOT NULL,
        claim_ru TEXT NOT NULL,
        region TEXT,                   -- NULL: the whole country
        station INTEGER,
        value TEXT,                    -- a decimal exactly as published
        as_of TEXT,                    -- UTC, ISO 8601: the instant the value is about
        detail TEXT NOT NULL DEFAULT '{}',
        status TEXT NOT NULL
            CHECK (status IN ('new', 'in_review', 'verified', 'false', 'unproven', 'retracted')),
        created_by TEXT NOT NULL,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        editors TEXT NOT NULL DEFAULT '[]',
        verified_by TEXT,              -- who gave the verdict (verified, false, unproven), and when
        verified_at TEXT,
        correction_kk TEXT NOT NULL DEFAULT '',  -- what is true (a retraction's on-air correction)
        correction_ru TEXT NOT NULL DEFAULT '',
        version INTEGER NOT NULL,      -- optimistic concurrency: every change names the version it read
        CHECK (claim_kk != '' OR claim_ru != ''),
        -- A safety net under studio/desk/rules.py, which decides: never verified by its creator.
        CHECK (status != 'verified' OR (verified_by IS NOT NULL AND verified_by != created_by)),
        CHECK (status != 'retracted' OR correction_kk != '' OR correction_ru != '')
    );
    INSERT INTO fact_with_protocol SELECT * FROM fact;
    DROP TABLE fact;
    ALTER TABLE fact_with_protocol RENAME TO fact;
    CREATE INDEX fact_status ON fact (status, kind);
    CREATE INDEX fact_instant ON fact (kind, as_of);
    CREATE TRIGGER fact_never_deleted BEFORE DELETE ON fact
        BEGIN SELECT RAISE(ABORT, 'a fact is never deleted; mark it false or retract it'); END;
    CREATE VIEW report_grouped AS
        SELECT r.id, r.observer, r.channel, r.received_at, r.region, r.station, r.kind, r.text, r.attachments,
               COALESCE((SELECT m.group_id FROM report_move AS m WHERE m.report_id = r.id ORDER BY m.id DESC LIMIT 1),
                        r.group_id) AS group_id,
               r.batch, r.line
        FROM report AS r;
    """,
    # form (issue 20 part 2): the phone form's link (GET /r/<link> on the intake, studio/web/form.py), a secret
    #     of its own beside the token; only its hash is kept. A new link replaces the old; revoking the token ends both.
    """
    ALTER TABLE observer_token ADD COLUMN link_hash TEXT;  -- sha256 (hex) of the form link; NULL: none issued
    CREATE UNIQUE INDEX observer_token_link ON observer_token (link_hash) WHERE link_hash IS NOT NULL;
    """,
    # the "needs a region" queue (studio/store/held.py, studio/desk/held.py): a row whose region the gazetteer
    #     could not match with certainty waits here, never guessed and never lost, until the desk resolves its
    #     spelling; the spellings the desk taught the gazetteer, with who and when.
    """
    CREATE TABLE region_held (
        id INTEGER PRIMARY KEY,
        path TEXT NOT NULL CHECK (path IN ('reports', 'intake', 'turnout')),
        spelling TEXT NOT NULL,        -- the region as it came
        spelling_key TEXT NOT NULL,    -- studio/desk/gazetteer.py spelling_key: the queue groups by it
        why TEXT NOT NULL,             -- the matcher's reason (Match.why)
        suggestions TEXT NOT NULL,     -- a JSON list of unit ids, closest first
        origin TEXT NOT NULL,          -- the file (reports, turnout) or the observer (intake) it came from
        line INTEGER NOT NULL,         -- its line in the file; 0 for the intake
        row TEXT NOT NULL,             -- the whole row as JSON: the checked report, or the turnout row's values
        raw TEXT NOT NULL,             -- the row as it came
        key TEXT NOT NULL UNIQUE,      -- its import or idempotency key: the same row is held once
        at TEXT NOT NULL,              -- UTC, ISO 8601
        by TEXT NOT NULL,              -- who imported it ('intake' for the intake)
        region TEXT,                   -- the unit the desk resolved it to; NULL while held
        resolved_by TEXT,
        resolved_at TEXT,
        outcome TEXT                   -- what it became: 'report R12', 'fact F3'
    );
    CREATE INDEX region_held_open ON region_held (spelling_key) WHERE region IS NULL;
    CREATE TRIGGER region_held_never_deleted BEFORE DELETE ON region_held
        BEGIN SELECT RAISE(ABORT, 'held rows are kept'); END;
    CREATE TABLE region_alias (
        spelling_key TEXT PRIMARY KEY,
        region TEXT NOT NULL,
        spelling TEXT NOT NULL,        -- as the desk saw it
        by TEXT NOT NULL,              -- the signed-in operator who taught it
        at TEXT NOT NULL
    ) WITHOUT ROWID;
    CREATE TRIGGER region_alias_append_only_update BEFORE UPDATE ON region_alias
        BEGIN SELECT RAISE(ABORT, 'aliases are kept as learned'); END;
    CREATE TRIGGER region_alias_append_only_delete BEFORE DELETE ON region_alias
        BEGIN SELECT RAISE(ABORT, 'aliases are kept as learned'); END;
    """,
    # 11 (issue 19 part 3): figures from different sources that disagree (studio/desk/rules.py ``conflicting``),
    #     held from air until settled by two people (studio/store/conflicts.py)
    """
    CREATE TABLE figure_conflict (
        id INTEGER PRIMARY KEY,
        measure TEXT NOT NULL,         -- JSON [kind, region, station, as_of, line]: what the figures are of
        opened_at TEXT NOT NULL,       -- UTC, ISO 8601
        opened_by TEXT NOT NULL,       -- whose change brought the disagreement to light
        proposal TEXT,                 -- JSON: the settlement proposed (pending or confirmed); NULL: none
        confirmed_by TEXT,             -- NULL while the conflict is open
        confirmed_at TEXT
    );
    CREATE UNIQUE INDEX figure_conflict_one_open ON figure_conflict (measure) WHERE confirmed_by IS NULL;
    CREATE TABLE figure_conflict_figure (
        conflict_id INTEGER NOT NULL REFERENCES figure_conflict (id),
        fact_id INTEGER NOT NULL REFERENCES fact (id),
        joined_at TEXT NOT NULL,       -- UTC, ISO 8601
        figure TEXT NOT NULL,          -- JSON: the fact's value, status, version, sources, reports when it joined
        PRIMARY KEY (conflict_id, fact_id)
    ) WITHOUT ROWID;
    CREATE INDEX figure_conflict_figure_fact ON figure_conflict_figure (fact_id);
    -- Every step of every conflict: opened, joined, proposed, confirmed.
    CREATE TABLE figure_conflict_log (
        id INTEGER PRIMARY KEY,
        conflict_id INTEGER NOT NULL REFERENCES figure_conflict (id),
        at TEXT NOT NULL,
        who TEXT NOT NULL,
        action TEXT NOT NULL CHECK (action IN ('opened', 'joined', 'proposed', 'confirmed')),
        detail TEXT NOT NULL DEFAULT '{}'
    );
    CREATE TRIGGER figure_conflict_log_append_only_update BEFORE UPDATE ON figure_conflict_log
        BEGIN SELECT RAISE(ABORT, 'the conflict log is append-only'); END;
    CREATE TRIGGER figure_conflict_log_append_only_delete BEFORE DELETE ON figure_conflict_log
        BEGIN SELECT RAISE(ABORT, 'the conflict log is append-only'); END;
    CREATE TRIGGER figure_conflict_never_deleted BEFORE DELETE ON figure_conflict
        BEGIN SELECT RAISE(ABORT, 'a conflict is never deleted; settle it'); END;
    """,
    # issue 20 part 1: the Telegram bot's own tables (studio/store/telegram.py); its kind `protocol` is the
    #     form's migration above
    """
    -- A one-time link of `studio observers add`: binds the Telegram account that opens it to the observer.
    CREATE TABLE telegram_code (
        hash TEXT PRIMARY KEY,         -- sha256 (hex) of the code; the code itself is never stored
        token_id INTEGER NOT NULL REFERENCES observer_token (id),
        expires_at TEXT NOT NULL,      -- UTC, ISO 8601
        used_at TEXT,                  -- NULL until opened; a code works once
        used_by INTEGER                -- the Telegram user id that opened it
    ) WITHOUT ROWID;
    -- One Telegram account, bound to one observer's token (revoking the token ends the binding), and where
    -- its conversation is: the bot's state survives a restart with the update it was last written with.
    CREATE TABLE telegram_chat (
        user_id INTEGER PRIMARY KEY,   -- Telegram's user id
        chat_id INTEGER NOT NULL,
        token_id INTEGER NOT NULL REFERENCES observer_token (id),
        bound_at TEXT NOT NULL,        -- UTC, ISO 8601
        state TEXT NOT NULL DEFAULT '{}'  -- JSON: language, home region and station, the step and the draft
    );
    CREATE INDEX telegram_chat_token ON telegram_chat (token_id);
    -- The bot's place in Telegram's update stream and in the desk's verdicts: written in the same
    -- transaction as what it covers, so an update is processed once across restarts.
    CREATE TABLE telegram_state (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        last_update INTEGER NOT NULL,  -- the last update id processed
        last_audit INTEGER NOT NULL    -- the last fact_audit id whose verdict observers were told of
    );
    """,
    # 16, issue 21 part 3: social cards published to the centre's Telegram channel (studio/store/social.py)
    Migration(
        sqlite="""
    -- Every step of publishing a card, appended: a step is 'started' before its request goes out and 'done'
    -- (with the message id) or 'failed' after, so a restart never sends twice what may have gone out.
    CREATE TABLE social_post (
        id INTEGER PRIMARY KEY,
        at TEXT NOT NULL,              -- UTC, ISO 8601
        folder TEXT NOT NULL,          -- the card's hour folder: <show_id>/<YYYY-MM-DD>T<HH>
        card TEXT NOT NULL,            -- the card's name in that folder (its sidecar's ``card``)
        chat TEXT NOT NULL,            -- the channel, as configured ([bot] channel)
        step TEXT NOT NULL CHECK (step IN ('post', 'edit', 'correction')),
        state TEXT NOT NULL CHECK (state IN ('started', 'done', 'failed')),
        message_id INTEGER,            -- the post (step post, edit) or the correction post (step correction)
        facts TEXT NOT NULL DEFAULT '[]'  -- JSON [[fact id, version], ...]: what the card states
    );
    CREATE INDEX social_post_card ON social_post (folder, card, chat);
    CREATE TRIGGER social_post_append_only_update BEFORE UPDATE ON social_post
        BEGIN SELECT RAISE(ABORT, 'the social post log is append-only'); END;
    CREATE TRIGGER social_post_append_only_delete BEFORE DELETE ON social_post
        BEGIN SELECT RAISE(ABORT, 'the social post log is append-only'); END;
    """,
        postgresql="""
    CREATE TABLE social_post (
        id BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
        at TEXT COLLATE "C" NOT NULL,
        folder TEXT COLLATE "C" NOT NULL,
        card TEXT COLLATE "C" NOT NULL,
        chat TEXT COLLATE "C" NOT NULL,
        step TEXT COLLATE "C" NOT NULL CHECK (step IN ('post', 'edit', 'correction')),
        state TEXT COLLATE "C" NOT NULL CHECK (state IN ('started', 'done', 'failed')),
        message_id BIGINT,
        facts TEXT COLLATE "C" NOT NULL DEFAULT '[]'
    );
    CREATE INDEX social_post_card ON social_post (folder, card, chat);
    CREATE TRIGGER social_post_append_only_update BEFORE UPDATE ON social_post
        FOR EACH ROW EXECUTE FUNCTION studio_refuse('the social post log is append-only');
    CREATE TRIGGER social_post_append_only_delete BEFORE DELETE ON social_post
        FOR EACH ROW EXECUTE FUNCTION studio_refuse('the social post log is append-only');
    CREATE TRIGGER social_post_never_truncated BEFORE TRUNCATE ON social_post
        FOR EACH STATEMENT EXECUTE FUNCTION studio_refuse('the social post log is append-only');
    """,
    ),
    # 17, issue 22 part 7: report.kind's CHECK as equalities, not IN (...): SQLite (3.40) builds a lookup table for
    #     an IN of more than two values as it checks each row, 13,000 instructions a report (0.15 s of a 100,000-row
    #     import's INSERT, bench/desk_import.py); six comparisons are 500. The same values; the table is rebuilt as
    #     in the form's migration. PostgreSQL's constraint (an array it compares with) gets the same text.
    Migration(
        sqlite="""
    DROP VIEW report_grouped;
    CREATE TABLE report_kind_compared (
        id INTEGER PRIMARY KEY,
        observer TEXT NOT NULL,
        channel TEXT NOT NULL,
        received_at TEXT NOT NULL,     -- UTC, ISO 8601
        region TEXT NOT NULL,
        station INTEGER,               -- NULL: not about one polling station
        kind TEXT NOT NULL CHECK (kind = 'turnout' OR kind = 'violation' OR kind = 'incident' OR kind = 'queue'
                                  OR kind = 'protocol' OR kind = 'other'),
        text TEXT NOT NULL,
        attachments TEXT NOT NULL DEFAULT '[]',  -- JSON list of paths
        group_id INTEGER NOT NULL,     -- the first report of its group (its own id for a lead)
        batch INTEGER NOT NULL,        -- import_batch.id (not a declared foreign key: 100k checks per import)
        line INTEGER NOT NULL          -- its line in the batch's file; 0 when typed in
    );
    INSERT INTO report_kind_compared SELECT * FROM report;
    DROP TABLE report;
    ALTER TABLE report_kind_compared RENAME TO report;
    CREATE INDEX report_bucket ON report (region, station, kind, received_at);
    CREATE TRIGGER report_never_changed BEFORE UPDATE ON report
        BEGIN SELECT RAISE(ABORT, 'a report is what came in and is never changed'); END;
    CREATE TRIGGER report_never_deleted BEFORE DELETE ON report
        BEGIN SELECT RAISE(ABORT, 'a report is what came in and is never deleted'); END;
    CREATE VIEW report_grouped AS
        SELECT r.id, r.observer, r.channel, r.received_at, r.region, r.station, r.kind, r.text, r.attachments,
               COALESCE((SELECT m.group_id FROM report_move AS m WHERE m.report_id = r.id ORDER BY m.id DESC LIMIT 1),
                        r.group_id) AS group_id,
               r.batch, r.line
        FROM report AS r;
    """,
        postgresql="""
    ALTER TABLE report DROP CONSTRAINT report_kind_check, ADD CONSTRAINT report_kind_check
        CHECK (kind = 'turnout' OR kind = 'violation' OR kind = 'incident' OR kind = 'queue'
               OR kind = 'protocol' OR kind = 'other');
    """,
    ),
)

PG_BASELINE = 15
"""The version a new PostgreSQL store starts at: studio/store/pg_baseline.py is SQLite's schema there."""


class StoreError(StudioError):
    """The store cannot be opened or written; the message says what to do."""

    kind = Kind.UNAVAILABLE

    def render(self, language: str = FALLBACK) -> str:
        """In ``language``, with the English beside it: the system's reason is English, and so is what one searches."""
        if language == FALLBACK:
            return str(self.message)
        return Msg("store.error.with_english", said=self.message, english=str(self.message)).render(language)


def connect(path: Path) -> sqlite3.Connection:
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Autocommit mode: every write happens inside an explicit transaction.
        db = sqlite3.connect(path, isolation_level=None, check_same_thread=False, timeout=5.0)
        db.execute("PRAGMA journal_mode = WAL")
        db.execute("PRAGMA synchronous = NORMAL")
        db.execute("PRAGMA foreign_keys = ON")
        db.row_factory = sqlite3.Row
        migrate(db)
    except sqlite3.DatabaseError as error:
        raise StoreError(Msg("store.error.open", path=str(path), reason=str(error))) from None
    except OSError as error:
        raise StoreError(Msg("store.error.folder", path=str(path), reason=str(error.strerror))) from None
    return db


def migrate(db: sqlite3.Connection) -> None:
    # Foreign keys are off while migrating, so a table can be rebuilt (sqlite.org/lang_altertable.html,
    # "other kinds of table schema changes"); they are checked before the commit instead.
    enforced = db.execute("PRAGMA foreign_keys").fetchone()[0]
    db.execute("PRAGMA foreign_keys = OFF")
    try:
        with immediate(db):
            version = db.execute("PRAGMA user_version").fetchone()[0]
            if version > len(MIGRATIONS):
                raise StoreError(
                    Msg("store.error.newer", version=version, known=len(MIGRATIONS)), kind=Kind.REFUSED
                )
            for number, migration in enumerate(MIGRATIONS[version:], start=version + 1):
                script = migration.sqlite if isinstance(migration, Migration) else migration
                for statement in _statements(script):
                    db.execute(statement)
                db.execute(f"PRAGMA user_version = {number}")
            broken = db.execute("PRAGMA foreign_key_check").fetchone()
            if broken is not None:
                raise StoreError(Msg("store.error.migration", table=broken[0]), kind=Kind.INTERNAL)
    finally:
        db.execute(f"PRAGMA foreign_keys = {'ON' if enforced else 'OFF'}")


def _statements(script: str) -> Iterator[str]:
    """Split a migration into statements (executescript would commit our transaction)."""
    buffer = ""
    for line in script.splitlines(keepends=True):
        buffer += line
        if sqlite3.complete_statement(buffer):
            yield buffer
            buffer = ""


class StoreUnwritable(StoreError, sqlite3.OperationalError):
    """A write the store refused: a full disk, a read-only file, a lock held too long. Nothing of it was kept.
    Also an sqlite3 error, so the threads that ride out a busy store (health, the intake's writer) still do."""


class StoreLost(StoreUnwritable):
    """The store's server cannot be reached (PostgreSQL): nothing of this action was kept, and the connection is
    opened again no sooner than its backoff allows (studio/store/postgresql.py ``Link``). An unwritable store's
    kind, so every thread that rides out a store it cannot write rides this out too."""


def _unwritable(error: sqlite3.OperationalError) -> StoreUnwritable:
    return StoreUnwritable(Msg("store.error.write", reason=str(error)))


@contextmanager
def immediate(db: Any, together: bool = False) -> Iterator[Any]:
    """A write transaction that takes the lock at once, so reads inside it are current. A write SQLite
    cannot make (at BEGIN, in the body or at COMMIT) is rolled back whole and raised as StoreUnwritable.
    On PostgreSQL (a PgDatabase), its write(): the writers' lock, the same promise (``together``: see there)."""
    if not isinstance(db, sqlite3.Connection):
        with db.write(together):
            yield db
        return
    try:
        db.execute("BEGIN IMMEDIATE")
    except sqlite3.OperationalError as error:
        raise _unwritable(error) from None
    try:
        yield db
        db.execute("COMMIT")
    except BaseException as error:
        if db.in_transaction:  # SQLite may have rolled back already (a full disk can)
            db.execute("ROLLBACK")
        if isinstance(error, sqlite3.OperationalError) and not isinstance(error, StoreError):
            raise _unwritable(error) from None
        raise


def json_text(db: Any, column: str, key: str) -> str:
    """SQL for the text of ``key`` in the JSON object stored in ``column``: the one function the two databases
    spell differently that the store needs. ``column`` and ``key`` come from the code, never from input."""
    if isinstance(db, sqlite3.Connection):
        return f"json_extract({column}, '$.{key}')"
    return f"(({column})::jsonb ->> '{key}')"


class StoreChanges(Protocol):
    """Whether another connection (another process, another machine) has committed since we last asked.
    SQLite: PRAGMA data_version. PostgreSQL: LISTEN/NOTIFY (studio/store/postgresql.py ``PgChanges``)."""

    def version(self) -> int:
        """A number that moves when another connection commits; this connection's own commits leave it."""
        ...

    def close(self) -> None: ...


class Doorbell(Protocol):
    """Rings when another connection may have committed, for a thread that waits instead of asking on a timer
    (the show process follows takes and retractions made on other machines through it)."""

    def wait(self, timeout: float) -> bool:
        """Block up to ``timeout`` seconds; True when another connection may have committed since the last ring
        (the first wait rings at once). Raises StoreLost while the server cannot be reached."""
        ...

    def close(self) -> None: ...


class FileDoorbell:
    """A Doorbell on SQLite: PRAGMA data_version on a connection of its own, read every ``interval`` seconds
    (a read of the file's header; SQLite has no notification between processes)."""

    def __init__(self, path: Path, interval: float = 0.02) -> None:
        self._db = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True, isolation_level=None)
        self._interval = interval
        self._version: int | None = None  # the first wait rings: a commit before this connection was never seen

    def _read(self) -> int:
        return self._db.execute("PRAGMA data_version").fetchone()[0]

    def wait(self, timeout: float) -> bool:
        deadline = time.monotonic() + timeout
        while True:
            version = self._read()
            if version != self._version:
                self._version = version
                return True
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            time.sleep(min(self._interval, left))

    def close(self) -> None:
        self._db.close()


class DataVersion:
    """StoreChanges on SQLite: PRAGMA data_version, a local read of the file's header."""

    def __init__(self, db: sqlite3.Connection) -> None:
        self.db = db

    def version(self) -> int:
        return self.db.execute("PRAGMA data_version").fetchone()[0]

    def close(self) -> None:
        """The connection is the store's own: closing the store closes it."""


ROWS_A_STATEMENT = 64
"""Connection.insert_rows sends at most this many rows in one statement: each count is a statement of its own,
which psycopg prepares once it has run five times (and any SQLite takes 999 parameters: 64 reports of 12)."""


class Connection:
    """One process's connection to the store: notices other processes' commits, writes in transactions.

    ``db`` is a ``sqlite3.Connection`` or a ``studio.store.postgresql.PgDatabase``, which speaks the part of
    sqlite3's interface the repositories use. ``location`` opens the same store again: the file's path, or
    the database's URL (printed only through studio/store/location.py ``shown``). ``path``, the file, is
    SQLite's only; ``files`` is where both keep what observers attach (studio/paths.py ``store_files``, given
    config.toml's [store] files in ``files_setting`` by whoever opens the store for a process)."""

    files_setting = ""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.sqlite = isinstance(db, sqlite3.Connection)
        self.changes: StoreChanges = DataVersion(db) if self.sqlite else db.changes()
        self._data_version: int | None = self.data_version()
        if self.sqlite:
            # The file SQLite opened (every program's header names it): read once, never on a UI's loop.
            self.path = Path(db.execute("PRAGMA database_list").fetchone()[2])
        self.location: Path | str = self.path if self.sqlite else db.url

    def read_only(self, refuse: bool = True) -> None:
        """From now on the database refuses (or, ``refuse`` false, takes again) every write on this connection:
        a prompter follows the show and must never change it. SQLite's query_only, PostgreSQL's read-only
        transactions."""
        if self.sqlite:
            self.db.execute(f"PRAGMA query_only = {'ON' if refuse else 'OFF'}")
        else:
            self.db.read_only(refuse)

    def doorbell(self) -> Doorbell:
        """A Doorbell on a connection of its own, for one waiting thread: PostgreSQL's LISTEN, or SQLite's
        data_version read often."""
        return FileDoorbell(self.path) if self.sqlite else self.db.doorbell(self.changes)

    @property
    def files(self) -> Path:
        from studio.paths import store_files

        return store_files(self.location, self.files_setting)

    def close(self) -> None:
        self.changes.close()
        self.db.close()

    def data_version(self) -> int:
        """A number that moves when another connection commits; this one's writes leave it."""
        return self.changes.version()

    def committed_mark(self) -> int | str:
        """What moves when another connection commits, for a state read just after it: SQLite's data_version (a
        local read); on a database server, which transactions had ended (PgDatabase.ended: inside a write, known
        without asking; it moves on this connection's commits too)."""
        return self.data_version() if self.sqlite else self.db.ended()

    def changed_elsewhere(self) -> bool:
        """True once after another connection committed."""
        version = self.data_version()
        changed, self._data_version = version != self._data_version, version
        return changed

    def unread(self) -> None:
        """The change ``changed_elsewhere`` told of was not read after all (the read failed): it tells again."""
        self._data_version = None

    @contextmanager
    def write(self, together: bool = False) -> Iterator[Self]:
        """One write transaction; the state read inside it is current. Inside one already open on this
        connection, it joins it (the desk resolving a held row runs the importer in its own transaction).
        ``together``: a database server gets the body's statements and the commit in one round trip (as in
        ``together()``), for a body that reads no ``rowcount``."""
        if self.db.in_transaction:
            yield self
            return
        with immediate(self.db, together):
            yield self

    def insert_rows(self, statement: str, rows: Sequence[Sequence[Any]]) -> None:
        """``executemany`` of an ``INSERT ... VALUES (?, ...)``, up to ROWS_A_STATEMENT rows a statement of several
        VALUES. A database server runs such a statement once, not once a row (its time for an intake's group of 8
        fell by 15-30%, the client's CPU for a 100,000-row import by 2-3 s); SQLite steps it once, not once a row
        (2,600 instructions less a report, bench/desk_import.py)."""
        if len(rows) < 2:
            self.db.executemany(statement, rows)
            return
        head, _, values = statement.partition(" VALUES ")
        whole = len(rows) - len(rows) % ROWS_A_STATEMENT
        if whole:
            self.db.executemany(
                f"{head} VALUES {', '.join([values] * ROWS_A_STATEMENT)}",
                (list(chain.from_iterable(rows[start : start + ROWS_A_STATEMENT]))
                 for start in range(0, whole, ROWS_A_STATEMENT)),
            )
        if rest := rows[whole:]:
            self.db.execute(f"{head} VALUES {', '.join([values] * len(rest))}", list(chain.from_iterable(rest)))

    @contextmanager
    def together(self) -> Iterator[None]:
        """Statements whose answers are read only after the block: a database server gets them in one round trip
        (each is one otherwise: some 0.3 ms). SQLite, in the process, runs each as it comes."""
        if self.sqlite:
            yield
        else:
            with self.db.pipeline():
                yield

    @contextmanager
    def snapshot(self) -> Iterator[None]:
        """Several reads that see one state of the store; inside a transaction already open, that one."""
        if self.db.in_transaction:
            yield
        elif self.sqlite:
            self.db.execute("BEGIN")
            try:
                yield
            finally:
                self.db.execute("COMMIT")
        else:
            with self.db.snapshot():
                yield
