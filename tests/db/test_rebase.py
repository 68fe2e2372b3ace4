"""Moving a database plan's baseline to a new start, for a city that reuses it as a template."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.errors import InputError
from tracker.plan.load import load_plan
from tracker.schedule.calendar import WorkCalendar
from tracker.store.models import ChangeRow, ItemRow, PlanRow
from tracker.store.planstore import find_plan, stored_plan
from tracker.store.session import transaction
from tracker.store.store import session_state
from tracker.tracking.commlog import ActivityInput, add_activity
from tracker.tracking.rebase import rebase_plan
from tracker.tracking.status import set_item_status

from ..conftest import PLAN
from .helpers import change_count, fresh_db, run

# Working days from 2018 to 2021, for counting on both sides of the move.
CALENDAR = WorkCalendar("PA", date(2018, 1, 1))


def baselines(sessions: sessionmaker[Session]) -> dict[str, tuple[date, date]]:
    return transaction(
        sessions,
        lambda s: {
            r.key: (r.baseline_start, r.baseline_finish) for r in s.scalars(select(ItemRow))
        },
    )


def span(start: date, finish: date) -> int:
    return CALENDAR.index_on_or_after(finish) - CALENDAR.index_on_or_after(start)


def test_rebase_moves_the_whole_baseline_keeping_working_day_durations(db_url: str) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    old = baselines(sessions)
    old_first = min(s for s, _f in old.values())
    moved = run(sessions, rebase_plan, date(2020, 1, 6), "ana", "plantilla para otra ciudad")
    assert moved == len(old)
    new = baselines(sessions)
    new_first = min(s for s, _f in new.values())
    assert new_first == date(2020, 1, 6)
    for key, (start, finish) in old.items():
        assert span(*new[key]) == span(start, finish), key
        # Every item keeps its place relative to the plan's start, in working days.
        assert span(new_first, new[key][0]) == span(old_first, start), key

    def check(session: Session) -> None:
        plan_row = find_plan(session)
        assert plan_row.period_start == date(2018, 1, 1) + (new_first - old_first)
        assert plan_row.period_start <= new_first
        assert plan_row.period_end >= max(f for _s, f in new.values())
        changes = list(session.scalars(select(ChangeRow).where(ChangeRow.action == "rebase")))
        assert len(changes) == 1
        change = changes[0]
        assert (change.author, change.entity, change.note) == (
            "ana",
            "plan",
            "plantilla para otra ciudad",
        )
        assert change.before["1.1.1"] == ["2018-01-02", "2018-01-23"]
        assert change.after["1.1.1"][0] == "2020-01-06"
        assert change.before["period"] == ["2018-01-01", "2018-07-31"]
        assert set(change.after) == set(old) | {"period"}
        # The forecast of an untouched plan is its new baseline, to the day.
        forecast = session_state(session, plan_row.key, date(2020, 1, 6)).forecast
        assert all(
            (i.forecast_start, i.forecast_finish, i.slip_days)
            == (i.baseline_start, i.baseline_finish, 0)
            for i in forecast.items
        )
        assert stored_plan(session, plan_row).meta.period.start == plan_row.period_start

    transaction(sessions, check)


def test_a_start_on_a_holiday_or_weekend_moves_to_the_next_working_day(db_url: str) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    run(sessions, rebase_plan, date(2020, 1, 4), "ana", "")  # a Saturday
    assert min(s for s, _f in baselines(sessions).values()) == date(2020, 1, 6)
    run(sessions, rebase_plan, date(2019, 1, 1), "ana", "")  # New Year's Day, then a Tuesday
    assert min(s for s, _f in baselines(sessions).values()) == date(2019, 1, 2)
    before = change_count(sessions)
    assert run(sessions, rebase_plan, date(2019, 1, 2), "ana", "") == 0  # already there
    assert change_count(sessions) == before


def test_rebase_is_refused_once_work_is_recorded(db_url: str) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    run(sessions, set_item_status, "3.1.1", "en_curso", on=date(2018, 1, 3), author="ana")
    before, old = change_count(sessions), baselines(sessions)
    with pytest.raises(InputError, match=r"work is recorded on 3\.1\.1"):
        run(sessions, rebase_plan, date(2020, 1, 6), "ana", "")
    assert change_count(sessions) == before and baselines(sessions) == old
    period = transaction(sessions, lambda s: s.scalar(select(PlanRow.period_start)))
    assert period == date(2018, 1, 1)


def test_rebase_is_refused_with_a_communication_log(db_url: str) -> None:
    plan = load_plan(str(PLAN))
    sessions = fresh_db(db_url, plan)
    data = ActivityInput(date(2018, 1, 15), "web", ["web-publicaciones"], "Nota en la web")
    run(sessions, lambda s, p: add_activity(s, p, plan, data, "ana"))
    before, old = change_count(sessions), baselines(sessions)
    with pytest.raises(InputError, match="communication log"):
        run(sessions, rebase_plan, date(2020, 1, 6), "ana", "")
    assert change_count(sessions) == before and baselines(sessions) == old


def test_a_move_backwards_reaches_before_the_calendar(db_url: str) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    run(sessions, rebase_plan, date(2015, 3, 2), "ana", "")
    new = baselines(sessions)
    assert min(s for s, _f in new.values()) == date(2015, 3, 2)
    assert max(f for _s, f in new.values()) < date(2015, 3, 2) + timedelta(days=365)
