"""Change the status of an item or a deliverable: explained in place, saved only when valid,
never over someone else's change."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Label, Select, Static

from tracker.errors import ConflictError, TrackerError
from tracker.i18n import _
from tracker.plan.statuses import DELIVERABLE_STATUSES, ITEM_STATUSES

if TYPE_CHECKING:
    from tui.app import TrackerApp


def open_item_status(app: TrackerApp, key: str) -> None:
    snap = app.snapshot
    if snap is None or key not in snap.items:
        return
    app.push_screen(
        StatusScreen(
            "item",
            key,
            snap.items[key].title,
            snap.items[key].status,
            snap.items[key].percent,
            snap.items[key].version,
            app.as_of,
        )
    )


def open_deliverable_status(app: TrackerApp, key: str) -> None:
    snap = app.snapshot
    if snap is None or key not in snap.deliverables:
        return
    d = snap.deliverables[key]
    app.push_screen(
        StatusScreen(
            "deliverable", key, d.title, d.status, None, d.version, app.as_of, evidence=d.evidence
        )
    )


class StatusScreen(ModalScreen[bool]):
    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="cancel"),
        Binding("ctrl+s", "save", _("Save"), id="save"),
    ]

    def __init__(
        self,
        entity: str,
        key: str,
        title: str,
        status: str,
        percent: int | None,
        version: int,
        on: date,
        evidence: str = "",
    ) -> None:
        super().__init__()
        self.entity, self.key, self.item_title = entity, key, title
        self.status, self.percent, self.version = status, percent, version
        self.on_date, self.evidence = on, evidence

    def compose(self) -> ComposeResult:
        statuses = ITEM_STATUSES if self.entity == "item" else DELIVERABLE_STATUSES
        with Vertical(id="dialog"):
            yield Label(_("Change status of {id}").format(id=self.key), id="dialog-title")
            yield Static(self.item_title, id="dialog-subtitle", markup=False)
            yield Label(_("Status"))
            yield Select[str](
                [(s, s) for s in statuses], value=self.status, allow_blank=False, id="status"
            )
            if self.entity == "item":
                yield Label(_("Percent complete (0–100)"))
                yield Input(str(self.percent or 0), id="percent", restrict=r"[0-9]*")
            else:
                yield Label(_("Evidence (link or file path)"))
                yield Input(self.evidence, id="evidence")
            yield Label(_("Date (YYYY-MM-DD)"))
            yield Input(self.on_date.isoformat(), id="date")
            yield Label(_("Note (required when blocked)"))
            yield Input(id="note")
            yield Static(id="problem", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="save")
                yield Button(_("Reload"), id="reload")
                yield Button(_("Cancel"), id="cancel")

    def on_mount(self) -> None:
        self.query_one("#reload", Button).display = False
        self.validate()
        self.query_one("#status", Select).focus()

    @on(Input.Changed)
    @on(Select.Changed)
    def validate(self) -> list[str]:
        """Every reason the form cannot be saved yet, shown in place."""
        problems = []
        status = str(self.query_one("#status", Select).value)
        if self.entity == "item":
            text = self.query_one("#percent", Input).value.strip()
            if not text.isdigit() or not 0 <= int(text) <= 100:
                problems.append(_("the percent must be a whole number from 0 to 100"))
            if status == "bloqueada" and not self.query_one("#note", Input).value.strip():
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
        self._save(self._values())

    def _values(self) -> dict[str, Any]:
        values: dict[str, Any] = {
            "status": str(self.query_one("#status", Select).value),
            "on": date.fromisoformat(self.query_one("#date", Input).value.strip()),
            "note": self.query_one("#note", Input).value.strip(),
        }
        if self.entity == "item":
            values["percent"] = int(self.query_one("#percent", Input).value)
        else:
            values["evidence"] = self.query_one("#evidence", Input).value
        return values

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, values: dict[str, Any]) -> None:
        from tracker.store.history import current_author
        from tracker.tracking.actions import set_deliverable, set_item

        app: TrackerApp = self.app  # type: ignore[assignment]
        author = current_author()
        status = values.pop("status")
        try:
            if self.entity == "item":
                outcome = set_item(
                    app.store,
                    self.key,
                    status,
                    author=author,
                    expected_version=self.version,
                    **values,
                )
            else:
                outcome = set_deliverable(
                    app.store,
                    self.key,
                    status,
                    author=author,
                    expected_version=self.version,
                    **values,
                )
        except ConflictError as err:
            self.app.call_from_thread(self._conflict, str(err))
            return
        except TrackerError as err:
            self.app.call_from_thread(self._failed, str(err))
            return
        self.app.call_from_thread(self._saved, outcome.warnings)

    def _saved(self, warnings: list[str]) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        for warning in warnings:
            app.notify(warning, severity="warning", timeout=8)
        app.notify(_("{id} saved").format(id=self.key))
        self.dismiss(True)
        app.reload()

    def _failed(self, message: str) -> None:
        self.query_one("#problem", Static).update(message)
        self.query_one("#save", Button).disabled = False

    def _conflict(self, message: str) -> None:
        self.query_one("#problem", Static).update(message)
        self.query_one("#reload", Button).display = True

    @on(Button.Pressed, "#reload")
    def _reload(self) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        self.dismiss(False)
        app.reload()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
