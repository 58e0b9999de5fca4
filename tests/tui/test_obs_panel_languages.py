"""The OBS panel says why OBS is unreachable or refused in the console's language, password masked."""

from __future__ import annotations

from dataclasses import replace

import pytest

from studio.obs import errors
from studio.obs.redact import MASK, remember_secret
from studio.obs.switcher import ObsHealth
from tests.tui.test_obs_panel import CONNECTED, SIZE, StandInSwitcher


def panel_text(app) -> str:
    panel = app.screen.query_one("#obs")
    return " ".join(str(readout.text) for readout in panel.query("Readout"))


@pytest.mark.parametrize(
    ("language", "down", "refused"),
    [
        ("kk", "127.0.0.1:4455 мекенжайындағы OBS-ке қосылу мүмкін емес", "OBS SetInputSettings сұрауын қабылдамады"),
        ("ru", "не удаётся подключиться к OBS на 127.0.0.1:4455", "OBS отклонил SetInputSettings"),
        ("en", "cannot connect to OBS at 127.0.0.1:4455", "OBS refused SetInputSettings"),
    ],
)
async def test_obs_errors_in_the_panel_speak_the_console_language(make, settle, language, down, refused) -> None:
    remember_secret("panel-s3cret")
    reason = errors.refused("127.0.0.1", 4455, "Connection refused, password=panel-s3cret").message
    switcher = StandInSwitcher(ObsHealth(connected=False, reason=reason))
    app = make(language, obs=switcher)
    async with app.run_test(size=SIZE) as pilot:
        app.request_view()
        await settle(pilot)
        text = panel_text(app)
        assert down in text and "panel-s3cret" not in text and MASK in text
        error = errors.request_failed("SetInputSettings", 600, "no such input panel-s3cret").message
        switcher.snapshot = replace(CONNECTED, error=error)
        app.request_view()
        await settle(pilot)
        text = panel_text(app)
        assert refused in text and "panel-s3cret" not in text
        if language != "en":
            assert "cannot connect" not in text and "refused" not in text
