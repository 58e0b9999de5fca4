"""The on-air area: what is on air, the show's timing, the clocks and what comes next."""

from studio.tui.widgets.onair.panels import ClockPanel, NextPanel, OnAirPanel, StatusBar, TimingPanel

__all__ = ["ClockPanel", "NextPanel", "OnAirPanel", "StatusBar", "TimingPanel"]
