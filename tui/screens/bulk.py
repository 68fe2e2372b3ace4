"""``e`` on marked rows: one status for all of them, saved as one action (one ``u`` undoes
it whole), never over someone else's change to any of them: each is saved on the version the
user saw; when one changed meanwhile, nothing is written, the dialog names which and by whom
beside what was typed (kept), to apply on top of theirs or discard."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING, Any

from rich.table import Table
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.widgets import Button, Input, Label, Select, Static

from tracker.errors import ConflictError, TrackerError
from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.statuses import ITEM_STATUSES
from tui.screens.merge import MergeDialog, Record, read_records, record
from tui.screens.status import _row

if TYPE_CHECKING:
    from tui.app import TrackerApp


def open_bulk_status(app: TrackerApp, keys: list[str], done: Any) -> None:
    """The dialog for ``keys``, each on the version the app's data shows now."""
    read = {key: record(app, "item", key) for key in keys}
    seen = {key: r for key, r in read.items() if r is not None}
    app.push_screen(BulkStatusScreen(list(seen), seen, app.as_of), done)


class BulkStatusScreen(MergeDialog):
    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="bulk_cancel"),
        Binding("ctrl+s", "save", _("Save"), id="bulk_save"),
    ]

    def __init__(self, keys: list[str], seen: dict[str, Record], on: date) -> None:
        super().__init__()
        self.keys, self.on_date = keys, on
        self.seen = seen  # each item as read when the dialog opened (titles, who)
        self.versions = {key: r.version for key, r in seen.items()}  # what a save stands on
        self.theirs: dict[str, Record] = {}  # the items changed since, as now stored

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
        # While someone else's version is on show, saving means choosing: on top, or not.
        self.query_one("#save", Button).disabled = bool(problems) or self.merging
        return problems

    @on(Button.Pressed, "#save")
    def action_save(self) -> None:
        if self.validate() or self.merging:
            return
        self.query_one("#save", Button).disabled = True
        self.saving = True
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
        from tracker.tracking.actions import set_items

        app: TrackerApp = self.app  # type: ignore[assignment]
        try:
            set_items(
                app.store,
                self.keys,
                status,
                author=current_author(),
                expected_versions=dict(self.versions),
                **values,
            )
        except ConflictError as err:
            changed = err.changed or self.keys
            titles = {key: r.title for key, r in self.seen.items()}
            current = read_records(app, "item", changed, titles)
            app.call_from_thread(self._conflict, str(err), current)
            return
        except TrackerError as err:
            app.call_from_thread(self.failed, str(err))
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

    # -- someone else's change to some of them: shown beside yours, nothing you typed lost --
    def refresh_data(self) -> None:
        """New data arrived: if it holds a newer version of any of the items than the one
        a save would stand on, say so at once, beside what was typed."""
        if self.saving:
            return
        app: TrackerApp = self.app  # type: ignore[assignment]
        changed = {}
        for key, version in self.versions.items():
            current = record(app, "item", key)
            if current is not None and current.version != version:
                changed[key] = current
        if not changed or changed == self.theirs:
            return
        message = " ".join(
            _("{who} changed {id} while you were editing it.").format(
                who=r.updated_by or "?", id=key
            )
            for key, r in changed.items()
        )
        self._conflict(message, changed)

    def _conflict(self, message: str, theirs: dict[str, Record] | None) -> None:
        # Only those that did change (a save refused for some other reason shows as such).
        changed = {k: r for k, r in (theirs or {}).items() if r.version != self.versions.get(k)}
        if not changed:
            self.failed(message)
            return
        self.theirs = changed
        self.show_theirs(message, self._comparison(changed))

    def _comparison(self, theirs: dict[str, Record]) -> Table:
        """Item by item: what its last writer saved (now stored) and what would be saved."""
        status = self.query_one("#status", Select).value
        note = self.query_one("#note", Input).value.strip()
        yours = status_label(status) if isinstance(status, str) else "—"  # none chosen yet
        if note:
            yours += f" · {note}"
        table = Table(box=None, padding=(0, 1), show_edge=False, expand=True)
        table.add_column(_("ID"), style="bold", no_wrap=True)
        table.add_column(_("Who"), no_wrap=True)
        table.add_column(_("Theirs"), ratio=1)
        table.add_column(_("Yours"), ratio=1)
        for key, their in theirs.items():
            text = f"{status_label(their.status)}, {their.percent} %"
            if their.text:
                text += f" · {their.text}"
            table.add_row(key, their.updated_by or "?", Text(text), Text(yours))
        return table

    def take_theirs(self) -> None:
        self.versions.update({key: r.version for key, r in self.theirs.items()})
        self.theirs = {}

    @on(Button.Pressed, "#cancel")
    def action_cancel(self) -> None:
        self.dismiss(False)
