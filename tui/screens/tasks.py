"""Tareas: every schedulable item, sortable, filterable, searchable; one key to change it."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.widgets import Checkbox, Input, Select, Static

from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.statuses import ITEM_STATUSES
from tui.screens.base import TrackerScreen
from tui.widgets.itemtable import Column, ItemTable, Row
from tui.widgets.tickbox import TickBox

if TYPE_CHECKING:
    from tracker.state.forecast import ItemForecast
    from tui.data import Snapshot

# What the area, status, organisation and late-only filters are set to, and the table's sort.
Criteria = tuple[object, object, object, bool, int | None, bool]


def columns() -> list[Column]:
    return [
        Column("mark", "", 1),
        Column("id", _("ID"), 7),
        Column("title", _("Title"), 0),
        Column("area", _("Area"), 4, drop=2),
        Column("lead", _("Lead"), 16, drop=1),
        Column("status", _("Status"), 11),
        Column("percent", "%", 3, True),
        Column("baseline", _("Base end"), 10, drop=3),
        Column("forecast", _("Forecast"), 10),
        Column("slip", _("Slip"), 5, True),
    ]


def item_row(item: ItemForecast, labels: dict[str, str]) -> Row:
    """``item`` as a line of the table; ``labels``: each status's name, looked up once."""
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
            "!" if item.late else "~" if item.at_risk else "",
            item.key,
            item.title,
            item.group or "◆",
            item.lead,
            labels[item.status],
            f"{item.percent}",
            item.baseline_finish.isoformat(),
            item.forecast_finish.isoformat(),
            f"{item.slip_days:+d}",
        ),
        style.strip(),
        (
            (not item.late, not item.at_risk),
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
        f"{item.key} {item.title}".casefold(),
    )


def task_rows(snapshot: Snapshot) -> list[Row]:
    """Every item of ``snapshot`` as a line of the table (a view: built once per snapshot)."""
    labels = {s: status_label(s) for s in ITEM_STATUSES}
    return [item_row(item, labels) for item in snapshot.forecast.items]


def filter_options(snapshot: Snapshot) -> tuple[list[tuple[str, str]], list[tuple[str, str]]]:
    """The area and organisation filters' choices (a view: built once per snapshot)."""
    from tracker.plan.organisations import OrganisationIndex

    plan = snapshot.plan
    areas = [(f"{a.id} · {a.title}", a.id) for a in plan.areas]
    areas += [(f"{s.id} · {s.title}", s.id) for s in plan.stages]
    areas.append((_("Milestones"), ""))
    names = sorted({e.name for e in OrganisationIndex(plan).involvements()}, key=str.casefold)
    return areas, [(n, n) for n in names]


class TasksScreen(TrackerScreen):
    AUTO_FOCUS = "ItemTable"
    BINDINGS = [
        Binding("e", "change_status", _("Change status"), id="change_status"),
        Binding(
            "space", "mark", _("Mark"), tooltip=_("Mark rows, then e changes them all"), id="mark"
        ),
        Binding("slash", "search", _("Search"), id="search"),
        Binding("s", "sort", _("Sort"), tooltip=_("Sort by the next column"), id="sort"),
        Binding("l", "late_only", _("Late only"), id="late_only"),
        Binding("escape", "clear", _("Clear filters"), show=False, id="clear"),
        # Down in the search box (the table's own Down walks the matches).
        Binding("down", "search_down", show=False),
    ]

    options_for = ""  # the plan whose areas and organisations fill the filters

    def __init__(self) -> None:
        super().__init__()
        self._rows_of: Snapshot | None = None  # the snapshot the table's rows were built from
        # The rows that pass the filters other than the search, and the criteria they are for;
        # the criteria and search the rows on show were last found with.
        self._base: tuple[Criteria, list[Row]] | None = None
        self._shown_for: tuple[Criteria, str] | None = None

    def body(self) -> ComposeResult:
        with Horizontal(id="filters"):
            yield Input(placeholder=_("Search by id or words…"), id="search", compact=True)
            yield Select[str]([], prompt=_("Area"), id="area", compact=True)
            yield Select[str](
                [(status_label(s), s) for s in ITEM_STATUSES],
                prompt=_("Status"),
                id="status",
                compact=True,
            )
            yield Select[str]([], prompt=_("Organisation"), id="org", compact=True)
            yield TickBox(_("Late only"), id="late", compact=True)
        yield ItemTable(columns(), id="items")
        yield Static(id="count")

    def show(self, snapshot: Snapshot) -> None:
        area_select = self.query_one("#area", Select)
        if not area_select._options or len(area_select._options) <= 1:
            areas, organisations = snapshot.view(filter_options)
            area_select.set_options(areas)
            self.query_one("#org", Select).set_options(organisations)
        self.apply_filters()

    def on_mount(self) -> None:
        # Filter as the search changes, inside the key's own handling, rather than on
        # Input.Changed, which arrives after the frame echoing the key: the table would be
        # a frame (up to two frame periods) late.
        self.watch(self.query_one("#search", Input), "value", self.apply_filters, init=False)

    @on(Select.Changed)
    @on(Checkbox.Changed)
    def _filters_changed(self) -> None:
        self.apply_filters()

    def apply_filters(self) -> None:
        """Show the rows that pass the filters: cheap enough to run on every key typed.

        Rows are built once per snapshot; the other filters run once per change of theirs;
        the search looks in each row's casefolded text, and while the user types on (the
        new search extends the last one) only in the rows already shown."""
        snap = self.tracker.snapshot
        if snap is None:
            return
        table = self.query_one(ItemTable)
        if self._rows_of is not snap:
            table.set_rows(list(snap.view(task_rows)))  # its own list: the table sorts it
            self._rows_of, self._base, self._shown_for = snap, None, None
        criteria: Criteria = (
            self.query_one("#area", Select).value,
            self.query_one("#status", Select).value,
            self.query_one("#org", Select).value,
            self.query_one("#late", Checkbox).value,
            table.sort_column,
            table.sort_reverse,
        )
        query = self.query_one("#search", Input).value.casefold()
        last = self._shown_for
        if last == (criteria, query):
            return
        if last is not None and last[0] == criteria and query.startswith(last[1]):
            table.search(query.split())  # typing on: whatever matches now matched before
        else:
            table.search(query.split(), within=self._base_rows(snap, table, criteria))
        self._shown_for = (criteria, query)
        # One line of fixed size: no layout pass for it.
        count = _("{shown} of {total} items · ! late  ~ at risk  bold: critical path").format(
            shown=len(table.rows), total=len(table.all_rows)
        )
        if table.marked:
            count = _("{n} marked (e changes them, Esc unmarks)").format(n=len(table.marked))
        self.query_one("#count", Static).update(count, layout=False)

    def _base_rows(self, snap: Snapshot, table: ItemTable, criteria: Criteria) -> list[Row]:
        """The rows, in the table's order, that pass every filter but the search."""
        if self._base is not None and self._base[0] == criteria:
            return self._base[1]
        area, status, org, late, _column, _reverse = criteria
        rows = table.all_rows
        if area is not Select.NULL:
            rows = [r for r in rows if snap.items[r.key].group == area]
        if status is not Select.NULL:
            rows = [r for r in rows if snap.items[r.key].status == status]
        if late:
            rows = [r for r in rows if snap.items[r.key].late]
        if org is not Select.NULL:
            from tracker.plan.organisations import involves

            plan = snap.plan
            rows = [r for r in rows if involves(plan, plan.items[r.key], str(org))]
        self._base = (criteria, rows)
        return rows

    @on(Input.Submitted, "#search")
    def action_first_match(self) -> None:
        """Enter (or Down) in the search box: to the first match, in the table, where Down
        and Up walk the matches and Enter opens one."""
        table = self.query_one(ItemTable)
        table.focus()
        table.action_jump(0)

    def action_search_down(self) -> None:
        if self.focused is self.query_one("#search", Input):
            self.action_first_match()

    @on(ItemTable.Selected)
    def _open(self, event: ItemTable.Selected) -> None:
        from tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.key))

    def action_mark(self) -> None:
        table = self.query_one(ItemTable)
        if self.focused is table:
            table.toggle_mark()

    @on(ItemTable.MarksChanged)
    def _marks_changed(self) -> None:
        self._shown_for = None  # the count line says how many are marked
        self.apply_filters()

    def action_change_status(self) -> None:
        table = self.query_one(ItemTable)
        if table.marked:
            from tui.screens.bulk import open_bulk_status

            keys = [r.key for r in table.all_rows if r.key in table.marked]

            def done(saved: bool | None) -> None:
                if saved:
                    table.clear_marks()

            open_bulk_status(self.tracker, keys, done)
            return
        key = table.cursor_key
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
        # Now, not when the box's Changed message comes round: the table shows the rows in
        # the frame that shows the tick (the message then finds nothing left to do).
        self.apply_filters()

    def action_clear(self) -> None:
        self.query_one(ItemTable).clear_marks()
        self.query_one("#search", Input).value = ""
        for select in self.query(Select):
            select.clear()
        self.query_one("#late", Checkbox).value = False
        self.query_one(ItemTable).focus()
