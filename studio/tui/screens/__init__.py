"""Console screens: the producer's main screen and its dialogs."""

from studio.tui.screens.confirm import ConfirmScreen
from studio.tui.screens.duration import DurationScreen
from studio.tui.screens.fact_picker import FactPickerScreen
from studio.tui.screens.insert import InsertScreen
from studio.tui.screens.producer import ProducerScreen
from studio.tui.screens.text import TextScreen

__all__ = ["ConfirmScreen", "DurationScreen", "FactPickerScreen", "InsertScreen", "ProducerScreen", "TextScreen"]
