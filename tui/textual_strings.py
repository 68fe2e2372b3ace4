"""Textual's own user-visible strings, and key descriptions, in the user's language.

Textual's widgets describe their keys in English (the Select's menu says "esc Dismiss menu"
in the footer); our screens describe theirs with ``_()`` when their module is imported. Both
are redone through the catalog when the app starts (``localise_bindings``), so the footer and
the help speak the language chosen then, whatever was current at import time.

The app passes the English texts through ``_()`` at run time, so the message extractor cannot
see them there; listing them here puts them in the catalog.
"""

from __future__ import annotations

import dataclasses

from textual.binding import Binding, BindingsMap
from textual.dom import DOMNode

from tracker.i18n import _, message_id

# Each described binding's description (and tooltip) as first seen: the English message id
# when the class was imported in English, as it is in tests; the text to translate again.
_ORIGINAL: dict[tuple[type[DOMNode], str, str], tuple[str, str]] = {}


def retranslate(text: str) -> str:
    """``text`` (a message translated when its module was imported, in whichever language)
    in the current language."""
    return _(message_id(text))


def _subclasses(cls: type[DOMNode]) -> list[type[DOMNode]]:
    found, todo = [], [cls]
    while todo:
        current = todo.pop()
        for sub in current.__subclasses__():
            found.append(sub)
            todo.append(sub)
    return found


def localise_bindings() -> None:
    """Translate the description of every binding of every widget and screen class loaded
    (Textual's and ours), from the text it had when first seen."""
    for cls in _subclasses(DOMNode):
        merged: BindingsMap | None = cls.__dict__.get("_merged_bindings")
        if merged is None:
            continue
        fresh = BindingsMap()
        for key, bindings in merged.key_to_bindings.items():
            for binding in bindings:
                original = _ORIGINAL.setdefault(
                    (cls, key, binding.action), (binding.description, binding.tooltip)
                )
                fresh.key_to_bindings.setdefault(key, []).append(_localised(binding, original))
        cls._merged_bindings = fresh


def _localised(binding: Binding, original: tuple[str, str]) -> Binding:
    description, tooltip = original
    return dataclasses.replace(
        binding,
        description=retranslate(description) if description else description,
        tooltip=retranslate(tooltip) if tooltip else tooltip,
    )


def _textual_builtins() -> list[str]:  # pragma: no cover - read by scripts/extract_messages.py
    return [
        _("Theme"),
        _("Change the current theme"),
        _("Quit"),
        _("Quit the application as soon as possible"),
        _("Keys"),
        _("Show help for the focused widget and a summary of available keys"),
        _("Hide the keys and widget help panel"),
        _("Minimize"),
        _("Minimize the widget and restore to normal size"),
        _("Maximize"),
        _("Maximize the focused widget"),
        _("Screenshot"),
        _("Save an SVG 'screenshot' of the current screen"),
        # Key descriptions of Textual's widgets that the footer shows.
        _("Dismiss menu"),
        _("Exit the command palette"),
        _("Show menu"),
        _("Toggle"),
        _("Toggle option"),
        _("Press button"),
        _("Open the command palette"),
        _("palette"),
    ]
