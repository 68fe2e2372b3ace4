"""Calendar quarters as plans write them (``2018Q2``)."""

from __future__ import annotations

import re
from datetime import date

_QUARTER = re.compile(r"^(\d{4})Q([1-4])$")


def parse_quarter(value: str) -> tuple[date, date] | None:
    """First and last day of quarter ``YYYYQn``, or None if ``value`` is not one."""
    match = _QUARTER.match(value)
    if not match:
        return None
    year, q = int(match.group(1)), int(match.group(2))
    start = date(year, 3 * q - 2, 1)
    end = date(year + 1, 1, 1) if q == 4 else date(year, 3 * q + 1, 1)
    return start, date.fromordinal(end.toordinal() - 1)
