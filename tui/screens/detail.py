"""An item in full: methodology, questions, products with their status, roles, the groups and
allies, what it waits on and what waits on it (jump to them), and its history."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import Screen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.model import Item, Plan, Role
from tracker.plan.organisations import name_key
from tracker.textsafe import visible
from tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from tui.app import TrackerApp


def _role_line(plan: Plan, role: Role) -> str:
    """``lidera: 100 Ciudades Resilientes (written "100CR SDU"; MS)``: the canonical name."""
    from tracker.plan.organisations import canonical_name

    name = canonical_name(plan, role.who)
    extra = [role.who] if name_key(name) != name_key(role.who) else []
    extra += [p for p in (role.person, role.note) if p]
    return f"{role.role}: {name}" + (f" ({'; '.join(extra)})" if extra else "")


def _date_lines(item: Item) -> list[str]:
    """Which of the item's dates the document states and which the team assumed, and why."""
    from tracker.plan.sources import describe

    lines = [describe(item)]
    if item.duration:
        lines.append(
            _("duration {days} working days ({source})").format(
                days=item.duration, source=item.duration_source
            )
        )
    for dep in item.depends_on:
        lag = f" +{dep.lag}" if dep.lag else ""
        lines.append(f"{dep.id}{lag} ({dep.source})" + (f": {dep.note}" if dep.note else ""))
    if item.note:
        lines.append(item.note)
    return lines


def _section(title: str, lines: list[str]) -> Text:
    text = Text(title + "\n", style="bold")
    for line in lines:
        text.append("  • " + line + "\n")  # Text.append is literal: plan text is not markup
    return text


class DetailScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,backspace", "app.pop_screen", _("Back"), id="back"),
        Binding("e", "change_status", _("Change status"), id="change_status"),
        Binding("d", "change_deliverable", _("Change product"), id="change_product"),
        Binding(
            "o",
            "open_evidence",
            _("Open evidence"),
            tooltip=_("Open the highlighted product's evidence link"),
            id="open_evidence",
        ),
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key
        self.shown: object = None  # the snapshot drawn

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="detail"):
            yield Static(id="detail-head")
            yield Static(id="detail-body")
            yield Static(
                _("Products and deliverables (d: change the highlighted one)"),
                classes="section-title",
            )
            yield OptionList(id="products")
            yield Static(_("Waits on / needed by (Enter: go to it)"), classes="section-title")
            yield OptionList(id="links")
            yield Static(_("History"), classes="section-title")
            yield Static(id="history")
        yield KeysFooter()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        """Redraw from the app's data when it changed (after a save here or anywhere)."""
        if self.tracker.snapshot is not self.shown:
            self.render_item()

    def render_item(self) -> None:
        snap = self.tracker.snapshot
        self.shown = snap
        if snap is None or self.key not in snap.items:
            return
        item, model = snap.items[self.key], snap.plan.items[self.key]
        head = Text(f"{item.key}  ", style="bold")
        head.append(item.title, style="bold")
        head.append(
            "\n"
            + _(
                "{status}, {percent}% · baseline {bs} – {bf} · forecast {fs} – {ff}"
                " · slip {slip:+d} working days"
            ).format(
                status=status_label(item.status),
                percent=item.percent,
                bs=item.baseline_start,
                bf=item.baseline_finish,
                fs=item.forecast_start,
                ff=item.forecast_finish,
                slip=item.slip_days,
            )
        )
        if item.reason:
            head.append("\n" + _("Reason: ") + visible(item.reason))
        self.query_one("#detail-head", Static).update(head)
        questions = {q.id: q.text for a in snap.plan.areas for q in a.questions}
        body = Text()
        body.append(_section(_("Methodology"), model.methodology))
        body.append(
            _section(
                _("Diagnostic questions"), [f"{q} {questions.get(q, '')}" for q in model.questions]
            )
        )
        body.append(_section(_("Roles"), [_role_line(snap.plan, r) for r in model.roles]))
        body.append(_section(_("Working group"), model.working_group))
        body.append(_section(_("Allies"), model.allies))
        if model.observations:
            body.append(_section(_("Observations"), model.observations))
        body.append(_section(_("Dates: document or assumption"), _date_lines(model)))
        self.query_one("#detail-body", Static).update(body)

        products = self.query_one("#products", OptionList)
        highlighted = products.highlighted
        products.clear_options()
        for key in model.deliverables:
            d = snap.deliverables.get(key)
            if d is not None:
                products.add_option(
                    Option(Text(f"{d.key}  [{status_label(d.status)}]  {d.title}"), id=d.key)
                )
        if highlighted is not None and highlighted < products.option_count:
            products.highlighted = highlighted
        links = self.query_one("#links", OptionList)
        links.clear_options()
        from tracker.plan.graph import dependency_edges

        # What it waits on, as written (an item or a product); what waits on it or on one
        # of its products. One pass over the plan's dependencies: a graph of the whole plan
        # for one item's neighbours cost a quarter of a second at 10,000 items.
        waits_on = [dep.id for dep in model.depends_on]
        needed_by = [b for a, b, _lag in dependency_edges(snap.plan) if a == self.key]
        for label, ids in ((_("waits on"), waits_on), (_("needed by"), needed_by)):
            for other in dict.fromkeys(ids):
                target = (
                    snap.plan.deliverables[other].producer
                    if other in snap.plan.deliverables
                    else other
                )
                if target == self.key:
                    continue
                title = snap.items[target].title if target in snap.items else ""
                links.add_option(
                    Option(Text(f"{label}: {other}  {title}"), id=f"{label}|{other}|{target}")
                )
        self._history()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _history(self) -> None:
        """The item's changes and its products', newest first."""
        snap = self.tracker.snapshot
        products = list(snap.plan.items[self.key].deliverables) if snap else []
        changes = self.tracker.store.history([self.key, *products], limit=100)
        rows = [c.as_dict() for c in changes]
        self.app.call_from_thread(self._show_history, rows)

    def _show_history(self, rows: list[dict[str, Any]]) -> None:
        from tracker.tracking.describe import describe_change

        text = Text()
        for row in rows:
            changed = describe_change(row["entity"], row["action"], row["before"], row["after"])
            if row["action"] == "undo":
                changed = _("undo: ") + changed
            text.append(f"{row['at']:%d/%m %H:%M}  {row['author']}  ", style="bold")
            if row["key"] != self.key:  # a product of the item: under it, by its id
                text.append(f"{row['key']}  ", style="bold cyan")
            # Notes are typed by people: shown literally, control characters made visible.
            line = changed + (f"  — {row['note']}" if row["note"] else "")
            text.append(visible(line), style="dim" if row["undone"] else "")
            if row["undone"]:
                text.append(" " + _("(undone)"), style="dim")
            text.append("\n")
        self.query_one("#history", Static).update(text or _("No changes recorded yet."))

    @on(OptionList.OptionSelected, "#links")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        target = str(event.option.id).rsplit("|", 1)[1]
        self.app.switch_screen(DetailScreen(target))

    @on(OptionList.OptionSelected, "#products")
    def action_change_deliverable(self) -> None:
        products = self.query_one("#products", OptionList)
        if products.highlighted is None:
            products.focus()
            if products.option_count:
                products.highlighted = 0
            return
        option = products.get_option_at_index(products.highlighted)
        from tui.screens.status import open_deliverable_status

        open_deliverable_status(self.tracker, str(option.id))

    def action_open_evidence(self) -> None:
        """The highlighted product's evidence: a link in the browser, a file by its path."""
        snap = self.tracker.snapshot
        products = self.query_one("#products", OptionList)
        if snap is None or products.highlighted is None:
            products.focus()
            if products.option_count:
                products.highlighted = 0
            self.notify(_("Highlight a product, then o opens its evidence."))
            return
        key = str(products.get_option_at_index(products.highlighted).id)
        evidence = snap.deliverables[key].evidence.strip() if key in snap.deliverables else ""
        if not evidence:
            self.notify(_("{id} has no evidence recorded yet.").format(id=key), severity="warning")
            return
        url = evidence
        if "://" not in evidence:
            from pathlib import Path

            url = Path(evidence).expanduser().resolve().as_uri()
        self.app.open_url(url)
        self.notify(_("Opening {link}").format(link=evidence))

    def action_change_status(self) -> None:
        from tui.screens.status import open_item_status

        open_item_status(self.tracker, self.key)
