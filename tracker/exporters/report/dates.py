"""Months, report dates and the way the report writes a day."""

from __future__ import annotations

import calendar as _calendar
import re
from collections.abc import Sequence
from datetime import date

from tracker.errors import InputError
from tracker.i18n import _, month_name
from tracker.plan.model import Period

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")


def month_end(start: date) -> date:
    return date(start.year, start.month, _calendar.monthrange(start.year, start.month)[1])


def check_month(period: Period, start: date) -> None:
    """InputError unless the month overlaps the plan's period."""
    if month_end(start) < period.start or start > period.end:
        raise InputError(
            _("{month} is outside the plan period {start} – {end}").format(
                month=start.strftime("%Y-%m"), start=period.start, end=period.end
            )
        )


def report_as_of(start: date, today: date) -> date:
    """The date the report is judged on: the month's last day, or today while it runs."""
    end = month_end(start)
    return today if start <= today < end else end


def fmt_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def day_words(day: date) -> str:
    """``6 de marzo``: how the municipality's reports write a day."""
    return _("{day} {month}").format(day=day.day, month=month_name(day))


def days_words(days: Sequence[date]) -> str:
    """Several days of one month: ``6, 13 y 18 de marzo``; a single day as ``day_words``."""
    unique = sorted(set(days))
    if not unique:
        return "—"
    if len(unique) == 1:
        return day_words(unique[0])
    if len({(d.year, d.month) for d in unique}) > 1:
        return ", ".join(day_words(d) for d in unique)
    numbers = [str(d.day) for d in unique]
    listed = _("{first} and {last}").format(first=", ".join(numbers[:-1]), last=numbers[-1])
    return _("{day} {month}").format(day=listed, month=month_name(unique[0]))
