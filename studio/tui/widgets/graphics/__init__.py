"""The graphics area: the armed graphic of the on-air segment, and what is on air."""

from studio.tui.widgets.graphics.panel import GraphicsPanel

__all__ = ["GraphicsPanel"]
