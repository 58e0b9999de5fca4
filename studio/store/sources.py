"""The desk's sources: where a claim was published, each stored once (kind, origin, reference), with the
source it quotes. A base of DeskStore (studio/store/desk.py), over the intake's tables."""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Iterable

from studio.desk.model import Source, SourceKind
from studio.desk.sources import classify, host_of
from studio.errors import Kind
from studio.i18n import Msg
from studio.store.intake import DeskError, IntakeTables, _time, utc_text


class SourceTables(IntakeTables):
    """Sources: added once, read with the source they quote."""

    def add_source(
        self,
        kind: SourceKind | None,
        reference: str,
        *,
        by: str,
        at: datetime,
        origin: str = "",
        note: str = "",
        published_at: datetime | None = None,
        quotes: int | None = None,
    ) -> Source:
        """The source (kind, origin, reference), added if new; the one stored before if not.

        ``kind`` None: classified by studio/desk/sources.toml (the commission's
        domains official, news sites media, ...); a reference those rules cannot
        place raises DeskError asking for the type. ``origin`` defaults to the
        host of a URL reference. ``published_at``: when the source published
        it (aware). ``quotes``: for a reprint, the id of the source it quotes.
        """
        reference = reference.strip()
        if not reference:
            raise DeskError(Msg("desk.error.no_reference"), kind=Kind.BAD_INPUT)
        kind = classify(reference) if kind is None else SourceKind(kind)
        if kind is None:
            choices = ", ".join(SourceKind)
            raise DeskError(Msg("desk.error.source_kind", given=repr(reference), choices=choices), kind=Kind.BAD_INPUT)
        if published_at is not None and (published_at.tzinfo is None or published_at.utcoffset() is None):
            raise DeskError(Msg("desk.error.naive_time", given=str(published_at)), kind=Kind.BAD_INPUT)
        origin = origin.strip() or host_of(reference) or reference
        with self.write():
            if quotes is not None:
                quoted = self._sources([quotes])[0]
                if quoted.kind is kind and quoted.origin == origin and quoted.reference == reference:
                    raise DeskError(Msg("desk.error.quotes_itself", source=quotes), kind=Kind.BAD_INPUT)
            self.db.execute(
                "INSERT INTO source (kind, reference, origin, note, published_at, quotes, added_at, added_by) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING",
                (
                    kind.value, reference, origin, note, None if published_at is None else utc_text(published_at),
                    quotes, utc_text(at), by,
                ),
            )
            row = self.db.execute(
                "SELECT * FROM source WHERE kind = ? AND origin = ? AND reference = ?", (kind.value, origin, reference)
            ).fetchone()
            return self._source(row)

    def source(self, source_id: int) -> Source | None:
        with self.snapshot():
            row = self.db.execute("SELECT * FROM source WHERE id = ?", (source_id,)).fetchone()
            return None if row is None else self._source(row)

    def _sources(self, ids: Iterable[int]) -> list[Source]:
        found = []
        for source_id in ids:
            row = self.db.execute("SELECT * FROM source WHERE id = ?", (source_id,)).fetchone()
            if row is None:
                raise DeskError(Msg("desk.error.no_source", source=source_id))
            found.append(self._source(row))
        return found

    def _source(self, row: sqlite3.Row, *, follow: bool = True) -> Source:
        """A source row; ``follow``: with the source it quotes (one level: a quote of a quote is not read)."""
        quoted = None
        if follow and row["quotes"] is not None:
            found = self.db.execute("SELECT * FROM source WHERE id = ?", (row["quotes"],)).fetchone()
            quoted = None if found is None else self._source(found, follow=False)
        return Source(
            row["id"], SourceKind(row["kind"]), row["reference"], row["origin"], row["note"],
            published_at=_time(row["published_at"]), quotes=quoted,
        )
