"""The Textual console. Importing it pulls in Textual: the core never does."""

from studio.tui.app import StudioApp, make_app

__all__ = ["StudioApp", "make_app"]
