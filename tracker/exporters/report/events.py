"""What happened, read from the recorded changes: each status change becomes the event it
stands for (started, finished, blocked, validated, delivered ...), dated by the date the change
records (actual start, actual finish, status date) rather than by when it was typed."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import Any

from tracker.exporters.report.source import Change

DONE_DELIVERABLE = ("validado", "entregado")


@dataclass(frozen=True, slots=True)
class Event:
    day: date
    kind: str  # started, resumed, completed, blocked, deferred, cancelled, validated, delivered
    entity: str  # "item" or "deliverable"
    key: str
    change: Change

    @property
    def order(self) -> tuple[date, int]:
        return self.day, self.change.id


def iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            return None
    return None


def item_events(change: Change) -> list[Event]:
    """The events of an item's status change (none for progress or date corrections)."""
    before, after = change.before, change.after
    old, new = before.get("status"), after.get("status")
    if change.entity != "item" or change.action != "status" or old == new:
        return []
    started = iso(after.get("actual_start"))
    finished = iso(after.get("actual_finish"))
    typed = change.effective or iso(after.get("status_date")) or change.typed

    def event(day: date, kind: str) -> Event:
        return Event(day, kind, "item", change.key, change)

    if new == "en_curso":
        if old == "pendiente" or not before.get("actual_start"):
            return [event(started or typed, "started")]
        return [event(typed, "resumed")]
    if new == "completada":
        day = finished or typed
        out = []
        if started and not before.get("actual_start") and started != day:
            out.append(event(started, "started"))
        out.append(event(day, "completed"))
        return out
    if new == "bloqueada":
        return [event(typed, "blocked")]
    if new == "diferida":
        return [event(typed, "deferred")]
    if new == "cancelada":
        return [event(typed, "cancelled")]
    return []


def deliverable_event(change: Change) -> Event | None:
    before, after = change.before, change.after
    new = after.get("status")
    if (
        change.entity != "deliverable"
        or change.action != "status"
        or new not in DONE_DELIVERABLE
        or before.get("status") == new
    ):
        return None
    day = iso(after.get("status_date")) or change.effective or change.typed
    kind = "delivered" if new == "entregado" else "validated"
    return Event(day, kind, "deliverable", change.key, change)


def all_events(changes: list[Change]) -> list[Event]:
    events: list[Event] = []
    for change in changes:
        events += item_events(change)
        single = deliverable_event(change)
        if single is not None:
            events.append(single)
    return sorted(events, key=lambda e: e.order)


def blocked_since(changes: list[Change], key: str, as_of: date) -> date | None:
    """The day ``key`` was last put into ``bloqueada`` (on or before ``as_of``)."""
    since = None
    for event in all_events(changes):
        if event.key == key and event.entity == "item" and event.day <= as_of:
            since = event.day if event.kind == "blocked" else None
    return since
