"""Tareas: every schedulable item, sortable, filterable, searchable; one key to change it."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select, Static

from tracker.forecast import ItemForecast
from tracker.i18n import _
from tracker.status import ITEM_STATUSES
from tui.data import Snapshot
from tui.screens.base import TrackerScreen
from tui.widgets.itemtable import Column, ItemTable, Row

STATUS_LABEL = {
    "pendiente": "pendiente",
    "en_curso": "en curso",
    "completada": "completada",
    "bloqueada": "bloqueada",
    "diferida": "diferida",
    "cancelada": "cancelada",
}


def columns() -> list[Column]:
    return [
        Column("id", _("ID"), 7),
        Column("title", _("Title"), 0),
        Column("area", _("Area"), 4),
        Column("lead", _("Lead"), 16),
        Column("status", _("Status"), 10),
        Column("percent", "%", 3, True),
        Column("baseline", _("Base end"), 10),
        Column("forecast", _("Forecast"), 10),
        Column("slip", _("Slip"), 5, True),
    ]


def item_row(item: ItemForecast) -> Row:
    style = (
        "late"
        if item.late
        else "risk"
        if item.at_risk
        else "done"
        if item.status == "completada"
        else "muted"
        if item.status in ("diferida", "cancelada")
        else ""
    )
    if item.critical and item.status not in ("completada",):
        style += " critical"
    return Row(
        item.key,
        (
            item.key,
            item.title,
            item.group or "◆",
            item.lead,
            STATUS_LABEL[item.status],
            f"{item.percent}",
            item.baseline_finish.isoformat(),
            item.forecast_finish.isoformat(),
            f"{item.slip_days:+d}",
        ),
        style.strip(),
        (
            item.key,
            item.title.casefold(),
            item.group,
            item.lead.casefold(),
            item.status,
            item.percent,
            item.baseline_finish,
            item.forecast_finish,
            item.slip_days,
        ),
    )


class TasksScreen(TrackerScreen):
    AUTO_FOCUS = "ItemTable"
    BINDINGS = [
        Binding("e", "change_status", _("Change status"), id="change_status"),
        Binding("slash", "search", _("Search"), id="search"),
        Binding("s", "sort", _("Sort"), tooltip=_("Sort by the next column"), id="sort"),
        Binding("l", "late_only", _("Late only"), id="late_only"),
        Binding("escape", "clear", _("Clear filters"), show=False, id="clear"),
    ]

    options_for = ""  # the plan whose areas and organisations fill the filters

    def body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Input(placeholder=_("Search by id or words…"), id="search", compact=True)
            yield Select[str]([], prompt=_("Area"), id="area", compact=True)
            yield Select[str](
                [(STATUS_LABEL[s], s) for s in ITEM_STATUSES],
                prompt=_("Status"),
                id="status",
                compact=True,
            )
            yield Select[str]([], prompt=_("Organisation"), id="org", compact=True)
            yield Checkbox(_("Late only"), id="late", compact=True)
        yield ItemTable(columns(), id="items")
        yield Static(id="count")

    def show(self, snapshot: Snapshot) -> None:
        plan = snapshot.plan
        areas = [(f"{a.id} · {a.title}", a.id) for a in plan.areas]
        areas += [(f"{s.id} · {s.title}", s.id) for s in plan.stages]
        areas.append((_("Milestones"), ""))
        area_select = self.query_one("#area", Select)
        if not area_select._options or len(area_select._options) <= 1:
            area_select.set_options(areas)
            from tracker.organisations import OrganisationIndex

            names = sorted(
                {e.name for e in OrganisationIndex(plan).involvements()}, key=str.casefold
            )
            self.query_one("#org", Select).set_options([(n, n) for n in names])
        self.apply_filters()

    @on(Input.Changed, "#search")
    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filters_changed(self) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        snap = self.tracker.snapshot
        if snap is None:
            return
        words = self.query_one("#search", Input).value.casefold().split()
        area = self.query_one("#area", Select).value
        status = self.query_one("#status", Select).value
        org = self.query_one("#org", Select).value
        late = self.query_one("#late", Checkbox).value
        plan_items = snap.plan.items
        rows = []
        for item in snap.forecast.items:
            if area is not Select.NULL and item.group != area:
                continue
            if status is not Select.NULL and item.status != status:
                continue
            if late and not item.late:
                continue
            if org is not Select.NULL:
                model = plan_items[item.key]
                names = [r.who for r in model.roles] + model.working_group + model.allies
                if not any(str(org).casefold() in n.casefold() for n in names):
                    continue
            if words:
                haystack = f"{item.key} {item.title}".casefold()
                if not all(w in haystack for w in words):
                    continue
            rows.append(item_row(item))
        table = self.query_one(ItemTable)
        table.set_rows(rows)
        self.query_one("#count", Static).update(
            _("{shown} of {total} items · ! late  ~ at risk  bold: critical path").format(
                shown=len(rows), total=len(snap.forecast.items)
            )
        )

    @on(ItemTable.Selected)
    def _open(self, event: ItemTable.Selected) -> None:
        from tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.key))

    def action_change_status(self) -> None:
        key = self.query_one(ItemTable).cursor_key
        if key is not None:
            from tui.screens.status import open_item_status

            open_item_status(self.tracker, key)

    def action_search(self) -> None:
        self.query_one("#search", Input).focus()

    def action_sort(self) -> None:
        table = self.query_one(ItemTable)
        current = table.sort_column
        table.sort_by(0 if current is None else (current + 1) % len(table.columns))

    def action_late_only(self) -> None:
        box = self.query_one("#late", Checkbox)
        box.value = not box.value

    def action_clear(self) -> None:
        self.query_one("#search", Input).value = ""
        for select in self.query(Select):
            select.clear()
        self.query_one("#late", Checkbox).value = False
        self.query_one(ItemTable).focus()
