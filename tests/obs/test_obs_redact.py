"""The log filter on obsws-python's loggers. No OBS."""

from __future__ import annotations

import logging

import pytest

from studio.obs.errors import ObsError
from studio.obs.redact import install_log_filter, redact, remember_secret


def test_obsws_connect_line_is_redacted_and_demoted(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    install_log_filter()
    logger = logging.getLogger("obsws_python.baseclient.ObsClient")
    logger.info("Connecting with parameters: host='h' port=1 password='hunter22' subs=0")
    try:
        raise ConnectionRefusedError("refused")
    except ConnectionRefusedError:
        logger.exception("ConnectionRefusedError: refused")
    assert "hunter22" not in caplog.text
    assert "password='********'" in caplog.text
    assert all(r.levelno == logging.DEBUG and r.exc_info is None for r in caplog.records)


def test_install_is_idempotent() -> None:
    install_log_filter()
    install_log_filter()
    assert len(logging.getLogger("obsws_python.reqs.ReqClient").filters) == 1


def test_remembered_secret_is_masked_anywhere() -> None:
    remember_secret("s3cret-value-9")
    assert redact("OBS said: s3cret-value-9 is wrong") == "OBS said: ******** is wrong"
    assert "s3cret-value-9" not in str(ObsError("request", "comment s3cret-value-9"))


def test_prose_about_passwords_is_left_alone() -> None:
    text = "OBS refused the password; set OBS_PASSWORD to the password shown in OBS"
    assert redact(text) == text
