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
from textual.widgets import Footer, OptionList, Static
from textual.widgets.option_list import Option

from tracker.i18n import _
from tracker.textsafe import visible
from tui.data import load_history

if TYPE_CHECKING:
    from tui.app import TrackerApp


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
    ]

    def __init__(self, key: str) -> None:
        super().__init__()
        self.key = key

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
        yield Footer()

    def on_screen_resume(self) -> None:
        self.render_item()

    def render_item(self) -> None:
        snap = self.tracker.snapshot
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
                status=item.status,
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
        body.append(
            _section(
                _("Roles"),
                [f"{r.role}: {r.who}" + (f" ({r.note})" if r.note else "") for r in model.roles],
            )
        )
        body.append(_section(_("Working group"), model.working_group))
        body.append(_section(_("Allies"), model.allies))
        if model.observations:
            body.append(_section(_("Observations"), model.observations))
        self.query_one("#detail-body", Static).update(body)

        products = self.query_one("#products", OptionList)
        products.clear_options()
        for key in model.deliverables:
            d = snap.deliverables.get(key)
            if d is not None:
                products.add_option(Option(Text(f"{d.key}  [{d.status}]  {d.title}"), id=d.key))
        links = self.query_one("#links", OptionList)
        links.clear_options()
        from tracker.plan.graph import PlanGraph

        graph = PlanGraph(snap.plan)
        for label, ids in (
            (_("waits on"), graph.predecessors(self.key)),
            (_("needed by"), graph.successors(self.key)),
        ):
            for other in ids:
                target = (
                    snap.plan.deliverables[other].producer
                    if other in snap.plan.deliverables
                    else other
                )
                if target == self.key:
                    continue
                title = snap.items[target].title if target in snap.items else ""
                links.add_option(Option(Text(f"{label}: {other}  {title}"), id=f"{label}|{target}"))
        self._history()

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _history(self) -> None:
        rows = load_history(self.tracker.store, self.key)
        self.app.call_from_thread(self._show_history, rows)

    def _show_history(self, rows: list[dict[str, Any]]) -> None:
        text = Text()
        for row in rows:
            changed = ", ".join(
                f"{k}: {row['before'].get(k)} → {v}"
                for k, v in row["after"].items()
                if row["before"].get(k) != v
            )
            text.append(
                f"{row['at']:%Y-%m-%d %H:%M}  {row['author']}  {row['action']}  ", style="bold"
            )
            # Notes are typed by people: shown literally, control characters made visible.
            text.append(visible(changed + (f"  — {row['note']}" if row["note"] else "")) + "\n")
        self.query_one("#history", Static).update(text or _("No changes recorded yet."))

    @on(OptionList.OptionSelected, "#links")
    def _jump(self, event: OptionList.OptionSelected) -> None:
        target = str(event.option.id).split("|", 1)[1]
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

    def action_change_status(self) -> None:
        from tui.screens.status import open_item_status

        open_item_status(self.tracker, self.key)
