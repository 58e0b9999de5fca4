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
