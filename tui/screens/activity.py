"""Actividad: the team's recent changes — who, what, when — newest first, following the
database as it changes (here or anywhere). Enter opens the item changed."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding

from tracker.i18n import _
from tui.screens.base import TrackerScreen
from tui.widgets.itemtable import Column, ItemTable, Row

if TYPE_CHECKING:
    from tui.data import Snapshot

LIMIT = 200


def columns() -> list[Column]:
    return [
        Column("when", _("When"), 11),
        Column("who", _("Who"), 12),
        Column("what", _("Record"), 10),
        Column("change", _("Change"), 0),
        Column("note", _("Note"), 20, drop=1),
    ]


def change_row(change: dict[str, Any]) -> Row:
    from tracker.tracking.describe import describe_change

    at: datetime = change["at"]
    what = describe_change(change["entity"], change["action"], change["before"], change["after"])
    if change["action"] == "undo":
        what = _("undo: ") + what
    if change["undone"]:
        what += " " + _("(undone)")
    key = change["key"] if change["entity"] != "comms" else f"✉ {change['key']}"
    return Row(
        str(change["id"]),
        (f"{at:%d/%m %H:%M}", change["author"], key, what, change["note"]),
        "muted" if change["undone"] else "",
    )


class ActivityScreen(TrackerScreen):
    HELP_TITLE = _("Activity")
    AUTO_FOCUS = "ItemTable"
    BINDINGS = [Binding("enter", "open", _("Open"), show=False, id="activity_open")]

    def __init__(self) -> None:
        super().__init__()
        self._changes: dict[str, dict[str, Any]] = {}
        self._read_at: int | None = None

    def body(self) -> ComposeResult:
        yield ItemTable(columns(), id="activity", min_flexible=36)

    def show(self, snapshot: Snapshot) -> None:
        if self.tracker.last_change == self._read_at:
            return
        self._read_at = self.tracker.last_change
        app = self.tracker

        def load() -> None:
            changes = [c.as_dict() for c in app.store.history(limit=LIMIT)]
            app.call_from_thread(self._fill, changes)

        self.run_worker(load, thread=True, exclusive=True, group="activity", exit_on_error=False)

    def _fill(self, changes: list[dict[str, Any]]) -> None:
        self._changes = {str(c["id"]): c for c in changes}
        self.query_one(ItemTable).set_rows([change_row(c) for c in changes])

    @on(ItemTable.Selected)
    def _open(self, event: ItemTable.Selected) -> None:
        snap = self.tracker.snapshot
        change = self._changes.get(event.key)
        if snap is None or change is None:
            return
        key = change["key"]
        if key in snap.plan.deliverables:
            key = snap.plan.deliverables[key].producer
        if key in snap.items:
            from tui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(key))


SCREEN = ActivityScreen
