"""A table that renders only the lines on screen, so 100,000 rows cost what 40 do.

Textual's DataTable builds every row up front (about a second per 10,000 rows here); this
widget keeps the rows as plain tuples and draws the visible ones on demand through the
line API. Cell text is shown literally: no markup, control characters made visible.

A search shows the rows whose text holds some words (``search``) without sorting or
rebuilding anything: the rows found keep the table's order, and the cursor finds its row
again by identity.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from rich.cells import cell_len, set_cell_size
from rich.segment import Segment
from rich.style import Style
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
    # When the table is too narrow for the title to keep MIN_FLEXIBLE cells, columns are
    # hidden, the highest ``drop`` first; 0 never hides.
    drop: int = 0


MIN_FLEXIBLE = 20  # cells the flexible (title) column keeps before others are hidden


@dataclass(eq=False, slots=True)
class Row:
    """One line. Rows compare by identity, so finding one in a long list is a C loop."""

    key: str
    cells: tuple[str, ...]
    style: str = ""  # a component class name for the row: "late", "risk", "done", "critical"
    sort_values: tuple[object, ...] = ()
    search: str = ""  # casefolded text a search looks in, built once with the row


def _fit(text: str, width: int, right: bool = False) -> str:
    text = visible(" ".join(text.split()))
    if text.isascii():  # printable ASCII once visible(): one cell a character
        if len(text) > width:
            text = text[: max(width - 1, 0)] + "…"
        size = len(text)
    else:
        size = cell_len(text)
        if size > width:
            text = set_cell_size(text, max(width - 1, 0)) + "…"
            size = cell_len(text)
    pad = " " * max(0, width - size)
    return pad + text if right else text + pad


def column_widths(
    columns: Sequence[Column], total: int, min_flexible: int = MIN_FLEXIBLE
) -> list[int]:
    """The width of each column in ``total`` cells: fixed ones as given, the flexible one the
    rest; while that rest is under MIN_FLEXIBLE, the column with the highest ``drop`` is
    hidden (width 0) and its cells go to the flexible one."""
    shown = list(columns)
    while True:
        fixed = sum(c.width for c in shown if c.width) + len(shown) - 1
        flexible = total - fixed
        droppable = [c for c in shown if c.drop]
        if flexible >= min_flexible or not droppable:
            break
        shown.remove(max(droppable, key=lambda c: c.drop))
    flexible = max(8, flexible)
    return [(c.width or flexible) if c in shown else 0 for c in columns]


@dataclass(slots=True)
class _Look:
    """What every line of one frame shares: column widths and styles, worked out once."""

    widths: list[int]
    width: int
    base: Style
    styles: dict[tuple[str, bool], Style]


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
        "itemtable--marked",
    }
    DEFAULT_CSS = """
    ItemTable { height: 1fr; overflow-x: hidden; }
    ItemTable > .itemtable--header { text-style: bold; background: $panel; }
    ItemTable > .itemtable--cursor { background: $accent 40%; }
    ItemTable:focus > .itemtable--cursor { background: $accent; color: $text; }
    ItemTable > .itemtable--late { color: $error; }
    ItemTable > .itemtable--risk { color: $warning; }
    ItemTable > .itemtable--done { color: $success; }
    ItemTable > .itemtable--critical { text-style: bold; }
    ItemTable > .itemtable--muted { color: $text-muted; }
    ItemTable > .itemtable--marked { background: $secondary 50%; text-style: bold; }
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

    class MarksChanged(Message):
        """A row was marked or unmarked."""

        def __init__(self, table: ItemTable) -> None:
            super().__init__()
            self.table = table

    class Highlighted(Message):
        def __init__(self, table: ItemTable, key: str | None) -> None:
            super().__init__()
            self.table = table
            self.key = key

    def __init__(
        self, columns: Sequence[Column], *, id: str | None = None, min_flexible: int = MIN_FLEXIBLE
    ) -> None:
        super().__init__(id=id)
        self.min_flexible = min_flexible
        self.columns = list(columns)
        self.all_rows: list[Row] = []  # every row, in the table's order
        # The rows shown: all of them, or those a search found, in the same order. Always a
        # list of its own, which a search refills in place (see search()).
        self.rows: list[Row] = []
        self.cursor = 0
        self.sort_column: int | None = None
        self.sort_reverse = False
        self.sort_key: Callable[[Row], object] | None = None
        self._look: _Look | None = None
        self.marked: set[str] = set()  # keys of the rows marked with space

    # -- data --------------------------------------------------------------------------
    def set_rows(self, rows: list[Row]) -> None:
        """Replace the rows (all shown), keeping the cursor on the same key where it still
        exists."""
        current = self.cursor_key
        self.all_rows = rows
        self._apply_sort(rows)
        self.rows = list(rows)
        keys = [r.key for r in rows]
        self.cursor = (
            keys.index(current) if current in keys else min(self.cursor, max(len(rows) - 1, 0))
        )
        self._rows_changed()
        self.post_message(self.Highlighted(self, self.cursor_key))

    def search(self, words: Sequence[str], within: list[Row] | None = None) -> None:
        """Show the rows of ``within`` whose ``search`` text holds every one of ``words``
        (casefolded, as that text is). ``within`` is the rows shown by default, else
        ``all_rows`` or a subset of it in the same order. Nothing is sorted or rebuilt.

        The cursor stays on its row if it is still shown, otherwise at the same height.
        The rows shown stay one long-lived list, refilled in place: the garbage collector's
        young passes walk a new list element by element until it is old, 4 ms a pass for
        100,000 rows, on the key presses that follow."""
        shown = self.rows
        current = shown[self.cursor] if 0 <= self.cursor < len(shown) else None
        source = shown if within is None else within
        if not words and source is not shown:
            shown[:] = source
        for word in words:
            shown[:] = [row for row in source if word in row.search]
            source = shown
        if current is not None and current in shown:  # by identity: a C loop even at 100,000
            self.cursor = shown.index(current)
        else:
            self.cursor = min(self.cursor, max(len(shown) - 1, 0))
        self._rows_changed()
        if self.cursor_key != (current.key if current is not None else None):
            self.post_message(self.Highlighted(self, self.cursor_key))

    def _rows_changed(self) -> None:
        height = len(self.rows) + 1
        if self.virtual_size.height != height:  # a new virtual size means a new layout
            self.virtual_size = Size(self.size.width, height)
        if self.cursor < self.scroll_offset.y:
            self.scroll_to(y=self.cursor, animate=False)
        self.refresh()

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
        self._apply_sort(self.all_rows, self.rows)
        if current:
            self.move_to(current)
        self.refresh()

    def _apply_sort(self, *lists: list[Row]) -> None:
        if self.sort_column is None:
            return
        col = self.sort_column

        def key(r: Row) -> tuple[object, str]:
            return (r.sort_values[col] if r.sort_values else r.cells[col], r.key)

        # The rows shown are sorted with the rest, so a search's rows keep the table's order.
        for rows in lists:
            rows.sort(key=key, reverse=self.sort_reverse)

    # -- layout ------------------------------------------------------------------------
    def _widths(self) -> list[int]:
        """Each column's width; 0 for a column hidden so the title keeps room to be read."""
        return column_widths(
            self.columns, max(self.scrollable_content_region.width, 1), self.min_flexible
        )

    def on_resize(self, event: events.Resize) -> None:
        self.virtual_size = Size(event.size.width, len(self.rows) + 1)

    def render_lines(self, crop: Region) -> list[Strip]:
        # One frame's lines share their widths and styles: work them out once for all.
        self._look = self._new_look()
        try:
            return super().render_lines(crop)
        finally:
            self._look = None

    def _new_look(self) -> _Look:
        return _Look(self._widths(), self.scrollable_content_region.width, self.rich_style, {})

    def _row_style(self, look: _Look, row: Row, cursor: bool) -> Style:
        names = row.style + " marked" if row.key in self.marked else row.style
        style = look.styles.get((names, cursor))
        if style is None:
            style = look.base
            for name in names.split():
                style += self.get_component_rich_style(f"itemtable--{name}")
            if cursor:
                style += self.get_component_rich_style("itemtable--cursor")
            look.styles[names, cursor] = style
        return style

    def render_line(self, y: int) -> Strip:
        look = self._look or self._new_look()
        widths = look.widths
        if y == 0:
            style = self.get_component_rich_style("itemtable--header")
            labels = []
            for i, (column, width) in enumerate(zip(self.columns, widths, strict=True)):
                if not width:
                    continue
                label = column.label
                if self.sort_column == i:
                    label += " ▼" if self.sort_reverse else " ▲"
                labels.append(_fit(label, width, column.align_right))
            return Strip([Segment(" ".join(labels), style)]).adjust_cell_length(
                self.size.width, style
            )
        index = self.scroll_offset.y + y - 1
        if index >= len(self.rows):
            return Strip.blank(self.size.width, look.base)
        row = self.rows[index]
        style = self._row_style(look, row, index == self.cursor)
        text = " ".join(
            _fit(cell, width, col.align_right)
            for cell, width, col in zip(row.cells, widths, self.columns, strict=True)
            if width
        )
        return Strip([Segment(text, style)]).adjust_cell_length(look.width, style)

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

    def toggle_mark(self) -> None:
        """Mark the row under the cursor (or unmark it), then go to the next one."""
        key = self.cursor_key
        if key is None:
            return
        self.marked.symmetric_difference_update({key})
        self._refresh_row(self.cursor)
        self.post_message(self.MarksChanged(self))
        self._set_cursor(self.cursor + 1)

    def clear_marks(self) -> None:
        if self.marked:
            self.marked.clear()
            self.refresh()
            self.post_message(self.MarksChanged(self))

    def action_select(self) -> None:
        if self.cursor_key is not None:
            self.post_message(self.Selected(self, self.cursor_key))

    def on_click(self, event: events.Click) -> None:
        if event.y == 0:
            x = 0
            for i, width in enumerate(self._widths()):
                if not width:
                    continue
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
