"""The graphics core stays pure: no Textual, no OBS, no network libraries."""

from __future__ import annotations


def test_importing_and_rendering_pulls_in_no_ui_device_or_network_module(run_python) -> None:
    code = """
import sys
from pathlib import Path
from studio.graphics import Renderer, render, load_templates
from studio.graphics.cli import render_command
from studio.paths import shipped
templates = load_templates(shipped("overlays"))
render(templates["lower-third"], {"name": "Дана Ким"})
bad = sorted(m for m in sys.modules if m.split(".")[0] in
             {"textual", "obsws_python", "websocket", "websockets", "googleapiclient", "requests", "httpx", "urllib3"}
             or m in {"urllib.request", "http.client", "ssl", "asyncio"})
print(bad)
"""
    result = run_python(code)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
