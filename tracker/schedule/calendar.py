"""Working days: Monday–Friday minus the public holidays of the plan's country.

Dates map to consecutive integer indices of working days, so the schedule does integer
arithmetic and converts to dates only at the end. Holidays come from the maintained
``holidays`` package (Panama: Mártires, Carnaval, Viernes Santo ...), plus any the plan adds.
"""

from __future__ import annotations

import bisect
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from functools import cache

from tracker.errors import TrackerError
from tracker.i18n import _

_CHUNK_YEARS = 2


@cache
def country_holidays(country: str, year: int) -> dict[date, str]:
    """Public holidays of ``country`` in ``year`` (names in Spanish where available)."""
    if not country:
        return {}
    from tracker.schedule import holidaycache

    cached = holidaycache.cached_year(country, year)
    if cached is not None:
        return cached
    span = range(year - holidaycache.SPAN_BEFORE, year + holidaycache.SPAN_AFTER + 1)
    computed = _library_holidays(country, span)
    holidaycache.store_years(country, computed)
    return computed[year]


def _library_holidays(country: str, years: range) -> dict[int, dict[date, str]]:
    import holidays

    try:
        # An unknown language falls back to the country's own; an unknown country raises.
        found = holidays.country_holidays(country, years=years, language="es")
    except NotImplementedError as err:
        raise TrackerError(
            _("no public-holiday calendar for country {code}").format(code=country)
        ) from err
    by_year: dict[int, dict[date, str]] = {year: {} for year in years}
    for day, name in sorted(found.items()):
        if day.year in by_year:  # an observed day may fall just outside the span
            by_year[day.year][day] = str(name)
    return by_year


def holiday_table(country: str, first_year: int, last_year: int) -> dict[int, dict[date, str]]:
    """The country's holidays for each year from ``first_year`` to ``last_year``."""
    return {year: country_holidays(country, year) for year in range(first_year, last_year + 1)}


class WorkCalendar:
    """Working-day arithmetic for one country, anchored at ``origin`` (index 0 or later)."""

    def __init__(
        self,
        country: str,
        origin: date,
        extra_holidays: Iterable[tuple[date, str]] = (),
        known: Mapping[int, Mapping[date, str]] | None = None,
    ) -> None:
        self.country = country
        self.extra = {day: name for day, name in extra_holidays}
        # Years whose country holidays are already known (stored with the plan).
        self.known = dict(known or {})
        # Start at a year boundary a year early so actual dates before the plan still map.
        self.origin = date(origin.year - 1, 1, 1)
        self.days: list[date] = []
        self._ordinals: list[int] = []
        self._until = self.origin - timedelta(days=1)
        self._extend_to(date(origin.year + 1, 12, 31))

    def country_holidays(self, year: int) -> Mapping[date, str]:
        known = self.known.get(year)
        return known if known is not None else country_holidays(self.country, year)

    def holiday_name(self, day: date) -> str | None:
        """The holiday's name ("" for a day off the plan lists without one), or None."""
        extra = self.extra.get(day)
        return extra if extra is not None else self.country_holidays(day.year).get(day)

    def is_working_day(self, day: date) -> bool:
        return day.weekday() < 5 and self.holiday_name(day) is None

    def holidays_between(self, start: date, end: date) -> list[tuple[date, str]]:
        """Holidays falling on weekdays between ``start`` and ``end`` inclusive."""
        out = []
        for year in range(start.year, end.year + 1):
            merged = dict(self.country_holidays(year))
            merged.update({d: n for d, n in self.extra.items() if d.year == year})
            out += [(d, n) for d, n in merged.items() if start <= d <= end and d.weekday() < 5]
        return sorted(out)

    def _extend_to(self, until: date) -> None:
        day = self._until + timedelta(days=1)
        while day <= until:
            if self.is_working_day(day):
                self.days.append(day)
                self._ordinals.append(day.toordinal())
            day += timedelta(days=1)
        self._until = max(self._until, until)

    def day(self, index: int) -> date:
        """The date of working day ``index``."""
        if index < 0:
            raise IndexError(index)
        while index >= len(self.days):
            self._extend_to(date(self._until.year + _CHUNK_YEARS, 12, 31))
        return self.days[index]

    def index_on_or_after(self, day: date) -> int:
        """Index of the first working day on or after ``day``."""
        if day < self.origin:
            raise TrackerError(
                _("{day} is before the calendar's start {origin}").format(
                    day=day, origin=self.origin
                )
            )
        while day > self._until:
            self._extend_to(date(self._until.year + _CHUNK_YEARS, 12, 31))
        return bisect.bisect_left(self._ordinals, day.toordinal())

    def index_on_or_before(self, day: date) -> int:
        """Index of the last working day on or before ``day`` (-1 if none)."""
        return self.index_on_or_after(day + timedelta(days=1)) - 1

    def working_days_between(self, earlier: date, later: date) -> int:
        """Working days after ``earlier`` up to and including ``later`` (negative if reversed)."""
        return self.index_on_or_before(later) - self.index_on_or_before(earlier)

    def add_working_days(self, day: date, count: int) -> date:
        """The working day ``count`` working days after ``day`` (``day`` itself if 0 and open)."""
        return self.day(self.index_on_or_after(day) + count)
