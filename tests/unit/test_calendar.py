from datetime import date

from tracker.schedule.calendar import WorkCalendar


def test_panama_2018_holidays_and_weekends_are_not_working_days() -> None:
    cal = WorkCalendar("PA", date(2018, 1, 1))
    assert not cal.is_working_day(date(2018, 1, 1))  # Año Nuevo
    assert not cal.is_working_day(date(2018, 1, 9))  # Día de los Mártires
    assert not cal.is_working_day(date(2018, 2, 13))  # Martes de Carnaval
    assert not cal.is_working_day(date(2018, 3, 30))  # Viernes Santo
    assert not cal.is_working_day(date(2018, 1, 6))  # Saturday
    assert cal.is_working_day(date(2018, 1, 2))
    assert cal.holiday_name(date(2018, 1, 9)) == "Día de los Mártires"


def test_working_day_arithmetic() -> None:
    cal = WorkCalendar("PA", date(2018, 1, 1))
    # Jan 2..31 2018: 22 weekdays, minus Jan 9 = 21 working days.
    assert cal.working_days_between(date(2018, 1, 1), date(2018, 1, 31)) == 21
    assert cal.working_days_between(date(2018, 1, 31), date(2018, 1, 1)) == -21
    assert cal.add_working_days(date(2018, 1, 8), 1) == date(2018, 1, 10)
    assert cal.add_working_days(date(2018, 1, 6), 0) == date(2018, 1, 8)
    assert cal.day(cal.index_on_or_after(date(2018, 2, 13))) == date(2018, 2, 14)
    assert cal.day(cal.index_on_or_before(date(2018, 2, 13))) == date(2018, 2, 12)


def test_extra_holidays_and_far_dates_extend_the_calendar() -> None:
    cal = WorkCalendar("PA", date(2018, 1, 1), [(date(2018, 1, 2), "Cierre municipal")])
    assert not cal.is_working_day(date(2018, 1, 2))
    far = cal.index_on_or_after(date(2031, 3, 3))
    assert cal.day(far) == date(2031, 3, 3)


def test_no_country_means_weekdays_only() -> None:
    cal = WorkCalendar("", date(2018, 1, 1))
    assert cal.is_working_day(date(2018, 1, 1))
    assert not cal.is_working_day(date(2018, 1, 7))
