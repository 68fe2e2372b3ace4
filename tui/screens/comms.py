"""Comunicación: the communication plan's targets month by month, and the log of the month.

Choosing a month (the selector, or ``<`` / ``>``) shows its entries from the app's data (the
log as of the as-of date) and keeps the app's as-of date, so the other screens do not move.
The targets of the month are checked here, from the logged activities:

* a month that ended before the as-of date is judged as it closed: a monthly target short of
  its count is *incumplida*, a bimester that runs on is still *en curso*;
* the month of the as-of date is judged on the as-of date (the same states as the Panel);
* a month still to come shows the periods it belongs to, with what is logged so far (the ones
  that have not started are *próxima*).

Quarter targets outside their quarters show their next quarter (or their last one, once it is
over). The cumulative column counts from the start of the window up to the day judged.

The check needs the whole log in the form it counts: built in a worker thread, once per
snapshot.
"""

from __future__ import annotations

import calendar
import dataclasses
from datetime import date, timedelta
from typing import TYPE_CHECKING, Any

from rich.cells import cell_len
from rich.segment import Segment
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.strip import Strip
from textual.widgets import Button, Select, Static

from tracker.comms.check import Activity, TargetState, check_target, quarter_view, summary
from tracker.i18n import _, month_label
from tracker.labels import target_state_label
from tracker.plan.model import Communication, Period
from tracker.textsafe import visible
from tui.data import Snapshot
from tui.screens.base import TrackerScreen
from tui.widgets.itemtable import Column, ItemTable, Row

if TYPE_CHECKING:
    from textual.widgets.select import NoSelection

# The table row style (a component class of FixedTable) of each state.
STATE_STYLES = {
    "cumplida": "done",
    "en_curso": "course",
    "atrasada": "risk",
    "incumplida": "late",
    "proxima": "muted",
}
# The same colours for the summary line (Rich styles).
STATE_COLOURS = {
    "cumplida": "green",
    "en_curso": "cyan",
    "atrasada": "yellow",
    "incumplida": "red",
    "proxima": "dim",
}


def fit(text: str, width: int) -> str:
    """``text`` on one line, shown literally, cut to ``width`` cells with an ellipsis."""
    text = visible(" ".join(text.split()))
    if cell_len(text) <= width:
        return text + " " * (width - cell_len(text))
    out = ""
    for ch in text:
        if cell_len(out + ch) > width - 1:
            break
        out += ch
    return out + "…" + " " * (width - 1 - cell_len(out))


class FixedTable(ItemTable):
    """An ItemTable that keeps our order (grouped or chronological): a header click does not
    sort. Rows styled ``group`` are headings drawn across the whole width."""

    COMPONENT_CLASSES = ItemTable.COMPONENT_CLASSES | {"itemtable--course", "itemtable--group"}
    DEFAULT_CSS = """
    FixedTable > .itemtable--course { color: $accent; }
    FixedTable > .itemtable--group { text-style: bold; color: $primary; }
    """

    def sort_by(self, column: int) -> None:
        return

    def render_line(self, y: int) -> Strip:
        index = self.scroll_offset.y + y - 1
        if y == 0 or not 0 <= index < len(self.rows) or "group" not in self.rows[index].style:
            return super().render_line(y)
        style = self.rich_style + self.get_component_rich_style("itemtable--group")
        if index == self.cursor:
            style += self.get_component_rich_style("itemtable--cursor")
        width = self.scrollable_content_region.width
        return Strip([Segment(fit(self.rows[index].cells[0], width), style)]).adjust_cell_length(
            width, style
        )

    def _set_cursor(self, index: int) -> None:
        """Headings are not stops of the cursor: it goes on to the next row in its way (or
        back, at either end)."""
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        step = 1 if index >= self.cursor else -1
        for direction in (step, -step):
            i = index
            while 0 <= i < len(self.rows) and "group" in self.rows[i].style:
                i += direction
            if 0 <= i < len(self.rows):
                super()._set_cursor(i)
                return

    def set_rows(self, rows: list[Row]) -> None:
        super().set_rows(rows)
        if 0 <= self.cursor < len(self.rows) and "group" in self.rows[self.cursor].style:
            self._set_cursor(self.cursor + 1)


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def month_bounds(day: date) -> tuple[date, date]:
    first = day.replace(day=1)
    return first, first.replace(day=calendar.monthrange(first.year, first.month)[1])


def window_months(window: Period) -> list[date]:
    """The first day of every month the communication window touches."""
    months = []
    day = window.start.replace(day=1)
    while day <= window.end:
        months.append(day)
        day = month_bounds(day)[1] + timedelta(days=1)
    return months


def judged_on(month: date, as_of: date) -> date:
    """The day a month is judged on: its last day, never past the as-of date."""
    return min(month_bounds(month)[1], as_of)


def month_check(
    comm: Communication, activities: list[Activity], month: date, as_of: date
) -> list[TargetState]:
    """Every target (per network where the plan says "en cada red"), in plan order, in its
    period that contains ``month``, judged at the month's end or on ``as_of`` if that is
    earlier (see the module docstring)."""
    first, last = month_bounds(month)
    day = judged_on(month, as_of)
    # quarter_view judges every period overlapping the month with what was known when the
    # month closed (or on the as-of date while it runs or is still to come).
    in_month = {
        (s.target, s.channel): s
        for s in quarter_view(comm.targets, comm.period, activities, Period(first, last), as_of)
    }
    out: list[TargetState] = []
    for target in comm.targets:
        # The cumulative figures up to the day judged (quarter_view's day may be the next one).
        so_far = {s.channel: s for s in check_target(target, comm.period, activities, day)}
        for channel, running in so_far.items():
            state = in_month.get((target.id, channel))
            if state is None:  # a quarter target outside its quarters: the next or the last one
                out.append(running)
            else:
                out.append(
                    dataclasses.replace(
                        state,
                        expected_so_far=running.expected_so_far,
                        done_so_far=running.done_so_far,
                    )
                )
    return out


def target_columns() -> list[Column]:
    return [
        Column("target", _("Target"), 0),
        Column("channel", _("Channel"), 10),
        Column("period", _("Period"), 11, drop=1),
        Column("expected", _("Exp."), 4, True),
        Column("done", _("Done"), 5, True),
        Column("so_far", _("So far"), 7, True),
        Column("state", _("State"), 10),
    ]


def entry_columns() -> list[Column]:
    return [
        Column("day", _("Date"), 5),
        Column("channel", _("Channel"), 12),
        Column("targets", _("Targets"), 22, drop=1),
        Column("title", _("Title"), 0),
        Column("qty", _("Qty"), 4, True),
        Column("author", _("Author"), 10, drop=2),
    ]


def state_key(state: TargetState) -> str:
    return f"{state.target}|{state.channel}"


class CommsScreen(TrackerScreen):
    HELP_TITLE = _("Communication")
    BINDINGS = [
        # Not in the footer (the < and > buttons on the screen say it): keeps it short at 80.
        Binding("less_than_sign", "month(-1)", _("Previous month"), show=False, id="comms_prev"),
        Binding("greater_than_sign", "month(1)", _("Next month"), show=False, id="comms_next"),
        Binding("a", "add", _("Add entry"), id="comms_add"),
    ]
    DEFAULT_CSS = """
    CommsScreen #comms-bar { height: 1; padding: 0 1; }
    CommsScreen #comms-bar > Button { min-width: 3; width: 3; margin: 0; }
    CommsScreen #comms-month { width: 22; margin: 0 1; }
    CommsScreen #comms-judged { width: 1fr; color: $text-muted; margin-left: 1; }
    CommsScreen #comms-summary { height: 1; padding: 0 1; }
    CommsScreen #comms-targets { height: 1fr; min-height: 5; }
    CommsScreen #comms-info { height: 2; padding: 0 1; color: $text-muted; }
    CommsScreen #comms-entries-title { height: 1; padding: 0 1; text-style: bold;
                                       background: $boost; }
    CommsScreen #comms-entries { height: auto; min-height: 4; max-height: 40%; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.month: date | None = None  # first day of the month shown
        self._as_of_seen: date | None = None
        self._activities: list[Activity] | None = None
        self._activities_of: int | None = None  # the last_change they were read at
        self._loading: int | None = None  # the last_change a read in flight is for
        self._states: list[TargetState] = []
        self._month_values: list[str] = []
        self._entries: dict[str, dict[str, Any]] = {}

    def body(self) -> ComposeResult:
        with Horizontal(id="comms-bar"):
            yield Button("<", id="comms-prev", compact=True, tooltip=_("Previous month"))
            yield Select[str]([], prompt=_("Month"), id="comms-month", compact=True)
            yield Button(">", id="comms-next", compact=True, tooltip=_("Next month"))
            yield Static(id="comms-judged", markup=False)
        yield Static(id="comms-summary", markup=False)
        yield FixedTable(target_columns(), id="comms-targets")
        yield Static(id="comms-info", markup=False)
        yield Static(id="comms-entries-title", markup=False)
        yield FixedTable(entry_columns(), id="comms-entries")

    def on_mount(self) -> None:
        self.query_one("#comms-targets", FixedTable).focus()

    # -- data --------------------------------------------------------------------------
    def show(self, snapshot: Snapshot) -> None:
        comm = snapshot.plan.communication
        if comm is None:
            self.query_one("#comms-summary", Static).update(
                _("This plan has no communication plan.")
            )
            return
        months = window_months(comm.period)
        select = self.query_one("#comms-month", Select)
        options = [(capitalised(month_label(m)), m.isoformat()) for m in months]
        if [value for _label, value in options] != self._month_values:
            self._month_values = [value for _label, value in options]
            select.set_options(options)
        if self.month is None or snapshot.as_of != self._as_of_seen:
            # A new as-of date brings the view to its month (clamped to the window).
            self._as_of_seen = snapshot.as_of
            day = min(max(snapshot.as_of, comm.period.start), comm.period.end)
            self.month = day.replace(day=1)
        if select.value != self.month.isoformat():
            select.value = self.month.isoformat()
        change = self.tracker.last_change
        if change not in (self._activities_of, self._loading):
            self._load_activities(change)
        self.redraw()

    def _load_activities(self, change: int) -> None:
        from tracker.state.plan_state import check_activities

        app = self.tracker
        self._loading = change

        def load() -> None:
            snapshot = app.snapshot
            acts = check_activities(snapshot.state.activities) if snapshot is not None else []
            app.call_from_thread(self._got_activities, change, acts)

        self.run_worker(load, thread=True, exclusive=True, group="comms-acts", exit_on_error=False)

    def _got_activities(self, change: int, acts: list[Activity]) -> None:
        self._activities, self._activities_of = acts, change
        if self._loading == change:
            self._loading = None
        self.redraw()

    def redraw(self) -> None:
        snap = self.tracker.snapshot
        if snap is None or self.month is None or snap.plan.communication is None:
            return
        comm = snap.plan.communication
        first, last = month_bounds(self.month)
        label = month_label(self.month)
        day = judged_on(self.month, snap.as_of)
        if last < snap.as_of:
            judged = _("as it closed (judged on {date})")
        elif first <= snap.as_of:
            judged = _("as of {date}")
        else:
            judged = _("still to come (entries up to {date})")
        self.query_one("#comms-judged", Static).update(judged.format(date=day.isoformat()))
        if self._activities is None:
            self.query_one("#comms-summary", Static).update(_("Loading…"))
        else:
            self._states = month_check(comm, self._activities, self.month, snap.as_of)
            self._draw_targets(comm)
        self._draw_entries(comm, first, last, label)
        self._show_info()

    def _draw_targets(self, comm: Communication) -> None:
        names = {c.id: c.name for c in comm.channels}
        rows = [
            Row(
                state_key(s),
                (
                    f"{s.target} · {s.action}",
                    names.get(s.channel, s.channel),
                    f"{s.period_start:%d/%m}–{s.period_end:%d/%m}",
                    str(s.expected),
                    str(s.done),
                    f"{s.done_so_far}/{s.expected_so_far}",
                    target_state_label(s.state),
                ),
                STATE_STYLES[s.state],
            )
            for s in self._states
        ]
        self.query_one("#comms-targets", FixedTable).set_rows(rows)
        counts = summary(self._states)
        line = Text()
        for key, message in (
            ("cumplida", _("met: {n}")),
            ("en_curso", _("on course: {n}")),
            ("atrasada", _("behind: {n}")),
            ("incumplida", _("missed: {n}")),
            ("proxima", _("upcoming: {n}")),
        ):
            if line:
                line.append("  ·  ", style="dim")
            line.append(message.format(n=counts[key]), style=f"bold {STATE_COLOURS[key]}")
        self.query_one("#comms-summary", Static).update(line)

    def _draw_entries(self, comm: Communication, first: date, last: date, label: str) -> None:
        snap = self.tracker.snapshot
        assert snap is not None
        names = {c.id: c.name for c in comm.channels}
        entries = snap.state.activities_between(first, last)
        title = _("Entries of {month} ({n}) · a: add one").format(month=label, n=len(entries))
        self.query_one("#comms-entries-title", Static).update(title)
        self._entries = {str(e["id"]): e for e in entries}
        self.query_one("#comms-entries", FixedTable).set_rows(
            [
                Row(
                    str(e["id"]),
                    (
                        date.fromisoformat(str(e["day"])).strftime("%d/%m"),
                        names.get(e["channel"], e["channel"]),
                        ", ".join(e["targets"]),
                        e["title"],
                        str(e["quantity"]),
                        e["author"],
                    ),
                )
                for e in entries
            ]
        )

    # -- the line under the targets: the highlighted target or entry in full -------------
    @on(ItemTable.Highlighted)
    def _highlighted(self) -> None:
        self._show_info()

    def on_descendant_focus(self) -> None:
        self._show_info()

    def _show_info(self) -> None:
        snap = self.tracker.snapshot
        if snap is None or snap.plan.communication is None:
            return
        comm = snap.plan.communication
        info = self.query_one("#comms-info", Static)
        entries_table = self.query_one("#comms-entries", FixedTable)
        if entries_table.has_focus:
            key = entries_table.cursor_key
            entry = self._entries.get(key or "")
            if entry is not None:
                text = Text(
                    visible(entry["title"]), style="bold", no_wrap=True, overflow="ellipsis"
                )
                for label, value in ((_("link"), entry["link"]), (_("note"), entry["note"])):
                    if value:
                        text.append(f"  ·  {label}: ", style="bold")
                        text.append(visible(value))
                info.update(text)
                return
        key = self.query_one("#comms-targets", FixedTable).cursor_key
        target_id = (key or "").split("|", 1)[0]
        target = next((t for t in comm.targets if t.id == target_id), None)
        if target is None:
            info.update("")
            return
        names = {c.id: c.name for c in comm.channels}
        text = Text(visible(target.text), style="bold", no_wrap=True, overflow="ellipsis")
        text.append("  ·  " + _("counts on: ") + ", ".join(names[c] for c in target.channels))
        text.append("\n" + visible(target.action))
        info.update(text)

    # -- actions -----------------------------------------------------------------------
    def go_to_month(self, month: date) -> None:
        snap = self.tracker.snapshot
        if snap is None or snap.plan.communication is None:
            return
        months = window_months(snap.plan.communication.period)
        month = month.replace(day=1)
        if month not in months or month == self.month:
            return
        self.month = month
        self.query_one("#comms-month", Select).value = month.isoformat()
        self.redraw()

    def action_month(self, step: int) -> None:
        if self.month is None:
            return
        if step < 0:
            self.go_to_month((self.month - timedelta(days=1)).replace(day=1))
        else:
            self.go_to_month(month_bounds(self.month)[1] + timedelta(days=1))

    @on(Button.Pressed, "#comms-prev")
    def _prev(self) -> None:
        self.action_month(-1)

    @on(Button.Pressed, "#comms-next")
    def _next(self) -> None:
        self.action_month(1)

    @on(Select.Changed, "#comms-month")
    def _month_chosen(self, event: Select.Changed) -> None:
        value: str | NoSelection = event.value  # type: ignore[assignment]
        if isinstance(value, str):
            self.go_to_month(date.fromisoformat(value))
        elif self.month is not None:  # the blank choice: stay on the month shown
            self.query_one("#comms-month", Select).value = self.month.isoformat()

    def action_add(self) -> None:
        snap = self.tracker.snapshot
        if snap is None or snap.plan.communication is None:
            return
        from tui.screens.commsform import CommsForm

        key = self.query_one("#comms-targets", FixedTable).cursor_key
        target, _sep, channel = (key or "").partition("|")
        self.app.push_screen(
            CommsForm(snap.plan, self.tracker.as_of, target=target, channel=channel),
            self._added,
        )

    def _added(self, day: date | None) -> None:
        if day is not None and self.month is not None and day.replace(day=1) != self.month:
            self.go_to_month(day)  # show the month the entry went to


SCREEN = CommsScreen
