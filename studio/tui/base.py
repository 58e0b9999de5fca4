"""What every studio program's Textual app shares: its language, the palette, the keymap, plain-text notices.

Each program (the console, the desk, the prompter, the sign-in) names itself in
``PROGRAM``: its title is the catalogue's ``<PROGRAM>.title`` and its bindings'
group ``group.<PROGRAM>``. F2 cycles the interface language; the program re-says
its screens in ``language_changed``. The config's ``[keymap]`` is shared by every
program: each applies the ids it owns (``keymap_owns``) to its binding chains
(``keymap_chains``) and tells, once, of ids it does not know and keys bound twice.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, ClassVar

from textual.app import App
from textual.binding import Binding
from textual.command import CommandPalette
from textual.dom import DOMNode
from textual.notifications import SeverityLevel

from studio.config import Config
from studio.i18n import LANGUAGES, catalogue, set_language, t
from studio.tui import bindings

KEYMAP_NOTICE = 10
"""Seconds a keymap problem stays on screen: long enough to read the ids it names."""


class StudioAppBase(App[None]):
    PROGRAM: ClassVar[str]
    SAY_LANGUAGE: ClassVar[bool] = True
    """A switch of language is told in a notification (not on the presenter's or the sign-in's screen)."""

    def __init__(self, config: Config) -> None:
        super().__init__()
        self.config = config
        self._clashes: set[frozenset[str]] = set()
        set_language(config.station.language)

    @property
    def language(self) -> str:
        return catalogue.language

    # --- language ---------------------------------------------------------------

    def translate(self) -> None:
        """The title and the app's bindings in the interface language (on mount, and on a switch)."""
        self.title = t(f"{self.PROGRAM}.title")
        bindings.translate(self, self.PROGRAM)

    def language_changed(self) -> None:
        """The interface language switched: re-say the screens' text (the program's own)."""

    def set_language(self, language: str) -> None:
        set_language(language)
        self.translate()
        self.language_changed()
        if self.SAY_LANGUAGE:
            self.notify(t("notify.language", language=catalogue.native_name()))

    def action_cycle_language(self) -> None:
        self.set_language(LANGUAGES[(LANGUAGES.index(self.language) + 1) % len(LANGUAGES)])

    # --- the command palette ----------------------------------------------------

    def action_command_palette(self) -> None:
        if self.use_command_palette and not CommandPalette.is_open(self):
            self.push_screen(CommandPalette(id="--command-palette", placeholder=t("palette.placeholder")))

    # --- the keymap ---------------------------------------------------------------

    def keymap_owns(self, binding_id: str) -> bool:
        """Whether an id of the config's ``[keymap]`` is this program's (another's is not unknown here)."""
        return False

    def keymap_chains(self) -> Sequence[tuple[type[DOMNode], ...]]:
        """Every binding chain of the program: a screen with its widgets and the app; each dialog on its own."""
        return ((type(self),),)

    def apply_keymap(self) -> None:
        """The config's keymap, as far as it names this program's ids; unknown ids and clashes are told."""
        chains = self.keymap_chains()
        known = bindings.binding_ids(*dict.fromkeys(owner for chain in chains for owner in chain))
        keymap = {key: keys for key, keys in self.config.keymap.items() if self.keymap_owns(key)}
        unknown = sorted(set(keymap) - set(known))
        if unknown:
            self._keymap_notice(t("error.keymap.unknown", ids=", ".join(unknown)))
        keymap = {key: keys for key, keys in keymap.items() if key in known}
        for key, ids in bindings.keymap_clashes(keymap, *chains).items():
            self._clashes.add(frozenset(ids))
            self._keymap_notice(t("error.keymap.clash", key=key, ids=", ".join(ids)))
        self.set_keymap(keymap)

    def _keymap_notice(self, message: str) -> None:
        self.notify(message, title=t("error.keymap.title"), severity="warning", timeout=KEYMAP_NOTICE)

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

    # --- notices ------------------------------------------------------------------

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


class OneScreenApp(StudioAppBase):
    """A program of one screen that runs before a work app and ends with an answer (the sign-in, the
    plan's clock): no palette, no notice of a language switch; ``form`` is its screen, re-said on F2."""

    SAY_LANGUAGE = False  # the form is all there is to read
    CSS_PATH = "app.tcss"
    TITLE = "studio"
    ENABLE_COMMAND_PALETTE = False  # nothing to command before the answer
    form: Any  # a Screen with translate()

    def get_default_screen(self) -> Any:
        return self.form

    def on_mount(self) -> None:
        self.translate()

    def language_changed(self) -> None:
        self.form.translate()
