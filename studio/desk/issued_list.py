"""``studio operators list`` and ``studio observers list``: one line per passphrase or token ever issued,
in the reader's language, its times in the station's zone and labelled so (UTC+05:00), never bare UTC."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import datetime, tzinfo

from studio.i18n import Msg
from studio.store.issued import Issued


def local_stamp(at: datetime, zone: tzinfo) -> str:
    """``2026-03-15 09:05 UTC+05:00``: a local time a reader in another zone cannot misread."""
    local = at.astimezone(zone)
    offset = local.strftime("%z")
    return f"{local:%Y-%m-%d %H:%M} UTC{offset[:3]}:{offset[3:]}"


def issued_lines(entries: Iterable[Issued], language: str, zone: tzinfo) -> Iterator[str]:
    for entry in entries:
        if entry.revoked_at is None:
            state = Msg("issued.list.active")
        else:
            state = Msg("issued.list.revoked", at=local_stamp(entry.revoked_at, zone), by=entry.revoked_by)
        added = Msg("issued.list.added", at=local_stamp(entry.created_at, zone), by=entry.created_by)
        yield f"{entry.name}\t{state.render(language)}\t{added.render(language)}"
