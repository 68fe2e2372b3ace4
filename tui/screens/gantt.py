"""Cronograma: a terminal Gantt of the forecast against the baseline (being built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tracker.i18n import _
from tui.data import Snapshot
from tui.screens.base import TrackerScreen


class GanttScreen(TrackerScreen):
    HELP_TITLE = _("Schedule")

    def body(self) -> ComposeResult:
        yield Static(id="gantt")

    def show(self, snapshot: Snapshot) -> None:
        self.query_one("#gantt", Static).update(
            f"{len(snapshot.items)} items, {snapshot.forecast.overall.forecast_finish}"
        )


SCREEN = GanttScreen
