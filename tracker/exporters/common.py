"""What every exporter reads from the team database, and where its files go by default."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.comms.check import TargetState, check_all
from tracker.plan.model import Plan
from tracker.state.forecast import Forecast, compute_forecast
from tracker.store.models import ChangeRow, DeliverableRow
from tracker.store.planstore import find_plan
from tracker.tracking.commlog import activities_for_check, describe, list_activities

EXPORTS_DIR = Path("exports")


@dataclass(slots=True)
class DeliverableState:
    key: str
    producer: str
    title: str
    status: str
    evidence: str
    status_date: date | None
    due: date | None


@dataclass(slots=True)
class ExportData:
    """One consistent read of a plan's state as of a date, for any exporter."""

    plan_key: str
    as_of: date
    forecast: Forecast
    deliverables: list[DeliverableState]
    comms: list[TargetState]
    activities: list[dict[str, Any]]  # every logged communication activity (not deleted)
    changes: list[dict[str, Any]]  # every recorded change, oldest first

    @property
    def plan(self) -> Plan:
        return self.forecast.plan


def load_export_data(session: Session, plan_key: str | None, as_of: date) -> ExportData:
    plan_row = find_plan(session, plan_key)
    forecast = compute_forecast(session, plan_row, as_of)
    finish = {i.key: i.baseline_finish for i in forecast.items}
    deliverables = [
        DeliverableState(
            r.key,
            r.producer_key,
            r.title,
            r.status,
            r.evidence,
            r.status_date,
            finish.get(r.producer_key),
        )
        for r in session.scalars(
            select(DeliverableRow)
            .where(DeliverableRow.plan_id == plan_row.id, DeliverableRow.archived.is_(False))
            .order_by(DeliverableRow.position)
        )
    ]
    comm = forecast.plan.communication
    comms = (
        check_all(comm.targets, comm.period, activities_for_check(session, plan_row), as_of)
        if comm is not None
        else []
    )
    activities = [describe(r) for r in list_activities(session, plan_row)]
    changes = [
        {
            "id": c.id,
            "at": c.at,
            "author": c.author,
            "entity": c.entity,
            "key": c.entity_key,
            "action": c.action,
            "before": c.before,
            "after": c.after,
            "note": c.note,
            "undoes": c.undoes,
            "undone": c.undone,
        }
        for c in session.scalars(
            select(ChangeRow).where(ChangeRow.plan_id == plan_row.id).order_by(ChangeRow.id)
        )
    ]
    return ExportData(plan_row.key, as_of, forecast, deliverables, comms, activities, changes)


def default_output(kind: str, suffix: str, day: date, directory: Path = EXPORTS_DIR) -> Path:
    """``exports/<kind>-<YYYY-MM-DD>.<suffix>``: dated, so a month's files sit side by side."""
    directory.mkdir(parents=True, exist_ok=True)
    return directory / f"{kind}-{day.isoformat()}.{suffix.lstrip('.')}"
