"""What the screens show: the plan's state (one PlanState), read off the UI thread."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from tracker.comms.check import TargetState
    from tracker.plan.model import Plan
    from tracker.state.forecast import Forecast, ItemForecast
    from tracker.state.plan_state import DeliverableState, PlanState
    from tracker.store.store import Store


@dataclass(slots=True)
class Snapshot:
    """The state the screens draw, as of one date, and the communication month on show."""

    state: PlanState
    month_activities: list[dict[str, Any]]

    @property
    def plan(self) -> Plan:
        return self.state.plan

    @property
    def plan_key(self) -> str:
        return self.state.plan_key

    @property
    def as_of(self) -> date:
        return self.state.as_of

    @property
    def forecast(self) -> Forecast:
        return self.state.forecast

    @property
    def items(self) -> dict[str, ItemForecast]:
        return self.state.items

    @property
    def deliverables(self) -> dict[str, DeliverableState]:
        return self.state.deliverables

    @property
    def comms(self) -> list[TargetState]:
        return self.state.comms

    @property
    def last_change(self) -> int:
        return self.state.last_change


def load_snapshot(store: Store, as_of: date, month: tuple[date, date] | None = None) -> Snapshot:
    """The state as of ``as_of`` from one consistent read, with the month's activities."""
    state = store.state(as_of)
    start, end = month or (as_of.replace(day=1), as_of)
    return Snapshot(state, state.activities_between(start, end))


def load_history(store: Store, key: str) -> list[dict[str, Any]]:
    """The last 100 recorded changes of ``key`` (and its products), newest first."""
    return [c.as_dict() for c in store.history([key], limit=100)]
