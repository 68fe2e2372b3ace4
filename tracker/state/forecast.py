"""The forecast: the schedule recomputed from what has actually happened, as of a date.

Finished items keep their actual dates. Started items keep their start and need their
remaining work (duration × (100 − percent) %) from the as-of date on. Items not started cannot
start before the as-of date. Deferred and cancelled items no longer hold anything up, and
keep the dates they had (their baseline, or their own actual dates): never earlier ones.
Successors move accordingly.

Slippage is in working days: an item's from its baseline finish to its forecast finish; a
group's (area, stage) and the phase's from the group's baseline end (the latest baseline
finish of its active items) to its forecast end (the latest forecast finish of the same
items). So a headline "+N días laborables" is always the gap between the two dates it names.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.i18n import _
from tracker.plan.model import Plan
from tracker.plan.organisations import OrganisationIndex
from tracker.plan.statuses import CLOSED, ITEM_STATUSES, REMOVED
from tracker.schedule.calendar import WorkCalendar
from tracker.schedule.passes import (
    Constraints,
    baseline_constraints,
    compute_schedule,
    plan_calendar,
)
from tracker.state.records import ItemState

# A tracked date further than this from the plan cannot be placed on its calendar: it is
# flagged and left out of the forecast rather than stopping every read (issue: one bad row
# must never make every view fail).
_YEARS_AROUND = 10


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
    problem: str = ""  # a stored value that could not be used (shown, never fatal)


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
        """Open items, not already late, whose forecast finish falls in the next ``days``
        calendar days (late items are listed as late)."""
        until = self.as_of + timedelta(days=days)
        return [
            i
            for i in self.items
            if i.status not in CLOSED and not i.late and self.as_of <= i.forecast_finish <= until
        ]


def _usable(day: date | None, calendar: WorkCalendar, latest: date) -> bool:
    return day is None or calendar.origin <= day <= latest


def forecast(plan: Plan, tracked: Mapping[str, ItemState], as_of: date, plan_key: str) -> Forecast:
    """The forecast of ``plan`` given each item's tracked state as of ``as_of`` (pure)."""
    calendar = plan_calendar(plan)
    base = baseline_constraints(plan, calendar)
    latest = date(plan.meta.period.end.year + _YEARS_AROUND, 12, 31)
    as_of_day = min(max(as_of, calendar.origin), latest)
    today = calendar.index_on_or_after(as_of_day)
    constraints = Constraints(dict(base.duration), dict(base.floor))
    problems: dict[str, str] = {}
    for key, row in tracked.items():
        status = row.status
        if status in REMOVED:
            constraints.duration[key] = 0
            constraints.passthrough.add(key)
            continue
        bad = [
            (name, value)
            for name, value in (
                ("actual_start", row.actual_start),
                ("actual_finish", row.actual_finish),
            )
            if not _usable(value, calendar, latest)
        ]
        if bad:
            problems[key] = "; ".join(
                _("{field} {value} is outside the plan's calendar and was ignored").format(
                    field=name, value=value
                )
                for name, value in bad
            )
            constraints.floor[key] = max(constraints.floor[key], today)
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
    organisations = OrganisationIndex(plan)
    # Working-day index of each finish date: dates repeat, so each is looked up once.
    index: dict[date, int] = {}

    def position(day: date) -> int:
        found = index.get(day)
        if found is None:
            found = index[day] = calendar.index_on_or_before(day)
        return found

    for key in plan.items:
        row = tracked[key]
        planned = schedule.items[key]
        open_ = row.status not in CLOSED
        begins, ends = planned.start, planned.finish
        if row.status in REMOVED:
            # Not going to happen in this phase: shown where it stood, never before the plan
            # or before what was actually done.
            began = row.actual_start if _usable(row.actual_start, calendar, latest) else None
            begins = began or row.baseline_start
            done = row.actual_finish if _usable(row.actual_finish, calendar, latest) else None
            ends = done or max(row.baseline_finish, begins)
        slip = position(ends) - position(row.baseline_finish)
        late = open_ and row.baseline_finish < as_of
        items.append(
            ItemForecast(  # by position, in field order: a third cheaper than keywords
                key,
                row.kind,
                row.group,
                row.title,
                organisations.short(row.leads),
                row.status,
                row.percent,
                row.reason,
                row.duration,
                row.baseline_start,
                row.baseline_finish,
                begins,
                ends,
                row.actual_start,
                row.actual_finish,
                0 if row.status in REMOVED else slip,
                late,
                open_ and not late and ends > row.baseline_finish,
                planned.critical and row.status not in REMOVED,
                row.version,
                row.updated_by,
                problems.get(key, ""),
            )
        )
    by_group: dict[str, list[ItemForecast]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    groups = [
        _summarise(key, plan.group_title(key), members, position)
        for key, members in by_group.items()
    ]
    overall = _summarise("", plan.meta.title, items, position)
    return Forecast(plan_key, as_of, items, groups, overall, plan)


def _summarise(
    key: str, title: str, items: list[ItemForecast], position: Callable[[date], int]
) -> Summary:
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
        summary.slip_days = position(summary.forecast_finish) - position(summary.baseline_finish)
    return summary
