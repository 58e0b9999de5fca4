"""studio observers add | revoke | list: tokens shown once, only their hash kept."""

from __future__ import annotations

import hashlib
from argparse import Namespace

import pytest

from studio.config import Config, Station
from studio.desk.observers import observers_command
from studio.store.desk import DeskStore
from studio.store.observers import list_observers, token_owner
from tests.pg_server import every_row

CONFIG = Config(station=Station(operator="dana"))


def run(desk: DeskStore, action: str, name: str | None = None) -> int:
    return observers_command(Namespace(observers_command=action, name=name, qr=False), CONFIG, desk)


def test_add_prints_a_token_once_and_keeps_only_its_hash(desk: DeskStore, capsys) -> None:
    assert run(desk, "add", "Айгерім Сейтқали") == 0
    token = capsys.readouterr().out.strip()
    assert token.startswith("sto_") and len(token) > 40
    dump = every_row(desk.db)
    assert token not in dump and token[4:] not in dump
    hashed = hashlib.sha256(token.encode()).hexdigest()
    assert token_owner(desk.db, hashed) == ("Айгерім Сейтқали", True)


def test_a_name_with_a_working_token_is_refused(desk: DeskStore, capsys) -> None:
    assert run(desk, "add", "bolat") == 0
    assert run(desk, "add", "bolat") == 2
    assert "already has a token" in capsys.readouterr().err


def test_revoke_then_a_new_token_and_list(desk: DeskStore, capsys) -> None:
    run(desk, "add", "bolat")
    first = capsys.readouterr().out.strip()
    assert run(desk, "revoke", "bolat") == 0
    assert token_owner(desk.db, hashlib.sha256(first.encode()).hexdigest()) == ("bolat", False)
    assert run(desk, "revoke", "bolat") == 2  # nothing left to revoke
    assert run(desk, "add", "bolat") == 0
    second = capsys.readouterr().out.strip().splitlines()[-1]
    assert second != first
    capsys.readouterr()
    assert run(desk, "list") == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and "revoked" in lines[0] and "by dana" in lines[0] and "\tactive\t" in lines[1]
    assert all(line.count(" UTC+05:00 by ") == 2 - index for index, line in enumerate(lines))  # local, labelled
    assert [t.active for t in list_observers(desk.db)] == [False, True]


@pytest.mark.parametrize("name", ["", "   ", "x" * 65])
def test_a_bad_name_is_refused(desk: DeskStore, name: str) -> None:
    assert run(desk, "add", name) == 2


def test_tokens_are_never_deleted(desk: DeskStore) -> None:
    run(desk, "add", "bolat")
    import sqlite3

    with pytest.raises(sqlite3.IntegrityError, match="revoked, never deleted"), desk.write():
        desk.db.execute("DELETE FROM observer_token")


def test_list_times_are_local_and_labelled() -> None:
    from datetime import UTC, datetime
    from zoneinfo import ZoneInfo

    from studio.desk.issued_list import local_stamp

    at = datetime(2026, 3, 15, 4, 5, tzinfo=UTC)
    assert local_stamp(at, ZoneInfo("Asia/Almaty")) == "2026-03-15 09:05 UTC+05:00"
    assert local_stamp(at, ZoneInfo("America/St_Johns")) == "2026-03-15 01:35 UTC-02:30"
