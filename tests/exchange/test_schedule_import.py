"""`tracker import mspdi|mpx|...`: a schedule built and scheduled by MPXJ (a scheduler we did
not write) becomes a plan whose own schedule gives the dates stored in the file."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tracker.cli import main
from tracker.plan.load import parse_plan
from tracker.schedule.passes import compute_schedule

from .conftest import local_date


def build_project(mpxj: Any) -> Any:
    """Two summary tasks (one nested), a lag, a link to a summary task, a holiday (9 January
    2018, a Tuesday), a milestone and a start-no-earlier-than constraint."""
    from java.lang import Double
    from java.time import LocalDate, LocalDateTime
    from org.mpxj import ConstraintType, Duration, ProjectFile, Relation, RelationType, TimeUnit

    project = ProjectFile()
    calendar = project.addDefaultBaseCalendar()
    project.setDefaultCalendar(calendar)
    holiday = calendar.addCalendarException(LocalDate.of(2018, 1, 9), LocalDate.of(2018, 1, 9))
    holiday.setName("Día de los Mártires")
    properties = project.getProjectProperties()
    properties.setStartDate(LocalDateTime.of(2018, 1, 2, 8, 0))
    properties.setProjectTitle("Estudio de movilidad (consultor)")

    def task(parent: Any, name: str, days: int, wbs: str) -> Any:
        t = parent.addTask()
        t.setName(name)
        t.setWBS(wbs)
        t.setDuration(Duration.getInstance(days, TimeUnit.DAYS))
        t.setActualDuration(Duration.getInstance(0, TimeUnit.DAYS))
        t.setRemainingDuration(Duration.getInstance(days, TimeUnit.DAYS))
        if days == 0:
            t.setMilestone(True)
        return t

    def link(pre: Any, post: Any, lag_days: int = 0) -> None:
        post.addPredecessor(
            Relation.Builder()
            .predecessorTask(pre)
            .type(RelationType.FINISH_START)
            .lag(Duration.getInstance(lag_days, TimeUnit.DAYS))
        )

    diagnosis = project.addTask()
    diagnosis.setName("Diagnóstico")
    diagnosis.setWBS("1")
    survey = task(diagnosis, "Encuesta de origen y destino", 6, "1.1")
    counts = task(diagnosis, "Conteos vehiculares", 3, "1.2")
    link(survey, counts, lag_days=2)
    field = diagnosis.addTask()
    field.setName("Trabajo de campo")
    field.setWBS("1.3")
    visits = task(field, "Visitas a terminales", 4, "1.3.1")
    link(survey, visits)
    proposals = project.addTask()
    proposals.setName("Propuestas")
    proposals.setWBS("2")
    workshop = task(proposals, "Taller de propuestas", 2, "2.1")
    link(diagnosis, workshop, lag_days=1)  # a link from a summary task: from all under it
    report = task(proposals, "Informe final", 6, "2.2")
    link(workshop, report)
    report.setConstraintType(ConstraintType.START_NO_EARLIER_THAN)
    report.setConstraintDate(LocalDateTime.of(2018, 2, 5, 8, 0))
    milestone = task(project, "Entrega al municipio", 0, "3")
    link(report, milestone)
    resource = project.addResource()
    resource.setName("EY Smart Transport Advisory")
    assignment = survey.addResourceAssignment(resource)
    assignment.setWork(Duration.getInstance(48, TimeUnit.HOURS))
    assignment.setActualWork(Duration.getInstance(0, TimeUnit.HOURS))
    assignment.setRemainingWork(Duration.getInstance(48, TimeUnit.HOURS))
    for t in project.getTasks():
        t.setPercentageComplete(Double(0.0))
    from org.mpxj.cpm import MicrosoftScheduler

    MicrosoftScheduler().schedule(project, LocalDateTime.of(2018, 1, 2, 8, 0))
    return project


def write(project: Any, path: Path, fmt: str) -> None:
    from org.mpxj.writer import FileFormat, UniversalProjectWriter

    UniversalProjectWriter(getattr(FileFormat, fmt)).write(project, str(path))


@pytest.mark.parametrize(
    ("verb", "fmt", "suffix"), [("mspdi", "MSPDI", "xml"), ("mpx", "MPX", "mpx")]
)
def test_a_schedule_written_by_mpxj_imports_with_its_dates(
    mpxj: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str], verb: str, fmt: str, suffix: str
) -> None:
    project = build_project(mpxj)
    source = tmp_path / f"consultor.{suffix}"
    write(project, source, fmt)
    out = tmp_path / "plan.yaml"
    assert main(["import", verb, str(source), "-o", str(out)]) == 0
    printed = capsys.readouterr().out
    assert "6 of 6 items scheduled on the dates stored" in printed, printed

    plan = parse_plan(str(out), out.read_text(encoding="utf-8"))
    assert [a.id for a in plan.areas] == ["1", "2"]
    assert plan.areas[0].task_ids == ["1.1", "1.2", "1.3.1"]  # the nested summary flattened
    assert [h.day for h in plan.extra_holidays] == [date(2018, 1, 9)]
    if verb == "mspdi":  # MPX keeps no names of exceptions
        assert plan.extra_holidays[0].name == "Día de los Mártires"
    assert plan.items["3"].kind.value == "milestone"
    assert plan.items["1.2"].depends_on[0].id == "1.1" and plan.items["1.2"].depends_on[0].lag == 2
    assert {(d.id, d.lag) for d in plan.items["2.1"].depends_on} == {
        ("1.1", 1),
        ("1.2", 1),
        ("1.3.1", 1),
    }
    assert plan.items["2.2"].not_before == date(2018, 2, 5)
    assert plan.items["1.1"].leads == ["EY Smart Transport Advisory"]

    schedule = compute_schedule(plan)
    for task in project.getTasks():
        wbs = str(task.getWBS() or "")
        if wbs in plan.items:
            ours = schedule.items[wbs]
            assert ours.start == local_date(task.getStart()), wbs
            assert ours.finish == local_date(task.getFinish()), wbs
    # The holiday moved the work: the 6-day survey from Tuesday 2 January ends on the 9th
    # without it, on the 10th with it.
    assert schedule.items["1.1"].finish == date(2018, 1, 10)
    assert main(["plan", "check", str(out)]) == 0


def test_a_corrupt_or_truncated_file_is_one_line_and_exit_2(
    mpxj: Any, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    project = build_project(mpxj)
    good = tmp_path / "good.xml"
    write(project, good, "MSPDI")
    truncated = tmp_path / "truncated.xml"
    truncated.write_bytes(good.read_bytes()[: len(good.read_bytes()) // 2])
    garbage = tmp_path / "garbage.mpp"
    garbage.write_bytes(b"\xd0\xcf\x11\xe0 not really a compound file" * 10)
    out = tmp_path / "plan.yaml"
    for verb, path in (("mspdi", truncated), ("mpp", garbage), ("mpx", truncated)):
        assert main(["import", verb, str(path), "-o", str(out)]) == 2
        err = capsys.readouterr().err
        assert err.count("\n") == 1 and str(path) in err, err
        assert not out.exists()


def test_without_mpxj_the_command_says_what_to_install(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "mpxj", None)  # import mpxj raises ImportError
    source = tmp_path / "x.mpp"
    source.write_bytes(b"whatever")
    assert main(["import", "mpp", str(source), "-o", str(tmp_path / "p.yaml")]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "msproject" in err and "default-jre-headless" in err


def _task(uid: int, name: str, level: int, wbs: str, extra: str = "") -> str:
    return (
        f"<Task><UID>{uid}</UID><ID>{uid}</ID><Name>{name}</Name><WBS>{wbs}</WBS>"
        f"<OutlineLevel>{level}</OutlineLevel><Duration>PT16H0M0S</Duration>{extra}</Task>"
    )


def test_what_does_not_fit_is_reported_line_by_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Start-to-start links, leads, lags in percent, other constraints, half days, progress
    and recurring exceptions have no place in our plans: each is named in the report."""
    link = "<PredecessorLink><PredecessorUID>{}</PredecessorUID><Type>{}</Type>" \
        "<LinkLag>{}</LinkLag><LagFormat>{}</LagFormat></PredecessorLink>"  # fmt: skip
    tasks = [
        _task(0, "Proyecto", 0, "0"),
        _task(1, "Área", 1, "1"),
        _task(2, "Primera", 2, "1.1", "<PercentComplete>50</PercentComplete>"),
        _task(3, "Segunda", 2, "1.2", link.format(2, 3, 0, 7)),  # start-to-start
        _task(4, "Tercera", 2, "1.3", link.format(2, 1, -4800, 7)),  # a lead of one day
        _task(5, "Cuarta", 2, "1.4", link.format(2, 1, 500, 19)),  # 50 % of the predecessor
        _task(
            6,
            "Quinta",
            2,
            "1.5",
            "<ConstraintType>7</ConstraintType>"
            "<ConstraintDate>2018-03-01T17:00:00</ConstraintDate>",
        ),
        _task(7, "Sexta", 2, "1.6", "<ConstraintType>1</ConstraintType>"),
    ]
    tasks[-1] = tasks[-1].replace("PT16H0M0S", "PT12H0M0S")  # a day and a half
    xml = f"""<?xml version="1.0" encoding="UTF-8"?>
<Project xmlns="http://schemas.microsoft.com/project"><Title>Consultoría</Title>
<StartDate>2018-01-02T08:00:00</StartDate><CalendarUID>1</CalendarUID>
<Calendars><Calendar><UID>1</UID><Name>Estándar</Name><BaseCalendarUID>-1</BaseCalendarUID>
<Exceptions><Exception><TimePeriod><FromDate>2018-12-25T00:00:00</FromDate>
<ToDate>2020-12-25T23:59:00</ToDate></TimePeriod><Occurrences>3</Occurrences><Name>Navidad</Name>
<Type>2</Type><DayWorking>0</DayWorking></Exception></Exceptions></Calendar></Calendars>
<Tasks>{"".join(tasks)}</Tasks></Project>"""
    source = tmp_path / "consultoria.xml"
    source.write_text(xml, encoding="utf-8")
    out = tmp_path / "plan.yaml"
    assert main(["import", "mspdi", str(source), "-o", str(out)]) == 0
    report = capsys.readouterr().out
    for expected in (
        "1.2: SS link from Primera dropped (only finish-to-start)",
        "1.3: lead of 1 days from Primera taken as no lag",
        "1.4: a lag in percent of the predecessor's duration dropped",
        "1.5: finish constraint kept as a deadline 2018-03-01",
        "1.6: constraint ALAP not carried over",
        "1.6: duration of 1.5 working days rounded up to 2",
        "progress of 1 tasks not carried over",
        "recurring exception Navidad not carried over",
    ):
        assert expected in report, report
    plan = parse_plan(str(out), out.read_text(encoding="utf-8"))
    assert plan.items["1.5"].deadline == date(2018, 3, 1)
    assert [d.id for d in plan.items["1.3"].depends_on] == ["1.1"]
    assert plan.items["1.2"].depends_on == [] and plan.items["1.6"].duration == 2
