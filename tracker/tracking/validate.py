"""The window a typed or imported date must fall in before it is stored.

A date far outside the plan (2016 for a 2018 plan, a typo like 2108) used to be stored and
then broke or skewed every read. The rule: from a year before the plan starts to a year
after it ends (or today, when that is later), and an actual date (something that happened)
no later than today plus a small tolerance.

(Placeholder until the write-boundary rule of issue 13 item 1 lands in
tracker.tracking.status: the CSV importers call this one function, so the two merge by
keeping one body.)
"""

from __future__ import annotations

from datetime import date, timedelta

from tracker.errors import InputError
from tracker.i18n import _
from tracker.store.models import PlanRow

MARGIN = timedelta(days=365)
# An actual date may run a little ahead of the server's clock (time zones, a report
# written the evening before a Monday meeting).
ACTUAL_TOLERANCE = timedelta(days=3)


def allowed_window(plan: PlanRow, today: date, *, actual: bool = True) -> tuple[date, date]:
    """(first, last) date a value may take for ``plan``."""
    first = plan.period_start - MARGIN
    last = max(plan.period_end + MARGIN, today)
    if actual:
        last = min(last, today + ACTUAL_TOLERANCE)
    return first, last


def check_actual_date(
    plan: PlanRow, key: str, field: str, value: date, *, today: date, actual: bool = True
) -> None:
    """InputError naming the item, the field, the value and the allowed range when
    ``value`` falls outside :func:`allowed_window`."""
    first, last = allowed_window(plan, today, actual=actual)
    if not first <= value <= last:
        raise InputError(
            _("{id}: {field} {value} is outside the allowed range {first} – {last}").format(
                id=key, field=field, value=value, first=first, last=last
            )
        )
