"""Words and dates on the Plotly chart: escaping, wrapping, day and month names, axis ticks.

Every text that comes from the plan or the log is HTML-escaped: Plotly renders some tags in
labels, hover text and titles, and a plan must never be able to inject markup into a file
sent by e-mail.
"""

from __future__ import annotations

import html
import textwrap
from datetime import date, datetime, timedelta

from tracker.i18n import _
from tracker.textsafe import visible

HOVER_WRAP = 70
DAY_MS = 86_400_000
MONTHS = "January February March April May June July August September October November December"
SHORT_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"


def safe(text: str) -> str:
    """Plan or log text made inert for Plotly: one line, controls visible, HTML escaped."""
    return html.escape(visible(" ".join(str(text).split())), quote=True)


def truncate(text: str, width: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def wrap_lines(text: str, width: int) -> list[str]:
    """``text`` in lines of at most ``width`` characters, whole (a word longer than the line
    is broken, never dropped)."""
    clean = visible(" ".join(str(text).split()))
    return textwrap.wrap(clean, max(width, 4), break_on_hyphens=False) or [""]


def wrapped(text: str, width: int = HOVER_WRAP) -> str:
    """Long plan text for a label: escaped line by line, joined with <br>."""
    return "<br>".join(html.escape(line, quote=True) for line in wrap_lines(text, width))


def fmt_day(day: date) -> str:
    # The format itself is a message: "%d/%m/%Y" in Spanish.
    return day.strftime(_("%Y-%m-%d"))


def month_names() -> list[str]:
    # One message for the twelve (as the terminal Gantt does): "May" alone is ambiguous.
    names = _(
        "January February March April May June July August September October November December"
    ).split()
    return names if len(names) == 12 else MONTHS.split()  # a broken translation: English


def short_month_names() -> list[str]:
    names = _("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()
    return names if len(names) == 12 else SHORT_MONTHS.split()


def x_ticks(lo: date, hi: date, *, short: bool = False) -> tuple[list[str], list[str]]:
    """Tick positions and their labels, in the chart's language (not Plotly's locale, which
    a static render is not told): months, or weeks when the window is short. ``short``: the
    abbreviated month names (a narrow timeline on paper)."""
    values: list[str] = []
    texts: list[str] = []
    if (hi - lo).days <= 70:
        abbreviated = short_month_names()
        day = lo + timedelta(days=(7 - lo.weekday()) % 7)  # Mondays
        year = None
        while day <= hi:
            label = f"{day.day} {abbreviated[day.month - 1]}"
            if day.year != year:
                label += f"<br>{day.year}"
                year = day.year
            values.append(day.isoformat())
            texts.append(label)
            day += timedelta(days=7)
        return values, texts
    names = short_month_names() if short else month_names()
    month = date(lo.year, lo.month, 1)
    if month < lo:
        month = next_month(month)
    first = True
    while month <= hi:
        label = names[month.month - 1]
        if first or month.month == 1:
            label += f"<br>{month.year}"
        first = False
        values.append(month.isoformat())
        texts.append(label)
        month = next_month(month)
    return values, texts


def next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def at(day: date, hours: int = 0) -> str:
    """A moment of the x axis (dates as Plotly reads them)."""
    return (datetime(day.year, day.month, day.day) + timedelta(hours=hours)).isoformat(sep=" ")


def end_of(day: date) -> str:
    """The end of ``day`` (an inclusive finish is drawn up to the next midnight)."""
    return (day + timedelta(days=1)).isoformat()
