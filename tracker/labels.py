"""What a status code is called, in the user's language (Spanish by default, English on request).

The codes (``en_curso``, ``validado`` …) are what is stored and typed on the command line; every
view that shows a status to a person (the Gantt charts, the spreadsheets, the terminal app)
shows its name from here, so one word means one thing everywhere.
"""

from __future__ import annotations

import re

from tracker.i18n import _
from tracker.plan.model import Plan
from tracker.textsafe import visible


def status_label(code: str, *, capital: bool = False) -> str:
    """The name of an item status: ``en_curso`` -> "en curso" ("in progress" in English)."""
    names = {
        "pendiente": _("pending"),
        "en_curso": _("in progress"),
        "completada": _("done"),
        "bloqueada": _("blocked"),
        "diferida": _("deferred"),
        "cancelada": _("cancelled"),
        # Not a stored status but a state the charts colour: open and past its baseline.
        "atrasada": _("late"),
    }
    return _capital(names.get(code, code.replace("_", " ")), capital)


def deliverable_status_label(code: str, *, capital: bool = False) -> str:
    """The name of a deliverable status: ``en_revision`` -> "en revisión"."""
    names = {
        "pendiente": _("pending"),
        "borrador": _("draft"),
        "en_revision": _("under review"),
        "validado": _("validated"),
        "entregado": _("delivered"),
    }
    return _capital(names.get(code, code.replace("_", " ")), capital)


def period_state_label(code: str) -> str:
    """The state of a communication target's period: ``incumplida`` -> "Incumplida"."""
    names = {
        "cumplida": _("period met"),
        "incumplida": _("period missed"),
        "en_curso": _("period in progress"),
        "atrasada": _("period behind"),
        "proxima": _("period upcoming"),
    }
    return names.get(code, code.replace("_", " "))


def _capital(text: str, capital: bool) -> str:
    return text[:1].upper() + text[1:] if capital and text else text


def plan_title(plan: Plan) -> str:
    """The plan's title in Spanish only: an English gloss after a slash ("(… / Customized
    Panama City Approach)") is left out. Used on every document's title and metadata."""
    title = visible(" ".join(plan.meta.title.split()))
    return re.sub(r"\s*/\s*[^/()]*[A-Za-z][^/()]*(?=\))", "", title).strip()
