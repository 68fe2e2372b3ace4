"""What the screens show, read from the team database in one snapshot off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.comms.check import TargetState, check_all
from tracker.plan.model import Plan
from tracker.state.forecast import Forecast, ItemForecast, forecast_plan
from tracker.store.planread import find_plan_header, for_check, read_activities
from tracker.store.reader import Reader, as_datetime, as_json, read


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


def last_change_id(reader: Reader) -> int:
    return int(reader.rows("SELECT max(id) FROM changes")[0][0] or 0)


def load_snapshot(
    db_url: str,
    plan_key: str | None,
    as_of: date,
    month: tuple[date, date] | None = None,
) -> Snapshot:
    """Read everything the screens show in one snapshot of the database (plain SQL: on the
    embedded database the window fills in without waiting for SQLAlchemy's import)."""

    def work(reader: Reader) -> Snapshot:
        header = find_plan_header(reader, plan_key)
        forecast = forecast_plan(reader, header, as_of)
        # A deliverable is due when its producer's baseline ends: no second schedule pass.
        finish = {i.key: i.baseline_finish for i in forecast.items}
        rows = reader.rows(
            "SELECT key, producer_key, title, status, evidence, version FROM deliverables "
            "WHERE plan_id = :plan AND NOT archived ORDER BY position",
            {"plan": header.id},
        )
        deliverables = {
            key: DeliverableView(
                key, producer, title, status, evidence, version, finish.get(producer)
            )
            for key, producer, title, status, evidence, version in rows
        }
        comm = forecast.plan.communication
        states: list[TargetState] = []
        activities: list[dict[str, Any]] = []
        if comm is not None:
            logged = read_activities(reader, header.id)
            states = check_all(comm.targets, comm.period, for_check(logged), as_of)
            start, end = month or (as_of.replace(day=1), as_of)
            first, last = start.isoformat(), end.isoformat()
            activities = [a for a in logged if first <= a["day"] <= last]
        return Snapshot(
            header.key, as_of, forecast, deliverables, states, activities, last_change_id(reader)
        )

    return read(db_url, work)


def load_history(db_url: str, plan_key: str | None, key: str) -> list[dict[str, Any]]:
    def work(reader: Reader) -> list[dict[str, Any]]:
        header = find_plan_header(reader, plan_key)
        rows = reader.rows(
            "SELECT id, at, author, action, before, after, note FROM changes "
            "WHERE plan_id = :plan AND entity_key = :key ORDER BY id DESC LIMIT 100",
            {"plan": header.id, "key": key},
        )
        return [
            {
                "id": r[0],
                "at": as_datetime(r[1]),
                "author": r[2],
                "action": r[3],
                "before": as_json(r[4]),
                "after": as_json(r[5]),
                "note": r[6],
            }
            for r in rows
        ]

    return read(db_url, work)


def poll_last_change(db_url: str) -> int:
    return read(db_url, last_change_id)
