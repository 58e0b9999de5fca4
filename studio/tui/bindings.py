"""Bindings in the interface language, and the list of every binding id.

``Binding`` objects are frozen and Textual copies a class's merged bindings
into each node at construction; ``translate`` rebuilds that copy with the
catalogue's label and tooltip for every binding that has an id
(``binding.<id>.label`` / ``.tooltip``), and sets the node's group title.
Call it on mount and again when the language changes. Keymap overrides are
applied later, when Textual builds the binding chain, so they still work.

This touches Textual internals on purpose (``DOMNode._bindings``,
``_merged_bindings``, ``App._normalize_keymap``); tests/tui/test_bindings.py
and the language test notice if a Textual upgrade moves them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Mapping, Sequence

from textual.app import App
from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from studio.i18n import t

FIELD_FOCUS = [
    Binding("tab", "app.focus_next", show=False, priority=True),
    Binding("shift+tab", "app.focus_previous", show=False, priority=True),
]
"""A form's tab and shift+tab, acted on as they are read. Textual hands any other key to the widget in focus, so a
tab handled there lagged behind the keys after it: in a burst (a slow SSH link) the text after a tab went into the
field before it."""


def translate(node: DOMNode, group: str | None = None) -> None:
    keys: dict[str, list[Binding]] = {
        key: [_translated(binding) for binding in bindings] for key, bindings in node._bindings.key_to_bindings.items()
    }
    node._bindings = BindingsMap.from_keys(keys)
    if group:
        node.BINDING_GROUP_TITLE = t(f"group.{group}")
    node.refresh_bindings()


def _translated(binding: Binding) -> Binding:
    if not binding.id:
        return binding
    return replace(binding, description=t(f"binding.{binding.id}.label"), tooltip=t(f"binding.{binding.id}.tooltip"))


def binding_ids(*owners: type[DOMNode]) -> dict[str, Binding]:
    """Every binding with an id on these classes, by id (first key wins)."""
    found: dict[str, Binding] = {}
    for owner in owners:
        merged = owner._merged_bindings
        if merged is None:
            continue
        for bindings in merged.key_to_bindings.values():
            for binding in bindings:
                if binding.id and binding.id not in found:
                    found[binding.id] = binding
    return found


def keymap_clashes(keymap: Mapping[str, str], *chains: Sequence[type[DOMNode]]) -> dict[str, list[str]]:
    """Keys that the keymap leaves on more than one binding of one binding chain.

    Textual drops a default binding whose key the keymap gives to another id
    without telling (its clash check skips bindings that have an id), so the
    console checks the whole keymap once, chain by chain (the main screen with
    the app, each dialog on its own). Bindings without an id (table cursor
    keys) count as occupants of their keys. Only keys the keymap touches are
    reported: Textual's own layered defaults (ctrl+c) are not clashes.
    """
    normalized = dict(App._normalize_keymap(dict(keymap)))
    clashes: dict[str, list[str]] = {}
    for chain in chains:
        owners: dict[str, list[str]] = {}
        for node_type in chain:
            merged = node_type._merged_bindings
            if merged is None:
                continue
            for key, bindings in merged.key_to_bindings.items():
                for binding in bindings:
                    name = binding.id or binding.action
                    keys = normalized[binding.id].split(",") if binding.id in normalized else [key]
                    for bound in keys:
                        if name not in owners.setdefault(bound.strip(), []):
                            owners[bound.strip()].append(name)
        for key, names in owners.items():
            if len(names) > 1 and any(name in normalized for name in names):
                clashes.setdefault(key, [])
                clashes[key] += [name for name in names if name not in clashes[key]]
    return clashes
