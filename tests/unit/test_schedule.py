from datetime import date
from pathlib import Path

import pytest

from tracker.errors import PlanErrors
from tracker.plan.load import load_plan
from tracker.schedule.passes import compute_schedule

from .planfactory import plan_from

CHAIN = """
areas:
  - id: "1"
    title: Área
    tasks:
      - {id: A, title: A, duration: 3}
      - id: B
        title: B
        duration: 2
        depends_on: [{id: A, lag: 1}]
      - {id: C, title: C, duration: 1, depends_on: [M]}
      - {id: D, title: D, duration: 2}
      - {id: E, title: E, duration: 2, not_before: 2018-01-15}
milestones:
  - {id: M, title: Hito, depends_on: [B, D]}
"""


def test_hand_checked_chain(tmp_path: Path) -> None:
    plan = plan_from(tmp_path, CHAIN)
    s = compute_schedule(plan).items
    # 2018-01-01 is a holiday: work starts Tue Jan 2. A: Jan 2-4.
    assert (s["A"].start, s["A"].finish) == (date(2018, 1, 2), date(2018, 1, 4))
    # One working day of lag (Fri Jan 5), then Mon Jan 8 and Wed Jan 10 (Jan 9 is a holiday).
    assert (s["B"].start, s["B"].finish) == (date(2018, 1, 8), date(2018, 1, 10))
    # The milestone sits on its last prerequisite's finish day; C starts the next working day.
    assert s["M"].start == s["M"].finish == date(2018, 1, 10)
    assert (s["C"].start, s["C"].finish) == (date(2018, 1, 11), date(2018, 1, 11))
    assert (s["E"].start, s["E"].finish) == (date(2018, 1, 15), date(2018, 1, 16))
    # Project ends Jan 16 (E). Chain A,B,M,C ends Jan 11: slack = Jan 12, 15, 16 = 3 days.
    assert s["E"].slack == 0 and s["E"].critical
    assert s["A"].slack == s["B"].slack == s["C"].slack == 3
    # D (Jan 2-3) may finish as late as B's finish (Jan 10) + 3: slack counted in working days.
    assert s["D"].slack == 3 + 4


def test_critical_path_is_a_driving_chain(tmp_path: Path) -> None:
    body = CHAIN.replace("not_before: 2018-01-15", "not_before: 2018-01-02")
    schedule = compute_schedule(plan_from(tmp_path, body))
    assert schedule.critical_path == ["A", "B", "M", "C"]
    assert schedule.finish == date(2018, 1, 11)


def test_dependency_on_a_deliverable_waits_for_its_producer(tmp_path: Path) -> None:
    plan = plan_from(
        tmp_path,
        """
areas:
  - id: "1"
    title: Área
    tasks:
      - id: A
        title: A
        duration: 4
        products: [{id: A-P1, title: Reporte}]
      - {id: B, title: B, duration: 1, depends_on: [A-P1]}
""",
    )
    schedule = compute_schedule(plan)
    assert schedule.deliverable_due["A-P1"] == schedule.items["A"].finish == date(2018, 1, 5)
    assert schedule.items["B"].start == date(2018, 1, 8)


def test_bundled_plan_schedule_is_consistent() -> None:
    from tests.conftest import PLAN

    plan = load_plan(str(PLAN))
    schedule = compute_schedule(plan)
    items = schedule.items
    period = plan.meta.period
    for item in plan.items.values():
        s = items[item.id]
        assert period.start <= s.start <= s.finish <= period.end, item.id
        assert s.slack >= 0
        for dep in item.depends_on:
            producer = plan.deliverables[dep.id].producer if dep.id in plan.deliverables else dep.id
            pre = items[producer]
            if item.duration and plan.items[producer].duration:
                assert s.start > pre.finish, (producer, item.id)
            else:
                assert s.start >= pre.finish, (producer, item.id)
        assert not s.late_for_deadline, item.id
    # The syntheses come after every task of their area.
    for synthesis in ("1.5.2", "2.2.4", "3.5.2", "4.4.2", "5.2.4"):
        area = plan.items[synthesis].group
        others = [
            i
            for i in plan.areas[int(area) - 1].task_ids
            if i != synthesis and not i.startswith("5.1")
        ]
        assert all(items[synthesis].start > items[o].finish for o in others), synthesis
    # D starts after all syntheses; the launch is the last thing of the phase.
    assert items["D.1"].start > max(
        items[s].finish for s in ("1.5.2", "2.2.4", "3.5.2", "4.4.2", "5.2.4")
    )
    launch = items["E.9"]
    assert launch.finish == schedule.finish
    assert all(s.finish <= launch.finish for s in items.values())
    assert launch.finish <= date(2018, 6, 30)  # F.1: launch publicity in Q2
    assert schedule.critical_path[-1] == "E.9"
    assert all(items[i].critical for i in schedule.critical_path)


def test_cycle_is_named_in_order(tmp_path: Path) -> None:
    with pytest.raises(PlanErrors) as caught:
        plan_from(
            tmp_path,
            """
areas:
  - id: "1"
    title: Área
    tasks:
      - {id: A, title: A, duration: 1, depends_on: [C]}
      - {id: B, title: B, duration: 1, depends_on: [A]}
      - {id: C, title: C, duration: 1, depends_on: [B]}
""",
        )
    error = caught.value.errors[0]
    assert "A → B → C → A" in error.message
    assert getattr(error, "cycle", None) == ["A", "B", "C"]


def test_an_extra_holiday_without_a_name_is_a_day_off() -> None:
    from tracker.schedule.calendar import WorkCalendar

    calendar = WorkCalendar("", date(2018, 1, 2), [(date(2018, 1, 9), "")])
    assert not calendar.is_working_day(date(2018, 1, 9))
    assert calendar.add_working_days(date(2018, 1, 8), 1) == date(2018, 1, 10)
