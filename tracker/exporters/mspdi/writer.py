"""The MSPDI document: project properties, text-field names, calendar, tasks, resources.

Written with the standard library's ElementTree, in the element order of Microsoft's
MSPDI schema (MS Project rejects a file whose elements are out of order).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from xml.etree.ElementTree import Element, ElementTree, SubElement, indent

from tracker.exporters.mspdi.calendar import CALENDAR_UID, build_calendars
from tracker.exporters.mspdi.resources import build_resources
from tracker.exporters.mspdi.tasks import TEXT_FIELDS, build_tasks
from tracker.exporters.mspdi.xml import (
    DAY_FINISH,
    DAY_START,
    FORMAT_DAYS,
    MINUTES_PER_DAY,
    NAMESPACE,
    add,
    end_of,
    start_of,
)
from tracker.plan.model import Plan
from tracker.schedule.passes import compute_schedule, plan_calendar
from tracker.state.forecast import ItemForecast

SAVE_VERSION = 14  # MS Project 2010's format, which 2010 and later read natively
# The names MS Project shows for our text fields.
TEXT_ALIASES = {"id": "ID del plan", "status": "Estado", "supports": "Apoyan"}


@dataclass(slots=True)
class Written:
    tasks: int
    resources: int
    assignments: int
    holidays: int


def build_project(
    plan: Plan, forecasts: Iterable[ItemForecast], as_of: date | None
) -> tuple[Element, Written]:
    """The ``<Project>`` element of the plan with its state as of ``as_of``."""
    calendar = plan_calendar(plan)
    outline = build_tasks(plan, forecasts, calendar, as_of)
    first = date(min(plan.meta.period.start, outline.start).year, 1, 1)
    last = date(max(plan.meta.period.end, outline.finish, as_of or outline.finish).year, 12, 31)
    calendars, holidays = build_calendars(
        calendar, plan.calendar_country or plan.meta.title, first, last
    )
    resources, assignments, assigned = build_resources(outline.rows)

    project = Element("Project", xmlns=NAMESPACE)
    add(project, "SaveVersion", SAVE_VERSION)
    add(project, "Name", plan.meta.id + ".xml")
    add(project, "Title", plan.meta.title.strip() or plan.meta.id)
    if plan.meta.organisation:
        add(project, "Company", plan.meta.organisation)
    add(project, "ScheduleFromStart", True)
    add(
        project,
        "StartDate",
        start_of(calendar.day(calendar.index_on_or_after(plan.meta.period.start))),
    )
    add(project, "FinishDate", end_of(outline.finish))
    add(project, "FYStartDate", 1)
    add(project, "CriticalSlackLimit", 0)
    add(project, "CalendarUID", CALENDAR_UID)
    add(project, "DefaultStartTime", DAY_START.strftime("%H:%M:%S"))
    add(project, "DefaultFinishTime", DAY_FINISH.strftime("%H:%M:%S"))
    add(project, "MinutesPerDay", MINUTES_PER_DAY)
    add(project, "MinutesPerWeek", MINUTES_PER_DAY * 5)
    add(project, "DaysPerMonth", 20)
    add(project, "DefaultTaskType", 1)
    add(project, "DurationFormat", FORMAT_DAYS)
    add(project, "WorkFormat", 2)  # hours
    add(project, "HonorConstraints", False)
    add(project, "NewTasksEffortDriven", False)
    add(project, "NewTasksEstimated", False)
    add(project, "WeekStartDay", 1)
    if as_of is not None:
        add(project, "StatusDate", end_of(as_of))
        add(project, "CurrentDate", start_of(as_of))
    add(project, "NewTasksAreManual", False)
    attributes = SubElement(project, "ExtendedAttributes")
    for number, (key, field_id) in enumerate(TEXT_FIELDS.items(), start=1):
        attribute = SubElement(attributes, "ExtendedAttribute")
        add(attribute, "FieldID", field_id)
        add(attribute, "FieldName", f"Text{number}")
        add(attribute, "Alias", TEXT_ALIASES[key])
    project.append(calendars)
    project.append(outline.tasks)
    project.append(resources)
    project.append(assignments)
    written = Written(len(outline.tasks), len(resources), assigned, holidays)
    return project, written


def planned(plan: Plan) -> list[ItemForecast]:
    """The plan's own schedule as if nothing had started: for a plan file without a database."""
    schedule = compute_schedule(plan)
    out = []
    for item in plan.items.values():
        s = schedule.items[item.id]
        leads = ", ".join(item.leads)
        out.append(
            ItemForecast(
                item.id, item.kind.value, item.group, item.title, leads, "pendiente", 0, "",
                item.duration, s.start, s.finish, s.start, s.finish, None, None, 0, False,
                False, s.critical, 0, "",
            )
        )  # fmt: skip
    return out


def write_mspdi(
    plan: Plan,
    forecasts: Iterable[ItemForecast],
    as_of: date | None,
    output: str | Path,
    *,
    force: bool = False,
) -> Written:
    """Write the MSPDI file (through tracker.exporters.output: atomically, an existing file
    replaced only under ``force``); what it holds is returned for the summary line."""
    from tracker.exporters.output import write_atomically

    project, written = build_project(plan, forecasts, as_of)
    indent(project, space=" ")

    def write(target: Path) -> None:
        with open(target, "wb") as fh:
            ElementTree(project).write(fh, encoding="UTF-8", xml_declaration=True)

    write_atomically(Path(output), write, force=force)
    return written
