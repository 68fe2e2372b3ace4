"""Change the status of an item or a deliverable: explained in place, saved only when valid,
never over someone else's change."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from tracker.errors import ConflictError, TrackerError
from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.statuses import DELIVERABLE_STATUSES, ITEM_STATUSES
from tui.screens.merge import MergeDialog, Record, read_records, record

if TYPE_CHECKING:
    from tui.app import TrackerApp


def open_item_status(app: TrackerApp, key: str) -> None:
    read = record(app, "item", key)
    if read is not None:
        app.push_screen(StatusScreen("item", key, read, app.as_of))


def open_deliverable_status(app: TrackerApp, key: str) -> None:
    read = record(app, "deliverable", key)
    if read is not None:
        app.push_screen(StatusScreen("deliverable", key, read, app.as_of))


def _row(label: str, field: Widget) -> ComposeResult:
    with Horizontal(classes="form-row"):
        yield Label(label)
        yield field


class StatusScreen(MergeDialog):
    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="cancel"),
        Binding("ctrl+s", "save", _("Save"), id="save"),
    ]

    def __init__(self, entity: str, key: str, record: Record, on: date) -> None:
        super().__init__()
        self.entity, self.key, self.item_title = entity, key, record.title
        self.status, self.percent, self.version = record.status, record.percent, record.version
        self.on_date = on
        self.evidence = record.text if entity == "deliverable" else ""
        self.read = record  # the record as it was when the form was filled from it
        self.theirs: Record | None = None  # someone else's newer version, once known

    def compose(self) -> ComposeResult:
        statuses = ITEM_STATUSES if self.entity == "item" else DELIVERABLE_STATUSES
        # Compact fields, one line each beside their label, in a dialog that scrolls: the
        # whole form fits at 80×24, and Tab brings any field into view when it does not.
        with VerticalScroll(id="dialog", classes="form"):
            yield Label(_("Change status of {id}").format(id=self.key), id="dialog-title")
            yield Static(self.item_title, id="dialog-subtitle", markup=False)
            yield from _row(
                _("Status"),
                Select[str](
                    [(status_label(s), s) for s in statuses],
                    value=self.status,
                    allow_blank=False,
                    id="status",
                    compact=True,
                ),
            )
            if self.entity == "item":
                yield from _row(
                    _("Percent (0–100)"),
                    Input(str(self.percent or 0), id="percent", restrict=r"[0-9]*", compact=True),
                )
            else:
                yield from _row(
                    _("Evidence (link or file)"), Input(self.evidence, id="evidence", compact=True)
                )
            yield from _row(
                _("Date (YYYY-MM-DD)"), Input(self.on_date.isoformat(), id="date", compact=True)
            )
            note = _("Note (required when blocked)") if self.entity == "item" else _("Note")
            yield from _row(note, Input(id="note", compact=True))
            yield Static(id="problem", markup=False)
            yield from self.merge_section()
            with Horizontal(id="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="save", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
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
        # While someone else's version is on show, saving means choosing: on top, or not.
        self.query_one("#save", Button).disabled = bool(problems) or self.merging
        return problems

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.validate() or self.merging:
            return
        self.query_one("#save", Button).disabled = True
        self.saving = True
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
        from tracker.store.author import current_author
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
            current = read_records(app, self.entity, [self.key], {self.key: self.item_title})
            self.app.call_from_thread(self._conflict, str(err), (current or {}).get(self.key))
            return
        except TrackerError as err:
            self.app.call_from_thread(self.failed, str(err))
            return
        self.app.call_from_thread(self._saved, outcome.warnings)

    def _saved(self, warnings: list[str]) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        for warning in warnings:
            app.notify(warning, severity="warning", timeout=8)
        app.notify(_("{id} saved").format(id=self.key))
        self.dismiss(True)
        app.reload()

    # -- someone else's change: shown beside yours, nothing you typed lost ------------------
    def refresh_data(self) -> None:
        """New data arrived: if it holds a newer version of this record than the one the
        form was filled from, say so at once, beside what was typed."""
        if self.saving:
            return
        app: TrackerApp = self.app  # type: ignore[assignment]
        current = record(app, self.entity, self.key)
        if current is None or current.version == self.version:
            return
        if self.theirs is None or self.theirs.version != current.version:
            self._conflict(
                _("{who} changed {id} while you were editing it.").format(
                    who=current.updated_by or "?", id=self.key
                ),
                current,
            )

    def _conflict(self, message: str, theirs: Record | None) -> None:
        if theirs is None:
            self.failed(message)
            return
        self.theirs = theirs
        self.show_theirs(message, self._comparison(theirs))

    def _comparison(self, theirs: Record) -> Table:
        """Field by field: theirs (now stored) and yours (typed), differences in bold."""
        mine = {
            "status": str(self.query_one("#status", Select).value),
            "note": self.query_one("#note", Input).value.strip(),
            "percent": self.query_one("#percent", Input).value if self.entity == "item" else "",
            "evidence": self.query_one("#evidence", Input).value if self.entity != "item" else "",
        }
        table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
        table.add_column(_("Field"), style="dim", no_wrap=True)
        table.add_column(_("Theirs ({who})").format(who=theirs.updated_by or "?"), ratio=1)
        table.add_column(_("Yours"), ratio=1)
        rows = [(_("Status"), status_label(theirs.status), status_label(mine["status"]))]
        if self.entity == "item":
            rows.append(("%", f"{theirs.percent}", f"{mine['percent']}"))
            rows.append((_("Note"), theirs.text, mine["note"]))
        else:
            rows.append((_("Evidence"), theirs.text, mine["evidence"]))
            rows.append((_("Note"), "", mine["note"]))
        for label, their, your in rows:
            style = "bold" if their != your else ""
            table.add_row(label, Text(their, style=style), Text(your, style=style))
        return table

    def take_theirs(self) -> None:
        if self.theirs is not None:
            self.version, self.theirs = self.theirs.version, None

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
