"""Cronograma: a terminal Gantt of the forecast against the baseline, grouped by area, with the
as-of date as a vertical line and the critical path marked; scrolls across the whole period."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from tracker.exporters.gantt.rows import GanttRow, build_rows, timeline_bounds
from tracker.i18n import _
from tui.data import Snapshot
from tui.screens.base import TrackerScreen
from tui.widgets.gantt import GanttChart, GanttLegend


def gantt_rows(snapshot: Snapshot) -> tuple[list[GanttRow], date, date]:
    """The chart's rows and its timeline (a view: built once per snapshot)."""
    items = snapshot.forecast.items
    start, end = timeline_bounds(snapshot.plan, items)
    return build_rows(snapshot.plan, items), start, end


class GanttScreen(TrackerScreen):
    HELP_TITLE = _("Schedule")
    BINDINGS = [
        Binding("enter", "open", _("Detail"), tooltip=_("Open the item"), id="gantt_open"),
        Binding("e", "change_status", _("Change status"), id="change_status"),
        Binding("t", "as_of_date", _("As-of date"), tooltip=_("Jump to the as-of date")),
        Binding(
            "x",
            "export",
            _("Export (HTML)"),
            tooltip=_("Write the Plotly Gantt for the Mesa Técnica to exports/"),
        ),
        Binding("left", "scroll_days(-7)", _("A week earlier"), show=False),
        Binding("right", "scroll_days(7)", _("A week later"), show=False),
        Binding("shift+left", "scroll_months(-1)", _("A month earlier"), show=False),
        Binding("shift+right", "scroll_months(1)", _("A month later"), show=False),
        Binding("home", "period_start", _("Start of the period"), show=False),
        Binding("end", "period_end", _("End of the timeline"), show=False),
        Binding("up,k", "cursor(-1)", _("Previous item"), show=False),
        Binding("down,j", "cursor(1)", _("Next item"), show=False),
        Binding("pageup", "page(-1)", _("A page up"), show=False),
        Binding("pagedown", "page(1)", _("A page down"), show=False),
        Binding("ctrl+home", "first_item", _("First item"), show=False),
        Binding("ctrl+end", "last_item", _("Last item"), show=False),
    ]

    def body(self) -> ComposeResult:
        chart = GanttChart(id="gantt")
        yield chart
        yield GanttLegend(chart.legend, id="gantt-legend")

    def on_mount(self) -> None:
        self.chart.focus()

    @property
    def chart(self) -> GanttChart:
        return self.query_one(GanttChart)

    def show(self, snapshot: Snapshot) -> None:
        rows, start, end = snapshot.view(gantt_rows)
        self.chart.set_data(rows, start, end, snapshot.as_of)
        self.query_one(GanttLegend).refresh()

    # -- actions -----------------------------------------------------------------------
    def action_open(self) -> None:
        key = self.chart.cursor_key
        if key is not None:
            self._open(key)

    @on(GanttChart.Selected)
    def _selected(self, event: GanttChart.Selected) -> None:
        self._open(event.key)

    def _open(self, key: str) -> None:
        from tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(key))

    def action_change_status(self) -> None:
        key = self.chart.cursor_key
        if key is not None:
            from tui.screens.status import open_item_status

            open_item_status(self.tracker, key)

    def action_export(self) -> None:
        """Write the Plotly Gantt (HTML) for the app's as-of date to exports/."""
        from tui.exports import run_export

        run_export(self.tracker, "gantt")

    def action_as_of_date(self) -> None:
        self.chart.scroll_to_date(self.chart.as_of)

    def action_scroll_days(self, days: int) -> None:
        self.chart.scroll_days(days)

    def action_scroll_months(self, months: int) -> None:
        self.chart.scroll_months(months)

    def action_period_start(self) -> None:
        self.chart.scroll_to_start()

    def action_period_end(self) -> None:
        self.chart.scroll_to_end()

    def action_cursor(self, delta: int) -> None:
        self.chart.move_cursor(delta)

    def action_page(self, direction: int) -> None:
        self.chart.page(direction)

    def action_first_item(self) -> None:
        self.chart.first_item()

    def action_last_item(self) -> None:
        self.chart.last_item()


SCREEN = GanttScreen
