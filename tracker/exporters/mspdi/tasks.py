"""The task list: the plan as one outline, areas and stages as summary tasks over their items.

Each item carries its forecast (the state as of the date) as its current Start/Finish, the
frozen baseline as Baseline 0, its actual dates and percent complete. Items are fixed
duration and not effort driven, so assigning the lead organisations never changes a
duration when MS Project recalculates.

Start and Duration agree the way MS Project checks them: Duration is the working time from
Start to Finish (the remaining work of a started item is counted from the as-of date, so
it may differ from the planned duration, which stays in the baseline). A milestone is an
instant at the end of its day (17:00), as in our schedule.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date
from xml.etree.ElementTree import Element, SubElement

from tracker.errors import ExportError
from tracker.exporters.mspdi.xml import (
    FORMAT_DAYS,
    MINUTES_PER_DAY,
    add,
    days,
    duration,
    end_of,
    start_of,
)
from tracker.i18n import _
from tracker.plan.graph import dependency_edges
from tracker.plan.model import Item, ItemKind, Plan
from tracker.plan.statuses import REMOVED
from tracker.schedule.calendar import WorkCalendar
from tracker.state.forecast import ItemForecast

# The text fields: their MS Project field ids (Task Text1, Text2, Text3) and our names.
TEXT_FIELDS = {"id": 188743731, "status": 188743734, "supports": 188743737}

LINK_FINISH_START = 1
CONSTRAINT_AS_SOON_AS_POSSIBLE = 0
CONSTRAINT_START_NO_EARLIER_THAN = 4
TYPE_FIXED_DURATION = 1


NAME_LIMIT = 255  # MS Project's longest task name


def task_name(title: str, fallback: str) -> str:
    """The task's name: its title on one line (never empty), cut to what MS Project takes;
    a cut title is whole in the notes."""
    name = " ".join(title.split()) or fallback
    return name if len(name) <= NAME_LIMIT else name[: NAME_LIMIT - 1] + "…"


@dataclass(slots=True)
class TaskRow:
    """What the resources need to know of a written item."""

    uid: int
    start: str
    finish: str
    minutes: int
    percent: int
    leads: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Outline:
    tasks: Element
    rows: dict[str, TaskRow]  # item id -> its task
    start: date
    finish: date


def lead_names(plan: Plan, item: Item) -> list[str]:
    """The organisations leading ``item``, each once, as the resources' names.

    As the plan writes them for now; the one canonical-name function for organisations
    (tracker.plan.organisations) belongs here once it is on main.
    """
    names = (" ".join(r.who.split()) for r in item.roles if r.role == "lidera")
    return list(dict.fromkeys(name for name in names if name))


def _notes(plan: Plan, item: Item) -> str:
    parts: list[str] = []
    if task_name(item.title, item.id) != item.title:
        parts.append(item.title)
    if item.methodology:
        parts.append("Metodología:\n" + "\n".join(f"- {m}" for m in item.methodology))
    products = [plan.deliverables[d] for d in item.deliverables if d in plan.deliverables]
    if products:
        parts.append("Productos:\n" + "\n".join(f"- {p.id}: {p.title}" for p in products))
    if item.note:
        parts.append(item.note)
    return "\n\n".join(parts)


def _lags(plan: Plan) -> dict[str, dict[str, int]]:
    """Each item's prerequisites with their lag (an item waiting on another and on its
    product is one link, with the longer lag)."""
    lags: dict[str, dict[str, int]] = {}
    for pre, post, lag in dependency_edges(plan):
        edges = lags.setdefault(post, {})
        edges[pre] = max(lag, edges.get(pre, 0))
    return lags


class _Writer:
    def __init__(self, plan: Plan, calendar: WorkCalendar, as_of: date | None) -> None:
        self.plan = plan
        self.calendar = calendar
        self.as_of = as_of
        self.tasks = Element("Tasks")
        self.next_id = 0
        self.lags = _lags(plan)
        self.uids: dict[str, int] = {}
        self.rows: dict[str, TaskRow] = {}

    def span(self, start: date, finish: date) -> int:
        """Working days from ``start`` to ``finish``, both included."""
        cal = self.calendar
        return max(cal.index_on_or_before(finish) - cal.index_on_or_after(start) + 1, 0)

    def task(self, name: str, wbs: str, outline: str, level: int, active: bool = True) -> Element:
        uid = self.next_id
        self.next_id += 1
        task = SubElement(self.tasks, "Task")
        add(task, "UID", uid)
        add(task, "ID", uid)
        add(task, "Name", task_name(name, wbs))
        add(task, "Active", active)  # inactive: deferred or cancelled, holds nothing up
        add(task, "Manual", False)
        add(task, "Type", TYPE_FIXED_DURATION)
        add(task, "IsNull", False)
        add(task, "WBS", wbs)
        add(task, "OutlineNumber", outline)
        add(task, "OutlineLevel", level)
        add(task, "Priority", 500)
        return task

    def summary(
        self, name: str, wbs: str, outline: str, level: int, forecasts: Sequence[ItemForecast]
    ) -> None:
        task = self.task(name, wbs, outline, level)
        start = min(f.forecast_start for f in forecasts)
        finish = max(f.forecast_finish for f in forecasts)
        add(task, "Start", start_of(start))
        add(task, "Finish", end_of(finish))
        add(task, "Duration", days(self.span(start, finish)))
        add(task, "DurationFormat", FORMAT_DAYS)
        add(task, "EffortDriven", False)
        add(task, "Milestone", False)
        add(task, "Summary", True)
        add(task, "Critical", any(f.critical for f in forecasts))
        add(task, "CalendarUID", -1)
        base_start = min(f.baseline_start for f in forecasts)
        base_finish = max(f.baseline_finish for f in forecasts)
        baseline = SubElement(task, "Baseline")
        add(baseline, "Number", 0)
        add(baseline, "Start", start_of(base_start))
        add(baseline, "Finish", end_of(base_finish))
        add(baseline, "Duration", days(self.span(base_start, base_finish)))
        add(baseline, "DurationFormat", FORMAT_DAYS)

    def item(self, item: Item, forecast: ItemForecast, outline: str, level: int) -> None:
        uid = self.next_id
        task = self.task(item.title, item.id, outline, level, forecast.status not in REMOVED)
        milestone = item.kind is ItemKind.MILESTONE
        start, finish = forecast.forecast_start, forecast.forecast_finish
        span = 0 if milestone else self.span(start, finish)
        minutes = span * MINUTES_PER_DAY
        percent = 100 if forecast.status == "completada" else forecast.percent
        start_text = end_of(start) if milestone else start_of(start)
        finish_text = end_of(finish)
        add(task, "Start", start_text)
        add(task, "Finish", finish_text)
        add(task, "Duration", duration(minutes))
        add(task, "DurationFormat", FORMAT_DAYS)
        add(task, "EffortDriven", False)
        add(task, "Milestone", milestone)
        add(task, "Summary", False)
        add(task, "Critical", forecast.critical)
        add(task, "PercentComplete", percent)
        if forecast.actual_start is not None:  # started, even at 0 %: the forecast keeps it
            add(
                task,
                "ActualStart",
                end_of(forecast.actual_start) if milestone else start_of(forecast.actual_start),
            )
        if forecast.actual_finish is not None and forecast.status == "completada":
            add(task, "ActualFinish", end_of(forecast.actual_finish))
        done = minutes * percent // 100
        add(task, "ActualDuration", duration(done))
        add(task, "RemainingDuration", duration(minutes - done))
        constraint = self.constraint(item, forecast)
        add(
            task,
            "ConstraintType",
            CONSTRAINT_AS_SOON_AS_POSSIBLE
            if constraint is None
            else CONSTRAINT_START_NO_EARLIER_THAN,
        )
        add(task, "CalendarUID", -1)
        if constraint is not None:
            # A date off work means its next working day: say so, as MS Project would.
            opens = self.calendar.day(self.calendar.index_on_or_after(constraint))
            add(task, "ConstraintDate", start_of(opens))
        if item.deadline is not None:
            add(task, "Deadline", end_of(item.deadline))
        notes = _notes(self.plan, item)
        if notes:
            add(task, "Notes", notes)
        for pre, lag in self.lags.get(item.id, {}).items():
            link = SubElement(task, "PredecessorLink")
            add(link, "PredecessorUID", self.uids[pre])
            add(link, "Type", LINK_FINISH_START)
            add(link, "CrossProject", False)
            add(link, "LinkLag", lag * MINUTES_PER_DAY * 10)  # tenths of a minute
            add(link, "LagFormat", FORMAT_DAYS)
        supports = "; ".join(r.who for r in item.roles if r.role == "apoya")
        for key, value in (("id", item.id), ("status", forecast.status), ("supports", supports)):
            if value:
                attribute = SubElement(task, "ExtendedAttribute")
                add(attribute, "FieldID", TEXT_FIELDS[key])
                add(attribute, "Value", value)
        baseline = SubElement(task, "Baseline")
        add(baseline, "Number", 0)
        base_start = (
            end_of(forecast.baseline_start) if milestone else start_of(forecast.baseline_start)
        )
        add(baseline, "Start", base_start)
        add(baseline, "Finish", end_of(forecast.baseline_finish))
        add(baseline, "Duration", days(item.duration))
        add(baseline, "DurationFormat", FORMAT_DAYS)
        self.rows[item.id] = TaskRow(
            uid, start_text, finish_text, minutes, percent, lead_names(self.plan, item)
        )

    def constraint(self, item: Item, forecast: ItemForecast) -> date | None:
        """Start no earlier than: the plan's ``not_before``, or the as-of date where it holds
        an unstarted item back (so a tool that reschedules keeps our forecast)."""
        floor = item.not_before
        if (
            self.as_of is not None
            and forecast.actual_start is None
            and forecast.status not in REMOVED
            and forecast.status != "completada"
        ):
            first_open = self.calendar.day(self.calendar.index_on_or_after(self.as_of))
            if forecast.forecast_start == first_open and first_open > self._earliest(item):
                floor = max(floor or first_open, first_open)
        return floor

    def _earliest(self, item: Item) -> date:
        return max(item.not_before or self.plan.meta.period.start, self.plan.meta.period.start)


def build_tasks(
    plan: Plan,
    forecasts: Iterable[ItemForecast],
    calendar: WorkCalendar,
    as_of: date | None,
) -> Outline:
    """The ``<Tasks>`` element: the project's summary task (UID 0), then each area and stage
    with its items beneath, then the milestones, in document order."""
    by_key = {f.key: f for f in forecasts}
    everything = [by_key[k] for k in plan.items]
    if not everything:
        raise ExportError(_("the plan has no items to export"))
    # The outline first: a link may point to an item further down, so every UID is known
    # before the first task is written.
    outline: list[tuple[str, str, str, str, int, list[str]]] = []  # kind, key, title, number...
    position = 0
    placed: set[str] = set()
    groups: list[tuple[str, str, list[str]]] = [(a.id, a.title, a.task_ids) for a in plan.areas]
    groups += [(s.id, s.title, s.activity_ids) for s in plan.stages]
    for group_id, title, ids in groups:
        members = [k for k in ids if k in by_key]
        if not members:
            continue
        position += 1
        outline.append(("summary", group_id, title, str(position), 1, members))
        for n, key in enumerate(members, start=1):
            outline.append(("item", key, "", f"{position}.{n}", 2, []))
            placed.add(key)
    for key in plan.items:
        if key not in placed:  # milestones, and anything outside an area or stage
            position += 1
            outline.append(("item", key, "", str(position), 1, []))
    writer = _Writer(plan, calendar, as_of)
    writer.uids = {
        entry[1]: uid for uid, entry in enumerate(outline, start=1) if entry[0] == "item"
    }
    writer.summary(plan.meta.title, plan.meta.id, "0", 0, everything)
    for kind, key, title, number, level, members in outline:
        if kind == "summary":
            writer.summary(title, key, number, level, [by_key[k] for k in members])
        else:
            writer.item(plan.items[key], by_key[key], number, level)
    start = min(f.forecast_start for f in everything)
    finish = max(f.forecast_finish for f in everything)
    return Outline(writer.tasks, writer.rows, start, finish)
