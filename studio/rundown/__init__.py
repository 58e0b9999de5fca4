"""The plan of a show: segments, their timing, and the rundown file format."""

from studio.rundown.model import Bilingual, GraphicCue, Kind, Rundown, Segment, Show

__all__ = ["Bilingual", "GraphicCue", "Kind", "Rundown", "Segment", "Show"]
