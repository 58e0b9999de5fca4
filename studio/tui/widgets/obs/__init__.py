"""The OBS area: connection, programme, outputs and the feed watchdog at a glance."""

from studio.tui.widgets.obs.panel import ObsPanel

__all__ = ["ObsPanel"]
