"""Joined stream health: OBS sending and YouTube receiving, judged together, with a short history.

Pure: samples in, a verdict and an alert out. The console polls YouTube at the
interval the quota allows (studio.youtube.quota.poll_interval) and reads OBS's
output status from the switcher's own ~1 Hz reads.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

Verdict = Literal["off", "good", "warn", "bad"]

YOUTUBE_BAD = frozenset({"bad", "revoked"})
ON_AIR = frozenset({"testing", "liveStarting", "live"})
CONGESTED = 0.5  # OBS's outputCongestion (0..1) above which the uplink is struggling


@dataclass(frozen=True, slots=True)
class Sample:
    at: datetime
    life_cycle: str | None  # the broadcast's lifeCycleStatus; None: no broadcast
    stream_status: str | None  # YouTube's streamStatus: active, inactive, ...; None: not read yet
    youtube_health: str | None  # good, ok, bad, noData, revoked
    issues: tuple[str, ...] = ()
    obs_streaming: bool | None = None  # None: OBS not connected
    obs_reconnecting: bool = False
    obs_congestion: float = 0.0
    obs_dropped: int = 0  # frames OBS's stream output skipped (network too slow), since streaming began

    @property
    def on_air(self) -> bool:
        return self.life_cycle in ON_AIR


def judge(sample: Sample) -> tuple[Verdict, str]:
    """The verdict and the reason a producer should read first ('' when all is well)."""
    if not sample.on_air and not sample.obs_streaming:
        return "off", ""
    if sample.obs_streaming is None:
        return "bad", "obs_disconnected"
    if sample.on_air and not sample.obs_streaming:
        return "bad", "obs_not_streaming"
    if sample.obs_reconnecting:
        return "bad", "obs_reconnecting"
    if sample.on_air and sample.stream_status not in (None, "active"):
        return "bad", "youtube_not_receiving"
    if sample.youtube_health in YOUTUBE_BAD:
        return "bad", "youtube_bad"
    if sample.obs_congestion >= CONGESTED:
        return "warn", "obs_congested"
    if sample.youtube_health == "ok" or sample.issues:
        return "warn", "youtube_ok"
    return "good", ""


class HealthHistory:
    """The last samples, and an alert when the joined verdict turns bad (once per turn, not on every poll)."""

    def __init__(self, size: int = 20) -> None:
        self._samples: deque[tuple[Sample, Verdict]] = deque(maxlen=size)

    def add(self, sample: Sample) -> str | None:
        verdict, reason = judge(sample)
        previous = self._samples[-1][1] if self._samples else "off"
        self._samples.append((sample, verdict))
        return reason if verdict == "bad" and previous != "bad" else None

    @property
    def latest(self) -> tuple[Sample, Verdict] | None:
        return self._samples[-1] if self._samples else None

    def verdicts(self) -> tuple[Verdict, ...]:
        return tuple(verdict for _, verdict in self._samples)
