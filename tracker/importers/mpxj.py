"""Every other format (.mpp, .mpx, .xer, .gan, ...) read by MPXJ, a Java library we did not
write, through JPype. Both are the optional extra ``msproject``; Java is Debian's
``default-jre-headless``. The JVM starts once per process (JPype cannot restart it).
"""

from __future__ import annotations

import shutil
from datetime import date, datetime
from typing import Any

from tracker.errors import InputError
from tracker.i18n import _
from tracker.importers.schedule import ForeignLink, ForeignSchedule, ForeignTask

CONSTRAINTS = {
    "AS_SOON_AS_POSSIBLE": "",
    "AS_LATE_AS_POSSIBLE": "alap",
    "MUST_START_ON": "mso",
    "MUST_FINISH_ON": "mfo",
    "START_NO_EARLIER_THAN": "snet",
    "START_NO_LATER_THAN": "snlt",
    "FINISH_NO_EARLIER_THAN": "fnet",
    "FINISH_NO_LATER_THAN": "fnlt",
    "START_ON": "mso",
    "FINISH_ON": "mfo",
}
JVM_OPTIONS = ("-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC")
LINK_TYPES = {
    "FINISH_START": "FS",
    "START_START": "SS",
    "FINISH_FINISH": "FF",
    "START_FINISH": "SF",
}


def missing_requirements() -> str | None:
    """What to install for MPXJ, in one line, or None when it can run."""
    try:
        import jpype
        import mpxj  # noqa: F401
    except ImportError:
        return _(
            "reading this format needs MPXJ: pip install 'resiliencia-tracker[msproject]' "
            "(mpxj and JPype1) and a Java runtime (apt-get install default-jre-headless)"
        )
    import jpype

    if not jpype.isJVMStarted() and shutil.which("java") is None:
        try:
            jpype.getDefaultJVMPath()
        except Exception:  # JPype raises its own JVMNotFoundException, not exported stably
            return _(
                "reading this format needs a Java runtime: apt-get install default-jre-headless"
            )
    return None


def start_java() -> None:
    """Start the JVM with MPXJ on its class path (once; later calls do nothing)."""
    problem = missing_requirements()
    if problem is not None:
        raise InputError(problem)
    import jpype
    import mpxj  # noqa: F401  (adds MPXJ's jars to the class path)

    if not jpype.isJVMStarted():
        # A command reads one file and exits: the quick compiler alone and one GC thread
        # halve the JVM's start-up CPU (1.2 s instead of 2.1 s for 1,000 tasks).
        jpype.startJVM(JVM_OPTIONS[0], JVM_OPTIONS[1], convertStrings=False)


def _date(value: Any) -> date | None:
    return None if value is None else date.fromisoformat(str(value.toLocalDate()))


def _when(value: Any) -> datetime | None:
    return None if value is None else datetime.fromisoformat(str(value))


def _days(duration: Any, properties: Any) -> float:
    if duration is None:
        return 0.0
    from org.mpxj import TimeUnit

    return float(duration.convertUnits(TimeUnit.DAYS, properties).getDuration())


def _lag(duration: Any, properties: Any) -> tuple[float, str]:
    if duration is None:
        return 0.0, ""
    unit = str(duration.getUnits())
    if "PERCENT" in unit:
        return 0.0, _("a lag in percent of the predecessor's duration dropped")
    if unit.startswith("ELAPSED"):
        from org.mpxj import TimeUnit

        hours = float(duration.convertUnits(TimeUnit.ELAPSED_HOURS, properties).getDuration())
        return hours / 24, _("an elapsed lag taken as working days")
    return _days(duration, properties), ""


def _task(task: Any, properties: Any) -> ForeignTask:
    constraint = task.getConstraintType()
    resources = []
    for assignment in task.getResourceAssignments():
        resource = assignment.getResource()
        name = str(resource.getName() or "") if resource is not None else ""
        if name and name not in resources:
            resources.append(name)
    percent = task.getPercentageComplete()
    out = ForeignTask(
        uid=str(task.getUniqueID()),
        name=str(task.getName() or ""),
        level=int(task.getOutlineLevel() or 0),
        wbs=str(task.getWBS() or ""),
        outline_number=str(task.getOutlineNumber() or ""),
        code=str(task.getActivityID() or ""),
        summary=bool(task.getSummary()),
        milestone=bool(task.getMilestone()),
        duration_days=_days(task.getDuration(), properties),
        start=_when(task.getStart()),
        finish=_when(task.getFinish()),
        notes=str(task.getNotes() or ""),
        constraint=CONSTRAINTS.get(str(constraint), "") if constraint is not None else "",
        constraint_date=_date(task.getConstraintDate()),
        deadline=_date(task.getDeadline()),
        resources=resources,
        active=bool(task.getActive()),
        progress=task.getActualStart() is not None
        or (percent is not None and float(percent.doubleValue()) > 0),
    )
    for relation in task.getPredecessors():
        lag, note = _lag(relation.getLag(), properties)
        out.links.append(
            ForeignLink(
                str(relation.getPredecessorTask().getUniqueID()),
                LINK_TYPES.get(str(relation.getType()), "FS"),
                lag,
                note,
            )
        )
    return out


def _holidays(project: Any) -> tuple[list[tuple[date, str]], list[str]]:
    calendar = project.getDefaultCalendar()
    notes: list[str] = []
    found: dict[date, str] = {}
    while calendar is not None:
        for exception in calendar.getCalendarExceptions():
            if exception.getWorking():
                notes.append(
                    _("working exception {name} not carried over").format(
                        name=str(exception.getName() or "?")
                    )
                )
                continue
            for expanded in exception.getExpandedExceptions():
                name = str(expanded.getName() or exception.getName() or "")
                day = expanded.getFromDate()
                last = expanded.getToDate()
                while not day.isAfter(last):
                    found.setdefault(date.fromisoformat(str(day)), name)
                    day = day.plusDays(1)
        calendar = calendar.getParent()
    return sorted(found.items()), notes


def read_with_mpxj(path: str) -> ForeignSchedule:
    """The schedule in ``path``, in any format MPXJ recognises."""
    start_java()
    from org.mpxj.reader import UniversalProjectReader

    try:
        project = UniversalProjectReader().read(path)
    except Exception as err:  # MPXJException and the Java errors behind a corrupt file
        raise InputError(
            _("{path}: not a readable project file ({error})").format(
                path=path, error=str(err).splitlines()[0] if str(err) else type(err).__name__
            )
        ) from err
    if project is None:
        raise InputError(_("{path}: not a project file MPXJ recognises").format(path=path))
    properties = project.getProjectProperties()
    tasks = [_task(t, properties) for t in project.getTasks() if not t.getNull()]
    holidays, notes = _holidays(project)
    return ForeignSchedule(
        title=str(properties.getProjectTitle() or properties.getName() or ""),
        start=_date(properties.getStartDate() or properties.getPlannedStart()),
        finish=_date(properties.getFinishDate()),
        tasks=tasks,
        holidays=holidays,
        notes=notes,
    )
