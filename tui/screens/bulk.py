"""``e`` on marked rows: one status for all of them, saved as one action (one ``u`` undoes
it whole)."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tracker.errors import TrackerError
from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.statuses import ITEM_STATUSES
from tui.screens.status import _row

if TYPE_CHECKING:
    from tui.app import TrackerApp


class BulkStatusScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="bulk_cancel"),
        Binding("ctrl+s", "save", _("Save"), id="bulk_save"),
    ]

    def __init__(self, keys: list[str], on: date) -> None:
        super().__init__()
        self.keys, self.on_date = keys, on

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="form"):
            yield Label(
                _("Change the status of {n} items").format(n=len(self.keys)), id="dialog-title"
            )
            yield Static(", ".join(self.keys), id="dialog-subtitle", markup=False)
            yield from _row(
                _("Status"),
                Select[str](
                    [(status_label(s), s) for s in ITEM_STATUSES],
                    prompt=_("Choose a status"),
                    id="status",
                    compact=True,
                ),
            )
            yield from _row(
                _("Date (YYYY-MM-DD)"), Input(self.on_date.isoformat(), id="date", compact=True)
            )
            yield from _row(_("Note (required when blocked)"), Input(id="note", compact=True))
            yield Static(id="problem", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="save", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self.validate()
        self.query_one("#status", Select).focus()

    @on(Input.Changed)
    @on(Select.Changed)
    def validate(self) -> list[str]:
        problems = []
        status = self.query_one("#status", Select).value
        if not isinstance(status, str):
            problems.append(_("choose a status"))
        elif status == "bloqueada" and not self.query_one("#note", Input).value.strip():
            problems.append(_("a blocked item needs a reason in the note"))
        try:
            date.fromisoformat(self.query_one("#date", Input).value.strip())
        except ValueError:
            problems.append(_("the date must be a real date as YYYY-MM-DD"))
        self.query_one("#problem", Static).update("\n".join(problems))
        self.query_one("#save", Button).disabled = bool(problems)
        return problems

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.validate():
            return
        self.query_one("#save", Button).disabled = True
        self._save(
            str(self.query_one("#status", Select).value),
            {
                "on": date.fromisoformat(self.query_one("#date", Input).value.strip()),
                "note": self.query_one("#note", Input).value.strip(),
            },
        )

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, status: str, values: dict[str, Any]) -> None:
        from tracker.store.author import current_author
        from tracker.store.planstore import find_plan
        from tracker.tracking.status import set_items_status

        app: TrackerApp = self.app  # type: ignore[assignment]
        author = current_author()
        try:
            app.write(
                lambda s: set_items_status(
                    s, find_plan(s, app.plan_id), self.keys, status, author=author, **values
                )
            )
        except TrackerError as err:
            app.call_from_thread(self._failed, str(err))
            return
        app.call_from_thread(self._saved, status)

    def _saved(self, status: str) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        app.notify(
            _("{n} items are now {status} (u undoes it)").format(
                n=len(self.keys), status=status_label(status)
            )
        )
        self.dismiss(True)
        app.reload()

    def _failed(self, message: str) -> None:
        self.query_one("#problem", Static).update(message)
        self.query_one("#save", Button).disabled = False

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
