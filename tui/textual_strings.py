"""Textual's own user-visible strings that the app translates at run time.

The app passes them through ``_()`` with the text Textual gives it (see
``TrackerApp.get_system_commands``), so the message extractor cannot see them there; listing
them here puts them in the catalog.
"""

from tracker.i18n import _


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
    ]
