"""What the screens show, read from the team database in one transaction off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from tracker.commcheck import TargetState, check_all
from tracker.commlog import activities_for_check, describe, list_activities
from tracker.db.models import ChangeRow, DeliverableRow
from tracker.db.session import transaction
from tracker.forecast import Forecast, ItemForecast, compute_forecast
from tracker.model import Plan
from tracker.planstore import find_plan


@dataclass(slots=True)
class DeliverableView:
    key: str
    producer: str
    title: str
    status: str
    evidence: str
    version: int
    due: date | None


@dataclass(slots=True)
class Snapshot:
    """Everything the screens need, as of one date, consistent with one database state."""

    plan_key: str
    as_of: date
    forecast: Forecast
    deliverables: dict[str, DeliverableView]
    comms: list[TargetState]
    month_activities: list[dict[str, Any]]
    last_change: int
    items: dict[str, ItemForecast] = field(default_factory=dict)

    @property
    def plan(self) -> Plan:
        return self.forecast.plan

    def __post_init__(self) -> None:
        self.items = {i.key: i for i in self.forecast.items}


def last_change_id(session: Session) -> int:
    return int(session.scalar(select(func.max(ChangeRow.id))) or 0)


def load_snapshot(
    sessions: sessionmaker[Session],
    plan_key: str | None,
    as_of: date,
    month: tuple[date, date] | None = None,
) -> Snapshot:
    def work(session: Session) -> Snapshot:
        plan_row = find_plan(session, plan_key)
        forecast = compute_forecast(session, plan_row, as_of)
        # A deliverable is due when its producer's baseline ends: no second schedule pass.
        finish = {i.key: i.baseline_finish for i in forecast.items}
        due = {d.id: finish.get(d.producer) for d in forecast.plan.deliverables.values()}
        rows = session.scalars(
            select(DeliverableRow)
            .where(DeliverableRow.plan_id == plan_row.id, DeliverableRow.archived.is_(False))
            .order_by(DeliverableRow.position)
        )
        deliverables = {
            r.key: DeliverableView(
                r.key, r.producer_key, r.title, r.status, r.evidence, r.version, due.get(r.key)
            )
            for r in rows
        }
        comm = forecast.plan.communication
        states: list[TargetState] = []
        activities: list[dict[str, Any]] = []
        if comm is not None:
            states = check_all(
                comm.targets, comm.period, activities_for_check(session, plan_row), as_of
            )
            start, end = month or (as_of.replace(day=1), as_of)
            activities = [describe(r) for r in list_activities(session, plan_row, start, end)]
        return Snapshot(
            plan_row.key, as_of, forecast, deliverables, states, activities, last_change_id(session)
        )

    return transaction(sessions, work)


def load_history(
    sessions: sessionmaker[Session], plan_key: str | None, key: str
) -> list[dict[str, Any]]:
    def work(session: Session) -> list[dict[str, Any]]:
        plan_row = find_plan(session, plan_key)
        rows = session.scalars(
            select(ChangeRow)
            .where(ChangeRow.plan_id == plan_row.id, ChangeRow.entity_key == key)
            .order_by(ChangeRow.id.desc())
            .limit(100)
        )
        return [
            {
                "id": c.id,
                "at": c.at,
                "author": c.author,
                "action": c.action,
                "before": c.before,
                "after": c.after,
                "note": c.note,
            }
            for c in rows
        ]

    return transaction(sessions, work)


def poll_last_change(sessions: sessionmaker[Session]) -> int:
    return transaction(sessions, last_change_id)
