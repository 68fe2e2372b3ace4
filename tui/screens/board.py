"""Tablero: the items grouped by status, one column each (pending, in progress, blocked,
done; deferred and cancelled together), late ones marked. Enter opens, e changes status."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from tracker.i18n import _
from tracker.labels import status_label
from tui.screens.base import TrackerScreen

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


class BoardScreen(TrackerScreen):
    HELP_TITLE = _("Board")
    BINDINGS = [
        Binding("e", "change_status", _("Change status"), id="board_change_status"),
        Binding("left,h", "column(-1)", _("Previous column"), show=False, id="board_left"),
        Binding("right,l", "column(1)", _("Next column"), show=False, id="board_right"),
    ]
    DEFAULT_CSS = """
    BoardScreen #board { height: 1fr; }
    BoardScreen .board-column { width: 1fr; height: 1fr; }
    BoardScreen .board-title { height: 1; text-style: bold; background: $boost; padding: 0 1; }
    BoardScreen .board-column > OptionList { height: 1fr; text-wrap: nowrap;
                                             text-overflow: ellipsis; }
    """

    def body(self) -> ComposeResult:
        with Horizontal(id="board"):
            for index, _statuses in enumerate(COLUMNS):
                with Vertical(classes="board-column"):
                    yield Static(id=f"board-title-{index}", classes="board-title", markup=False)
                    yield OptionList(id=f"board-{index}", compact=True)

    def on_mount(self) -> None:
        self.query_one("#board-0", OptionList).focus()

    def show(self, snapshot: Snapshot) -> None:
        for index, statuses in enumerate(COLUMNS):
            items = [i for i in snapshot.forecast.items if i.status in statuses]
            title = " / ".join(status_label(s) for s in statuses)
            self.query_one(f"#board-title-{index}", Static).update(f"{title} ({len(items)})")
            column = self.query_one(f"#board-{index}", OptionList)
            highlighted = column.highlighted
            column.clear_options()
            options = []
            for item in items:
                prompt = Text(mark(item), style="bold red" if item.late else "bold yellow")
                prompt.append(f"{item.key} ", style="bold")
                prompt.append(item.title)
                options.append(Option(prompt, id=item.key))
            column.add_options(options)
            if options:
                column.highlighted = min(highlighted or 0, len(options) - 1)

    def _current(self) -> str | None:
        focused = self.focused
        if isinstance(focused, OptionList) and focused.highlighted is not None:
            return str(focused.get_option_at_index(focused.highlighted).id)
        return None

    def action_column(self, step: int) -> None:
        focused = self.focused
        index = int(str(focused.id).rsplit("-", 1)[1]) if isinstance(focused, OptionList) else 0
        self.query_one(f"#board-{(index + step) % len(COLUMNS)}", OptionList).focus()

    def action_change_status(self) -> None:
        key = self._current()
        if key is not None:
            from tui.screens.status import open_item_status

            open_item_status(self.tracker, key)

    @on(OptionList.OptionSelected)
    def _open(self, event: OptionList.OptionSelected) -> None:
        from tui.screens.detail import DetailScreen

        self.app.push_screen(DetailScreen(str(event.option.id)))


SCREEN = BoardScreen
