"""What the status dialogs share: they save over records someone else may change while they
are open. When someone does (seen as the app's data arrives, or when a save is refused),
their version is shown beside what was typed, which is kept; the user applies theirs on top
of it (the form now stands on their version and is checked and saved again) or discards."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from rich.console import RenderableType
from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from tracker.errors import TrackerError
from tracker.i18n import _

if TYPE_CHECKING:
    from tui.app import TrackerApp


@dataclass(frozen=True, slots=True)
class Record:
    """What a dialog edits, as read: the text is the reason (items) or the evidence."""

    title: str
    status: str
    percent: int | None
    text: str
    version: int
    updated_by: str


def record(app: TrackerApp, entity: str, key: str) -> Record | None:
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
    return Record(d.title, d.status, None, d.evidence, d.version, d.updated_by)


def read_records(
    app: TrackerApp, entity: str, keys: list[str], titles: dict[str, str]
) -> dict[str, Record] | None:
    """The records as stored now, read in one transaction (in a worker, after a refused
    save); None when they cannot be read."""
    from tracker.store.planstore import find_plan
    from tracker.tracking.status import get_deliverable, get_item

    def read(session: Any) -> dict[str, Record]:
        plan = find_plan(session, app.plan_id)
        found = {}
        for key in keys:
            title = titles.get(key, "")
            if entity == "item":
                item = get_item(session, plan, key)
                found[key] = Record(
                    title, item.status, item.percent, item.reason, item.version,
                    item.updated_by or "",
                )  # fmt: skip
            else:
                d = get_deliverable(session, plan, key)
                found[key] = Record(
                    title, d.status, None, d.evidence, d.version, d.updated_by or ""
                )
        return found

    try:
        return app.write(read)
    except TrackerError:
        return None


class MergeDialog(ModalScreen[bool]):
    """A status form that never saves over someone else's change unseen (see the module).

    Subclasses compose ``merge_section()`` between their fields and their buttons (``#save``)
    and provide ``validate``, ``action_save`` and ``take_theirs``."""

    def __init__(self) -> None:
        super().__init__()
        self.saving = False
        self.merging = False  # someone else's version is on show: saving means choosing

    def merge_section(self) -> ComposeResult:
        yield Static(id="conflict", markup=False)
        yield Static(id="merge", markup=False)
        with Horizontal(id="merge-buttons"):
            yield Button(
                _("Apply mine on top of theirs"), variant="warning", id="apply", compact=True
            )
            yield Button(_("Discard mine"), id="discard", compact=True)

    def on_mount(self) -> None:
        self._show_merge(False)

    def _show_merge(self, shown: bool) -> None:
        self.query_one("#conflict", Static).display = shown
        self.query_one("#merge", Static).display = shown
        self.query_one("#merge-buttons", Horizontal).display = shown

    def show_theirs(self, message: str, comparison: RenderableType) -> None:
        """Someone else's version, beside what was typed (kept)."""
        self.saving = False
        self.merging = True
        self.query_one("#conflict", Static).update(
            message + "\n" + _("Nothing you typed is lost: apply it on top of theirs, or discard.")
        )
        self.query_one("#merge", Static).update(comparison)
        self._show_merge(True)
        self.query_one("#save", Button).disabled = True
        self.query_one("#apply", Button).focus()

    def failed(self, message: str) -> None:
        self.saving = False
        self.query_one("#problem", Static).update(message)
        self.query_one("#save", Button).disabled = False

    @on(Button.Pressed, "#apply")
    def apply_mine(self) -> None:
        """Yours on top of theirs: the form now stands on their version, and is checked
        and saved again (the domain validates it as any other save)."""
        if not self.merging:
            return
        self.take_theirs()
        self.merging = False
        self._show_merge(False)
        self.query_one("#merge", Static).update("")
        if not self.validate():
            self.action_save()

    @on(Button.Pressed, "#discard")
    def _discard(self) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        self.dismiss(False)
        app.reload()

    def take_theirs(self) -> None:
        """Stand on the versions of someone else's change now shown."""
        raise NotImplementedError

    def validate(self) -> list[str]:
        raise NotImplementedError

    def action_save(self) -> None:
        raise NotImplementedError
