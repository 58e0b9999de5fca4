"""`studio fact ...`: the desk's actions as commands, under the desk's rules and
audit, with ids as F105 or 105, JSON listings, and one clear error (kk/ru/en,
exit 2) for every refusal, never a traceback."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from studio.cli import main
from studio.desk.model import ReportKind, Status
from studio.store.desk import NewReport, open_desk
from studio.store.operators import add_operator
from tests.store.test_operators import QUICK

from .conftest import T0

TURNOUT = Path(__file__).resolve().parent.parent / "data" / "referendum-2026-turnout.csv"
COMMISSION = "https://www.election.gov.kz/rus/news/turnout-1000"


OPERATORS = ("aigerim", "bolat", "dana")


@pytest.fixture
def studio(tmp_path: Path, capsys, monkeypatch):
    """Run `studio --store S ...`; the exit code, standard output and standard error.
    Whoever is named with --operator is signed in, by their key in $STUDIO_OPERATOR_KEY."""
    store = tmp_path / "desk.db"
    desk = open_desk(store)
    keys = {name: add_operator(desk.db, name, by="admin", at=T0, cost=QUICK) for name in OPERATORS}
    desk.close()

    def run(*argv: str, lang: str = "en") -> tuple[int, str, str]:
        acting = argv[argv.index("--operator") + 1] if "--operator" in argv else None
        monkeypatch.setenv("STUDIO_OPERATOR_KEY", keys.get(acting, ""))
        code = main(["--store", str(store), "--lang", lang, *argv])
        out, err = capsys.readouterr()
        return code, out, err

    run.store = store
    return run


@pytest.fixture
def imported(studio):
    assert studio("import-turnout", str(TURNOUT), "--operator", "aigerim")[0] == 0
    return studio


def test_list_filters_and_prints_a_table_or_json(imported) -> None:
    code, out, _ = imported("fact", "list", "--region", "astana")
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["ID", "STATUS", "KIND", "REGION", "AS", "OF", "VALUE", "CLAIM"]
    assert lines[1].split()[:2] == ["F2", "In"] and "20.68" in lines[1] and len(lines) == 7
    code, out, _ = imported("fact", "list", "--region", "national", "--kind", "turnout", "--format", "json")
    listed = json.loads(out)
    assert [f["id"] for f in listed][:2] == ["F1", "F22"] and listed[0]["number"] == 1
    assert listed[0]["sources"][0]["kind"] == "media" and listed[0]["sources"][0]["quotes"] is not None
    code, out, _ = imported("fact", "list", "--status", "verified", "--format", "json")
    assert json.loads(out) == []
    code, out, _ = imported("fact", "list", "--region", "astana", lang="kk")
    assert out.splitlines()[0].startswith("ID") and "КҮЙІ" in out and "Тексерілуде" in out


def test_a_verdict_keeps_four_eyes_and_the_evidence_rule_and_is_audited(imported) -> None:
    code, _, err = imported("fact", "verify", "F1", "--operator", "bolat", "--reason", "ok")
    assert (code, err.strip()) == (2, "studio: error: Fact F1 needs one official source or two independent ones.")
    code, out, err = imported("fact", "source", "1", "--url", COMMISSION, "--operator", "dana")
    assert code == 0 and "(official) attached to F1" in err
    code, _, err = imported("fact", "verify", "1", "--operator", "aigerim", "--reason", "ok", lang="ru")
    assert code == 2 and err.startswith("studio: error: aigerim — автор факта F1")
    code, _, err = imported("fact", "verify", "f1", "--operator", "bolat", "--reason", "compared with the page")
    assert (code, err.strip()) == (0, "F1: Verified (version 4)")
    desk = open_desk(imported.store)
    try:
        last = desk.audit(1)[-1]
        assert (last.who, last.action, last.why) == ("bolat", "verify", "compared with the page")
    finally:
        desk.close()
    rundown = str(Path(__file__).resolve().parents[2] / "studio" / "sample" / "referendum-day.toml")
    png = imported.store.parent / "card.png"
    code, _, err = imported("render", "fact-card", "--fact", "F1", "--out", str(png), "--rundown", rundown)
    assert code == 0 and png.exists()
    code, _, err = imported("render", "fact-card", "--fact", "F-1", "--out", str(png), "--rundown", rundown)
    assert (code, err.strip()) == (2, "studio: error: 'F-1' is not a fact id; write it like F105 or 105")
    code, out, _ = imported("fact", "show", "F1", "--format", "json")
    shown = json.loads(out)
    assert shown["status"] == "verified" and [h["action"] for h in shown["history"]][-2:] == ["attach_source", "verify"]


def test_a_release_is_verified_in_one_act_or_refused_naming_each_fact(imported) -> None:
    code, out, _ = imported("fact", "source", "F1", "--url", COMMISSION, "--operator", "dana")
    page = out.strip()
    code, _, err = imported("fact", "release", "--as-of", "2026-03-15T10:00", "--source", page,
                            "--operator", "bolat", "--reason", "the commission's page")
    assert code == 0 and err.strip() == "verified as one release: 1 figures (F1)"
    # the nur.kz reprint is one media source: its 20 regional figures are refused, each named, nothing changes
    code, _, err = imported("fact", "release", "--as-of", "2026-03-15T10:00+05:00", "--source", "2",
                            "--operator", "bolat", "--reason", "reprint", lang="kk")
    lines = err.splitlines()
    assert code == 2 and lines[0] == "studio: error: релиз расталмады: 20 мәселе, ештеңе өзгерген жоқ"
    assert lines[1] == "  F2: F2 фактіге бір ресми дереккөз немесе екі тәуелсіз дереккөз қажет." and len(lines) == 21
    desk = open_desk(imported.store)
    try:
        assert [f.id for f in desk.facts(status=Status.VERIFIED)] == [1]
    finally:
        desk.close()


def test_create_from_a_group_link_split_edit_false_and_retract(studio) -> None:
    desk = open_desk(studio.store)
    try:
        texts = ("Вбросы бюллетеней на участке 12", "Вбросы бюллетеней на участке 12",
                 "Вбросы бюллетеней на участке 12, наблюдателя выгнали")
        reports = [desk.add_report(NewReport(f"obs-{n}", "bot", T0, "astana", 12, ReportKind.VIOLATION, text),
                                   by="desk", at=T0) for n, text in enumerate(texts)]
    finally:
        desk.close()
    lead, copy, stranger = (r.id for r in reports)
    code, out, err = studio("fact", "split", f"R{lead}", f"R{stranger}", "--operator", "dana", "--reason", "other")
    assert (code, out.strip()) == (0, f"R{stranger}")
    code, out, err = studio("fact", "create", "--kind", "violation", "--region", "astana", "--station", "12",
                            "--claim-ru", "Вбросы на участке 12", "--claim-kk", "12-учаскеде бюллетень салу",
                            "--from-group", str(lead), "--operator", "aigerim")
    assert (code, out.strip()) == (0, "F1") and "2 report(s) linked" in err
    assert studio("fact", "link", "F1", f"R{stranger}", "--operator", "aigerim")[0] == 0
    code, _, err = studio("fact", "unlink", "F1", f"R{stranger}", "--operator", "aigerim", "--reason", "other")
    assert code == 0
    assert studio("fact", "review", "F1", "--operator", "aigerim")[0] == 0
    code, _, err = studio("fact", "false", "F1", "--operator", "bolat", "--reason", "the commission denies it",
                          "--correction-kk", "Учаскеде бұзушылық болмады", "--correction-ru", "Нарушений не было")
    assert (code, err.strip()) == (0, "F1: False (version 5)")
    code, _, err = studio("fact", "edit", "F1", "--station", "13", "--operator", "dana", "--reason", "station 13")
    assert (code, err.strip()) == (0, "F1: In review (version 6)")
    assert studio("fact", "verify", "F1", "--operator", "bolat", "--reason", "two observers")[0] == 0
    code, _, err = studio("fact", "retract", "F1", "--operator", "aigerim", "--reason", "the video was older",
                          "--correction-kk", "Бұл ескі видео", "--correction-ru", "Это старое видео")
    assert (code, err.strip()) == (0, "F1: Retracted (version 8)")
    code, out, _ = studio("fact", "show", "1")
    assert "Correction: Бұл ескі видео / Это старое видео" in out and "v8" in out and "the video was older" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("fact", "show", "F0"), "'F0' is not a fact id; write it like F105 or 105"),
        (("fact", "show", "F999"), "there is no fact F999; `studio fact list` shows them"),
        (("fact", "list", "--status", "done"), "unknown status 'done'; one of new, in_review, verified"),
        (("fact", "list", "--kind", "rumour"), "--kind 'rumour' is not known; one of turnout, violation"),
        (("fact", "list", "--region", "almaty-city"), "unknown region 'almaty-city'; use national or an id"),
        (("fact", "create", "--kind", "turnout", "--claim-ru", "x", "--value", "101", "--operator", "dana"),
         "What the fact says is not valid: turnout 101 is not a percentage between 0 and 100"),
        (("fact", "create", "--kind", "queue", "--claim-ru", "x"), "Say who acts: --operator NAME (or [station] operator in config.toml)"),
        (("fact", "create", "--kind", "queue", "--claim-ru", "x", "--as-of", "noon", "--operator", "dana"),
         "--as-of 'noon' is not a time; write it like 2026-03-15T18:00"),
        (("fact", "source", "F1", "--reference", "doc 12", "--operator", "dana"),
         "cannot tell what kind of source 'doc 12' is; give its type: official, authority"),
        (("fact", "source", "F1", "--url", COMMISSION, "--type", "tv", "--operator", "dana"),
         "--type 'tv' is not known; one of official, authority, observer, media, social"),
        (("fact", "edit", "F1", "--operator", "dana", "--reason", "r"), "nothing to edit: give what changes"),
        (("fact", "retract", "F1", "--operator", "dana", "--reason", "r", "--correction-kk", "", "--correction-ru", ""),
         "Fact F1 is “In review”: this cannot be done in that status."),
        (("fact", "link", "F1", "R99", "--operator", "dana"), "there is no report R99"),
    ],
)
def test_every_refusal_is_one_clear_line_and_exit_2(imported, argv, message) -> None:
    code, out, err = imported(*argv)
    assert code == 2 and out == ""
    assert err.startswith("studio: error: " + message) and "Traceback" not in err and len(err.splitlines()) == 1


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("fact", "create", "--kind", "queueue", "--claim-ru", "x", "--operator", "dana"),
         "--kind 'queueue' — неизвестное значение; допустимо: turnout, violation"),
        (("fact", "create", "--kind", "queue", "--claim-ru", "x", "--region", "Алматы", "--operator", "dana"),
         "неизвестный регион 'Алматы'"),
        (("fact", "edit", "F1", "--region", "astna", "--reason", "r", "--operator", "dana"),
         "неизвестный регион 'astna'"),
    ],
)
def test_a_wrong_kind_or_region_is_refused_in_the_callers_language(imported, argv, message) -> None:
    code, out, err = imported(*argv, lang="ru")
    assert code == 2 and out == "" and err.startswith("studio: error: " + message), err
    assert "unknown" not in err and len(err.splitlines()) == 1


def test_a_figure_is_taken_as_published_with_a_decimal_comma_as_the_desk_takes_it(studio) -> None:
    code, out, _ = studio("fact", "create", "--kind", "turnout", "--claim-kk", "Астана: 70,98%", "--region", "astana",
                          "--as-of", "2026-03-15T18:00", "--value", "70,98", "--operator", "dana")
    assert code == 0
    desk = open_desk(studio.store)
    try:
        assert str(desk.get(int(out.strip().removeprefix("F"))).value) == "70.98"
    finally:
        desk.close()
    code, out, err = studio("fact", "create", "--kind", "turnout", "--claim-kk", "x", "--value", "жетпіс",
                            "--operator", "dana", lang="ru")
    assert (code, out) == (2, "") and err.strip() == "studio: error: «жетпіс» — не число: напишите, например, 70,98 (процент без знака)."


def test_a_conflict_is_listed_settled_and_confirmed_from_the_command_line(imported, tmp_path: Path) -> None:
    reprint = tmp_path / "tengri.csv"
    reprint.write_text("local_time,region,turnout_percent,voters,registered,source\n"
                       "2026-03-15T10:00+05:00,astana,20.86,,,https://tengrinews.kz/yavka-10-00\n", "utf-8")
    assert imported("import-turnout", str(reprint), "--operator", "aigerim")[0] == 0
    code, out, _ = imported("fact", "conflicts")
    [conflict] = json.loads(out)
    official, printed = (f["fact"] for f in conflict["figures"])
    assert code == 0 and conflict["conflict"] == "C1" and conflict["settlement"] is None
    code, _, err = imported("fact", "verify", official, "--operator", "bolat", "--reason", "checked")
    assert code == 2 and "held in conflict C1" in err
    code, _, err = imported("fact", "settle", "C1", "--stands", official, "--reason", "the commission's page",
                            "--operator", "bolat")
    assert code == 0 and "studio fact confirm C1" in err
    code, _, err = imported("fact", "confirm", "C1", "--operator", "bolat", lang="ru")
    assert code == 2 and "четырёх глаз" in err
    code, _, err = imported("fact", "confirm", "c1", "--operator", "dana")
    assert (code, err.strip()) == (0, "C1 is settled")
    assert json.loads(imported("fact", "conflicts")[1]) == []
    [settled] = json.loads(imported("fact", "conflicts", "--all")[1])
    assert settled["settlement"]["confirmed_by"] == "dana" and settled["settlement"]["stands"] == official
    assert json.loads(imported("fact", "show", printed, "--format", "json")[1])["status"] == "false"
    code, _, err = imported("fact", "confirm", "C9", "--operator", "dana")
    assert code == 2 and "there is no conflict C9" in err
