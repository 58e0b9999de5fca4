"""``studio desk``: run the desk in this terminal (called by studio/commands/desk.py)."""

from __future__ import annotations

from studio.config import Config
from studio.store.desk import DeskStore


def desk_command(config: Config, desk: DeskStore, operator: str) -> int:
    """Run the desk on ``desk`` as ``operator`` (signed in, studio/tui/signin.py) until they quit; the exit code."""
    from studio.tui.desk.app import (
        make_desk,  # Textual: deferred until the desk really starts
    )

    app = make_desk(desk, config, operator=operator)
    try:
        app.run()
    finally:
        desk.close()
    return app.return_code or 0
