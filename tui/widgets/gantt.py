"""A terminal Gantt chart drawn through the line API: only the lines on screen are built.

One character per calendar day. The rows (labels, dates, status, marks) are the ones the Plotly
chart draws, built by ``tracker.exporters.gantt.rows``. Each row has a fixed label on the left
("1.3.2 · title…") and the timeline on the right: the baseline faint (░), the forecast solid
(█) in the colour of its status, milestones as ◆ (◇ where the baseline had them), and the as-of
date as a vertical line drawn over everything. The two header lines (months, week ticks) and
the label column stay put while the timeline scrolls under them. Text from the plan is shown
literally (Segments, never markup; control characters made visible).
"""

from __future__ import annotations

import bisect
from collections.abc import Callable
from datetime import date, timedelta

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style
from rich.text import Text
from textual import events
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.widget import Widget

from tracker.exporters.gantt.rows import GanttRow
from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.model import ItemKind
from tracker.plan.statuses import REMOVED

HEADER_LINES = 2  # month labels, week ticks
SEPARATOR = 1  # blank column between the labels and the timeline

# Glyphs of the chart (also used by the legend).
FORECAST = "█"
BASELINE = "░"
MILESTONE = "◆"
BASELINE_MILESTONE = "◇"
TODAY = "│"
TODAY_ON_BAR = "┃"
CRITICAL = "●"
LATE = "!"
AT_RISK = "~"
GROUP_SPAN = "━"

STATUS_CLASS = {
    "completada": "done",
    "en_curso": "active",
    "bloqueada": "blocked",
    "pendiente": "pending",
    "diferida": "removed",
    "cancelada": "removed",
}


MONTHS = ["Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"]


def month_names() -> list[str]:
    """Abbreviated month names in the user's language (looked up each time: never stale).

    One message for the twelve: "May" alone is already the full month's name elsewhere."""
    names = _("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()
    return names if len(names) == 12 else MONTHS


def fit(text: str, width: int) -> str:
    """``text`` cut to ``width`` cells with a trailing "…" when it does not fit, padded."""
    if width <= 0:
        return ""
    if cell_len(text) > width:
        out: list[str] = []
        used = 0
        for ch in text:
            w = cell_len(ch)
            if used + w > width - 1:
                break
            out.append(ch)
            used += w
        text = "".join(out) + "…"
    return text + " " * max(0, width - cell_len(text))


class GanttChart(ScrollView, can_focus=True, inherit_bindings=False):
    """The chart. Keys live on the screen (so its help lists them); they call the methods here:
    ``move_cursor``, ``page``, ``scroll_days``, ``scroll_months``, ``scroll_to_date`` …"""

    COMPONENT_CLASSES = {
        "gantt--head",
        "gantt--month",
        "gantt--month-alt",
        "gantt--ticks",
        "gantt--today",
        "gantt--group",
        "gantt--cursor",
        "gantt--cursor-row",
        "gantt--baseline",
        "gantt--done",
        "gantt--active",
        "gantt--blocked",
        "gantt--pending",
        "gantt--removed",
        "gantt--late",
        "gantt--risk",
        "gantt--critical",
    }
    DEFAULT_CSS = """
    GanttChart { height: 1fr; scrollbar-size-vertical: 1; }
    GanttChart > .gantt--head { background: $panel; text-style: bold; }
    GanttChart > .gantt--month { background: $panel; text-style: bold; }
    GanttChart > .gantt--month-alt { background: $panel-lighten-1; text-style: bold; }
    GanttChart > .gantt--ticks { background: $panel; color: $text-muted; }
    GanttChart > .gantt--today { color: magenta; text-style: bold; }
    GanttChart > .gantt--group { background: $boost; text-style: bold; }
    GanttChart > .gantt--cursor { background: $accent 40%; }
    GanttChart:focus > .gantt--cursor { background: $accent; color: $text; }
    GanttChart > .gantt--cursor-row { background: $accent 12%; }
    GanttChart > .gantt--baseline { color: $text-muted; }
    GanttChart > .gantt--done { color: $success; }
    GanttChart > .gantt--active { color: $primary-lighten-2; }
    GanttChart > .gantt--blocked { color: $error; }
    GanttChart > .gantt--pending { color: $foreground; }
    GanttChart > .gantt--removed { color: $text-disabled; }
    GanttChart > .gantt--late { color: $error; text-style: bold; }
    GanttChart > .gantt--risk { color: $warning; }
    GanttChart > .gantt--critical { color: $accent; text-style: bold; }
    """

    class Selected(Message):
        """A double click on an item row (Enter is the screen's key)."""

        def __init__(self, chart: GanttChart, key: str) -> None:
            super().__init__()
            self.chart = chart
            self.key = key

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.rows: list[GanttRow] = []
        self.item_rows: list[int] = []  # indices of the item rows, ascending
        self.start = date(2000, 1, 1)
        self.end = self.start
        self.as_of = self.start
        self.cursor = 0
        self._positioned = False
        self._styles: dict[tuple[str, bool], Style] = {}

    # -- data --------------------------------------------------------------------------
    def set_data(self, rows: list[GanttRow], start: date, end: date, as_of: date) -> None:
        """Show ``rows`` on the timeline ``start``–``end``; the cursor stays on its item."""
        current = self.cursor_key
        moved = as_of != self.as_of
        self.rows = rows
        self.item_rows = [i for i, r in enumerate(rows) if r.item is not None]
        self.start, self.end, self.as_of = start, max(start, end), as_of
        index = next((i for i in self.item_rows if rows[i].key == current), None)
        self.cursor = index if index is not None else self._nearest_item(self.cursor)
        self._update_virtual_size()
        self.refresh()
        if moved:
            self._positioned = False
        self._position()

    def _position(self) -> None:
        """Bring the as-of date into view, once the chart has data and its size: when first
        shown, and when another as-of date is chosen."""
        if not self._positioned and self.rows and self.size.width:
            self._positioned = True
            self.call_after_refresh(self.scroll_to_date, self.as_of)

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    @property
    def cursor_key(self) -> str | None:
        if 0 <= self.cursor < len(self.rows) and self.rows[self.cursor].item is not None:
            return self.rows[self.cursor].key
        return None

    @property
    def label_width(self) -> int:
        return self._layout()[0]

    def column_of(self, day: date) -> int | None:
        """The screen column of ``day`` in the timeline now, or None when it is not in view."""
        label, width = self._layout()
        col = (day - self.start).days - round(self.scroll_offset.x)
        return label + SEPARATOR + col if 0 <= col < width else None

    @property
    def first_visible_day(self) -> date:
        return self.start + timedelta(days=round(self.scroll_offset.x))

    # -- layout ------------------------------------------------------------------------
    def _layout(self) -> tuple[int, int]:
        """Widths of the label column and of the visible timeline."""
        # The label column follows the widget's width, not the scrollbar's coming and going.
        label = max(16, min(40, self.size.width * 3 // 10))
        return label, max(0, self.scrollable_content_region.width - label - SEPARATOR)

    def _update_virtual_size(self) -> None:
        label, _width = self._layout()
        days = self.days if self.rows else 0
        self.virtual_size = Size(label + SEPARATOR + days, len(self.rows) + HEADER_LINES)

    def on_resize(self, event: events.Resize) -> None:
        self._update_virtual_size()
        self.refresh()
        self._position()  # data may have come before the chart's first layout

    def notify_style_update(self) -> None:
        self._styles.clear()
        super().notify_style_update()

    def _style(self, name: str, foreground_only: bool = False) -> Style:
        """A component style; ``foreground_only`` keeps its colour and weight, to be drawn
        over whatever background the cell already has."""
        key = (name, foreground_only)
        style = self._styles.get(key)
        if style is None:
            full = self.get_component_rich_style(f"gantt--{name}")
            style = Style(color=full.color, bold=full.bold) if foreground_only else full
            self._styles[key] = style
        return style

    # -- drawing -----------------------------------------------------------------------
    def render_line(self, y: int) -> Strip:
        width = self.scrollable_content_region.width
        label_width, timeline = self._layout()
        x0 = round(self.scroll_offset.x)
        if y == 0:
            segments = self._month_line(label_width, timeline, x0)
        elif y == 1:
            segments = self._tick_line(label_width, timeline, x0)
        else:
            index = round(self.scroll_offset.y) + y - HEADER_LINES
            if not 0 <= index < len(self.rows):
                return Strip.blank(width, self.rich_style)
            segments = self._row_line(index, label_width, timeline, x0)
        return Strip(segments).adjust_cell_length(width, self.rich_style)

    def _runs(self, chars: list[str], styles: list[Style]) -> list[Segment]:
        segments: list[Segment] = []
        start = 0
        for i in range(1, len(chars) + 1):
            if i == len(chars) or styles[i] is not styles[start]:
                segments.append(Segment("".join(chars[start:i]), styles[start]))
                start = i
        return segments

    def _today_column(self, x0: int, timeline: int) -> int | None:
        col = (self.as_of - self.start).days - x0
        return col if 0 <= col < timeline else None

    def _month_line(self, label_width: int, timeline: int, x0: int) -> list[Segment]:
        head = self._style("head")
        segments = [Segment(fit(_("Item"), label_width) + " " * SEPARATOR, head)]
        if not self.rows or timeline <= 0:
            return segments
        names = month_names()
        chars = [" "] * timeline
        styles = [head] * timeline
        first = self.start + timedelta(days=x0)
        month = date(first.year, first.month, 1)
        last = self.start + timedelta(days=x0 + timeline - 1)
        while month <= last:
            following = date(month.year + month.month // 12, month.month % 12 + 1, 1)
            c0 = max(0, (month - self.start).days - x0)
            c1 = min(timeline, (following - self.start).days - x0)
            style = self._style("month-alt" if month.month % 2 == 0 else "month")
            styles[c0:c1] = [style] * (c1 - c0)
            name = names[month.month - 1]
            room = c1 - c0 - 1
            for text in (f"{name} {month.year}", name):
                if cell_len(text) <= room:
                    chars[c0 + 1 : c0 + 1 + len(text)] = list(text)
                    break
            month = following
        return segments + self._runs(chars, styles)

    def _tick_line(self, label_width: int, timeline: int, x0: int) -> list[Segment]:
        ticks = self._style("ticks")
        today = ticks + self._style("today", True)
        label = _("As of {date}").format(date=self.as_of.isoformat())
        today_col = self._today_column(x0, timeline)
        if today_col is None and self.rows:
            before = (self.as_of - self.start).days < x0
            label = ("◀ " + label) if before else (label + " ▶")
        segments = [Segment(fit(label, label_width) + " " * SEPARATOR, today)]
        if not self.rows or timeline <= 0:
            return segments
        chars = [" "] * timeline
        styles = [ticks] * timeline
        mark = str(self.as_of.day)
        busy = range(today_col, today_col + len(mark)) if today_col is not None else range(0)
        first = self.start + timedelta(days=x0)
        col = (7 - first.weekday()) % 7  # the first Monday in view
        while col < timeline:
            number = str((first + timedelta(days=col)).day)
            end = min(timeline, col + len(number))
            if not (busy and col < busy.stop and end > busy.start):
                chars[col:end] = list(number[: end - col])
            col += 7
        if today_col is not None:
            end = min(timeline, today_col + len(mark))
            chars[today_col:end] = list(mark[: end - today_col])
            styles[today_col:end] = [today + Style(reverse=True)] * (end - today_col)
        return segments + self._runs(chars, styles)

    def _row_line(self, index: int, label_width: int, timeline: int, x0: int) -> list[Segment]:
        row = self.rows[index]
        item = row.item
        base = self.rich_style
        on_cursor = index == self.cursor and item is not None
        if item is None:
            base = self._style("group")
            segments = [Segment(fit(row.label, label_width) + " " * SEPARATOR, base)]
        else:
            if on_cursor:
                base = self._style("cursor-row")
            label_style = base
            if item.late:
                label_style += self._style("late", True)
            elif item.status in REMOVED:
                label_style += self._style("removed", True)
            if item.critical:
                label_style += Style(bold=True)
            if on_cursor:
                label_style = base + self._style("cursor")
            mark, mark_style = " ", label_style
            if item.late:
                mark, mark_style = LATE, label_style + self._style("late", True)
            elif item.at_risk:
                mark, mark_style = AT_RISK, label_style + self._style("risk", True)
            critical = CRITICAL if item.critical else " "
            segments = [
                Segment(mark, mark_style),
                Segment(critical, label_style + self._style("critical", True)),
                Segment(fit(row.label, label_width - 2), label_style),
                Segment(" " * SEPARATOR, base),
            ]
        if timeline <= 0:
            return segments
        chars = [" "] * timeline
        styles = [base] * timeline

        def span(first: date, last: date) -> tuple[int, int]:
            a = max(0, (first - self.start).days - x0)
            b = min(timeline, (last - self.start).days - x0 + 1)
            return a, b

        solid: set[int] = set()
        bar = base
        if item is None:
            if row.span is not None:
                a, b = span(*row.span)
                if b > a:  # a span wholly outside the view must not delete cells
                    chars[a:b] = [GROUP_SPAN] * (b - a)
        else:
            bar = base + self._style(STATUS_CLASS.get(item.status, "pending"), True)
            if item.critical:
                bar += Style(bold=True)
            faint = base + self._style("baseline", True)
            milestone = item.kind == ItemKind.MILESTONE
            removed = item.status in REMOVED
            if milestone:
                col = (item.baseline_finish - self.start).days - x0
                if 0 <= col < timeline:
                    chars[col], styles[col] = BASELINE_MILESTONE, faint
                col = (item.forecast_finish - self.start).days - x0
                if not removed and 0 <= col < timeline:
                    chars[col], styles[col] = MILESTONE, bar
                    solid.add(col)
            else:
                a, b = span(item.baseline_start, item.baseline_finish)
                if b > a:
                    chars[a:b] = [BASELINE] * (b - a)
                    styles[a:b] = [faint] * (b - a)
                a, b = span(item.forecast_start, item.forecast_finish)
                if b > a and not removed:
                    chars[a:b] = [FORECAST] * (b - a)
                    styles[a:b] = [bar] * (b - a)
                    solid.update(range(a, b))
        today_col = self._today_column(x0, timeline)
        if today_col is not None:
            today = self._style("today", True)
            if today_col in solid and chars[today_col] == FORECAST and bar.color is not None:
                chars[today_col] = TODAY_ON_BAR
                styles[today_col] = base + today + Style(bgcolor=bar.color)
            elif chars[today_col] not in (MILESTONE, BASELINE_MILESTONE):
                chars[today_col] = TODAY
                styles[today_col] = base + today
        return segments + self._runs(chars, styles)

    # -- cursor and scrolling ----------------------------------------------------------
    @property
    def visible_rows(self) -> int:
        return max(1, self.scrollable_content_region.height - HEADER_LINES)

    def _nearest_item(self, index: int) -> int:
        """The item row closest to ``index`` (ties go down); 0 when there is none."""
        if not self.item_rows:
            return 0
        at = bisect.bisect_left(self.item_rows, index)
        candidates = self.item_rows[max(0, at - 1) : at + 1]
        return min(candidates, key=lambda i: (abs(i - index), -i))

    def _set_cursor(self, index: int) -> None:
        if not self.item_rows:
            return
        index = self._nearest_item(index)
        old, self.cursor = self.cursor, index
        self._refresh_row(old)
        self._refresh_row(index)
        self._scroll_to_cursor()

    def _refresh_row(self, index: int) -> None:
        y = index - round(self.scroll_offset.y) + HEADER_LINES
        if HEADER_LINES <= y < self.size.height:
            self.refresh(Region(0, y, self.size.width, 1))

    def _scroll_to_cursor(self) -> None:
        top = round(self.scroll_offset.y)
        rows = self.visible_rows
        if self.cursor < top:
            above = self.cursor - 1
            header = above >= 0 and self.rows[above].item is None
            self.scroll_to(y=above if header else self.cursor, animate=False)
        elif self.cursor >= top + rows:
            self.scroll_to(y=self.cursor - rows + 1, animate=False)

    def move_cursor(self, delta: int) -> None:
        """Up or down ``delta`` items (headers are skipped)."""
        if not self.item_rows:
            return
        at = bisect.bisect_left(self.item_rows, self.cursor)
        at = max(0, min(len(self.item_rows) - 1, at + delta))
        self._set_cursor(self.item_rows[at])

    def page(self, direction: int) -> None:
        self._set_cursor(self.cursor + direction * max(self.visible_rows - 1, 1))

    def first_item(self) -> None:
        if self.item_rows:
            self._set_cursor(self.item_rows[0])

    def last_item(self) -> None:
        if self.item_rows:
            self._set_cursor(self.item_rows[-1])

    def scroll_days(self, days: int) -> None:
        self.scroll_to(x=max(0, round(self.scroll_offset.x) + days), animate=False)

    def scroll_months(self, months: int) -> None:
        """Put the start of the next (or this / previous) month at the left edge."""
        first = self.first_visible_day
        month = date(first.year, first.month, 1)
        steps = months if months > 0 or month == first else months + 1
        index = month.year * 12 + month.month - 1 + steps
        target = date(index // 12, index % 12 + 1, 1)
        self.scroll_to(x=max(0, (target - self.start).days), animate=False)

    def scroll_to_date(self, day: date) -> None:
        """Bring ``day`` into view, about a third of the way into the timeline."""
        _label, timeline = self._layout()
        # Forced: on the first layout the scroll bars (which allow a scroll) come after it.
        x = max(0, (day - self.start).days - timeline // 3)
        self.scroll_to(x=x, animate=False, force=True)

    def scroll_to_start(self) -> None:
        self.scroll_to(x=0, animate=False)

    def scroll_to_end(self) -> None:
        self.scroll_to(x=self.max_scroll_x, animate=False)

    def on_click(self, event: events.Click) -> None:
        index = round(self.scroll_offset.y) + event.y - HEADER_LINES
        if event.y < HEADER_LINES or not 0 <= index < len(self.rows):
            return
        if self.rows[index].item is None:
            return
        self._set_cursor(index)
        if event.chain >= 2 and self.cursor_key is not None:
            self.post_message(self.Selected(self, self.cursor_key))

    # -- legend ------------------------------------------------------------------------
    def legend(self) -> list[Text]:
        """What the glyphs and colours mean, in the chart's own styles, most useful first."""
        parts = [
            (FORECAST, "pending", _("forecast")),
            (BASELINE, "baseline", _("baseline")),
            (TODAY, "today", _("as of")),
            (CRITICAL, "critical", _("critical path")),
            (LATE, "late", _("late")),
            (AT_RISK, "risk", _("at risk")),
            (MILESTONE, "pending", _("milestone")),
            (FORECAST, "active", status_label("en_curso")),
            (FORECAST, "done", status_label("completada")),
            (FORECAST, "blocked", status_label("bloqueada")),
        ]
        return [
            Text.assemble((glyph, self._style(name, True)), " " + meaning)
            for glyph, name, meaning in parts
        ]


class GanttLegend(Widget):
    """One line under the chart saying what its glyphs and colours mean; what does not fit
    the width is left out (whole entries, never half of one)."""

    DEFAULT_CSS = """
    GanttLegend { height: 1; color: $text-muted; padding: 0 1; }
    """

    def __init__(self, parts: Callable[[], list[Text]], *, id: str | None = None) -> None:
        super().__init__(id=id)
        self.parts = parts  # asked at each render: the colours follow the theme

    def render(self) -> Text:
        text = Text(no_wrap=True, overflow="crop")
        room = self.size.width
        for part in self.parts():
            needed = part.cell_len + (2 if text else 0)
            if needed > room:
                break
            if text:
                text.append("  ")
            text.append_text(part)
            room -= needed
        return text
