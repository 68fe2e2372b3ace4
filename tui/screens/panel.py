"""Panel: the phase at a glance — progress and forecast end, each area, what is late or at
risk, what falls due in the next 30 days, this month's communication, the critical path."""

from __future__ import annotations

from typing import TYPE_CHECKING

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


def _areas_table(groups: list[Summary]) -> Table:
    """One line per area: progress bar, counts by status, slippage, and the title, which is
    cut with an ellipsis rather than wrapped."""
    table = Table.grid(padding=(0, 1), expand=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, justify="right")
    table.add_column(no_wrap=True)
    table.add_column(no_wrap=True, justify="right")
    table.add_column(ratio=1, no_wrap=True, overflow="ellipsis")
    for group in groups:
        counts = group.counts
        table.add_row(
            Text(group.key, style="bold"),
            Text(bar(group.percent), style="green"),
            f"{group.percent:.0f}%",
            _("{done} done · {doing} in progress · {blocked} blocked · {todo} pending").format(
                done=counts["completada"],
                doing=counts["en_curso"],
                blocked=counts["bloqueada"],
                todo=counts["pendiente"],
            ),
            Text(
                _("{slip:+d} d").format(slip=group.slip_days),
                style="red" if group.slip_days > 0 else "green",
            ),
            Text(group.title, style="dim"),
        )
    return table


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

        areas = _areas_table([g for g in fc.groups if g.key])
        areas.title = _("By area")
        areas.title_style = "bold"
        areas.title_justify = "left"
        self.query_one("#areas", Static).update(areas)

        late = [i for i in fc.items if i.late]
        risk = [i for i in fc.items if i.at_risk]
        text = Text(_("Late ({n})").format(n=len(late)) + "\n", style="bold red")
        from tracker.plan.organisations import canonical_name

        plan = snapshot.plan
        for item in late[:12]:
            text.append(f"  {item.key:<7}", style="bold")
            # The lead's canonical name, whichever way the source writes it.
            leads = ", ".join(dict.fromkeys(canonical_name(plan, w) for w in item.lead.split(", ")))
            text.append(f"{item.slip_days:+d}d  {leads[:24] if item.lead else ''}\n")
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
