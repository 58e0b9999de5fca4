"""What every studio program's Textual app shares: plain-text notices and keymap clash reports."""

from __future__ import annotations

from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.notifications import SeverityLevel

from studio.i18n import t


class StudioAppBase(App[None]):
    def __init__(self) -> None:
        super().__init__()
        self._clashes: set[frozenset[str]] = set()

    def handle_bindings_clash(self, clashed_bindings: set[Binding], node: Any) -> None:
        # Textual calls this on every key press while the clash lasts: tell once. A binding
        # with several keys that the keymap moves to one clashes with itself: not a clash.
        names = frozenset(b.id or b.action for b in clashed_bindings)
        if len(names) < 2 or names in self._clashes:
            return
        self._clashes.add(names)
        keys = ", ".join(sorted({b.key for b in clashed_bindings}))
        ids = ", ".join(sorted(names))
        self.notify(t("error.keymap.clash", key=keys, ids=ids), title=t("error.keymap.title"), severity="warning")

    def notify(
        self,
        message: str,
        *,
        title: str = "",
        severity: SeverityLevel = "information",
        timeout: float | None = None,
        markup: bool = False,
    ) -> None:
        """Notifications carry user text (segment titles, file paths): plain text unless asked."""
        super().notify(message, title=title, severity=severity, timeout=timeout, markup=markup)
