"""What the report reads: one state of the plan as of the month's last day, and the changes
recorded up to then, in the shape the report's sections use."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any, Protocol

from tracker.comms.check import TargetState
from tracker.plan.model import Plan
from tracker.state.forecast import Forecast, ItemForecast
from tracker.state.plan_state import PlanState


class DeliverableLike(Protocol):
    key: str
    producer: str
    title: str
    status: str
    evidence: str
    status_date: date | None
    due: date | None


@dataclass(frozen=True, slots=True)
class Change:
    """One recorded change still in effect (not undone, not an undo)."""

    id: int
    typed: date  # the local day it was recorded
    author: str
    entity: str  # "item", "deliverable", ...
    key: str
    action: str
    before: dict[str, Any]
    after: dict[str, Any]
    note: str
    effective: date | None = None  # the day it took effect, when the history records it


@dataclass(slots=True)
class ReportSource:
    plan_key: str
    as_of: date
    forecast: Forecast
    deliverables: list[DeliverableLike]
    comms: list[TargetState]
    activities: list[dict[str, Any]]  # the communication log: day, channel, targets, title ...
    changes: list[Change]

    @property
    def plan(self) -> Plan:
        return self.forecast.plan

    def item(self, key: str) -> ItemForecast | None:
        for item in self.forecast.items:
            if item.key == key:
                return item
        return None


def typed_on(at: datetime) -> date:
    """The local day a change was recorded (the history keeps UTC)."""
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().date()


def live_changes(changes: list[dict[str, Any]]) -> list[Change]:
    """Changes still in effect: not undone, not undos, and not the target of an undo."""
    reverted = {c.get("undoes") for c in changes if c.get("undoes") is not None}
    return [
        Change(
            c["id"],
            typed_on(c["at"]),
            c.get("author") or "",
            c["entity"],
            c["key"],
            c["action"],
            dict(c.get("before") or {}),
            dict(c.get("after") or {}),
            (c.get("note") or "").strip(),
            _day(c.get("effective")),
        )
        for c in changes
        if not c.get("undone") and c["action"] != "undo" and c["id"] not in reverted
    ]


def _day(value: Any) -> date | None:
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        return date.fromisoformat(value[:10])
    return None


def from_plan_state(state: PlanState) -> ReportSource:
    """The report's view of the plan's state as of a date (read with its changes)."""
    return ReportSource(
        state.plan_key,
        state.as_of,
        state.forecast,
        list(state.deliverables.values()),
        list(state.comms),
        list(state.activities),
        live_changes([c.as_dict() for c in state.changes]),
    )


def from_export_data(data: Any) -> ReportSource:
    """The report's view of ``exporters.common.ExportData`` (one PlanState)."""
    return from_plan_state(data.state)


def plan_title(plan: Plan) -> str:
    """The plan's Spanish title: the part before an English gloss in brackets or after a
    slash ("… (Abordaje adaptado … / Customized Panama City Approach)")."""
    title = plan.meta.title
    if "/" in title and "(" in title:
        head, _sep, gloss = title.partition("(")
        inner = gloss.rsplit(")", 1)[0].split("/")[0].strip()
        return f"{head.strip()} ({inner})" if inner else head.strip()
    return title
