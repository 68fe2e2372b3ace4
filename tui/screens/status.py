"""Change the status of an item or a deliverable: explained in place, saved only when valid,
never over someone else's change."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, Static

from tracker.errors import ConflictError, TrackerError
from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.statuses import DELIVERABLE_STATUSES, ITEM_STATUSES

if TYPE_CHECKING:
    from tui.app import TrackerApp


def _record(app: TrackerApp, entity: str, key: str) -> Record | None:
    """The record as the app's data has it now (None when it is gone)."""
    snap = app.snapshot
    if snap is None:
        return None
    if entity == "item":
        item = snap.items.get(key)
        if item is None:
            return None
        return Record(
            item.title, item.status, item.percent, item.reason, item.version, item.updated_by
        )
    d = snap.deliverables.get(key)
    if d is None:
        return None
    return Record(d.title, d.status, None, d.evidence, d.version, getattr(d, "updated_by", ""))


def open_item_status(app: TrackerApp, key: str) -> None:
    record = _record(app, "item", key)
    if record is not None:
        app.push_screen(StatusScreen("item", key, record, app.as_of))


def open_deliverable_status(app: TrackerApp, key: str) -> None:
    record = _record(app, "deliverable", key)
    if record is not None:
        app.push_screen(StatusScreen("deliverable", key, record, app.as_of))


@dataclass(frozen=True, slots=True)
class Record:
    """What the dialog edits, as read: the text is the reason (items) or the evidence."""

    title: str
    status: str
    percent: int | None
    text: str
    version: int
    updated_by: str


def _row(label: str, field: Widget) -> ComposeResult:
    with Horizontal(classes="form-row"):
        yield Label(label)
        yield field


class StatusScreen(ModalScreen[bool]):
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
        self.saving = False

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
            yield Static(id="conflict", markup=False)
            yield Static(id="merge", markup=False)
            with Horizontal(id="merge-buttons"):
                yield Button(
                    _("Apply mine on top of theirs"), variant="warning", id="apply", compact=True
                )
                yield Button(_("Discard mine"), id="discard", compact=True)
            with Horizontal(id="dialog-buttons"):
                yield Button(_("Save"), variant="primary", id="save", compact=True)
                yield Button(_("Cancel"), id="cancel", compact=True)

    def on_mount(self) -> None:
        self._show_merge(False)
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
        self.query_one("#save", Button).disabled = bool(problems) or self.theirs is not None
        return problems

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.validate() or self.theirs is not None:
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
            current = self._read_current()
            self.app.call_from_thread(self._conflict, str(err), current)
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
        self.saving = False
        self.query_one("#problem", Static).update(message)
        self.query_one("#save", Button).disabled = False

    # -- someone else's change: shown beside yours, nothing you typed lost ------------------
    def _read_current(self) -> Record | None:
        """The record as stored now (in the saving worker, after a refused save)."""
        from tracker.store.planstore import find_plan
        from tracker.tracking.status import get_deliverable, get_item

        app: TrackerApp = self.app  # type: ignore[assignment]
        get = get_item if self.entity == "item" else get_deliverable

        def read(session: Any) -> Record:
            row = get(session, find_plan(session, app.plan_id), self.key)
            text = row.reason if self.entity == "item" else row.evidence
            percent = row.percent if self.entity == "item" else None
            return Record(
                self.item_title, row.status, percent, text, row.version, row.updated_by or ""
            )

        try:
            return app.write(read)
        except TrackerError:
            return None

    def refresh_data(self) -> None:
        """New data arrived: if it holds a newer version of this record than the one the
        form was filled from, say so at once, beside what was typed."""
        if self.saving:
            return
        app: TrackerApp = self.app  # type: ignore[assignment]
        current = _record(app, self.entity, self.key)
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
        self.saving = False
        if theirs is None:
            self._failed(message)
            return
        self.theirs = theirs
        self.query_one("#conflict", Static).update(
            message + "\n" + _("Nothing you typed is lost: apply it on top of theirs, or discard.")
        )
        self.query_one("#merge", Static).update(self._comparison(theirs))
        self._show_merge(True)
        self.query_one("#save", Button).disabled = True
        self.query_one("#apply", Button).focus()

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

    def _show_merge(self, shown: bool) -> None:
        self.query_one("#conflict", Static).display = shown
        self.query_one("#merge", Static).display = shown
        self.query_one("#merge-buttons", Horizontal).display = shown

    @on(Button.Pressed, "#apply")
    def apply_mine(self) -> None:
        """Yours on top of theirs: the form now stands on their version, and is checked
        and saved again (the domain validates it as any other save)."""
        if self.theirs is None:
            return
        self.version, self.theirs = self.theirs.version, None
        self._show_merge(False)
        self.query_one("#merge", Static).update("")
        if not self.validate():
            self.action_save()

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        self.dismiss(False)
        app.reload()

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
