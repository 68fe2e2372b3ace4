"""Mesa Técnica: the committee as the plan describes it — members of its internal and expanded
levels (numbered as in the source), its objectives — and every session or approval of the
plan that involves it: the committee milestones, and the items and products whose roles name
the Mesa Técnica, with their forecast date and status. Enter on one opens its item."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Static

from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.model import Committee, Role
from tracker.textsafe import visible
from tui.data import Snapshot
from tui.screens.actors import fold
from tui.screens.base import TrackerScreen
from tui.screens.comms import FixedTable
from tui.widgets.itemtable import Column, ItemTable, Row

MESA = "mesa tecnica"  # how the roles name the committee (compared without accents)


def columns() -> list[Column]:
    return [
        Column("id", _("ID"), 5),
        Column("title", _("Title"), 0),
        Column("part", _("Role"), 10),
        Column("forecast", _("Forecast"), 10),
        Column("baseline", _("Baseline"), 10, drop=1),
        Column("status", _("Status"), 10),
    ]


def mesa_roles(roles: list[Role]) -> list[str]:
    return [r.role for r in roles if MESA in fold(r.who)]


def numbered(title: str, lines: list[str], bullet: str = "") -> Table:
    """``lines`` under ``title``, numbered as in the source (or with ``bullet``); a long line
    wraps under its own text, not under the number."""
    table = Table.grid(padding=(0, 1))
    table.add_column(justify="right", no_wrap=True)
    table.add_column(ratio=1)
    if title:
        table.title = title
        table.title_style = "bold"
        table.title_justify = "left"
    for number, line in enumerate(lines, 1):
        table.add_row(Text(bullet or f"{number}.", style="bold"), Text(visible(line.strip())))
    table.expand = True
    return table


def sessions(snapshot: Snapshot) -> list[Row]:
    """Committee milestones, then items and products whose roles name the Mesa Técnica, in
    the order of their forecast date."""
    plan = snapshot.plan
    found: list[tuple[str, str, str]] = []  # (key, the Mesa's part, producer item)
    for model in plan.items.values():
        if model.kind == "milestone" and model.milestone_kind == "committee":
            found.append((model.id, _("session"), model.id))
        elif parts := mesa_roles(model.roles):
            found.append((model.id, ", ".join(parts), model.id))
    for deliverable in plan.deliverables.values():
        if parts := mesa_roles(deliverable.roles):
            found.append((deliverable.id, ", ".join(parts), deliverable.producer))
    rows = []
    for key, part, producer in found:
        item = snapshot.items.get(producer)
        if item is None:
            continue
        if key in snapshot.deliverables:
            title, status = snapshot.deliverables[key].title, snapshot.deliverables[key].status
        else:
            title, status = item.title, item.status
        style = (
            "late"
            if item.late
            else "risk"
            if item.at_risk
            else "done"
            if status in ("completada", "entregado", "validado")
            else ""
        )
        rows.append(
            Row(
                key,
                (
                    key,
                    title,
                    part,
                    item.forecast_finish.isoformat(),
                    item.baseline_finish.isoformat(),
                    status_label(status),
                ),
                style,
                (item.forecast_finish, key),
            )
        )
    return sorted(rows, key=lambda r: r.sort_values)


class MesaScreen(TrackerScreen):
    HELP_TITLE = _("Mesa Técnica")
    BINDINGS = [
        Binding("s", "focus_sessions", _("Sessions"), id="mesa_sessions"),
    ]
    DEFAULT_CSS = """
    MesaScreen #mesa-scroll { padding: 0 1; }
    MesaScreen #mesa-head { height: auto; margin-bottom: 1; }
    MesaScreen #mesa-members { height: auto; }
    MesaScreen #mesa-members > Static { width: 1fr; height: auto; padding-right: 2; }
    MesaScreen .mesa-title { text-style: bold; margin-top: 1; }
    MesaScreen #mesa-sessions { height: 4; }
    MesaScreen #mesa-objectives { height: auto; }
    """

    def body(self) -> ComposeResult:
        with VerticalScroll(id="mesa-scroll"):
            yield Static(id="mesa-head", markup=False)
            with Horizontal(id="mesa-members"):
                yield Static(id="mesa-internal", markup=False)
                yield Static(id="mesa-expanded", markup=False)
            yield Static(
                _("Sessions and approvals (Enter opens the item)"),
                classes="mesa-title",
                markup=False,
            )
            yield FixedTable(columns(), id="mesa-sessions")
            yield Static(_("Objectives"), classes="mesa-title", markup=False)
            yield Static(id="mesa-objectives", markup=False)

    def show(self, snapshot: Snapshot) -> None:
        committee: Committee | None = snapshot.plan.committee
        head = self.query_one("#mesa-head", Static)
        if committee is None:
            head.update(_("This plan describes no committee."))
            committee = Committee(name="")
        else:
            text = Text(visible(committee.name), style="bold")
            if committee.description:
                text.append("\n" + committee.description.strip())
            head.update(text)
        internal, expanded = committee.internal_members, committee.expanded_members
        self.query_one("#mesa-internal", Static).update(
            numbered(_("Internal level ({n})").format(n=len(internal)), internal)
        )
        self.query_one("#mesa-expanded", Static).update(
            numbered(_("Expanded level ({n})").format(n=len(expanded)), expanded)
        )
        self.query_one("#mesa-objectives", Static).update(
            numbered("", committee.objectives, bullet="•")
        )
        rows = sessions(snapshot)
        table = self.query_one("#mesa-sessions", FixedTable)
        table.styles.height = len(rows) + 1
        table.set_rows(rows)

    @on(ItemTable.Selected)
    def _open(self, event: ItemTable.Selected) -> None:
        snap = self.tracker.snapshot
        if snap is None or event.table.id != "mesa-sessions":
            return
        key = event.key
        if key in snap.plan.deliverables:
            key = snap.plan.deliverables[key].producer
        if key in snap.items:
            from tui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(key))

    def action_focus_sessions(self) -> None:
        table = self.query_one("#mesa-sessions", FixedTable)
        table.focus()
        table.scroll_visible()


SCREEN = MesaScreen
