"""Workload: how many items each organisation leads or supports, week by week.

An item counts for an organisation from its start to its finish (working days, as scheduled).
"Leads" is the ``lidera`` role; every other role (apoya, supervisa, seguimiento, orienta,
revisa, entrega ...) counts as support. Working groups and allies are not counted: they are
invited, not staffed. Milestones take no time and are left out.

An organisation's ``capacity`` (optional, in the plan) is how many items it can lead on the
same working day; ``overloads`` lists the stretches of days where it leads more.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, timedelta

from tracker.plan.model import ItemKind, Plan
from tracker.plan.organisations import canonical_name, lookup, matches
from tracker.schedule.passes import Schedule

LEAD = "lidera"


@dataclass(slots=True)
class WeekLoad:
    week: date  # the Monday
    led: list[str] = field(default_factory=list)
    supported: list[str] = field(default_factory=list)
    most_led_at_once: int = 0  # on the busiest working day of the week


@dataclass(frozen=True, slots=True)
class Overload:
    first: date
    last: date
    most: int  # items led at once on the busiest day of the stretch
    items: tuple[str, ...]


@dataclass(slots=True)
class OrganisationLoad:
    name: str  # canonical
    capacity: int | None
    weeks: list[WeekLoad]
    most_led_at_once: int = 0
    overloads: list[Overload] = field(default_factory=list)


def _span(start: date, finish: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((finish - start).days + 1)]


def workload(plan: Plan, schedule: Schedule, who: str | None = None) -> list[OrganisationLoad]:
    """Per organisation (canonical name, in plan order, then names the plan does not know),
    the items it leads and supports in each week of the schedule. ``who`` keeps only the
    organisations whose name, acronym or alias contains it."""
    roles: dict[str, dict[str, set[str]]] = {}  # name -> item -> roles
    for item in plan.items.values():
        if item.kind is ItemKind.MILESTONE or item.id not in schedule.items:
            continue
        for role in item.roles:
            name = canonical_name(plan, role.who)
            roles.setdefault(name, {}).setdefault(item.id, set()).add(role.role)
    order = {org.name.rstrip("."): i for i, org in enumerate(plan.organisations)}
    names = sorted(roles, key=lambda n: (order.get(n, len(order)), n.casefold()))
    if who:
        names = [n for n in names if _chosen(plan, n, who)]
    calendar = schedule.calendar
    first = schedule.start - timedelta(days=schedule.start.weekday())
    mondays = _span(first, schedule.finish)[::7]
    result = []
    for name in names:
        items = roles[name]
        org = lookup(plan, name)
        capacity = org.capacity if org is not None else None
        led_on: dict[date, list[str]] = {}
        weeks = {monday: WeekLoad(monday) for monday in mondays}
        for item_id, held in items.items():
            scheduled = schedule.items[item_id]
            leads = LEAD in held
            for day in _span(scheduled.start, scheduled.finish):
                if not calendar.is_working_day(day):
                    continue
                week = weeks[day - timedelta(days=day.weekday())]
                target = week.led if leads else week.supported
                if item_id not in target:
                    target.append(item_id)
                if leads:
                    led_on.setdefault(day, []).append(item_id)
        for day, ids in led_on.items():
            week = weeks[day - timedelta(days=day.weekday())]
            week.most_led_at_once = max(week.most_led_at_once, len(ids))
        load = OrganisationLoad(
            name,
            capacity,
            list(weeks.values()),
            max((len(ids) for ids in led_on.values()), default=0),
        )
        if capacity is not None:
            load.overloads = _overloads(led_on, capacity)
        result.append(load)
    return result


def _chosen(plan: Plan, name: str, needle: str) -> bool:
    org = lookup(plan, name)
    if org is not None:
        return matches(org, needle)
    from tracker.plan.organisations import name_key

    return name_key(needle) in name_key(name)


def _overloads(led_on: dict[date, list[str]], capacity: int) -> list[Overload]:
    """Consecutive working days with more items led than ``capacity``, merged."""
    stretches: list[Overload] = []
    for day in sorted(led_on):
        ids = led_on[day]
        if len(ids) <= capacity:
            continue
        last = stretches[-1] if stretches else None
        # A weekend or holiday between two overloaded days keeps one stretch.
        if last is not None and (day - last.last).days <= 4:
            stretches[-1] = Overload(
                last.first,
                day,
                max(last.most, len(ids)),
                tuple(dict.fromkeys((*last.items, *ids))),
            )
        else:
            stretches.append(Overload(day, day, len(ids), tuple(ids)))
    return stretches
