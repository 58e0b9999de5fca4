"""The command palette: every console action, titled ``group: action`` in the interface language,
with its key (as the keymap set it) before its help.

Commands come from the bindings of the screen under the palette and of the
app, so a new binding shows up here with no extra work, plus one entry per
interface language. The group is the binding id's first part (``graphics.take``:
Graphics), so a screen's graphics and YouTube actions are not listed as its
rundown's. ``discover`` is cheap: it only reads bindings.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Iterator, NamedTuple, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.types import IgnoreReturnCallbackType

from studio.i18n import LANGUAGES, catalogue, t

if TYPE_CHECKING:
    from studio.tui.base import StudioAppBase


class Command(NamedTuple):
    title: str
    run: IgnoreReturnCallbackType
    help: str


class StudioCommands(Provider):
    @property
    def studio(self) -> StudioAppBase:
        return cast("StudioAppBase", self.app)

    def commands(self) -> Iterator[Command]:
        app, screen = self.studio, self.screen
        seen: set[str] = set()
        for node in (screen, app):
            for bindings in node._bindings.key_to_bindings.values():
                for binding in bindings:
                    if not binding.id or binding.id in seen or binding.id.endswith((".language", ".palette")):
                        continue
                    if node.check_action(binding.action.split("(")[0], ()) is False:
                        continue  # not available on this screen now (graphics without a renderer)
                    seen.add(binding.id)
                    run = partial(app.run_action, binding.action, node)
                    group = t(f"group.{binding.id.split('.')[0]}")
                    key = app.get_key_display(binding)
                    yield Command(f"{group}: {binding.description}", run, f"{key} · {binding.tooltip}")
        for language in LANGUAGES:
            if language != catalogue.language:
                yield Command(
                    f"{t('group.language')}: {catalogue.native_name(language)}",
                    partial(app.set_language, language),
                    t("binding.app.language.tooltip"),
                )

    async def discover(self) -> Hits:
        for command in self.commands():
            yield DiscoveryHit(command.title, command.run, help=command.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for command in self.commands():
            if (score := matcher.match(command.title)) > 0:
                yield Hit(score, matcher.highlight(command.title), command.run, help=command.help)
