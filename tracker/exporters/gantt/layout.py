"""Sizes of one rendering (a sheet of paper, the interactive page, one projector screen), the
table on the chart's left, and how the rows are cut into pages.

On paper the text is 8 pt (the size a printed Gantt can still be read at arm's length), the
title 13 pt; the page is laid out in CSS pixels at the sheet's size, so those sizes hold
whatever the resolution it is rendered at. Names are wrapped to the name column, never cut:
a long name makes its row taller.
"""

from __future__ import annotations

import textwrap
from collections.abc import Sequence
from dataclasses import dataclass, replace

from tracker.exporters.gantt.options import CSS_DPI, paper_pixels
from tracker.exporters.gantt.rows import GanttRow
from tracker.exporters.gantt.text import wrap_lines
from tracker.i18n import _

POINT = CSS_DPI / 72  # CSS pixels per typographic point
CHAR_EM = 0.6  # average width of a character of DejaVu Sans, in ems (generous: never overflow)
SCREEN = (1280, 720)  # the projector the summary must fit
MAX_LEAD_CHARS = 20  # the lead column must not crowd out the bars


@dataclass(frozen=True, slots=True)
class Column:
    key: str  # id | name | start | finish | percent | lead
    header: str
    width: int  # pixels
    align: str = "left"


@dataclass(frozen=True, slots=True)
class Layout:
    width: int
    height: int | None  # None: as tall as the rows need (the full interactive page)
    font: float  # pixels
    bottom: int
    columns: tuple[Column, ...]
    static: bool
    legend: int = 2  # lines the legend takes
    lead: int = 11  # characters the lead column holds (lead_chars)

    @property
    def top(self) -> int:
        """Pixels above the rows: the title, the headline, the as-of line, the legend, then
        the column headers level with the months (two lines)."""
        font = self.font
        heading = 8 + font * 13 / 8 * 1.3 + font * 1.1 * 1.6 + 6
        return round(heading + self.legend * font * 1.85 + font * 1.3 * 2 + 14)

    @property
    def line(self) -> float:
        """Pixels per line of table text."""
        return self.font * 1.3

    @property
    def table_width(self) -> int:
        return sum(c.width for c in self.columns)

    @property
    def capacity(self) -> float:
        """How many lines of rows one page holds."""
        if self.height is None:
            return float("inf")
        return (self.height - self.top - self.bottom) / self.line

    def chars(self, key: str) -> int:
        width = next(c.width for c in self.columns if c.key == key)
        return max(6, int((width - 6) / (self.font * CHAR_EM)))

    def name_lines(self, row: GanttRow) -> list[str]:
        heading = row.is_header and row.kind != "group"
        text = f"{row.key} · {row.title}" if heading and row.key else row.title
        # A header's name runs over the id column too; capitals are wider.
        chars = self.chars("name") + (self.chars("id") if heading else 0)
        return wrap_lines(text, int(chars * (0.8 if row.is_header else 1)))

    def lead_lines(self, row: GanttRow) -> list[str]:
        return wrap_lines(row.lead, self.chars("lead")) if row.lead else []

    def row_lines(self, row: GanttRow) -> float:
        """The row's height in lines: its longest wrapped cell, and a little air."""
        return max(len(self.name_lines(row)), len(self.lead_lines(row)), 1) + 0.25


def lead_chars(rows: Sequence[GanttRow]) -> int:
    """How many characters the lead column holds: the fewest (from 11) in which every lead
    takes at most two lines, wrapped between words; at most MAX_LEAD_CHARS."""
    leads = {row.lead for row in rows if row.lead}
    for chars in range(11, MAX_LEAD_CHARS):
        if all(len(textwrap.wrap(lead, chars, break_long_words=False)) <= 2 for lead in leads):
            return chars
    return MAX_LEAD_CHARS


def table_columns(width: int, font: float, lead: int = 11) -> tuple[Column, ...]:
    """ID, name, start, finish, %, lead: the dates and the percent as wide as they need,
    the name about a quarter of the page (wider pages, longer lines), the lead ``lead``
    characters (``lead_chars``)."""
    char = font * CHAR_EM
    date_width = round(char * 10.5 + 8)
    return (
        Column("id", _("ID"), round(char * 5.5 + 6)),
        Column("name", _("Name"), round(max(width * 0.25, char * 34))),
        Column("start", _("Start"), date_width),
        Column("finish", _("Finish"), date_width),
        Column("percent", "%", round(char * 4.5 + 6), "right"),
        Column("lead", _("Lead"), round(char * lead + 7)),
    )


def for_paper(paper: str, lead: int = 11) -> Layout:
    width, height = paper_pixels(paper)
    font = 8 * POINT
    columns = table_columns(width, font, lead)
    return Layout(width, height, font, round(font * 1.6), columns, True, lead=lead)


def for_html(summary: bool, lead: int = 11) -> Layout:
    width, height = SCREEN
    font = 12.0
    columns = table_columns(width, font, lead)
    return Layout(
        width - 20,  # the page's scroll bar
        height if summary else None,
        font,
        round(font * 1.6),
        columns,
        False,
        lead=lead,
    )


def fitted(layout: Layout, rows: Sequence[GanttRow]) -> Layout:
    """For a page of fixed height: the same layout, or a smaller font (never under 7 pt)
    when the rows would not fit on it (the summary on one screen)."""
    font = layout.font
    while font > 7 * POINT:
        trial = replace(layout, font=font, columns=table_columns(layout.width, font, layout.lead))
        if sum(trial.row_lines(r) for r in rows) <= trial.capacity:
            return trial
        font -= 0.5
    return replace(layout, font=font, columns=table_columns(layout.width, font, layout.lead))


def paginate(layout: Layout, rows: Sequence[GanttRow]) -> list[list[GanttRow]]:
    """The rows cut into pages of ``layout``'s height; a page that starts inside a group
    repeats the group's header ("… (continued)"), and no page ends on a header."""
    pages: list[list[GanttRow]] = [[]]
    used = 0.0
    header: GanttRow | None = None
    for row in rows:
        need = layout.row_lines(row)
        if pages[-1] and used + need > layout.capacity:
            carried: list[GanttRow] = []
            if pages[-1][-1].is_header:
                carried = [pages[-1].pop()]
            elif header is not None and not row.is_header:
                carried = [
                    replace(header, title=_("{title} (continued)").format(title=header.title))
                ]
            pages.append(carried)
            used = sum(layout.row_lines(r) for r in carried)
        if row.is_header:
            header = row
        pages[-1].append(row)
        used += need
    return [p for p in pages if p]
