"""``studio desk``: the verification desk as its own program.

The whole interface is ``DeskScreen`` (the producer console pushes the same
screen with ``app.desk``). The app adds the language switch, the command
palette and the keymap: only ``desk.*`` and ``dialog.*`` ids of the config's
``[keymap]`` are its own; the other programs' ids are not reported unknown.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.widgets import DataTable

from studio.config import Config
from studio.machine import default_operator, utc_now
from studio.store.desk import DeskStore
from studio.tui.base import StudioAppBase
from studio.tui.commands import StudioCommands
from studio.tui.desk.attachments import AttachmentPicker, Opener, system_opener
from studio.tui.desk.client import DeskClient
from studio.tui.desk.fact_form import FactForm
from studio.tui.desk.held import HeldQueue, RegionPicker
from studio.tui.desk.links import LinkForm
from studio.tui.desk.release import ReleaseForm
from studio.tui.desk.screen import DeskScreen
from studio.tui.desk.source_form import SourceForm
from studio.tui.desk.split import SplitForm
from studio.tui.desk.verdict import VerdictForm
from studio.tui.screens.text import TextScreen

DIALOGS = (FactForm, VerdictForm, LinkForm, SourceForm, SplitForm, ReleaseForm, TextScreen, HeldQueue, RegionPicker,
           AttachmentPicker)
OWN_IDS = ("desk.", "dialog.", "held.")


class DeskApp(StudioAppBase):
    PROGRAM = "desk"
    # The dialogs' look is the console's; Textual reads a screen's own CSS_PATH only for pushed
    # screens, not for the default screen, so the desk's is named here too.
    CSS_PATH: ClassVar = [Path(__file__).parent.parent / "app.tcss", Path(__file__).parent / "desk.tcss"]
    TITLE = "studio — desk"
    COMMANDS: ClassVar = {StudioCommands}
    BINDING_GROUP_TITLE = "Desk"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("f2", "cycle_language", "Language", id="desk.language", tooltip="Switch language", show=False),
        Binding(
            "ctrl+p", "command_palette", "Commands", id="desk.palette", tooltip="Every action", priority=True,
            show=False,
        ),
        Binding("ctrl+q", "quit", "Quit", id="desk.quit", tooltip="Close the desk", priority=True, show=False),
    ]

    def __init__(
        self, client: DeskClient, config: Config, *, live: bool = True, opener: Opener = system_opener
    ) -> None:
        super().__init__(config)
        self.client = client
        self.live = live  # False: no poll loop (tests of a still frame)
        self.opener = opener

    def get_default_screen(self) -> DeskScreen:
        self.desk = DeskScreen(self.client, zone=self.config.station.zone, live=self.live, opener=self.opener)
        return self.desk

    def on_mount(self) -> None:
        self.translate()
        self.apply_keymap()

    def language_changed(self) -> None:
        self.desk.translate()

    def keymap_owns(self, binding_id: str) -> bool:
        return binding_id.startswith(OWN_IDS)

    def keymap_chains(self) -> list[tuple[type[DOMNode], ...]]:
        return [(DataTable, DeskScreen, DeskApp)] + [(dialog,) for dialog in DIALOGS]


def operator_of(config: Config, given: str | None = None) -> str:
    """Who works this desk: --operator, else [station] operator, else the login name."""
    return (given or "").strip() or config.station.operator or default_operator()


def make_desk(
    store: DeskStore,
    config: Config,
    *,
    operator: str | None = None,
    clock: Callable[[], datetime] | None = None,
    live: bool = True,
    opener: Opener = system_opener,
) -> DeskApp:
    """The desk as ``studio desk`` starts it; tests build theirs here too.

    ``clock`` gives aware instants (default: now, UTC); ``live=False``
    leaves the poll loop off, for still frames in tests; ``opener`` shows
    an attachment (default: the system viewer).
    """
    client = DeskClient(store, operator_of(config, operator), clock or utc_now)
    return DeskApp(client, config, live=live, opener=opener)
