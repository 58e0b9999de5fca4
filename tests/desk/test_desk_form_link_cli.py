"""studio observers add --qr and studio observers link NAME [--qr]: the phone form's link, printed once, as a QR
code when asked, and a word when phones could not reach it (issue 20 part 2)."""

from __future__ import annotations

from argparse import Namespace

import segno

from studio.config import Config, Intake, Station
from studio.desk.observers import observers_command
from studio.store.desk import DeskStore
from studio.store.observers import link_table, token_hash
from tests.pg_server import every_row

PUBLIC = Config(station=Station(operator="dana"), intake=Intake(public_url="https://report.example.kz/"))


def run(desk: DeskStore, action: str, name: str, *, qr: bool = False, config: Config = PUBLIC) -> int:
    return observers_command(Namespace(observers_command=action, name=name, qr=qr), config, desk)


def test_add_keeps_the_token_alone_on_stdout_and_says_the_link_beside(desk: DeskStore, capsys) -> None:
    assert run(desk, "add", "Айгерім") == 0
    out, err = capsys.readouterr()
    assert out.strip().startswith("sto_") and "\n" not in out.strip()  # TOKEN=$(studio observers add NAME)
    [url] = [line for line in err.splitlines() if line.startswith("https://")]
    assert url.startswith("https://report.example.kz/r/")
    link = url.rsplit("/", 1)[1]
    assert link_table(desk.db)[token_hash(link)][0] == "Айгерім"
    assert link not in every_row(desk.db)


def test_link_issues_a_new_link_with_its_qr_code(desk: DeskStore, capsys) -> None:
    run(desk, "add", "Болат")
    first = [line for line in capsys.readouterr().err.splitlines() if line.startswith("https://")][0]
    assert run(desk, "link", "Болат", qr=True) == 0
    out, _ = capsys.readouterr()
    url, *code = out.splitlines()
    assert url != first and url.startswith("https://report.example.kz/r/")
    assert token_hash(first.rsplit("/", 1)[1]) not in link_table(desk.db)  # the old link ends
    expected = segno.make(url, error="m")
    assert len(code) == (expected.symbol_size()[1] + 1) // 2  # two modules a line: the half-block code
    assert all(set(line) <= set(" █▀▄") for line in code)


def test_a_link_phones_cannot_reach_is_said_and_an_unknown_name_refused(desk: DeskStore, capsys) -> None:
    loopback = Config(station=Station(operator="dana"), intake=Intake(host="127.0.0.1", port=8767))
    run(desk, "add", "Дана", config=loopback)
    err = capsys.readouterr().err
    assert "http://127.0.0.1:8767/r/" in err and "phones cannot reach http://127.0.0.1:8767" in err
    assert run(desk, "link", "nobody") == 2
    assert "nobody has no working token" in capsys.readouterr().err
