"""Tablero: the items grouped by status, one column each (pending, in progress, blocked,
done; deferred and cancelled together), late ones marked. Enter opens, e changes status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal

from tracker.i18n import _
from tracker.labels import status_label
from tui.screens.base import TrackerScreen
from tui.screens.comms import FixedTable
from tui.widgets.itemtable import Column, ItemTable, Row

if TYPE_CHECKING:
    from tracker.state.forecast import ItemForecast
    from tui.data import Snapshot

# The board's columns: the statuses each holds (the closed-without-finishing ones share one).
COLUMNS = (
    ("pendiente",),
    ("en_curso",),
    ("bloqueada",),
    ("completada",),
    ("diferida", "cancelada"),
)


def mark(item: ItemForecast) -> str:
    return "!" if item.late else "~" if item.at_risk else " "


def board_rows(snapshot: Snapshot) -> list[list[Row]]:
    """The items of each column, as lines (a view: built once per snapshot). Drawn only
    where they are on screen, so a column of 10,000 costs what one of 10 does."""
    columns: list[list[Row]] = [[] for _statuses in COLUMNS]
    where = {status: index for index, statuses in enumerate(COLUMNS) for status in statuses}
    for item in snapshot.forecast.items:
        style = "late" if item.late else "risk" if item.at_risk else ""
        line = (f"{mark(item)}{item.key} {item.title}",)
        columns[where[item.status]].append(Row(item.key, line, style))
    return columns


def title(index: int, count: int) -> str:
    return f"{' / '.join(status_label(s) for s in COLUMNS[index])} ({count})"


class BoardScreen(TrackerScreen):
    HELP_TITLE = _("Board")
    BINDINGS = [
        Binding("e", "change_status", _("Change status"), id="board_change_status"),
        # Before the tables' own left and right (a horizontal scroll they have no use for).
        Binding(
            "left,h", "column(-1)", _("Previous column"), show=False, id="board_left", priority=True
        ),
        Binding(
            "right,l", "column(1)", _("Next column"), show=False, id="board_right", priority=True
        ),
    ]
    DEFAULT_CSS = """
    BoardScreen #board { height: 1fr; }
    BoardScreen #board > FixedTable { width: 1fr; height: 1fr; scrollbar-size-vertical: 1; }
    """

    def body(self) -> ComposeResult:
        # One table a column, its header the column's title.
        with Horizontal(id="board"):
            for index, _statuses in enumerate(COLUMNS):
                yield FixedTable([Column("item", title(index, 0), 0)], id=f"board-{index}")

    def on_mount(self) -> None:
        self.query_one("#board-0", FixedTable).focus()

    def show(self, snapshot: Snapshot) -> None:
        for index, rows in enumerate(snapshot.view(board_rows)):
            column = self.query_one(f"#board-{index}", FixedTable)
            column.columns[0] = Column("item", title(index, len(rows)), 0)
            column.set_rows(rows)  # a FixedTable keeps their order: the list is not sorted

    def _current(self) -> str | None:
        focused = self.focused
        return focused.cursor_key if isinstance(focused, ItemTable) else None

    def action_column(self, step: int) -> None:
        focused = self.focused
        index = int(str(focused.id).rsplit("-", 1)[1]) if isinstance(focused, ItemTable) else 0
        # At once, not once the key has been handled (as focus() does): a second key read
        # with the first (a quick → →, a held key) then starts from the column this one chose.
        self.set_focus(self.query_one(f"#board-{(index + step) % len(COLUMNS)}", FixedTable))

    def action_change_status(self) -> None:
        key = self._current()
        if key is not None:
            from tui.screens.status import open_item_status

            open_item_status(self.tracker, key)

    @on(ItemTable.Selected)
    def _open(self, event: ItemTable.Selected) -> None:
        from tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(event.key))


SCREEN = BoardScreen
