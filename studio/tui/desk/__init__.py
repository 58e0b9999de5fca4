"""The verification desk in a terminal (``studio desk``). Importing it pulls in Textual."""

from studio.tui.desk.app import DeskApp, make_desk
from studio.tui.desk.client import DeskClient
from studio.tui.desk.screen import DeskScreen

__all__ = ["DeskApp", "DeskClient", "DeskScreen", "make_desk"]
