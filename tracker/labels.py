"""Status names as people read them, in the user's language: one place for the terminal UI,
the CLI and the exporters (the stored values stay the Spanish keys of plan/statuses.py)."""

from __future__ import annotations

from tracker.i18n import _


def status_label(status: str) -> str:
    """The name of an item's or a deliverable's status ("en_curso" → "en curso" / "in
    progress"); an unknown value is shown as stored."""
    labels = {
        "pendiente": _("pending"),
        "en_curso": _("in progress"),
        "completada": _("done"),
        "bloqueada": _("blocked"),
        "diferida": _("deferred"),
        "cancelada": _("cancelled"),
        "borrador": _("draft"),
        "en_revision": _("under review"),
        "validado": _("validated"),
        "entregado": _("delivered"),
    }
    return labels.get(status, status)


def target_state_label(state: str) -> str:
    """The name of a communication target's state ("cumplida" → "met")."""
    labels = {
        # Words of their own: "met", "behind"… are the Panel's plural counts in Spanish.
        "cumplida": _("achieved"),
        "en_curso": _("on track"),
        "atrasada": _("lagging"),
        "incumplida": _("not met"),
        "proxima": _("next"),
    }
    return labels.get(state, state)


def status_short(status: str) -> str:
    """A status in five letters at most, for the status columns of the CLI's tables."""
    labels = {
        "pendiente": _("TODO"),
        "en_curso": _("DOING"),
        "completada": _("DONE"),
        "bloqueada": _("BLOCK"),
        "diferida": _("DEFER"),
        "cancelada": _("CANCL"),
    }
    return labels.get(status, status[:5].upper())
