"""Panel: the phase at a glance — progress and forecast end, each area, what is late or at
risk, what falls due in the next 30 days, this month's communication, the critical path."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Console, ConsoleOptions, RenderableType, RenderResult
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Grid, VerticalScroll
from textual.widgets import Static

from tracker.i18n import _
from tui.screens.base import TrackerScreen

# The domain is for the data, not the first frame: the panel is drawn empty first and
# filled when the snapshot arrives, so these are imported then (by the loading worker).
if TYPE_CHECKING:
    from tracker.state.forecast import Summary
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


class PanelScreen(TrackerScreen):
    HELP_TITLE = "Panel"

    def body(self) -> ComposeResult:
        with VerticalScroll(id="panel"):
            yield Static(id="phase", classes="card")
            yield Static(id="areas", classes="card")
            with Grid(id="panel-grid"):
                yield Static(id="late", classes="card")
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

        late = [i for i in fc.items if i.late]
        risk = [i for i in fc.items if i.at_risk]
        text = Text(_("Late ({n})").format(n=len(late)) + "\n", style="bold red")
        for item in late[:12]:
            text.append(f"  {item.key:<7}", style="bold")
            text.append(f"{item.slip_days:+d}d  {item.lead[:24]}\n")
        if len(late) > 12:
            text.append("  " + _("… and {n} more").format(n=len(late) - 12) + "\n")
        text.append(_("At risk ({n})").format(n=len(risk)) + "\n", style="bold yellow")
        text.append("  " + ", ".join(i.key for i in risk[:20]) + ("…" if len(risk) > 20 else ""))
        self.query_one("#late", Static).update(text)

        due = fc.due_within(30)
        text = Text(_("Due in the next 30 days ({n})").format(n=len(due)) + "\n", style="bold")
        for item in sorted(due, key=lambda i: i.baseline_finish)[:14]:
            text.append(f"  {item.baseline_finish:%d/%m}  ", style="bold")
            text.append(f"{item.key:<7} {item.title[:34]}\n")
        self.query_one("#due", Static).update(text)

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
