"""The Textual console. Importing it pulls in Textual: the core never does."""

from studio.tui.app import StudioApp

__all__ = ["StudioApp"]
