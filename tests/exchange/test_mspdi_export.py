"""`tracker export mspdi`: the file read back by MPXJ, field by field, equals our state."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import PLAN, ROOT
from tracker.cli import main
from tracker.demo.generate import build_demo
from tracker.exporters.mspdi.resources import resource_name
from tracker.exporters.mspdi.tasks import lead_names
from tracker.plan.graph import dependency_edges
from tracker.plan.load import load_plan, parse_plan
from tracker.plan.model import ItemKind
from tracker.plan.statuses import REMOVED
from tracker.schedule.passes import plan_calendar
from tracker.state.plan_state import PlanState
from tracker.store.engine import make_engine, upgrade
from tracker.store.store import Store

from .conftest import local_date

AS_OF = date(2018, 4, 16)


def demo_state(tmp_path: Path, plan_path: str, as_of: date) -> tuple[str, PlanState]:
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    engine = make_engine(url)
    upgrade(engine)
    sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
    build_demo(sessions, load_plan(plan_path), as_of=as_of)
    engine.dispose()
    return url, Store(url).state(as_of)


def read_back(mpxj: Any, path: Path) -> Any:
    from org.mpxj.reader import UniversalProjectReader

    return UniversalProjectReader().read(str(path))


def check_against_ours(mpxj: Any, data: PlanState, path: Path) -> dict[str, int]:
    """Every field MPXJ reads from ``path`` against the plan and forecast of ``data``."""
    plan = data.plan
    calendar = plan_calendar(plan)
    project = read_back(mpxj, path)
    tasks = [t for t in project.getTasks() if t.getUniqueID() is not None]
    # Unique UIDs, IDs in document order, no empty names.
    uids = [int(t.getUniqueID()) for t in tasks]
    assert len(set(uids)) == len(uids)
    assert [int(t.getID()) for t in tasks] == list(range(len(tasks)))
    assert all(str(t.getName() or "").strip() for t in tasks)

    by_id = {str(t.getText(1)): t for t in tasks if t.getText(1) is not None}
    assert list(by_id) == list(plan.items)  # every item, in document order
    summaries = {str(t.getWBS()): t for t in tasks if t.getSummary() and t.getOutlineLevel() == 1}
    groups = [a.id for a in plan.areas if a.task_ids] + [s.id for s in plan.stages]
    assert list(summaries) == groups
    for group in groups:
        assert str(summaries[group].getName()) == plan.group_title(group)

    edges: dict[str, dict[str, int]] = {}
    for pre, post, lag in dependency_edges(plan):
        edges.setdefault(post, {})
        edges[post][pre] = max(lag, edges[post].get(pre, 0))
    minutes_per_day = project.getProjectProperties().getMinutesPerDay().intValue()
    assert minutes_per_day == 480
    counts = {"actual_start": 0, "actual_finish": 0, "assignments": 0, "links": 0, "lags": 0}
    for f in data.forecast.items:
        item = plan.items[f.key]
        task = by_id[f.key]
        assert str(task.getName()) == item.title  # the plans' titles are single-line, short
        assert str(task.getWBS()) == item.id
        parent = task.getParentTask()
        if item.group:
            assert str(parent.getWBS()) == item.group
        else:
            assert item.kind is ItemKind.MILESTONE and task.getOutlineLevel() == 1
        # The forecast is the current schedule; the frozen baseline is Baseline 0.
        assert local_date(task.getStart()) == f.forecast_start, f.key
        assert local_date(task.getFinish()) == f.forecast_finish, f.key
        assert local_date(task.getBaselineStart()) == f.baseline_start, f.key
        assert local_date(task.getBaselineFinish()) == f.baseline_finish, f.key
        assert task.getBaselineDuration().getDuration() == item.duration
        assert str(task.getBaselineDuration().getUnits()) == "d"
        duration = task.getDuration()
        assert str(duration.getUnits()) == "d"
        if item.kind is ItemKind.MILESTONE:
            assert task.getMilestone() and duration.getDuration() == 0
        elif f.actual_start is None and f.status not in REMOVED:
            assert duration.getDuration() == item.duration, f.key
        else:  # started or done: the working days its dates span
            span = calendar.working_days_between(f.forecast_start, f.forecast_finish) + 1
            assert duration.getDuration() == span, f.key
        assert bool(task.getActive()) == (f.status not in REMOVED)
        percent = 100 if f.status == "completada" else f.percent
        assert task.getPercentageComplete().intValue() == percent, f.key
        assert str(task.getText(2)) == f.status
        if f.status == "completada":
            assert local_date(task.getActualFinish()) == f.actual_finish, f.key
            counts["actual_finish"] += 1
        else:
            assert task.getActualFinish() is None
        if f.actual_start is not None:
            assert local_date(task.getActualStart()) == f.actual_start, f.key
            counts["actual_start"] += 1
        else:
            assert task.getActualStart() is None, f.key
        links = {
            str(r.getPredecessorTask().getText(1)): r.getLag().getDuration()
            for r in task.getPredecessors()
        }
        assert all(str(r.getType()) == "FS" for r in task.getPredecessors())
        assert links == edges.get(item.id, {}), f.key
        counts["links"] += len(links)
        counts["lags"] += sum(1 for lag in links.values() if lag)
        resources = [str(a.getResource().getName()) for a in task.getResourceAssignments()]
        leads = lead_names(plan, item)
        assert resources == list(dict.fromkeys(resource_name(w) for w in leads)), f.key
        assert {" ".join(w.split()) for w in item.leads} == set(leads)
        counts["assignments"] += len(resources)
        supports = "; ".join(r.who for r in item.roles if r.role == "apoya")
        assert str(task.getText(3) or "") == supports
        if item.methodology:
            assert item.methodology[0] in str(task.getNotes())
        if item.not_before is not None:
            assert str(task.getConstraintType()) == "START_NO_EARLIER_THAN"
            assert local_date(task.getConstraintDate()) >= item.not_before
        if item.deadline is not None:
            assert local_date(task.getDeadline()) == item.deadline

    cal = project.getDefaultCalendar()
    exceptions = {
        local_date(e.getFromDate()): str(e.getName()) for e in cal.getCalendarExceptions()
    }
    first, last = min(exceptions), max(exceptions)
    assert exceptions == dict(calendar.holidays_between(first, last))
    assert first.year <= plan.meta.period.start.year
    assert last.year >= data.forecast.overall.forecast_finish.year  # type: ignore[union-attr]
    from java.time import DayOfWeek

    assert cal.isWorkingDay(DayOfWeek.MONDAY) and not cal.isWorkingDay(DayOfWeek.SATURDAY)
    assert not cal.isWorkingDay(DayOfWeek.SUNDAY)
    return counts


def test_the_bundled_plan_as_of_the_demo_date_reads_back_in_mpxj(mpxj: Any, tmp_path: Path) -> None:
    url, data = demo_state(tmp_path, str(PLAN), AS_OF)
    out = tmp_path / "plan.xml"
    assert main(["export", "mspdi", "--db", url, "--as-of", AS_OF.isoformat(), "-o", str(out)]) == 0
    counts = check_against_ours(mpxj, data, out)
    # The demo has finished, started and open work, links with lags and assignments.
    assert counts["actual_finish"] >= 20 and counts["actual_start"] > counts["actual_finish"] - 1
    assert counts["links"] >= 40 and counts["assignments"] >= 40
    text = out.read_text(encoding="utf-8")
    assert "Día de los Mártires" in text and "<LinkLag>" in text
    # 9 January 2018 is a named exception in the file, and MPXJ counts it as a day off.
    project = read_back(mpxj, out)
    from java.time import LocalDate

    assert not project.getDefaultCalendar().isWorkingDate(LocalDate.of(2018, 1, 9))
    assert project.getDefaultCalendar().isWorkingDate(LocalDate.of(2018, 1, 10))


def test_a_generated_plan_of_1000_items_reads_back_in_mpxj(mpxj: Any, tmp_path: Path) -> None:
    source = _generated_plan(tmp_path, 1000)
    as_of = date(2018, 3, 1)
    url, data = demo_state(tmp_path, str(source), as_of)
    assert len(data.forecast.items) == 1000
    out = tmp_path / "g1000.xml"
    assert main(["export", "mspdi", "--db", url, "--as-of", as_of.isoformat(), "-o", str(out)]) == 0
    counts = check_against_ours(mpxj, data, out)
    assert counts["actual_finish"] > 100 and counts["links"] > 1000 and counts["lags"] > 50


def test_a_plan_file_goes_to_mspdi_and_back_unchanged(tmp_path: Path) -> None:
    """Without a database: the plan's own schedule, imported again, schedules the same."""
    out = tmp_path / "plan.xml"
    back = tmp_path / "back.yaml"
    assert main(["export", "mspdi", "--plan-file", str(PLAN), "-o", str(out)]) == 0
    assert main(["import", "mspdi", str(out), "-o", str(back)]) == 0
    original = load_plan(str(PLAN))
    again = parse_plan(str(back), back.read_text(encoding="utf-8"))
    from tracker.schedule.passes import compute_schedule

    ours, theirs = compute_schedule(original), compute_schedule(again)
    assert {k: (s.start, s.finish) for k, s in ours.items.items()} == {
        k: (s.start, s.finish) for k, s in theirs.items.items()
    }
    assert [(i.id, i.title, i.duration) for i in again.items.values()] == [
        (i.id, i.title, i.duration) for i in original.items.values()
    ]
    assert {(p, s, lag) for p, s, lag in dependency_edges(again)} == {
        (p, s, lag) for p, s, lag in dependency_edges(original)
    }
    assert [a.id for a in again.areas] == [a.id for a in original.areas] + [
        s.id for s in original.stages
    ]


def test_names_ms_project_would_refuse_are_made_acceptable(tmp_path: Path) -> None:
    """A 300-character title is cut (whole in the notes); a lead with commas and brackets
    becomes a valid resource name; the file is well-formed XML."""
    from xml.etree.ElementTree import parse

    from tests.db.helpers import SMALL

    long_title = "Diagnóstico " * 25
    text = SMALL.replace("title: Tarea A", f"title: {long_title.strip()}").replace(
        "who: DGS", 'who: "FSU, UTP [apoyo]"'
    )
    plan_file = tmp_path / "plan.yaml"
    plan_file.write_text(text, encoding="utf-8")
    out = tmp_path / "plan.xml"
    assert main(["export", "mspdi", "--plan-file", str(plan_file), "-o", str(out)]) == 0
    ns = {"p": "http://schemas.microsoft.com/project"}
    root = parse(out).getroot()
    names = [t.findtext("p:Name", namespaces=ns) or "" for t in root.iterfind("p:Tasks/p:Task", ns)]
    assert all(0 < len(n) <= 255 for n in names)
    task_a = next(
        t for t in root.iterfind("p:Tasks/p:Task", ns) if t.findtext("p:WBS", namespaces=ns) == "A"
    )
    assert (task_a.findtext("p:Notes", namespaces=ns) or "").startswith(long_title.strip())
    resources = [
        r.findtext("p:Name", namespaces=ns) for r in root.iterfind("p:Resources/p:Resource", ns)
    ]
    assert resources == ["FSU; UTP (apoyo)"]


def _generated_plan(tmp_path: Path, n: int) -> Path:
    import sys

    sys.path.insert(0, str(ROOT / "bench"))
    try:
        from gen_plan import generate_plan
    finally:
        sys.path.remove(str(ROOT / "bench"))
    source = tmp_path / f"g{n}.yaml"
    source.write_text(generate_plan(n), encoding="utf-8")
    return source


def test_mpxj_scheduling_our_file_like_ms_project_finds_our_schedule(
    mpxj: Any, tmp_path: Path
) -> None:
    """MPXJ's MicrosoftScheduler (MS Project's rules, code we did not write) recomputes the
    exported plans from their durations, links, lags, constraints and calendar alone: every
    start and finish equals ours, as tj3's do in tests/unit/test_tj3_crosscheck.py."""
    from java.time import LocalDateTime
    from org.mpxj.cpm import MicrosoftScheduler

    from tracker.schedule.passes import compute_schedule

    for source in (PLAN, _generated_plan(tmp_path, 1000)):
        out = tmp_path / "plan.xml"
        assert main(["export", "mspdi", "--plan-file", str(source), "-o", str(out), "--force"]) == 0
        plan = load_plan(str(source))
        project = read_back(mpxj, out)
        for task in project.getTasks():  # forget the stored dates: MPXJ must find them
            if not task.getSummary():
                task.setStart(None)
                task.setFinish(None)
        start = plan.meta.period.start
        MicrosoftScheduler().schedule(
            project, LocalDateTime.of(start.year, start.month, start.day, 8, 0)
        )
        ours = compute_schedule(plan).items
        theirs = {
            str(t.getText(1)): (local_date(t.getStart()), local_date(t.getFinish()))
            for t in project.getTasks()
            if t.getText(1) is not None
        }
        assert theirs == {k: (s.start, s.finish) for k, s in ours.items()}
    # The generated plan has what the bundled one lacks: lags and not-before dates.
    assert any(i.not_before for i in plan.items.values())
    assert any(d.lag for i in plan.items.values() for d in i.depends_on)
