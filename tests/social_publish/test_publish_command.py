"""``studio social publish`` as a command: its refusals before anything is sent, and one run against the fake."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from studio.cli import main
from tests.social_publish.conftest import CHANNEL, HOUR, SHOW


def config(tmp_path: Path, fake, channel: str = CHANNEL) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(f'[bot]\nchannel = "{channel}"\napi_url = "{fake.api_url}"\nfile_url = "{fake.file_url}"\n'
                    if channel else "", "utf-8")
    return path


def run(tmp_path: Path, configured: Path, *extra: str) -> int:
    return main(["--lang", "en", "--config", str(configured), "--store", str(tmp_path / "studio.db"),
                 "social", "publish", *extra])


@pytest.mark.parametrize("channel, args, env, said", [
    (CHANNEL, ("--hour", "14"), "token", "say where to publish: studio social publish --telegram"),
    ("", ("--telegram",), "token", "no Telegram channel is set: put the centre's channel in config.toml"),
    (CHANNEL, ("--telegram",), "", "the bot's token is not set: put the token BotFather gave in the environment "
                                   "variable STUDIO_BOT_TOKEN"),
])
def test_what_is_missing_is_said_in_one_line_before_anything_is_sent(tmp_path, fake_telegram, monkeypatch, capsys,
                                                                     channel, args, env, said):
    monkeypatch.setenv("STUDIO_BOT_TOKEN", fake_telegram.token if env else "")
    assert run(tmp_path, config(tmp_path, fake_telegram, channel), *args) == 2
    err = capsys.readouterr().err
    assert err.startswith("studio: error: ") and said in err and err.count("\n") == 1
    assert fake_telegram.calls() == []


def test_publish_refuses_an_hour_in_the_words_of_studio_social(tmp_path, fake_telegram, capsys) -> None:
    for argv in (["social", "publish", "--telegram", "--hour", "25"], ["social", "--hour", "25"]):
        with pytest.raises(SystemExit) as exited:
            main(["--lang", "ru", "--config", str(config(tmp_path, fake_telegram)), *argv])
        assert exited.value.code == 2
        assert capsys.readouterr().err.endswith(": error: аргумент --hour: недопустимое значение: '25'\n")
    assert fake_telegram.calls() == []


def test_a_run_posts_the_cards_of_the_hour_and_exits_0(tmp_path, desk, verified, card, out, fake_telegram,
                                                       monkeypatch, capsys):
    fake_telegram.channel(CHANNEL)
    card("fact-turnout", (verified(),))
    today = datetime.now(ZoneInfo("Asia/Almaty")).date().isoformat()
    (out / SHOW / HOUR).rename(out / SHOW / f"{today}T14")
    monkeypatch.setenv("STUDIO_BOT_TOKEN", fake_telegram.token)
    assert run(tmp_path, config(tmp_path, fake_telegram), "--telegram", "--out", str(out), "--hour", "14") == 0
    captured = capsys.readouterr()
    assert captured.out == f"studio: {SHOW}/{today}T14/fact-turnout: posted to {CHANNEL} (message 1)\n"
    assert fake_telegram.token not in captured.out + captured.err
    assert run(tmp_path, config(tmp_path, fake_telegram), "--telegram", "--out", str(out), "--hour", "15") == 0
    assert f"no cards for 15:00 in {out}" in capsys.readouterr().err


def test_watch_retries_after_an_outage_then_corrects_a_retraction_and_stops_on_ctrl_c(
        tmp_path, desk, verified, card, out, fake_telegram):
    import os
    import signal
    import subprocess
    import sys

    from tests.observer_bot.conftest import eventually
    from tests.social_publish.conftest import retract

    fake_telegram.channel(CHANNEL)
    fake_telegram.fail("sendPhoto", 502, "Bad Gateway")  # the first round meets a dead Bot API
    fact = verified()
    card("fact-turnout", (fact,))
    today = datetime.now(ZoneInfo("Asia/Almaty")).date().isoformat()
    (out / SHOW / HOUR).rename(out / SHOW / f"{today}T14")
    env = os.environ | {"STUDIO_BOT_TOKEN": fake_telegram.token, "PYTHONPATH": str(Path(__file__).parents[2])}
    command = [sys.executable, "-m", "studio", "--lang", "en", "--config", str(config(tmp_path, fake_telegram)),
               "--store", str(desk.path), "social", "publish", "--telegram", "--watch", "--out", str(out), "--hour", "14"]
    watcher = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        eventually(lambda: fake_telegram.sent_to(CHANNEL), "the card posted once the Bot API is back")
        retract(desk, fact, ru="Явка 50,20%")
        eventually(lambda: len(fake_telegram.sent_to(CHANNEL)) == 2, "the correction post")
    finally:
        watcher.send_signal(signal.SIGINT)
        stdout, stderr = watcher.communicate(timeout=60)
    assert watcher.returncode == 0, stderr
    assert "T14/fact-turnout: the Telegram Bot API cannot be reached: nothing more was sent" in stderr
    assert "Traceback" not in stderr
    assert stdout.splitlines() == [
        f"studio: {SHOW}/{today}T14/fact-turnout: posted to {CHANNEL} (message 1)",
        f"studio: {SHOW}/{today}T14/fact-turnout: withdrawn: post 1 now carries the correction, and correction post 2 "
        "replies to it",
    ]
    assert fake_telegram.token not in stdout + stderr


def test_was_sent_and_not_sent_say_in_one_line_what_they_recorded_or_why_not(tmp_path, fake_telegram, capsys):
    from studio.store import open_store
    from studio.store.social import record

    configured = config(tmp_path, fake_telegram)
    card = f"{SHOW}/{HOUR}/fact-turnout"
    assert run(tmp_path, configured, "--telegram", "--not-sent", card) == 2
    assert "has no unconfirmed post" in capsys.readouterr().err
    store = open_store(tmp_path / "studio.db")
    record(store.db, at=datetime.now(ZoneInfo("UTC")), folder=f"{SHOW}/{HOUR}", card="fact-turnout", chat=CHANNEL,
           step="post", state="started")
    store.close()
    assert run(tmp_path, configured, "--telegram", "--was-sent", card, "7x") == 2
    assert "'7x' is not a message number" in capsys.readouterr().err
    assert run(tmp_path, configured, "--telegram", "--was-sent", card, "7") == 0
    assert capsys.readouterr().out == f"recorded: the post of {card} is message 7\n"
    assert fake_telegram.calls() == []
