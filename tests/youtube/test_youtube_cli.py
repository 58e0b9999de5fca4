"""`studio youtube ...` end to end through the real entry point, the real client and the loopback fake."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from studio.cli import main
from studio.store import open_store
from studio.youtube.cli import is_yes
from tests.obs.obs_process import free_port
from tests.tui.test_languages import english_fragments
from tests.youtube.test_youtube_api import write_token

SMALL = Path(__file__).parents[1] / "data" / "small.toml"


@pytest.fixture
def signed_in(fake_youtube, tmp_path) -> list[str]:
    """Global options for a config that points studio at the fake, with a token file in place."""
    token = write_token(fake_youtube, tmp_path / "token.json")
    config = tmp_path / "config.toml"
    config.write_text(
        "[youtube]\n"
        f'token_file = "{token.path}"\n'
        f'api_endpoint = "{fake_youtube.url}"\n'
        f'token_uri = "{fake_youtube.url}token"\n'
        'privacy = "private"\n'
    )
    return ["--config", str(config), "--store", str(tmp_path / "studio.db"), "--lang", "en"]


def test_schedule_twice_makes_one_broadcast_and_status_reports_it(signed_in, fake_youtube, capsys):
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    assert len(fake_youtube.broadcasts) == 1
    (broadcast,) = fake_youtube.broadcasts.values()
    assert broadcast["status"]["privacyStatus"] == "private"
    assert main([*signed_in, "youtube", "status", str(SMALL)]) == 0
    out = capsys.readouterr().out
    assert f"watch: https://www.youtube.com/watch?v={broadcast['id']}" in out
    assert "ready, not live (private)" in out and "health no data" in out
    assert "scheduled: 2026-" in out and "UTC+05:00" in out  # the station's time, labelled
    assert f"quota: {fake_youtube.units_spent} of 10000 units" in out
    (stream,) = fake_youtube.streams.values()
    assert stream["cdn"]["ingestionInfo"]["streamName"] not in out  # the stream key is never printed


def test_schedule_after_the_store_was_lost_adopts_the_channels_broadcast(signed_in, fake_youtube, tmp_path):
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    for lost in tmp_path.glob("studio.db*"):  # as if studio died before writing the id down
        lost.unlink()
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    assert len(fake_youtube.broadcasts) == 1


def test_errors_are_one_line_with_the_fix_and_no_secret(signed_in, fake_youtube, capsys):
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    fake_youtube.revoke()
    fake_youtube.expire_access_tokens()
    assert main([*signed_in, "youtube", "status", str(SMALL)]) == 2
    err = capsys.readouterr().err
    assert err.startswith("studio: error: ") and "studio youtube auth" in err and "Traceback" not in err
    assert fake_youtube.access_token not in err and fake_youtube.refresh_token not in err


def test_chapters_before_the_show_went_live(signed_in, capsys):
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    assert main([*signed_in, "youtube", "chapters", "--dry-run", str(SMALL)]) == 2
    assert "has not gone live" in capsys.readouterr().err


def test_not_signed_in(tmp_path, capsys):
    config = tmp_path / "config.toml"
    config.write_text(f'[youtube]\ntoken_file = "{tmp_path / "none.json"}"\n')
    options = ["--config", str(config), "--store", str(tmp_path / "s.db"), "--lang", "en"]
    assert main([*options, "youtube", "status", str(SMALL)]) == 2
    assert "run `studio youtube auth`" in capsys.readouterr().err


def test_auth_without_client_secrets_says_where_to_get_them(tmp_path, capsys):
    assert main(["--store", str(tmp_path / "s.db"), "youtube", "auth"]) == 2
    assert "client_secrets" in capsys.readouterr().err


def never_asked(prompt: str) -> str:
    raise AssertionError(f"asked {prompt!r} before every prerequisite was checked")


@pytest.fixture
def dead_obs(tmp_path) -> list[str]:
    """Global options for a config whose OBS port has nothing listening, with no sign-in."""
    config = tmp_path / "dead-obs.toml"
    config.write_text(f'[obs]\nport = {free_port()}\ntimeout = 1.0\n[youtube]\ntoken_file = "{tmp_path / "none.json"}"\n')
    return ["--config", str(config), "--store", str(tmp_path / "studio.db"), "--lang", "en"]


@pytest.mark.parametrize("action", ["golive", "end"])
def test_without_obs_sign_in_or_broadcast_everything_missing_is_said_at_once(dead_obs, action, monkeypatch, capsys):
    monkeypatch.setattr("builtins.input", never_asked)
    assert main([*dead_obs, "youtube", action, str(SMALL)]) == 2
    captured = capsys.readouterr()
    err = captured.err
    assert err.startswith(f"studio: error: `studio youtube {action}` cannot start; first:\n"), err
    items = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(items) == 3, err
    assert "cannot connect to OBS at 127.0.0.1:" in items[1] and "is OBS running" in items[1]
    assert "run `studio youtube auth`" in items[0]
    assert "no broadcast is scheduled for the show" in items[2] and "studio youtube schedule" in items[2]
    assert captured.out == "" and "Traceback" not in err


def test_golive_signed_in_lists_obs_and_the_unbound_stream(signed_in, fake_youtube, tmp_path, monkeypatch, capsys):
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    store = open_store(tmp_path / "studio.db")
    with store.write():  # as if the stream's binding had been lost
        store.db.execute("UPDATE youtube_broadcast SET stream_id = NULL")
    store.close()
    config = Path(signed_in[1])
    config.write_text(config.read_text() + f"[obs]\nport = {free_port()}\ntimeout = 1.0\n")
    monkeypatch.setattr("builtins.input", never_asked)
    spent = fake_youtube.units_spent
    assert main([*signed_in, "youtube", "golive", str(SMALL)]) == 2
    err = capsys.readouterr().err
    items = [line for line in err.splitlines() if line.startswith("  - ")]
    assert len(items) == 2 and "cannot connect to OBS" in items[0] and "no stream bound" in items[1], err
    assert fake_youtube.units_spent == spent  # found without a call to YouTube


def test_the_lines_are_in_the_readers_language(signed_in, capsys):
    assert main([*signed_in, "--lang", "kk", "youtube", "schedule", str(SMALL)]) == 0
    assert main([*signed_in, "--lang", "kk", "youtube", "status", str(SMALL)]) == 0
    out = capsys.readouterr().out
    assert "жоспарланды:" in out and "дайын, эфирде емес (жабық)" in out and "квота:" in out
    leaks = sorted(fragment for fragment in english_fragments("kk") if fragment in out)
    assert leaks == [], f"English in Kazakh output: {leaks}"


@pytest.mark.parametrize(("answer", "language", "yes"), [
    ("y", "kk", True), ("YES", "ru", True), ("иә", "kk", True), ("Иә ", "kk", True), ("да", "ru", True),
    ("да", "kk", False), ("", "en", False), ("n", "en", False), ("жоқ", "kk", False), ("нет", "ru", False),
])
def test_the_readers_yes_is_accepted(answer, language, yes):
    assert is_yes(answer, language) is yes


class ConsentingBrowser:
    """Stands in for the browser and Google's consent page: the user allows access, Google redirects back."""

    def __init__(self, fake, allow: bool = True) -> None:
        self.fake, self.allow = fake, allow
        self.opened: list[str] = []

    def open(self, url: str, new: int = 0, autoraise: bool = True) -> bool:
        import threading
        import urllib.request
        from urllib.parse import parse_qs, urlencode, urlparse

        self.opened.append(url)
        query = {k: v[0] for k, v in parse_qs(urlparse(url).query).items()}
        answer = {"state": query["state"]}
        if self.allow:
            answer |= {"code": self.fake.issue_code(query["code_challenge"]), "scope": query["scope"]}
        else:
            answer["error"] = "access_denied"
        back = f"{query['redirect_uri']}?{urlencode(answer)}"
        threading.Thread(target=lambda: urllib.request.urlopen(back, timeout=10).read(), daemon=True).start()
        return True


def auth_config(fake, tmp_path: Path) -> list[str]:
    secrets = tmp_path / "client_secret.json"
    secrets.write_text(json.dumps({"installed": {
        "client_id": fake.client_id, "client_secret": fake.client_secret, "auth_uri": fake.url + "auth",
        "token_uri": fake.url + "token", "redirect_uris": ["http://localhost"],
    }}))
    config = tmp_path / "config.toml"
    config.write_text(
        f'[youtube]\nclient_secrets = "{secrets}"\ntoken_file = "{tmp_path / "cfg" / "token.json"}"\n'
        f'api_endpoint = "{fake.url}"\ntoken_uri = "{fake.url}token"\n'
    )
    return ["--config", str(config), "--store", str(tmp_path / "studio.db"), "--lang", "en"]


def test_auth_signs_in_through_the_browser_and_keeps_the_token_0600(fake_youtube, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")  # the fake's token endpoint is plain http on loopback
    browser = ConsentingBrowser(fake_youtube)
    monkeypatch.setattr("webbrowser.get", lambda name=None: browser)
    options = auth_config(fake_youtube, tmp_path)
    assert main([*options, "youtube", "auth"]) == 0
    token = tmp_path / "cfg" / "token.json"
    assert stat.S_IMODE(os.stat(token).st_mode) == 0o600
    assert json.loads(token.read_text())["refresh_token"] == fake_youtube.refresh_token
    assert browser.opened[0].startswith(fake_youtube.url + "auth?") and "code_challenge" in browser.opened[0]
    out = capsys.readouterr().out
    assert "signed in" in out and fake_youtube.access_token not in out and fake_youtube.refresh_token not in out
    # The new sign-in works for the other commands.
    assert main([*options, "youtube", "schedule", str(SMALL)]) == 0


def test_auth_denied_in_the_browser(fake_youtube, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("OAUTHLIB_INSECURE_TRANSPORT", "1")
    monkeypatch.setattr("webbrowser.get", lambda name=None: ConsentingBrowser(fake_youtube, allow=False))
    assert main([*auth_config(fake_youtube, tmp_path), "youtube", "auth"]) == 2
    err = capsys.readouterr().err
    assert "did not complete" in err and "studio youtube auth" in err and "Traceback" not in err
    assert not (tmp_path / "cfg" / "token.json").exists()
