"""The rundown area: the table of segments."""

from studio.tui.widgets.rundown.table import RundownTable

__all__ = ["RundownTable"]
