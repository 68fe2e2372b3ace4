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
