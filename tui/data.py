"""What the screens show: the plan's state (one PlanState), read off the UI thread, and what
each screen derives from it (its rows), built once per snapshot."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from importlib import import_module
from typing import TYPE_CHECKING, Any, TypeVar

if TYPE_CHECKING:
    from tracker.comms.check import TargetState
    from tracker.plan.model import Plan
    from tracker.state.forecast import Forecast, ItemForecast
    from tracker.state.plan_state import DeliverableState, PlanState
    from tracker.store.store import Store

T = TypeVar("T")

# What the screens derive from a snapshot, built by the loading worker as soon as the data is
# on screen, so that a screen opened later finds its rows ready (module, function). Loading
# them also imports the screens, the first visit's other cost.
AHEAD = (
    ("tui.screens.tasks", "task_rows"),
    ("tui.screens.tasks", "filter_options"),
    ("tui.screens.board", "board_rows"),
    ("tui.screens.gantt", "gantt_rows"),
)
# Screens with nothing to build ahead, imported all the same.
IMPORTS = (
    "tui.screens.comms",
    "tui.screens.actors",
    "tui.screens.mesa",
    "tui.screens.activity",
    "tui.screens.detail",
    "tui.screens.status",
)


@dataclass(slots=True)
class Snapshot:
    """The state the screens draw, as of one date."""

    state: PlanState
    _views: dict[Callable[[Snapshot], Any], Any] = field(default_factory=dict, repr=False)
    # Held while a view is built: a screen asking for one the worker is building waits for
    # it rather than building it again beside it (the two would share one core: the GIL).
    _building: threading.RLock = field(default_factory=threading.RLock, repr=False)

    def view(self, build: Callable[[Snapshot], T]) -> T:
        """What ``build`` derives from this snapshot, built once: by the loading worker
        ahead of time (``prepare``) or by the first screen that asks."""
        with self._building:
            if build not in self._views:
                self._views[build] = build(self)
            value: T = self._views[build]
            return value

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


def load_snapshot(store: Store, as_of: date) -> Snapshot:
    """The state as of ``as_of`` from one consistent read."""
    return Snapshot(store.state(as_of))


def load_history(store: Store, key: str) -> list[dict[str, Any]]:
    """The last 100 recorded changes of ``key`` (and its products), newest first."""
    return [c.as_dict() for c in store.history([key], limit=100)]


def prepare(snapshot: Snapshot) -> None:
    """Build every screen's view of ``snapshot`` ahead of its first visit (in a worker)."""
    for module, name in AHEAD:
        snapshot.view(getattr(import_module(module), name))
    for module in IMPORTS:
        import_module(module)
