"""studio operators add | revoke | list, who a command line acts as (operator_from_cli), and four eyes
resting on proven names: one person cannot give both eyes by typing a second name."""

from __future__ import annotations

import io
import json
from argparse import Namespace
from pathlib import Path

import pytest

from studio.cli import main
from studio.config import Config
from studio.desk import rules
from studio.desk.model import SourceKind
from studio.desk.operators import operator_from_cli
from studio.desk.rules import RuleError
from studio.store.desk import open_desk
from studio.store.operators import OperatorError

ROOT = Path(__file__).resolve().parents[2]
TURNOUT = ROOT / "tests" / "data" / "referendum-2026-turnout.csv"
SIGN_IN = Config()
NO_SIGN_IN = Config.model_validate({"operators": {"sign_in": False}})


class Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@pytest.fixture(autouse=True)
def no_key(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("STUDIO_OPERATOR_KEY", raising=False)
    monkeypatch.delenv("STUDIO_LANG", raising=False)


@pytest.fixture
def store(tmp_path: Path) -> list[str]:
    return ["--store", str(tmp_path / "s.db")]


def commission_backed(desk, fact, by: str = "admin"):
    """``fact`` with the commission's own page attached: an imported reprint alone is not enough to verify."""
    page = desk.add_source(SourceKind.OFFICIAL, "https://www.election.gov.kz/rus/news/turnout-1000", by=by,
                           at=fact.created_at)
    return desk.attach_source(fact.id, fact.version, page.id, by=by, at=fact.created_at)


def add(store: list[str], name: str, capsys) -> str:
    assert main([*store, "operators", "add", name]) == 0
    return capsys.readouterr().out.strip()


def test_add_list_and_revoke_through_the_command_line(store, capsys) -> None:
    passphrase = add(store, "Айгерім", capsys)
    assert len(passphrase) == 19
    assert main([*store, "--lang", "en", "operators", "add", "bolat"]) == 0
    said = capsys.readouterr()
    assert "shown this once" in said.err and said.out.strip() not in said.err
    assert main([*store, "--lang", "ru", "operators", "revoke", "bolat"]) == 0
    assert "пароль для bolat отозван" in capsys.readouterr().err
    assert main([*store, "--lang", "en", "operators", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith("bolat\trevoked ") and lines[1].startswith("Айгерім\tactive\tadded ")
    assert passphrase not in "\n".join(lines)


def test_a_refusal_is_one_line_in_the_stations_language(store, capsys) -> None:
    add(store, "bolat", capsys)
    assert main([*store, "operators", "add", "bolat"]) == 2  # the shipped config speaks Kazakh
    err = capsys.readouterr().err
    assert err.startswith("studio: error: bolat үшін жарамды құпиясөз бар") and "Traceback" not in err
    assert main([*store, "--lang", "en", "operators", "revoke", "dana"]) == 2
    assert "dana has no working passphrase" in capsys.readouterr().err


def test_operator_from_cli_the_key_a_terminal_or_a_refusal(store, tmp_path, capsys) -> None:
    passphrase = add(store, "bolat", capsys)
    db = open_desk(tmp_path / "s.db").db
    args = Namespace(operator="bolat")
    assert operator_from_cli(args, db, SIGN_IN, environ={"STUDIO_OPERATOR_KEY": passphrase}) == "bolat"
    with pytest.raises(OperatorError, match="Wrong passphrase for bolat"):
        operator_from_cli(args, db, SIGN_IN, environ={"STUDIO_OPERATOR_KEY": "abcd-efgh-jkmn-pqrs"})
    with pytest.raises(OperatorError) as refused:  # a script without the key: no prompt, a clear refusal
        operator_from_cli(args, db, SIGN_IN, environ={}, stdin=io.StringIO())
    assert "STUDIO_OPERATOR_KEY" in str(refused.value)
    prompts: list[str] = []

    def ask(prompt: str) -> str:
        prompts.append(prompt)
        return passphrase

    assert operator_from_cli(args, db, SIGN_IN, environ={}, stdin=Terminal(), ask=ask, language="kk") == "bolat"
    assert prompts == ["bolat құпиясөзі: "]
    with pytest.raises(OperatorError, match="--operator NAME"):
        operator_from_cli(Namespace(operator=None), db, SIGN_IN, environ={"STUDIO_OPERATOR_KEY": passphrase})


def test_without_sign_in_the_name_is_taken_as_typed_and_marked() -> None:
    assert operator_from_cli(Namespace(operator="bolat"), None, NO_SIGN_IN, environ={}) == "bolat [not signed in]"


def test_import_turnout_acts_only_as_the_operator_the_key_proves(store, tmp_path, capsys, monkeypatch) -> None:
    aigerim = add(store, "aigerim", capsys)
    rejects = ["--rejects", str(tmp_path / "r.csv")]
    monkeypatch.setenv("STUDIO_OPERATOR_KEY", aigerim)
    assert main([*store, "--lang", "en", "import-turnout", str(TURNOUT), "--operator", "bolat", *rejects]) == 2
    err = capsys.readouterr().err
    assert "No operator is called bolat" in err and aigerim not in err
    desk = open_desk(tmp_path / "s.db")
    assert desk.facts() == []  # refused before anything was imported
    assert main([*store, "import-turnout", str(TURNOUT), "--operator", "aigerim", *rejects]) == 0
    assert {fact.created_by for fact in desk.facts()} == {"aigerim"}


def test_one_person_cannot_verify_their_own_fact_by_typing_a_second_name(store, tmp_path, capsys, monkeypatch) -> None:
    aigerim, bolat = add(store, "aigerim", capsys), add(store, "bolat", capsys)
    monkeypatch.setenv("STUDIO_OPERATOR_KEY", aigerim)
    assert main([*store, "import-turnout", str(TURNOUT), "--operator", "aigerim", "--rejects", str(tmp_path / "r")]) == 0
    desk = open_desk(tmp_path / "s.db")
    fact = commission_backed(desk, desk.facts()[0])
    # aigerim types bolat's name: her passphrase does not prove it, so nothing acts as bolat
    with pytest.raises(OperatorError, match="Wrong passphrase for bolat"):
        operator_from_cli(Namespace(operator="bolat"), desk.db, SIGN_IN, environ={"STUDIO_OPERATOR_KEY": aigerim})
    # as herself, the rules refuse: she wrote it
    herself = operator_from_cli(Namespace(operator="aigerim"), desk.db, SIGN_IN, environ={"STUDIO_OPERATOR_KEY": aigerim})
    with pytest.raises(RuleError) as refused:
        desk.change(fact.id, fact.version, rules.Verify(), by=herself, at=fact.created_at)
    assert refused.value.code == "fact.four_eyes"
    # with sign-in switched off she is still herself: the marked name is the same person
    unproven = operator_from_cli(Namespace(operator="aigerim"), desk.db, NO_SIGN_IN, environ={})
    with pytest.raises(RuleError, match="four eyes"):
        desk.change(fact.id, fact.version, rules.Verify(), by=unproven, at=fact.created_at)
    # bolat, proven, gives the second pair of eyes
    second = operator_from_cli(Namespace(operator="bolat"), desk.db, SIGN_IN, environ={"STUDIO_OPERATOR_KEY": bolat})
    assert desk.change(fact.id, fact.version, rules.Verify(), by=second, at=fact.created_at).verified_by == "bolat"


def test_entries_made_without_sign_in_say_so_in_the_provenance_export(store, tmp_path, capsys) -> None:
    config = tmp_path / "rehearsal.toml"
    config.write_text("[operators]\nsign_in = false\n", "utf-8")
    rehearsal = [*store, "--config", str(config)]
    assert main([*rehearsal, "import-turnout", str(TURNOUT), "--operator", "aigerim", "--rejects", str(tmp_path / "r")]) == 0
    desk = open_desk(tmp_path / "s.db")
    fact = commission_backed(desk, desk.facts()[0], by="aigerim [not signed in]")
    desk.change(fact.id, fact.version, rules.Verify(), by="bolat [not signed in]", at=fact.created_at)
    capsys.readouterr()
    assert main([*rehearsal, "provenance", "export", "--all", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    verified = next(entry for entry in exported if entry["fact_id"] == fact.id)
    assert (verified["created_by"], verified["verified_by"]) == ("aigerim [not signed in]", "bolat [not signed in]")
    assert {entry["who"] for entry in verified["history"]} == {"aigerim [not signed in]", "bolat [not signed in]"}


def test_no_passphrase_or_hash_reaches_an_error_the_audit_the_logs_or_an_export(store, tmp_path, capsys, monkeypatch) -> None:
    aigerim, bolat = add(store, "aigerim", capsys), add(store, "bolat", capsys)
    rejects = ["--rejects", str(tmp_path / "r")]
    said = []
    for key, name in ((bolat, "aigerim"), ("wrong-" + aigerim, "aigerim"), (aigerim, "aigerim")):
        monkeypatch.setenv("STUDIO_OPERATOR_KEY", key)
        main([*store, "--lang", "en", "import-turnout", str(TURNOUT), "--operator", name, *rejects])
        said.append(capsys.readouterr())
    desk = open_desk(tmp_path / "s.db")
    fact = commission_backed(desk, desk.facts()[0])
    desk.change(fact.id, fact.version, rules.Verify(), by="bolat", at=fact.created_at)
    for command in (["provenance", "export", "--all", "--format", "json"], ["provenance", "export", "--all"]):
        assert main([*store, *command]) == 0
        said.append(capsys.readouterr())
    hashes = [row[0].hex() for row in desk.db.execute("SELECT hash FROM operator")]
    tables = "\n".join(
        str(tuple(row))
        for table in ("event", "fact_audit", "fact", "import_batch", "sign_in_failure")
        for row in desk.db.execute(f"SELECT * FROM {table}")
    )
    outputs = "\n".join(part.out + part.err for part in said) + tables
    assert "Wrong passphrase" in outputs and "aigerim" in tables
    for secret in (aigerim, bolat, aigerim.replace("-", ""), bolat.replace("-", ""), *hashes):
        assert secret not in outputs
