"""What the store hands the state computation: the plan's rows and history, as typed values.

Plain data, no database: ``tracker.store`` fills these from either backend, and
``tracker.state`` computes the plan's state from them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

# The tracked fields of each kind of record: what a change's before/after snapshots hold.
ITEM_FIELDS = ("status", "percent", "actual_start", "actual_finish", "reason")
DELIVERABLE_FIELDS = ("status", "evidence", "status_date")
COMMS_FIELDS = ("day", "channel", "targets", "title", "quantity", "link", "note", "deleted")


@dataclass(slots=True)
class ItemState:
    """An item's tracked state and baseline (as stored now, or as replayed for a date)."""

    key: str
    kind: str
    group: str
    title: str
    leads: str
    duration: int
    status: str
    percent: int
    reason: str
    actual_start: date | None
    actual_finish: date | None
    baseline_start: date
    baseline_finish: date
    version: int
    updated_by: str


@dataclass(slots=True)
class DeliverableRecord:
    """A deliverable's tracked state as stored (or replayed)."""

    key: str
    producer: str
    title: str
    status: str
    evidence: str
    status_date: date | None
    version: int
    updated_by: str


@dataclass(frozen=True, slots=True)
class Change:
    """One recorded change: who typed it and when (``at``), the day it took effect, what it
    changed from what to what, and why."""

    id: int
    at: datetime
    effective: date
    author: str
    entity: str  # item | deliverable | comms | plan
    key: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    note: str
    undoes: int | None
    undone: bool

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "at": self.at,
            "effective": self.effective,
            "author": self.author,
            "entity": self.entity,
            "key": self.key,
            "action": self.action,
            "before": self.before,
            "after": self.after,
            "note": self.note,
            "undoes": self.undoes,
            "undone": self.undone,
        }


@dataclass(slots=True)
class StoredPlan:
    """Everything stored about one plan that its state is computed from.

    ``changes`` holds the history needed for the dates asked (all of it when a past state
    must be replayed); ``last_change`` is the newest change's id, for views that poll.
    """

    key: str
    plan: Any  # tracker.plan.model.Plan (typed loosely: records stay import-light)
    items: dict[str, ItemState]
    deliverables: list[DeliverableRecord]
    activities: list[dict[str, Any]]
    changes: list[Change] = field(default_factory=list)
    last_change: int = 0
    latest_effective: date | None = None
    latest_recorded: datetime | None = None
    # When set, a replay covers only these (entity, key) pairs, every other one standing as
    # stored; each starts from ``replay_base`` when it is there (its tracked fields and who
    # set them, as a prefix of its history left them: see tracker.store.queries.REPLAY_LAST),
    # else from what init leaves, and ``changes`` holds the counted changes still to apply.
    replay_keys: frozenset[tuple[str, str]] | None = None
    replay_base: dict[tuple[str, str], tuple[dict[str, Any], str]] = field(default_factory=dict)
