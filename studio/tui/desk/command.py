"""``studio desk``: run the desk in this terminal (called by studio/cli.py)."""

from __future__ import annotations

import argparse

from studio.config import Config
from studio.store.desk import DeskStore


def desk_command(args: argparse.Namespace, config: Config, desk: DeskStore) -> int:
    """Run the desk on ``desk`` until the operator quits; the exit code."""
    from studio.tui.desk.app import (
        make_desk,  # Textual: deferred until the desk really starts
    )

    app = make_desk(desk, config, operator=getattr(args, "operator", None))
    try:
        app.run()
    finally:
        desk.close()
    return app.return_code or 0
