"""Recorded changes in words, for people: "completada → en curso · 100 % → 60 % · fin real
28/02 eliminado". Shared by the terminal UI and ``tracker history``."""

from __future__ import annotations

from datetime import date
from typing import Any

from tracker.i18n import _
from tracker.labels import status_label


def _day(value: Any) -> str:
    try:
        return date.fromisoformat(str(value)).strftime("%d/%m")
    except ValueError:
        return str(value)


def _field_names() -> dict[str, str]:
    return {
        "actual_start": _("actual start"),
        "actual_finish": _("actual finish"),
        "status_date": _("status date"),
        "reason": _("reason"),
        "evidence": _("evidence"),
        "day": _("date"),
        "channel": _("channel"),
        "targets": _("targets"),
        "title": _("title"),
        "quantity": _("quantity"),
        "link": _("link"),
        "note": _("note"),
    }


def _value(name: str, value: Any) -> str:
    if name == "status":
        return status_label(str(value))
    if name == "percent":
        return f"{value} %"
    if name in ("actual_start", "actual_finish", "status_date", "day"):
        return _day(value)
    if isinstance(value, list):
        return ", ".join(str(v) for v in value)
    return f"«{value}»" if isinstance(value, str) else str(value)


def describe_fields(before: dict[str, Any], after: dict[str, Any]) -> str:
    """What changed from ``before`` to ``after``, field by field, in words; "" if nothing."""
    names = _field_names()
    parts = []
    for name in after:
        old, new = before.get(name), after.get(name)
        if old == new or name == "deleted":
            continue
        if name == "status_date" and before.get("status") != after.get("status"):
            continue  # the day of a new status: said by the change itself
        if name in ("status", "percent"):
            parts.append(
                f"{_value(name, old)} → {_value(name, new)}"
                if old is not None
                else _value(name, new)
            )
            continue
        label = names.get(name, name)
        if new in (None, "", []):
            parts.append(_("{field} {value} removed").format(field=label, value=_value(name, old)))
        elif old in (None, "", []):
            parts.append(f"{label} {_value(name, new)}")
        else:
            parts.append(f"{label} {_value(name, old)} → {_value(name, new)}")
    return " · ".join(parts)


def describe_change(entity: str, action: str, before: dict[str, Any], after: dict[str, Any]) -> str:
    """One recorded change in words (a communication entry by its title, channel and day)."""
    if entity == "comms":
        entry = after if after and not after.get("deleted") else before
        what = _("entry «{title}» ({channel}, {day})").format(
            title=entry.get("title", ""),
            channel=entry.get("channel", ""),
            day=_day(entry.get("day", "")),
        )
        if action == "add" or (action == "undo" and not before):
            return _("{entry} added").format(entry=what)
        if after.get("deleted") and not before.get("deleted"):
            return _("{entry} deleted").format(entry=what)
        if before.get("deleted") and not after.get("deleted"):
            return _("{entry} back").format(entry=what)
        return f"{what}: {describe_fields(before, after)}"
    return describe_fields(before, after) or _("no change")


def describe_undo(entity: str, key: str, reverted: dict[str, Any], back: dict[str, Any]) -> str:
    """What an undo brought back: "3.5.1 back to en curso · 60 %" in words."""
    if entity == "comms":
        if back.get("deleted") or not back:
            return _("entry {id} removed again").format(id=key)
        return _("entry {id} back: {what}").format(
            id=key, what=describe_change(entity, "edit", reverted, back)
        )
    return _("{id} is back: {what}").format(id=key, what=describe_fields(reverted, back))
