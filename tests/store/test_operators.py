"""Operators in the store: a passphrase shown once, only its slow hash kept, sign-in, and the
slow-down of a burst of wrong passphrases that every process shares and a restart keeps."""

from __future__ import annotations

import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from studio.store.backends import open_database
from studio.store.db import immediate
from studio.store.operators import (
    DEFAULT_COST,
    Operator,
    OperatorError,
    ScryptCost,
    add_operator,
    has_operators,
    list_operators,
    not_signed_in,
    revoke_operator,
    sign_in,
    wait_after,
)
from tests.pg_server import every_row

T0 = datetime(2026, 3, 15, 2, 0, tzinfo=UTC)
QUICK = ScryptCost(n=2**10)  # the tests' own cost: the rules do not depend on it, the run time does


@pytest.fixture
def db(store_location: Path | str) -> sqlite3.Connection:
    connection = open_database(store_location)
    yield connection
    connection.close()


def code(error: pytest.ExceptionInfo[OperatorError]) -> str:
    return error.value.message.key


def test_a_passphrase_is_shown_once_and_only_its_scrypt_hash_is_kept(db) -> None:
    passphrase = add_operator(db, "Айгерім Сейтқали", by="admin", at=T0)
    assert re.fullmatch(r"[a-z0-9]{4}(-[a-z0-9]{4}){3}", passphrase) and not set(passphrase) & set("ilo1")
    dump = every_row(db)
    assert passphrase not in dump and passphrase.replace("-", "") not in dump
    row = db.execute("SELECT salt, scrypt_n, scrypt_r, scrypt_p, length(hash) FROM operator").fetchone()
    assert (len(row[0]), row[1], row[2], row[3], row[4]) == (16, DEFAULT_COST.n, DEFAULT_COST.r, DEFAULT_COST.p, 32)
    assert sign_in(db, "Айгерім Сейтқали", passphrase, at=T0) == Operator("Айгерім Сейтқали", signed_in=True)


def test_each_operator_has_a_salt_of_their_own(db) -> None:
    add_operator(db, "aigerim", by="admin", at=T0, cost=QUICK)
    add_operator(db, "bolat", by="admin", at=T0, cost=QUICK)
    salts = [row[0] for row in db.execute("SELECT salt FROM operator")]
    assert len(set(salts)) == 2


def test_case_spaces_and_hyphens_do_not_count_when_typed_back(db) -> None:
    passphrase = add_operator(db, "bolat", by="admin", at=T0, cost=QUICK)
    typed = " " + passphrase.upper().replace("-", " ") + " "
    assert sign_in(db, " bolat ", typed, at=T0).who == "bolat"


def test_a_wrong_unknown_revoked_or_empty_sign_in_is_refused_naming_no_secret(db) -> None:
    passphrase = add_operator(db, "bolat", by="admin", at=T0, cost=QUICK)
    for name, typed, expected in (
        ("bolat", "abcd-efgh-jkmn-pqrs", "operators.error.wrong"),
        ("dana", passphrase, "operators.error.unknown"),
        ("bolat", "   ", "operators.error.empty_passphrase"),
        ("", passphrase, "operators.error.no_name"),
    ):
        with pytest.raises(OperatorError) as refused:
            sign_in(db, name, typed, at=T0)
        assert code(refused) == expected
        for language in ("kk", "ru", "en"):
            assert passphrase not in refused.value.message.render(language)
    revoke_operator(db, "bolat", by="admin", at=T0)
    with pytest.raises(OperatorError) as refused:
        sign_in(db, "bolat", passphrase, at=T0 + timedelta(minutes=5))
    assert code(refused) == "operators.error.revoked"


def test_a_burst_of_wrong_passphrases_is_slowed_down_then_a_success_resets_it(db) -> None:
    passphrase = add_operator(db, "bolat", by="admin", at=T0, cost=QUICK)
    at = T0
    for _ in range(3):  # the first three wrong ones cost only the hash
        with pytest.raises(OperatorError, match="Wrong passphrase"):
            sign_in(db, "bolat", "wrong", at=at)
    # after the third, nothing for bolat is checked for 1 s: not even the right passphrase
    with pytest.raises(OperatorError) as refused:
        sign_in(db, "bolat", passphrase, at=at + timedelta(milliseconds=500))
    assert (code(refused), refused.value.message.params["seconds"]) == ("operators.error.slowed", 1)
    at += timedelta(seconds=1)
    with pytest.raises(OperatorError, match="Wrong passphrase"):
        sign_in(db, "bolat", "wrong", at=at)  # the fourth: 2 s
    with pytest.raises(OperatorError, match="try again in 2 s"):
        sign_in(db, "bolat", passphrase, at=at)
    assert sign_in(db, "bolat", passphrase, at=at + timedelta(seconds=2)).signed_in
    with pytest.raises(OperatorError, match="Wrong passphrase"):
        sign_in(db, "bolat", "wrong", at=at + timedelta(seconds=2))  # counted from zero again: no wait
    assert sign_in(db, "bolat", passphrase, at=at + timedelta(seconds=2)).signed_in


def test_the_wait_doubles_up_to_a_minute() -> None:
    assert [wait_after(n).total_seconds() for n in range(1, 12)] == [0, 0, 1, 2, 4, 8, 16, 32, 60, 60, 60]


def test_the_slow_down_is_shared_by_processes_and_survives_a_restart(store_location: Path | str) -> None:
    first = open_database(store_location)
    passphrase = add_operator(first, "bolat", by="admin", at=T0, cost=QUICK)
    for _ in range(3):
        with pytest.raises(OperatorError):
            sign_in(first, "bolat", "wrong", at=T0)
    first.close()
    restarted = open_database(store_location)  # another process, or the same one started again
    with pytest.raises(OperatorError, match="try again in 1 s"):
        sign_in(restarted, "bolat", passphrase, at=T0)
    restarted.close()


def test_unknown_names_are_slowed_down_too(db) -> None:
    for _ in range(3):
        with pytest.raises(OperatorError, match="No operator"):
            sign_in(db, "mallory", "guess", at=T0)
    with pytest.raises(OperatorError, match="try again"):
        sign_in(db, "mallory", "guess", at=T0)


def test_one_working_passphrase_per_name_revoked_never_deleted_and_listed(db) -> None:
    first = add_operator(db, "bolat", by="admin", at=T0, cost=QUICK)
    with pytest.raises(OperatorError) as refused:
        add_operator(db, "bolat", by="admin", at=T0, cost=QUICK)
    assert code(refused) == "operators.error.exists"
    revoke_operator(db, "bolat", by="dana", at=T0 + timedelta(hours=1))
    with pytest.raises(OperatorError) as refused:
        revoke_operator(db, "bolat", by="dana", at=T0)
    assert code(refused) == "operators.error.none_to_revoke"
    assert not has_operators(db)
    second = add_operator(db, "bolat", by="admin", at=T0 + timedelta(hours=2), cost=QUICK)
    assert second != first and has_operators(db)
    with pytest.raises(OperatorError, match="Wrong passphrase"):  # the revoked one no longer proves bolat
        sign_in(db, "bolat", first, at=T0 + timedelta(hours=3))
    assert sign_in(db, "bolat", second, at=T0 + timedelta(hours=3)).who == "bolat"
    entries = list_operators(db)
    assert [(e.name, e.active, e.revoked_by) for e in entries] == [("bolat", False, "dana"), ("bolat", True, None)]
    with pytest.raises(sqlite3.IntegrityError, match="revoked, never deleted"), immediate(db):
        db.execute("DELETE FROM operator")


@pytest.mark.parametrize("name", ["", "   ", "x" * 65, "bolat [not signed in]", "<script>", "a\tb"])
def test_a_name_that_could_pass_for_another_is_refused(db, name: str) -> None:
    with pytest.raises(OperatorError) as refused:
        add_operator(db, name, by="admin", at=T0, cost=QUICK)
    assert code(refused) == "operators.error.name"


def test_without_sign_in_the_name_is_marked_in_every_audit_entry() -> None:
    assert not_signed_in("aigerim").who == "aigerim [not signed in]"
    assert not_signed_in("aigerim [not signed in]").who == "aigerim [not signed in]"  # never marked twice
