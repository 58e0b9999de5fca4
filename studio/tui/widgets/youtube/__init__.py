"""The YouTube area: the broadcast, joined stream health (OBS sending, YouTube receiving) and the quota."""

from studio.tui.widgets.youtube.panel import YouTubePanel

__all__ = ["YouTubePanel"]
