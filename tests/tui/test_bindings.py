"""Bindings: ids in the right namespaces, text in every language, defaults without clashes."""

from __future__ import annotations

from studio.i18n import LANGUAGES, messages
from studio.tui import StudioApp, bindings
from studio.tui.app import DIALOGS
from studio.tui.screens import ProducerScreen
from studio.tui.widgets.rundown import RundownTable

RUNDOWN_ACTIONS = {
    "rundown.take_next", "rundown.take_selected", "rundown.hold", "rundown.skip", "rundown.undo",
    "rundown.end_show", "rundown.move_up", "rundown.move_down", "rundown.drop", "rundown.duration",
    "rundown.insert",
}
GRAPHICS_ACTIONS = {"graphics.take", "graphics.clear", "graphics.panic", "graphics.next_armed", "graphics.pick_fact"}
YOUTUBE_ACTIONS = {"youtube.schedule", "youtube.go_live", "youtube.end"}


def test_every_action_has_a_namespaced_id() -> None:
    assert set(bindings.binding_ids(ProducerScreen)) == RUNDOWN_ACTIONS | GRAPHICS_ACTIONS | YOUTUBE_ACTIONS
    assert set(bindings.binding_ids(StudioApp)) == {"app.reload", "app.language", "app.palette", "app.quit", "app.desk"}


def test_every_binding_has_a_label_and_tooltip_in_every_language() -> None:
    ids = bindings.binding_ids(StudioApp, ProducerScreen, *DIALOGS)
    for language in LANGUAGES:
        catalogue = messages(language)
        for binding_id in ids:
            assert catalogue.get(f"binding.{binding_id}.label"), (language, binding_id)
            assert catalogue.get(f"binding.{binding_id}.tooltip"), (language, binding_id)


def test_the_default_keys_do_not_clash() -> None:
    # With every binding "rebound" to its own default keys, any shared key shows up.
    defaults: dict[str, list[str]] = {}
    for owner in (StudioApp, ProducerScreen):
        assert owner._merged_bindings is not None
        for key, found in owner._merged_bindings.key_to_bindings.items():
            for binding in found:
                if binding.id:
                    defaults.setdefault(binding.id, []).append(key)
    keymap = {binding_id: ",".join(keys) for binding_id, keys in defaults.items()}
    assert keymap["rundown.take_next"] == "space,f1"
    assert bindings.keymap_clashes(keymap, (RundownTable, ProducerScreen, StudioApp)) == {}


def test_a_keymap_giving_one_key_to_two_actions_is_a_clash() -> None:
    clashes = bindings.keymap_clashes({"rundown.hold": "s"}, (RundownTable, ProducerScreen, StudioApp))
    assert clashes == {"s": ["rundown.hold", "rundown.skip"]} or clashes == {"s": ["rundown.skip", "rundown.hold"]}
