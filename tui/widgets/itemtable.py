"""A table that renders only the lines on screen, so 100,000 rows cost what 40 do.

Textual's DataTable builds every row up front (about a second per 10,000 rows here); this
widget keeps the rows as plain tuples and draws the visible ones on demand through the
line API. Cell text is shown literally: no markup, control characters made visible.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len
from rich.segment import Segment
from textual import events
from textual.binding import Binding
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip

from tracker.textsafe import visible


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    label: str
    width: int  # 0: takes the remaining width
    align_right: bool = False


@dataclass(slots=True)
class Row:
    key: str
    cells: tuple[str, ...]
    style: str = ""  # a component class name for the row: "late", "risk", "done", "critical"
    sort_values: tuple[object, ...] = ()


def _fit(text: str, width: int, right: bool = False) -> str:
    text = visible(" ".join(text.split()))
    if cell_len(text) > width:
        out = ""
        for ch in text:
            if cell_len(out + ch) > width - 1:
                break
            out += ch
        text = out + "…"
    pad = " " * max(0, width - cell_len(text))
    return pad + text if right else text + pad


class ItemTable(ScrollView, can_focus=True):
    """Rows of items; Enter selects, the cursor follows the keyboard and the mouse."""

    COMPONENT_CLASSES = {
        "itemtable--header",
        "itemtable--cursor",
        "itemtable--late",
        "itemtable--risk",
        "itemtable--done",
        "itemtable--critical",
        "itemtable--muted",
    }
    DEFAULT_CSS = """
    ItemTable { height: 1fr; }
    ItemTable > .itemtable--header { text-style: bold; background: $panel; }
    ItemTable > .itemtable--cursor { background: $accent 40%; }
    ItemTable:focus > .itemtable--cursor { background: $accent; color: $text; }
    ItemTable > .itemtable--late { color: $error; }
    ItemTable > .itemtable--risk { color: $warning; }
    ItemTable > .itemtable--done { color: $success; }
    ItemTable > .itemtable--critical { text-style: bold; }
    ItemTable > .itemtable--muted { color: $text-muted; }
    """
    BINDINGS = [
        Binding("up,k", "cursor(-1)", show=False),
        Binding("down,j", "cursor(1)", show=False),
        Binding("pageup", "page(-1)", show=False),
        Binding("pagedown", "page(1)", show=False),
        Binding("home", "jump(0)", show=False),
        Binding("end", "jump(-1)", show=False),
        Binding("enter", "select", show=False),
    ]

    class Selected(Message):
        """Enter (or a double click) on a row."""

        def __init__(self, table: ItemTable, key: str) -> None:
            super().__init__()
            self.table = table
            self.key = key

    class Highlighted(Message):
        def __init__(self, table: ItemTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

    def __init__(self, columns: Sequence[Column], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.columns = list(columns)
        self.rows: list[Row] = []
        self.cursor = 0
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.sort_key: Callable[[Row], object] | None = None

    # -- data --------------------------------------------------------------------------
    def set_rows(self, rows: list[Row]) -> None:
        """Replace the rows, keeping the cursor on the same key where it still exists."""
        current = self.cursor_key
        self.rows = rows
        self._apply_sort()
        keys = [r.key for r in self.rows]
        self.cursor = (
            keys.index(current) if current in keys else min(self.cursor, max(len(rows) - 1, 0))
        )
        self.virtual_size = Size(self.size.width, len(self.rows) + 1)
        self.refresh()
        self.post_message(self.Highlighted(self, self.cursor_key))

    @property
    def cursor_key(self) -> str | None:
        return self.rows[self.cursor].key if 0 <= self.cursor < len(self.rows) else None

    def move_to(self, key: str) -> bool:
        for index, row in enumerate(self.rows):
            if row.key == key:
                self._set_cursor(index)
                return True
        return False

    def sort_by(self, column: int) -> None:
        """Sort by ``column``; the same column again reverses the order."""
        if self.sort_column == column:
            self.sort_reverse = not self.sort_reverse
        else:
            self.sort_column, self.sort_reverse = column, False
        current = self.cursor_key
        self._apply_sort()
        if current:
            self.move_to(current)
        self.refresh()

    def _apply_sort(self) -> None:
        if self.sort_column is None:
            return
        col = self.sort_column
        self.rows.sort(
            key=lambda r: (r.sort_values[col] if r.sort_values else r.cells[col], r.key),
            reverse=self.sort_reverse,
        )

    # -- layout ------------------------------------------------------------------------
    def _widths(self) -> list[int]:
        total = max(self.scrollable_content_region.width, 20)
        fixed = sum(c.width for c in self.columns if c.width) + len(self.columns) - 1
        flexible = max(8, total - fixed)
        return [c.width or flexible for c in self.columns]

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)

    def render_line(self, y: int) -> Strip:
        widths = self._widths()
        if y == 0:
            style = self.get_component_rich_style("itemtable--header")
            labels = []
            for i, (column, width) in enumerate(zip(self.columns, widths, strict=True)):
                label = column.label
                if self.sort_column == i:
                    label += " ▼" if self.sort_reverse else " ▲"
                labels.append(_fit(label, width, column.align_right))
            return Strip([Segment(" ".join(labels), style)]).adjust_cell_length(
                self.size.width, style
            )
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            return Strip.blank(self.size.width, self.rich_style)
        row = self.rows[index]
        style = self.rich_style
        if row.style:
            for name in row.style.split():
                style += self.get_component_rich_style(f"itemtable--{name}")
        if index == self.cursor:
            style += self.get_component_rich_style("itemtable--cursor")
        text = " ".join(
            _fit(cell, width, col.align_right)
            for cell, width, col in zip(row.cells, widths, self.columns, strict=True)
        )
        return Strip([Segment(text, style)]).adjust_cell_length(
            self.scrollable_content_region.width, style
        )

    # -- cursor ------------------------------------------------------------------------
    def _set_cursor(self, index: int) -> None:
        if not self.rows:
            return
        index = max(0, min(index, len(self.rows) - 1))
        if index == self.cursor:
            self._scroll_to_cursor()
            return
        old = self.cursor
        self.cursor = index
        self._refresh_row(old)
        self._refresh_row(index)
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.cursor_key))

    def _refresh_row(self, index: int) -> None:
        y = index - self.scroll_offset.y + 1
        if 1 <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_to_cursor(self) -> None:
        top = self.scroll_offset.y
        visible_rows = max(self.size.height - 1, 1)
        if self.cursor < top:
            self.scroll_to(y=self.cursor, animate=False)
        elif self.cursor >= top + visible_rows:
            self.scroll_to(y=self.cursor - visible_rows + 1, animate=False)

    def action_cursor(self, delta: int) -> None:
        self._set_cursor(self.cursor + delta)

    def action_page(self, direction: int) -> None:
        self._set_cursor(self.cursor + direction * max(self.size.height - 2, 1))

    def action_jump(self, where: int) -> None:
        self._set_cursor(0 if where == 0 else len(self.rows) - 1)

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 0
            for i, width in enumerate(self._widths()):
                if x <= event.x < x + width + 1:
                    self.sort_by(i)
                    return
                x += width + 1
            return
        index = self.scroll_offset.y + event.y - 1
        if 0 <= index < len(self.rows):
            self._set_cursor(index)
            if event.chain >= 2:
                self.action_select()

    def watch_scroll_y(self, old: float, new: float) -> None:
        super().watch_scroll_y(old, new)
        self.refresh()
