"""The forecast: the schedule recomputed from what has actually happened, as of a date.

Finished items keep their actual dates. Started items keep their start and need their
remaining work (duration × (100 − percent) %) from the as-of date on. Items not started cannot
start before the as-of date. Deferred and cancelled items no longer hold anything up.
Successors move accordingly. Slippage is counted in working days against the baseline.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from tracker.plan.model import Plan
from tracker.plan.statuses import CLOSED, ITEM_STATUSES, REMOVED
from tracker.schedule.passes import (
    Constraints,
    baseline_constraints,
    compute_schedule,
    plan_calendar,
)
from tracker.store.planread import PlanHeader, read_plan
from tracker.store.reader import Reader

if TYPE_CHECKING:
    from sqlalchemy.orm import Session


@dataclass(slots=True)
class ItemForecast:
    key: str
    kind: str
    group: str
    title: str
    lead: str
    status: str
    percent: int
    reason: str
    duration: int
    baseline_start: date
    baseline_finish: date
    forecast_start: date
    forecast_finish: date
    actual_start: date | None
    actual_finish: date | None
    slip_days: int
    late: bool
    at_risk: bool
    critical: bool
    version: int
    updated_by: str


@dataclass(slots=True)
class Summary:
    """Counts and progress of a group of items (an area, a stage, or the whole plan)."""

    key: str
    title: str
    counts: dict[str, int] = field(default_factory=dict)
    percent: float = 0.0
    slip_days: int = 0
    late: int = 0
    at_risk: int = 0
    baseline_finish: date | None = None
    forecast_finish: date | None = None


@dataclass(slots=True)
class Forecast:
    plan_key: str
    as_of: date
    items: list[ItemForecast]
    groups: list[Summary]
    overall: Summary
    plan: Plan

    def due_within(self, days: int) -> list[ItemForecast]:
        """Open items whose baseline finish falls in the next ``days`` calendar days."""
        until = self.as_of + timedelta(days=days)
        return [
            i
            for i in self.items
            if i.status not in CLOSED and self.as_of <= i.baseline_finish <= until
        ]


def compute_forecast(session: Session, plan_row: Any, as_of: date) -> Forecast:
    """The forecast of ``plan_row`` (a PlanRow) inside an ORM session."""
    from tracker.store.planstore import plan_header
    from tracker.store.reader import SessionReader

    return forecast_plan(SessionReader(session), plan_header(plan_row), as_of)


def forecast_plan(
    reader: Reader, header: PlanHeader, as_of: date, *, with_details: bool = True
) -> Forecast:
    """The forecast as of ``as_of``; ``with_details=False`` leaves the plan's items without
    their texts and roles (see ``read_plan``), for lists that do not show them."""
    plan, rows = read_plan(reader, header, with_details=with_details)
    calendar = plan_calendar(plan)
    base = baseline_constraints(plan, calendar)
    today = calendar.index_on_or_after(as_of)
    constraints = Constraints(dict(base.duration), dict(base.floor))
    for key, row in rows.items():
        status = row.status
        if status in REMOVED:
            constraints.duration[key] = 0
            constraints.passthrough.add(key)
            continue
        if status == "completada" and row.actual_finish:
            finish = calendar.index_on_or_before(row.actual_finish) + 1
            start = calendar.index_on_or_after(row.actual_start or row.actual_finish)
            constraints.fixed_start[key] = min(start, finish) if row.duration else finish
            constraints.fixed_finish[key] = finish
        elif row.actual_start is not None and row.duration:
            start = calendar.index_on_or_after(row.actual_start)
            remaining = -(-row.duration * (100 - row.percent) // 100)
            constraints.fixed_start[key] = start
            constraints.fixed_finish[key] = max(today + max(remaining, 1), start + 1)
        else:
            constraints.floor[key] = max(constraints.floor[key], today)
    schedule = compute_schedule(plan, calendar, constraints)

    items: list[ItemForecast] = []
    # Working-day index of each finish date: dates repeat, so each is looked up once.
    index: dict[date, int] = {}
    for key in plan.items:
        row = rows[key]
        planned = schedule.items[key]
        open_ = row.status not in CLOSED
        forecast_end = index.get(planned.finish)
        if forecast_end is None:
            forecast_end = index[planned.finish] = calendar.index_on_or_before(planned.finish)
        baseline_end = index.get(row.baseline_finish)
        if baseline_end is None:
            baseline_end = index[row.baseline_finish] = calendar.index_on_or_before(
                row.baseline_finish
            )
        slip = forecast_end - baseline_end
        late = open_ and row.baseline_finish < as_of
        items.append(
            ItemForecast(  # by position, in field order: a third cheaper than keywords
                key,
                row.kind,
                row.group,
                row.title,
                row.leads,
                row.status,
                row.percent,
                row.reason,
                row.duration,
                row.baseline_start,
                row.baseline_finish,
                planned.start,
                planned.finish,
                row.actual_start,
                row.actual_finish,
                0 if row.status in REMOVED else slip,
                late,
                open_ and not late and planned.finish > row.baseline_finish,
                planned.critical and row.status not in REMOVED,
                row.version,
                row.updated_by,
            )
        )
    by_group: dict[str, list[ItemForecast]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    groups = [_summarise(key, plan.group_title(key), members) for key, members in by_group.items()]
    return Forecast(header.key, as_of, items, groups, _summarise("", plan.meta.title, items), plan)


def _summarise(key: str, title: str, items: list[ItemForecast]) -> Summary:
    summary = Summary(key, title, counts=dict.fromkeys(ITEM_STATUSES, 0))
    counts = summary.counts
    weight = done = 0
    active: list[ItemForecast] = []
    for item in items:  # one pass: this runs per area and for the whole plan
        counts[item.status] += 1
        summary.late += item.late
        summary.at_risk += item.at_risk
        if item.status in REMOVED:
            continue
        days = item.duration if item.duration > 1 else 1
        weight += days
        done += days * (100 if item.status == "completada" else item.percent)
        active.append(item)
    if weight:
        summary.percent = round(done / weight, 1)
    if active:
        summary.baseline_finish = max(i.baseline_finish for i in active)
        summary.forecast_finish = max(i.forecast_finish for i in active)
        summary.slip_days = max(i.slip_days for i in active)
    return summary
