"""Translation layer: English message ids, Spanish by default, English on request.

Catalogs are gettext ``.po`` files in ``tracker/locale/`` read directly (no compile step, so a
source checkout and an installed package behave the same). The language comes from
``--lang``, then ``TRACKER_LANG``, then the locale variables; anything but English is Spanish,
because the team works in Spanish.
"""

from __future__ import annotations

import os
import re
from datetime import date
from functools import cache
from pathlib import Path

SUPPORTED = ("es", "en")
DEFAULT = "es"
_LOCALE_DIR = Path(__file__).with_name("locale")
_language: str | None = None


def detect_language(explicit: str | None = None) -> str:
    """The language to use: explicit choice, then TRACKER_LANG, then LC_ALL/LC_MESSAGES/LANG.

    An unsupported explicit value is ignored here; the CLI's argument parser reports it.
    """
    for value in (
        explicit,
        os.environ.get("TRACKER_LANG"),
        os.environ.get("LC_ALL"),
        os.environ.get("LC_MESSAGES"),
        os.environ.get("LANG"),
    ):
        if value:
            code = value.split(".")[0].split("_")[0].lower()
            if code in SUPPORTED:
                return code
    return DEFAULT


def set_language(lang: str | None) -> str:
    """Fix the language for this process and return it."""
    global _language
    _language = detect_language(lang)
    return _language


def current_language() -> str:
    if _language is None:
        return set_language(None)
    return _language


@cache
def _catalog(lang: str) -> dict[str, str]:
    path = _LOCALE_DIR / f"{lang}.po"
    if not path.exists():
        return {}
    return parse_po(path.read_text(encoding="utf-8"))


def parse_po(text: str) -> dict[str, str]:
    """The msgid -> msgstr pairs of a .po file (singular entries; empty msgstr skipped)."""
    catalog: dict[str, str] = {}
    msgid: list[str] = []
    msgstr: list[str] = []
    target: list[str] | None = None

    def flush() -> None:
        key, value = "".join(msgid), "".join(msgstr)
        if key and value:
            catalog[key] = value

    for raw in text.splitlines():
        line = raw.strip()
        if line.startswith("msgid "):
            flush()
            msgid, msgstr = [], []
            target = msgid
            line = line[len("msgid ") :]
        elif line.startswith("msgstr "):
            target = msgstr
            line = line[len("msgstr ") :]
        elif not line.startswith('"'):
            continue
        if target is not None and line.startswith('"') and line.endswith('"'):
            target.append(_unescape(line[1:-1]))
    flush()
    return catalog


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
_ESCAPE = re.compile(r"\\(.)")


def _unescape(body: str) -> str:
    """The text of a .po string literal (gettext's C-style escapes only)."""
    return _ESCAPE.sub(lambda m: _ESCAPES.get(m.group(1), m.group(0)), body)


def _(message: str) -> str:
    """Translate a message id into the current language (English ids are the fallback)."""
    lang = current_language()
    if lang == "en":
        return message
    return _catalog(lang).get(message, message)


@cache
def _message_ids(lang: str) -> dict[str, str]:
    return {translated: message for message, translated in _catalog(lang).items()}


def message_id(text: str) -> str:
    """The English message id ``text`` was translated from (``text`` itself when it is one):
    for texts translated at import time, to translate them again once the language is set."""
    for lang in SUPPORTED:
        if lang != "en" and text in _message_ids(lang):
            return _message_ids(lang)[text]
    return text


def N_(message: str) -> str:  # gettext's name for a marker
    """Mark ``message`` for the catalog without translating it here (it is translated
    where it is used, by someone else's ``_``)."""
    return message


def month_name(day: date) -> str:
    """The month of ``day`` by name, in the current language ("marzo")."""
    names = (
        _("January"),
        _("February"),
        _("March"),
        _("April"),
        _("May"),
        _("June"),
        _("July"),
        _("August"),
        _("September"),
        _("October"),
        _("November"),
        _("December"),
    )
    return names[day.month - 1]


def month_label(day: date) -> str:
    """Month and year of ``day`` ("marzo de 2018")."""
    return _("{month} {year}").format(month=month_name(day), year=day.year)
