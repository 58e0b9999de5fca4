"""`studio youtube ...` end to end through the real entry point, the real client and the loopback fake."""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import pytest

from studio.cli import main
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
    return ["--config", str(config), "--store", str(tmp_path / "studio.db")]


def test_schedule_twice_makes_one_broadcast_and_status_reports_it(signed_in, fake_youtube, capsys):
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    assert len(fake_youtube.broadcasts) == 1
    (broadcast,) = fake_youtube.broadcasts.values()
    assert broadcast["status"]["privacyStatus"] == "private"
    assert main([*signed_in, "youtube", "status", str(SMALL)]) == 0
    out = capsys.readouterr().out
    assert f"watch: https://www.youtube.com/watch?v={broadcast['id']}" in out
    assert "ready (private)" in out and "health noData" in out
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
    assert main(["--config", str(config), "--store", str(tmp_path / "s.db"), "youtube", "status", str(SMALL)]) == 2
    assert "run `studio youtube auth`" in capsys.readouterr().err


def test_auth_without_client_secrets_says_where_to_get_them(tmp_path, capsys):
    assert main(["--store", str(tmp_path / "s.db"), "youtube", "auth"]) == 2
    assert "client_secrets" in capsys.readouterr().err


def test_end_asks_first(signed_in, fake_youtube, monkeypatch, capsys):
    assert main([*signed_in, "youtube", "schedule", str(SMALL)]) == 0
    monkeypatch.setattr("builtins.input", lambda prompt: "n")
    monkeypatch.setenv("OBS_PASSWORD", "")  # a refused end never reaches OBS (none runs here)
    assert main([*signed_in, "youtube", "end", str(SMALL)]) == 1
    assert "not ended" in capsys.readouterr().out


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
    return ["--config", str(config), "--store", str(tmp_path / "studio.db")]


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
