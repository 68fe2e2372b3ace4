"""The one state of the plan on a date, computed in one place, read by every view.

``plan_state`` is pure: from what is stored (the plan, its baseline, the tracked rows and the
change history, as ``tracker.store`` reads them) to the state at the end of the as-of day:
each item's and deliverable's status, percent, actual dates, blocking reason and evidence as
they stood; the communication log as it was; then the forecast and every figure built on it.
No database inside: the same answer on SQLite and PostgreSQL.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from tracker.comms.check import Activity, TargetState, check_all
from tracker.plan.model import Plan
from tracker.state.forecast import Forecast, ItemForecast, forecast
from tracker.state.records import Change, StoredPlan
from tracker.state.replay import activities_as_known, counts, deliverables_as_of, items_as_of


@dataclass(slots=True)
class DeliverableState:
    """A product or deliverable as it stood on the as-of date."""

    key: str
    producer: str
    title: str
    status: str
    evidence: str
    status_date: date | None
    due: date | None  # its producer's forecast finish
    baseline_due: date | None  # its producer's baseline finish
    version: int
    updated_by: str  # who recorded its last counted change


@dataclass(slots=True)
class PlanState:
    """Everything a view shows about a plan as of a date (and as known on a date)."""

    plan_key: str
    as_of: date
    as_known: date | None
    forecast: Forecast
    deliverables: dict[str, DeliverableState]
    activities: list[dict[str, Any]]  # the communication log up to the as-of day
    comms: list[TargetState]  # every target judged as of the date
    changes: list[Change]  # the changes that count for this state, oldest first
    last_change: int  # the newest recorded change's id (views poll it)
    items: dict[str, ItemForecast] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.items = {i.key: i for i in self.forecast.items}

    @property
    def plan(self) -> Plan:
        return self.forecast.plan

    def activities_between(self, first: date, last: date) -> list[dict[str, Any]]:
        """Logged communication activities from ``first`` to ``last`` inclusive."""
        a, b = first.isoformat(), last.isoformat()
        return [x for x in self.activities if a <= str(x["day"]) <= b]


def check_activities(activities: list[dict[str, Any]]) -> list[Activity]:
    """What the communication check needs of logged activities."""
    return [
        Activity(
            a["day"] if isinstance(a["day"], date) else date.fromisoformat(str(a["day"])),
            a["channel"],
            tuple(a["targets"]),
            a["quantity"],
        )
        for a in activities
    ]


def needs_replay(stored: StoredPlan, as_of: date, as_known: date | None) -> bool:
    """Whether the rows as stored are not already the state asked for."""
    if stored.latest_effective is not None and stored.latest_effective > as_of:
        return True
    if as_known is None or stored.latest_recorded is None:
        return False
    from tracker.state.asof import known_by

    return not known_by(stored.latest_recorded, as_known)


def plan_state(stored: StoredPlan, as_of: date, as_known: date | None = None) -> PlanState:
    """The state of the stored plan at the end of ``as_of``, with only what had been
    recorded by the end of ``as_known`` when it is given.

    ``stored.changes`` must hold the whole history when a replay is needed
    (:func:`needs_replay`); otherwise the rows as stored are the state.
    """
    plan: Plan = stored.plan
    if needs_replay(stored, as_of, as_known):
        only, base = stored.replay_keys, stored.replay_base
        items = items_as_of(stored.items, stored.changes, as_of, as_known, only, base)
        deliverables = deliverables_as_of(
            stored.deliverables, stored.changes, as_of, as_known, only, base
        )
    else:
        items, deliverables = stored.items, stored.deliverables
    logged = stored.activities
    if as_known is not None and stored.changes:
        logged = activities_as_known(stored.activities, stored.changes, as_known)
    cutoff = as_of.isoformat()
    logged = [a for a in logged if str(a["day"]) <= cutoff]
    fc = forecast(plan, items, as_of, stored.key)
    finish = {i.key: i for i in fc.items}
    states = {}
    for d in deliverables:
        producer = finish.get(d.producer)
        states[d.key] = DeliverableState(
            d.key,
            d.producer,
            d.title,
            d.status,
            d.evidence,
            d.status_date,
            producer.forecast_finish if producer else None,
            producer.baseline_finish if producer else None,
            d.version,
            d.updated_by,
        )
    comm = plan.communication
    comms = (
        check_all(comm.targets, comm.period, check_activities(logged), as_of)
        if comm is not None
        else []
    )
    counted = (
        [c for c in stored.changes if counts(c, as_of, as_known)]
        if stored.replay_keys is None
        else []
    )
    return PlanState(
        stored.key, as_of, as_known, fc, states, logged, comms, counted, stored.last_change
    )
