"""The show process: what runs the show (controller.py, built by services.py), what reads it (view.py),
and the ports its adapters fill (ports.py, health.py)."""

from studio.show.commands import FEED_LOST
from studio.show.controller import Controller
from studio.show.playout import ControlError
from studio.show.ports import Switcher
from studio.show.view import ShowReader, ShowView

__all__ = ["FEED_LOST", "ControlError", "Controller", "ShowReader", "ShowView", "Switcher"]
