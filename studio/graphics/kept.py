"""A bounded, thread-safe memory of what was drawn or encoded last, for re-use by the next render.

Bounded by bytes, not by count: a show process draws all day (14 hours), and a full-screen graphic at 4K
weighs sixteen times one at 1080p. The least recently used goes first. Values are shared once kept: they
are only ever read (pasted, joined), never changed.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from typing import Callable, Generic, Hashable, TypeVar

Value = TypeVar("Value")


class Kept(Generic[Value]):
    """Values by key within ``budget`` bytes (``size`` of each); hits and misses counted, for tests and the bench."""

    def __init__(self, budget: int, size: Callable[[Value], int]) -> None:
        self.budget = budget
        self.hits = 0
        self.misses = 0
        self._size = size
        self._values: OrderedDict[Hashable, Value] = OrderedDict()
        self._held = 0
        self._lock = threading.Lock()

    def get(self, key: Hashable) -> Value | None:
        with self._lock:
            value = self._values.get(key)
            if value is None:
                self.misses += 1
                return None
            self.hits += 1
            self._values.move_to_end(key)
            return value

    def put(self, key: Hashable, value: Value) -> None:
        """Keep ``value`` (replacing the key's last), forgetting the least recently used beyond the budget."""
        with self._lock:
            old = self._values.pop(key, None)
            if old is not None:
                self._held -= self._size(old)
            self._values[key] = value
            self._held += self._size(value)
            while self._held > self.budget:
                self._held -= self._size(self._values.popitem(last=False)[1])

    def clear(self) -> None:
        with self._lock:
            self._values.clear()
            self._held = 0
