"""Critical-path scheduling on working days: forward and backward pass, slack, critical path.

Items occupy whole working days: an item of duration d starting on working day s ends on day
s + d - 1, and a finish-to-start successor with lag L starts on day s + d + L. A milestone
(d = 0) is an instant at the end of its day: the day its last prerequisite finishes, or its
own earliest day; either way its successors start on the next working day.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from datetime import date

from tracker.plan.graph import dependency_positions
from tracker.plan.model import Plan
from tracker.schedule.calendar import WorkCalendar


@dataclass(slots=True)
class ScheduledItem:
    id: str
    start: date
    finish: date
    early_start: int  # working-day indices: start boundary, finish boundary (exclusive)
    early_finish: int
    late_start: int
    late_finish: int
    slack: int
    critical: bool
    late_for_deadline: bool = False


@dataclass(slots=True)
class Schedule:
    items: dict[str, ScheduledItem]
    start: date
    finish: date
    critical_path: list[str]
    calendar: WorkCalendar
    deliverable_due: dict[str, date] = field(default_factory=dict)


@dataclass(slots=True)
class Constraints:
    """Per-item inputs to a pass: everything the forecast can override."""

    duration: dict[str, int]
    floor: dict[str, int]  # earliest start index
    fixed_start: dict[str, int] = field(default_factory=dict)
    fixed_finish: dict[str, int] = field(default_factory=dict)
    # Items that take no time and mark no moment (cancelled, deferred): successors wait only
    # for what these were waiting for.
    passthrough: set[str] = field(default_factory=set)


def plan_calendar(plan: Plan) -> WorkCalendar:
    return WorkCalendar(
        plan.calendar_country,
        plan.meta.period.start,
        [(h.day, h.name) for h in plan.extra_holidays],
        plan.country_holidays,
    )


def baseline_constraints(plan: Plan, calendar: WorkCalendar) -> Constraints:
    start = calendar.index_on_or_after(plan.meta.period.start)
    floor: dict[str, int] = {}
    for item in plan.items.values():
        value = start
        if item.not_before is not None:
            value = max(value, calendar.index_on_or_after(item.not_before))
        floor[item.id] = value
    return Constraints({i.id: i.duration for i in plan.items.values()}, floor)


def compute_schedule(
    plan: Plan, calendar: WorkCalendar | None = None, constraints: Constraints | None = None
) -> Schedule:
    """Schedule every item of ``plan`` (the plan must be validated: no cycle, known ids)."""
    calendar = calendar or plan_calendar(plan)
    constraints = constraints or baseline_constraints(plan, calendar)
    ids = list(plan.items)
    position = {item_id: i for i, item_id in enumerate(ids)}
    n = len(ids)
    preds, succs = dependency_positions(plan, position)

    order = _topological_order(n, preds, succs)
    duration = [constraints.duration[i] for i in ids]
    floor = [constraints.floor[i] for i in ids]
    fixed_start = {position[k]: v for k, v in constraints.fixed_start.items()}
    fixed_finish = {position[k]: v for k, v in constraints.fixed_finish.items()}
    passthrough = {position[k] for k in constraints.passthrough}

    es = [0] * n
    ef = [0] * n
    for v in order:
        # Boundaries: es is the start of a working day; a milestone's is the end of its day.
        start = floor[v]
        if duration[v] == 0 and v not in passthrough:
            start += 1
        for u, lag in preds[v]:  # a loop, not max(): most items have one or two
            if ef[u] + lag > start:
                start = ef[u] + lag
        if v in fixed_start:
            start = fixed_start[v]
        es[v] = start
        finish = fixed_finish.get(v, start + duration[v])
        ef[v] = finish if finish > start else start

    project_end = max(ef, default=0)
    lf = [project_end] * n
    ls = [0] * n
    for v in reversed(order):
        if succs[v]:
            lf[v] = min([ls[w] - lag for w, lag in succs[v]])
        ls[v] = lf[v] - (ef[v] - es[v])

    calendar.day(max(project_end - 1, 0))  # extends the calendar to every index used below
    days = calendar.days
    items: dict[str, ScheduledItem] = {}
    for v, item in enumerate(plan.items.values()):
        early_start, early_finish = es[v], ef[v]
        if early_finish <= early_start:  # a milestone: the day it ends
            start_date = finish_date = days[early_start - 1 if early_start > 0 else 0]
        elif early_start >= 0:
            start_date, finish_date = days[early_start], days[early_finish - 1]
        else:
            start_date, finish_date = _dates(calendar, early_start, early_finish)
        slack = ls[v] - early_start
        items[item.id] = ScheduledItem(  # by position: keywords double the cost of building it
            item.id,
            start_date,
            finish_date,
            early_start,
            early_finish,
            ls[v],
            lf[v],
            slack,
            slack == 0,
            item.deadline is not None and finish_date > item.deadline,
        )
    due = {d.id: items[d.producer].finish for d in plan.deliverables.values()}
    if items:
        first = min(s.start for s in items.values())
        last = max(s.finish for s in items.values())
    else:
        first = last = plan.meta.period.start
    path = _critical_path(order, es, ef, preds, succs, slack=[ls[v] - es[v] for v in range(n)])
    return Schedule(items, first, last, [ids[v] for v in path], calendar, due)


def _dates(calendar: WorkCalendar, es: int, ef: int) -> tuple[date, date]:
    if ef > es:
        return calendar.day(es), calendar.day(ef - 1)
    day = calendar.day(max(es - 1, 0))  # a milestone: the day it ends
    return day, day


def _topological_order(
    n: int, preds: list[list[tuple[int, int]]], succs: list[list[tuple[int, int]]]
) -> list[int]:
    indegree = [len(p) for p in preds]
    ready = deque(v for v in range(n) if indegree[v] == 0)
    order: list[int] = []
    while ready:
        v = ready.popleft()
        order.append(v)
        for w, _lag in succs[v]:
            indegree[w] -= 1
            if indegree[w] == 0:
                ready.append(w)
    if len(order) != n:  # validation rejects cycles; this guards direct callers
        raise ValueError("dependency cycle")
    return order


def _critical_path(
    order: list[int],
    es: list[int],
    ef: list[int],
    preds: list[list[tuple[int, int]]],
    succs: list[list[tuple[int, int]]],
    slack: list[int],
) -> list[int]:
    """One chain of zero-slack items from a start to the project's end, in order."""
    if not order:
        return []
    end = max(ef)
    # Walk backwards from a critical item that finishes last, through driving predecessors.
    candidates = [v for v in order if slack[v] == 0 and ef[v] == end]
    if not candidates:
        return []
    v = candidates[-1]
    path = [v]
    while True:
        driving = [u for u, lag in preds[v] if slack[u] == 0 and ef[u] + lag == es[v]]
        if not driving:
            break
        v = driving[0]
        path.append(v)
    path.reverse()
    return path
