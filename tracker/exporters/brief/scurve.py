"""The S-curve: planned against actual percent complete over the phase, day by day.

Planned comes from the baseline: each item's share of its baseline working days elapsed by
the end of the day, weighted by its duration as the overall percent is. Actual is the plan's
overall percent complete as of each day (``percent_on``), the figure ``tracker status --as-of``
prints for that day."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, timedelta

from tracker.schedule.calendar import WorkCalendar
from tracker.state.forecast import ItemForecast


@dataclass(frozen=True, slots=True)
class SCurve:
    start: date
    end: date  # the last day drawn (the phase's baseline end or later)
    as_of: date
    planned: list[tuple[date, float]]
    actual: list[tuple[date, float]]


def days(start: date, end: date) -> list[date]:
    return [start + timedelta(days=n) for n in range((end - start).days + 1)]


def planned_series(
    items: Sequence[ItemForecast], calendar: WorkCalendar, start: date, end: date
) -> list[tuple[date, float]]:
    spans: list[tuple[int, int, int]] = []  # (first index, last index, weight)
    for item in items:
        weight = item.duration if item.duration > 1 else 1
        first = calendar.index_on_or_after(item.baseline_start)
        last = max(calendar.index_on_or_before(item.baseline_finish), first)
        spans.append((first, last, weight))
    total = sum(w for _f, _l, w in spans) or 1
    out = []
    for day in days(start, end):
        today = calendar.index_on_or_before(day)
        done = 0.0
        for first, last, weight in spans:
            if today >= last:
                done += weight
            elif today >= first:
                done += weight * (today - first + 1) / (last - first + 1)
        out.append((day, round(100 * done / total, 1)))
    return out


def actual_series(
    start: date, as_of: date, change_days: Sequence[date], percent_on: Callable[[date], float]
) -> list[tuple[date, float]]:
    """The overall percent on every day from ``start`` to ``as_of``. It moves only on the
    days a change took effect, so it is computed on those days (and the first) and carried
    over the days between."""
    moving = {d for d in change_days if start <= d <= as_of}
    out: list[tuple[date, float]] = []
    value = percent_on(start)
    for day in days(start, as_of):
        if day in moving:
            value = percent_on(day)
        out.append((day, value))
    return out
