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


def recent_changes(
    db_url: str, plan_key: str | None, keys: list[str] | None = None
) -> list[dict[str, Any]]:
    """The plan's last LIMIT recorded changes (of the records ``keys`` only, if given),
    newest first (plain SQL, off the UI thread)."""
    from tracker.store.planread import find_plan_header
    from tracker.store.reader import Reader, as_datetime, as_json, read

    def work(reader: Reader) -> list[dict[str, Any]]:
        header = find_plan_header(reader, plan_key)
        params: dict[str, Any] = {"plan": header.id, "limit": LIMIT}
        only = ""
        if keys is not None:
            params |= {f"k{i}": key for i, key in enumerate(keys)}
            only = " AND entity_key IN (" + ", ".join(f":k{i}" for i in range(len(keys))) + ")"
        rows = reader.rows(
            "SELECT id, at, author, entity, entity_key, action, before, after, note, undone "
            f"FROM changes WHERE plan_id = :plan{only} ORDER BY id DESC LIMIT :limit",
            params,
        )
        return [
            {
                "id": r[0],
                "at": as_datetime(r[1]),
                "author": r[2],
                "entity": r[3],
                "key": r[4],
                "action": r[5],
                "before": as_json(r[6]) or {},
                "after": as_json(r[7]) or {},
                "note": r[8] or "",
                "undone": bool(r[9]),
            }
            for r in rows
        ]

    return read(db_url, work)


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
        if snapshot.last_change == self._read_at:
            return
        self._read_at = snapshot.last_change
        app = self.tracker

        def load() -> None:
            changes = recent_changes(app.db_url, app.plan_id)
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
