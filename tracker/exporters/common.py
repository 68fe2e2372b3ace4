"""What every exporter reads (the plan's state as of a date), and where its files go."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.comms.check import TargetState
from tracker.plan.model import Plan
from tracker.state.forecast import Forecast
from tracker.state.plan_state import DeliverableState, PlanState

if TYPE_CHECKING:
    from tracker.store.store import Store


@dataclass(slots=True)
class ExportData:
    """The exporters' view of one PlanState: lists in document order, changes as records."""

    plan_key: str
    as_of: date
    forecast: Forecast
    deliverables: list[DeliverableState]
    comms: list[TargetState]
    activities: list[dict[str, Any]]  # the communication log up to the as-of day
    changes: list[dict[str, Any]]  # the changes that count as of the date, oldest first
    state: PlanState

    @property
    def plan(self) -> Plan:
        return self.forecast.plan


def export_data(state: PlanState) -> ExportData:
    return ExportData(
        state.plan_key,
        state.as_of,
        state.forecast,
        list(state.deliverables.values()),
        state.comms,
        state.activities,
        [c.as_dict() for c in state.changes],
        state,
    )


def load_export_data(store: Store, as_of: date, as_known: date | None = None) -> ExportData:
    """The state as of ``as_of`` (with its history), for an exporter."""
    return export_data(store.state(as_of, as_known, with_changes=True))
