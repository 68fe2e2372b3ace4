"""The plan's calendar: Monday–Friday, 8 to 12 and 13 to 17, every holiday as a named exception."""

from __future__ import annotations

from datetime import date
from xml.etree.ElementTree import Element, SubElement

from tracker.exporters.mspdi.xml import add, stamp
from tracker.schedule.calendar import WorkCalendar

CALENDAR_UID = 1
_HOURS = (("08:00:00", "12:00:00"), ("13:00:00", "17:00:00"))


def _working_times(parent: Element) -> None:
    times = SubElement(parent, "WorkingTimes")
    for start, finish in _HOURS:
        period = SubElement(times, "WorkingTime")
        add(period, "FromTime", start)
        add(period, "ToTime", finish)


def _whole_day(parent: Element, day: date) -> None:
    from datetime import time

    period = SubElement(parent, "TimePeriod")
    add(period, "FromDate", stamp(day, time(0, 0)))
    add(period, "ToDate", stamp(day, time(23, 59, 59)))


def build_calendars(
    calendar: WorkCalendar, name: str, first: date, last: date
) -> tuple[Element, int]:
    """``<Calendars>`` with the one base calendar, and how many holidays it lists.

    Holidays are those on weekdays from ``first`` to ``last``. They are written twice, as
    MS Project itself does: as ``WeekDay`` entries of type 0 (what Project 2003 and the
    older readers know) and as named ``Exceptions`` (Project 2007 and later).
    """
    holidays = calendar.holidays_between(first, last)
    calendars = Element("Calendars")
    cal = SubElement(calendars, "Calendar")
    add(cal, "UID", CALENDAR_UID)
    add(cal, "Name", name)
    add(cal, "IsBaseCalendar", True)
    add(cal, "IsBaselineCalendar", False)
    add(cal, "BaseCalendarUID", -1)
    week = SubElement(cal, "WeekDays")
    for day_type in range(1, 8):  # 1 = Sunday ... 7 = Saturday
        entry = SubElement(week, "WeekDay")
        add(entry, "DayType", day_type)
        working = 2 <= day_type <= 6
        add(entry, "DayWorking", working)
        if working:
            _working_times(entry)
    for day, _name in holidays:
        entry = SubElement(week, "WeekDay")
        add(entry, "DayType", 0)
        add(entry, "DayWorking", False)
        _whole_day(entry, day)
    if holidays:
        exceptions = SubElement(cal, "Exceptions")
        for day, holiday in holidays:
            entry = SubElement(exceptions, "Exception")
            add(entry, "EnteredByOccurrences", False)
            _whole_day(entry, day)
            add(entry, "Occurrences", 1)
            add(entry, "Name", holiday.strip() or day.isoformat())
            add(entry, "Type", 1)  # daily: one day
            add(entry, "DayWorking", False)
    return calendars, len(holidays)
