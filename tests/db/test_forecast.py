"""Forecast against the baseline, with figures worked out by hand.

Small plan (Panama calendar, 2018): A (5 days) → A-P1 → B (3 days); C (2 days) alone.
Baseline: A Jan 2–8 (Jan 9 is a holiday), B Jan 10–12, C Jan 2–3.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy.orm import Session

from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.store.store import Store, session_state
from tracker.tracking.status import set_item_status

from .helpers import fresh_db, run, small_plan


def forecast(sessions: object, as_of: date) -> dict[str, object]:
    fc = transaction(sessions, lambda s: session_state(s, None, as_of).forecast)  # type: ignore[arg-type]
    # The store's read path (plain sqlite3 on a SQLite file, a pooled connection otherwise)
    # must give the very same forecast as a read inside an ORM session.
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)  # type: ignore[attr-defined]
    fast = Store(url).state(as_of).forecast
    assert fast.items == fc.items and fast.groups == fc.groups and fast.overall == fc.overall
    return {i.key: i for i in fc.items} | {"_": fc}


def test_baseline_when_nothing_happened_yet(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    f = forecast(sessions, date(2018, 1, 2))
    a, b = f["A"], f["B"]
    assert (a.baseline_start, a.baseline_finish) == (date(2018, 1, 2), date(2018, 1, 8))
    assert (b.forecast_start, b.forecast_finish) == (date(2018, 1, 10), date(2018, 1, 12))
    assert a.slip_days == b.slip_days == 0 and not a.late and not a.at_risk


def test_progress_behind_schedule_moves_the_successor(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    run(sessions, set_item_status, "A", "en_curso", on=date(2018, 1, 2), author="ana", percent=40)
    # As of Mon Jan 8: 60% of 5 days = 3 days left: Jan 8, 10, 11. B: Jan 12, 15, 16.
    f = forecast(sessions, date(2018, 1, 8))
    a, b = f["A"], f["B"]
    assert (a.forecast_start, a.forecast_finish) == (date(2018, 1, 2), date(2018, 1, 11))
    assert (b.forecast_start, b.forecast_finish) == (date(2018, 1, 12), date(2018, 1, 16))
    assert (a.slip_days, b.slip_days) == (2, 2)
    assert not a.late and a.at_risk and b.at_risk  # A is due today, not yet late
    # Two days later, no news: A is late and finishes Jan 12 at best.
    f = forecast(sessions, date(2018, 1, 10))
    assert f["A"].late and f["A"].forecast_finish == date(2018, 1, 12)
    summary = f["_"].overall
    # C (due Jan 3, not started) is late too.
    assert summary.late == 2 and summary.counts["en_curso"] == 1
    # Percent weighted by duration: A 40% of 5 days, B 0 of 3, C 0 of 2 → 20%.
    assert summary.percent == 20.0


def test_early_finish_pulls_the_successor_in(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    run(sessions, set_item_status, "A", "en_curso", on=date(2018, 1, 2), author="ana")
    run(sessions, set_item_status, "A", "completada", on=date(2018, 1, 5), author="ana")
    f = forecast(sessions, date(2018, 1, 5))
    assert (f["A"].forecast_start, f["A"].forecast_finish) == (date(2018, 1, 2), date(2018, 1, 5))
    # B may start the next working day, Mon Jan 8: Jan 8, 10, 11 — one day early.
    assert (f["B"].forecast_start, f["B"].forecast_finish) == (date(2018, 1, 8), date(2018, 1, 11))
    assert f["B"].slip_days == -1 and not f["B"].at_risk


def test_not_started_work_cannot_start_before_the_as_of_date(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    f = forecast(sessions, date(2018, 1, 15))
    # C (2 days, due Jan 3) has not started: Jan 15–16, 8 working days late (Jan 4, 5, 8,
    # 10, 11, 12, 15, 16: Jan 9 is a holiday).
    c = f["C"]
    assert (c.forecast_start, c.forecast_finish) == (date(2018, 1, 15), date(2018, 1, 16))
    assert c.late and c.slip_days == 8
    assert f["_"].due_within(30) == []  # everything was due before Jan 15


def test_cancelled_and_deferred_items_hold_nothing_up(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    run(
        sessions,
        set_item_status,
        "A",
        "diferida",
        on=date(2018, 1, 2),
        author="ana",
        note="a la fase de implementación",
    )
    f = forecast(sessions, date(2018, 1, 2))
    assert f["A"].slip_days == 0 and not f["A"].late
    assert f["B"].forecast_start == date(2018, 1, 2)  # no longer waits for A
    assert f["_"].overall.counts["diferida"] == 1


def test_due_within_next_days(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    f = forecast(sessions, date(2018, 1, 4))
    # Due soon is by the forecast, late items apart (C, due Jan 3, is late): A cannot start
    # before Jan 4, so it ends Jan 11 (5 days: 4, 5, 8, 10, 11; Jan 9 is a holiday) and B
    # Jan 16 (12, 15, 16).
    assert [i.key for i in f["_"].due_within(5)] == []
    assert [i.key for i in f["_"].due_within(7)] == ["A"]
    assert [i.key for i in f["_"].due_within(12)] == ["A", "B"]


def test_the_calendar_is_the_one_stored_with_the_plan(db_url: str, tmp_path: Path) -> None:
    """The holidays the baseline was computed with are kept in the database: the schedule does
    not move when the holidays package changes, and only the stored table counts."""
    sessions = fresh_db(db_url, small_plan(tmp_path))

    def stored(s: Session) -> dict[str, object]:
        return dict(find_plan(s).country_holidays)

    table = transaction(sessions, stored)
    assert ["2018-01-09", "Día de los Mártires"] in table["2018"]  # type: ignore[operator]
    years = range(2017, max(2018, date.today().year) + 6)
    assert set(table) == {str(y) for y in years}

    def forget_jan_9(s: Session) -> None:
        row = find_plan(s)
        row.country_holidays = {
            **row.country_holidays,
            "2018": [h for h in row.country_holidays["2018"] if h[0] != "2018-01-09"],
        }

    transaction(sessions, forget_jan_9)
    # Without the holiday, B can start on Jan 9 (its baseline stays Jan 10–12).
    b = forecast(sessions, date(2018, 1, 2))["B"]
    assert (b.forecast_start, b.forecast_finish) == (date(2018, 1, 9), date(2018, 1, 11))
    assert b.baseline_start == date(2018, 1, 10)
