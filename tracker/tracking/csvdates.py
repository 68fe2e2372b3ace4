"""Dates in a spreadsheet, never guessed.

A spreadsheet shows (and saves as CSV) dates in the format of the machine it runs on:
``2018-03-04`` (ISO, what ``tracker export csv`` writes), ``04/03/2018`` (day first, Panamá
and Spain) or ``03/04/2018`` (month first, an Excel set to English (United States)). ISO is
always read. For the other two the file decides: a first number above 12 can only be a day,
a second number above 12 only a day too; when no date of the file settles it, the
``--date-format`` option does, and without it the file is refused naming the dates that
could be read both ways. The language of the headers settles nothing: a Spanish-speaking
team may well run a month-first Excel.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tracker.errors import RowErrors
from tracker.i18n import _

ISO = "ISO"
DAY_FIRST = "DD/MM/YYYY"
MONTH_FIRST = "MM/DD/YYYY"
DATE_FORMATS = (ISO, DAY_FIRST, MONTH_FIRST)
# 04/03/2018, 4/3/2018, 04.03.2018 or 04-03-2018 (the separator the same twice).
_SLASHED = re.compile(r"(\d{1,2})([/.\-])(\d{1,2})\2(\d{4})")
_TWO_DIGIT_YEAR = re.compile(r"\d{1,2}([/.\-])\d{1,2}\1\d{2}")
_SHOWN = 3  # ambiguous dates named in the message


@dataclass(frozen=True, slots=True)
class DateCell:
    line: int
    column: str
    text: str


def date_format_arg(value: str) -> str:
    """``--date-format``'s value, any case (ISO, DD/MM/YYYY or MM/DD/YYYY)."""
    import argparse

    wanted = value.strip().upper()
    if wanted in DATE_FORMATS:
        return wanted
    raise argparse.ArgumentTypeError(
        _("invalid date format {value!r} (use one of: {formats})").format(
            value=value, formats=", ".join(DATE_FORMATS)
        )
    )


def decide(path: str, cells: Sequence[DateCell], given: str | None) -> str:
    """The format the file's day/month dates are in: ``given`` if there is one, else what
    the values settle. RowErrors when they contradict each other or settle nothing."""
    if given is not None:
        return given
    day_first: DateCell | None = None
    month_first: DateCell | None = None
    ambiguous: list[DateCell] = []
    for cell in cells:
        match = _SLASHED.fullmatch(cell.text)
        if match is None:
            continue
        first, second = int(match.group(1)), int(match.group(3))
        if first > 12 and second <= 12:
            day_first = day_first or cell
        elif second > 12 and first <= 12:
            month_first = month_first or cell
        elif first != second and first <= 12 and second <= 12:
            ambiguous.append(cell)
    if day_first and month_first:
        raise RowErrors(
            [
                f"{path}:{month_first.line}: {month_first.column}: "
                + _(
                    "{text} is month-first but line {line} has {other}, day-first: one file "
                    "must use one date format; write the dates as YYYY-MM-DD"
                ).format(text=month_first.text, line=day_first.line, other=day_first.text)
            ]
        )
    if day_first:
        return DAY_FIRST
    if month_first:
        return MONTH_FIRST
    if ambiguous:
        shown = ", ".join(
            _("{text} (line {line})").format(text=c.text, line=c.line) for c in ambiguous[:_SHOWN]
        )
        more = len(ambiguous) - _SHOWN
        if more > 0:
            shown += " " + _("and {n} more").format(n=more)
        raise RowErrors(
            [
                f"{path}:{ambiguous[0].line}: {ambiguous[0].column}: "
                + _(
                    "the dates {dates} read as day/month or as month/day and no date of the "
                    "file settles which: add --date-format DD/MM/YYYY or --date-format "
                    "MM/DD/YYYY (as the spreadsheet shows them), or write YYYY-MM-DD"
                ).format(dates=shown)
            ]
        )
    return DAY_FIRST  # every day/month date reads the same both ways (01/01, 05/05 ...)


def parse_date(text: str, fmt: str) -> date:
    """``text`` as a date: YYYY-MM-DD always, D/M/YYYY or M/D/YYYY as ``fmt`` says.
    ValueError with the expected format as its message when it is not one."""
    if len(text) == 10 and text[4] == "-" and text[7] == "-":
        return date.fromisoformat(text)
    match = _SLASHED.fullmatch(text)
    if match is None or fmt == ISO:
        raise ValueError(expected(fmt))
    first, second, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    if fmt == MONTH_FIRST:
        first, second = second, first
    try:
        return date(year, second, first)
    except ValueError:
        raise ValueError(expected(fmt)) from None


def expected(fmt: str) -> str:
    if fmt == ISO:
        return "YYYY-MM-DD"
    return f"YYYY-MM-DD {_('or')} {fmt}"


def problem(text: str, fmt: str) -> str:
    """The message for a date cell that does not read as a date."""
    if _TWO_DIGIT_YEAR.fullmatch(text):
        return _("invalid date {value!r}: write the year with four digits").format(value=text)
    return _("invalid date {value!r} (expected {expected})").format(
        value=text, expected=expected(fmt)
    )
