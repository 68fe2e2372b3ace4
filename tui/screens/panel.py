"""Panel: the phase at a glance — progress and forecast end, each area, what is late or at
risk, what falls due in the next 30 days, this month's communication, the critical path."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import date
from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, Group, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from tracker.i18n import _
from tracker.textsafe import visible
from tui.screens.base import TrackerScreen

# The domain is for the data, not the first frame: the panel is drawn empty first and
# filled when the snapshot arrives, so these are imported then (by the loading worker).
if TYPE_CHECKING:
    from tracker.state.forecast import ItemForecast, Summary
    from tracker.store.store import Store
    from tui.data import Snapshot

BAR_WIDTH = 20


def bar(percent: float, width: int = BAR_WIDTH) -> str:
    filled = round(percent / 100 * width)
    return "█" * filled + "░" * (width - filled)


class AreasTable:
    """One line per area: number, progress bar, percent, slippage, counts by status and the
    title. Laid out for the width it is drawn in: the number, the percent and the name always
    show; the bar narrows and the counts go before the name is cut to nothing."""

    def __init__(self, groups: list[Summary]) -> None:
        self.groups = groups

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        key_width = max((len(g.key) for g in self.groups), default=1)
        bar_width = BAR_WIDTH if width >= 100 else 10
        with_counts = width >= 110
        table = Table.grid(padding=(0, 1), expand=True)
        table.title = _("By area")
        table.title_style = "bold"
        table.title_justify = "left"
        table.add_column(no_wrap=True, min_width=key_width)
        table.add_column(no_wrap=True, width=bar_width)
        table.add_column(no_wrap=True, justify="right", min_width=4)
        table.add_column(no_wrap=True, justify="right", min_width=6)
        if with_counts:
            table.add_column(no_wrap=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis", min_width=12)
        for group in self.groups:
            counts = group.counts
            cells: list[RenderableType] = [
                Text(group.key, style="bold"),
                Text(bar(group.percent, bar_width), style="green"),
                f"{group.percent:.0f}%",
                Text(
                    _("{slip:+d} d").format(slip=group.slip_days),
                    style="red" if group.slip_days > 0 else "green",
                ),
            ]
            if with_counts:
                cells.append(
                    _(
                        "{done} done · {doing} in progress · {blocked} blocked · {todo} pending"
                    ).format(
                        done=counts["completada"],
                        doing=counts["en_curso"],
                        blocked=counts["bloqueada"],
                        todo=counts["pendiente"],
                    )
                )
            cells.append(Text(group.title, style="dim"))
            table.add_row(*cells)
        yield table


class ItemLines:
    """A titled list of items, one line each: a figure (slip, date), the id, the title and
    the lead; the title is what gives way (with an ellipsis) in a narrow card."""

    def __init__(
        self,
        title: str,
        style: str,
        items: Sequence[ItemForecast],
        figure: Callable[[ItemForecast], str],
        *,
        limit: int = 10,
        notes: dict[str, str] | None = None,
    ) -> None:
        self.title, self.style, self.items = title, style, items
        self.figure, self.limit, self.notes = figure, limit, notes or {}

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        table = Table.grid(padding=(0, 1), expand=True)
        table.title = self.title.format(n=len(self.items))
        table.title_style = self.style
        table.title_justify = "left"
        table.add_column(no_wrap=True, justify="right")
        table.add_column(no_wrap=True)
        table.add_column(ratio=1, no_wrap=True, overflow="ellipsis", min_width=12)
        with_lead = width >= 60
        if with_lead:
            table.add_column(no_wrap=True, overflow="ellipsis", max_width=max(12, width // 5))
        for item in self.items[: self.limit]:
            cells: list[RenderableType] = [
                self.figure(item),
                Text(item.key, style="bold"),
                Text(item.title),
            ]
            if with_lead:
                cells.append(Text(item.lead, style="dim"))  # the forecast's short names
            table.add_row(*cells)
            note = self.notes.get(item.key)
            if note:  # the reason, on a line of its own under the title
                table.add_row("", "", Text("↳ " + note, style="italic"))
        yield table
        if len(self.items) > self.limit:
            yield Text("  " + _("… and {n} more").format(n=len(self.items) - self.limit))


class PanelScreen(TrackerScreen):
    HELP_TITLE = "Panel"

    def body(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(id="phase", classes="card")
            yield Static(id="areas", classes="card")
            yield Static(id="late", classes="card")
            yield Static(id="blocked", classes="card")
            with Grid(id="panel-grid"):
                yield Static(id="due", classes="card")
                yield Static(id="comms", classes="card")
                yield Static(id="critical", classes="card")

    def show(self, snapshot: Snapshot) -> None:
        fc = snapshot.forecast
        overall = fc.overall
        phase = Text(_("Phase II progress") + "\n", style="bold")
        phase.append(bar(overall.percent, 40), style="green")
        phase.append(f"  {overall.percent:.1f}%\n")
        slip = overall.slip_days
        phase.append(
            _("Forecast end {forecast} · baseline {baseline} · ").format(
                forecast=overall.forecast_finish, baseline=overall.baseline_finish
            )
        )
        phase.append(
            _("{slip:+d} working days").format(slip=slip),
            style="bold red" if slip > 0 else "bold green",
        )
        self.query_one("#phase", Static).update(phase)

        self.query_one("#areas", Static).update(AreasTable([g for g in fc.groups if g.key]))

        late = sorted((i for i in fc.items if i.late), key=lambda i: -i.slip_days)
        risk = sorted((i for i in fc.items if i.at_risk), key=lambda i: i.forecast_finish)
        self.query_one("#late", Static).update(
            Group(
                ItemLines(
                    _("! Late ({n})"),
                    "bold red",
                    late,
                    lambda i: f"{i.slip_days:+d}d",
                ),
                ItemLines(
                    _("~ At risk ({n})"),
                    "bold yellow",
                    risk,
                    lambda i: f"{i.forecast_finish:%d/%m}",
                    limit=6,
                ),
            )
        )

        # Due soon as the README defines it (tracker status uses the same rule).
        due = sorted(fc.due_within(30), key=lambda i: i.forecast_finish)
        self.query_one("#due", Static).update(
            ItemLines(
                _("Due in the next 30 days, forecast ({n})"),
                "bold",
                due,
                lambda i: f"{i.forecast_finish:%d/%m}",
            )
        )
        self._show_blocked(snapshot)

        from tracker.comms.check import summary

        counts = summary(snapshot.comms)
        table = Table.grid(padding=(0, 1), expand=True)
        table.add_column(width=3, justify="right")
        table.add_column(ratio=1)
        table.title = _("Communication this month")
        table.title_style = "bold"
        table.title_justify = "left"
        for label, key, style in (
            (_("met"), "cumplida", "green"),
            (_("on course"), "en_curso", "cyan"),
            (_("behind"), "atrasada", "yellow"),
            (_("missed"), "incumplida", "red"),
            (_("upcoming"), "proxima", "dim"),
        ):
            table.add_row(Text(str(counts[key]), style=f"bold {style}"), label)
        self.query_one("#comms", Static).update(table)

        path = sorted(
            (k for k in snapshot.forecast.plan.items if snapshot.items[k].critical),
            key=lambda k: (snapshot.items[k].forecast_start, snapshot.items[k].forecast_finish),
        )
        open_critical = [k for k in path if snapshot.items[k].status != "completada"]
        self._layout_grid()
        late_critical = [k for k in path if snapshot.items[k].late]
        text = Text(_("Critical path") + "\n", style="bold")
        text.append(
            _("{n} items, {open} still open, {late} late").format(
                n=len(path), open=len(open_critical), late=len(late_critical)
            )
            + "\n"
        )
        text.append("  " + " → ".join(open_critical[:12]))
        self.query_one("#critical", Static).update(text)

    # -- the grid: two cards a row where they fit, one at 80 columns ----------------------
    def on_resize(self) -> None:
        self._layout_grid()

    def _layout_grid(self) -> None:
        grid = self.query_one("#panel-grid", Grid)
        grid.styles.grid_size_columns = 2 if self.size.width >= 100 else 1

    # -- blocked items: their reasons and how long they have been blocked ------------------
    def _show_blocked(self, snapshot: Snapshot) -> None:
        blocked = [i for i in snapshot.forecast.items if i.status == "bloqueada"]
        card = self.query_one("#blocked", Static)
        card.display = bool(blocked)
        if not blocked:
            return
        app = self.tracker
        keys = [i.key for i in blocked]

        def load() -> None:
            since = blocked_since(app.store, keys)
            app.call_from_thread(self._draw_blocked, snapshot, blocked, since)

        self.run_worker(load, thread=True, exclusive=True, group="blocked", exit_on_error=False)

    def _draw_blocked(
        self, snapshot: Snapshot, blocked: list[ItemForecast], since: dict[str, date]
    ) -> None:
        if self.tracker.snapshot is not snapshot:
            return

        def days(item: ItemForecast) -> str:
            start = since.get(item.key)
            if start is None:
                return "?"
            return _("{n} d").format(n=max((snapshot.as_of - start).days, 0))

        blocked = sorted(blocked, key=lambda i: since.get(i.key) or snapshot.as_of)
        notes = {i.key: visible(i.reason) for i in blocked if i.reason}
        self.query_one("#blocked", Static).update(
            ItemLines(
                _("■ Blocked ({n}): for how long, and why"),
                "bold magenta",
                blocked,
                days,
                notes=notes,
            )
        )


def blocked_since(store: Store, keys: list[str]) -> dict[str, date]:
    """The day each item of ``keys`` was last set blocked (from the recorded changes: the
    day it took effect)."""
    since: dict[str, date] = {}
    for change in reversed(store.history(keys, limit=1000)):
        was, now = change.before.get("status"), change.after.get("status")
        if change.entity == "item" and now == "bloqueada" and was != "bloqueada":
            since[change.key] = change.effective
    return since
