"""A foreign schedule as a plan file of our format, and the report of what did not fit.

What maps: top-level summary tasks become areas (a deeper outline is flattened into its
top-level area), leaf tasks their tasks, milestones the plan's milestones, finish-to-start
links with their lag, "start no earlier than" / "must start on" as ``not_before``, deadlines,
notes, assigned resources as leading organisations, the calendar's days off as holidays.
A link to or from a summary task stands for links to or from every task under it, as in
MS Project. Everything else (other link types, negative lags, other constraints, progress)
is reported, and the plan's own schedule is compared with the dates stored in the file.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, time
from typing import Any

import yaml

from tracker.i18n import _
from tracker.importers.schedule import ForeignSchedule, ForeignTask
from tracker.plan.load import FORMAT, parse_plan
from tracker.plan.model import Plan
from tracker.schedule.calendar import WorkCalendar
from tracker.schedule.passes import compute_schedule

_NOT_IN_ID = re.compile(r"[\s,]+")
END_OF_DAY = time(17, 0)
START_OF_DAY = time(8, 0)
MISMATCHES_SHOWN = 5


@dataclass(slots=True)
class Conversion:
    text: str  # the plan file
    plan: Plan  # as our loader reads it back
    report: list[str] = field(default_factory=list)  # what could not be carried over
    tasks: int = 0
    areas: int = 0
    milestones: int = 0
    links: int = 0
    holidays: int = 0
    matching: int = 0  # items whose scheduled dates equal those stored in the source
    dated: int = 0  # items with dates stored in the source


def _slug(text: str) -> str:
    ascii_text = text.encode("ascii", "ignore").decode().lower()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text)[:60].strip("-") or "importado"


class _Builder:
    def __init__(self, schedule: ForeignSchedule) -> None:
        self.schedule = schedule
        self.report: list[str] = list(schedule.notes)
        self.tasks = [t for t in schedule.tasks if t.level >= 1]
        # One summary task over everything (Primavera's project node, a project summary
        # written as a task) is the project itself: its children are the areas.
        while (
            len(self.tasks) > 1
            and sum(1 for t in self.tasks if t.level == self.tasks[0].level) == 1
        ):
            top = self.tasks.pop(0)
            self.report.append(
                _("summary task {name} taken as the whole project").format(name=top.name)
            )
            self.tasks = [t for t in self.tasks if t.level > top.level]
        self.by_uid = {t.uid: t for t in self.tasks}
        self.children: dict[str, list[ForeignTask]] = {}
        self.parent: dict[str, ForeignTask | None] = {}
        stack: list[ForeignTask] = []
        for task in self.tasks:
            while stack and stack[-1].level >= task.level:
                stack.pop()
            self.parent[task.uid] = stack[-1] if stack else None
            if stack:
                self.children.setdefault(stack[-1].uid, []).append(task)
            stack.append(task)
        self.ids: dict[str, str] = {}
        self.area_ids: dict[str, str] = {}
        self.links = 0

    def is_group(self, task: ForeignTask) -> bool:
        return task.uid in self.children

    def leaves_under(self, task: ForeignTask) -> list[ForeignTask]:
        out: list[ForeignTask] = []
        for child in self.children.get(task.uid, []):
            out += self.leaves_under(child) if self.is_group(child) else [child]
        return out

    def top(self, task: ForeignTask) -> ForeignTask | None:
        parent = self.parent[task.uid]
        while parent is not None and self.parent[parent.uid] is not None:
            parent = self.parent[parent.uid]
        return parent

    @staticmethod
    def _unique(candidate: str, uid: str, taken: set[str]) -> str:
        value = _NOT_IN_ID.sub("_", candidate.strip()) or f"T{uid}"
        if value in taken:
            value = f"{value}~{uid}"
        taken.add(value)
        return value

    def name_everything(self) -> None:
        taken: set[str] = set()
        areas: set[str] = set()
        for task in self.tasks:
            candidate = task.code or task.wbs or task.outline_number or f"T{task.uid}"
            if self.is_group(task):
                if self.parent[task.uid] is None:
                    self.area_ids[task.uid] = self._unique(candidate, task.uid, areas)
            else:
                self.ids[task.uid] = self._unique(candidate, task.uid, taken)

    def duration(self, task: ForeignTask) -> int:
        days = task.duration_days
        whole = math.ceil(days - 1e-6) if days > 0 else 0
        if abs(whole - days) > 1e-6:
            self.report.append(
                _("{id}: duration of {days:g} working days rounded up to {whole}").format(
                    id=self.ids[task.uid], days=days, whole=whole
                )
            )
        return whole

    def depends_on(self, task: ForeignTask) -> list[dict[str, Any]]:
        """The task's own links and those of every summary task above it."""
        own = self.ids[task.uid]
        lags: dict[str, int] = {}
        holder: ForeignTask | None = task
        while holder is not None:
            for link in holder.links:
                pre = self.by_uid.get(link.predecessor)
                if pre is None:
                    self.report.append(
                        _("{id}: link from unknown task {uid} dropped").format(
                            id=own, uid=link.predecessor
                        )
                    )
                    continue
                if link.kind != "FS":
                    self.report.append(
                        _("{id}: {kind} link from {pre} dropped (only finish-to-start)").format(
                            id=own, kind=link.kind, pre=pre.name or pre.uid
                        )
                    )
                    continue
                if link.lag_note:
                    self.report.append(f"{own}: {link.lag_note}")
                lag = round(link.lag_days)
                if lag < 0:
                    self.report.append(
                        _("{id}: lead of {days:g} days from {pre} taken as no lag").format(
                            id=own, days=-link.lag_days, pre=pre.name or pre.uid
                        )
                    )
                    lag = 0
                elif abs(lag - link.lag_days) > 1e-6:
                    self.report.append(
                        _("{id}: lag of {days:g} working days rounded to {lag}").format(
                            id=own, days=link.lag_days, lag=lag
                        )
                    )
                for leaf in self.leaves_under(pre) if self.is_group(pre) else [pre]:
                    key = self.ids[leaf.uid]
                    if key != own:
                        lags[key] = max(lag, lags.get(key, 0))
            holder = self.parent[holder.uid]
        self.links += len(lags)
        return [
            {"id": key, "lag": lag, "source": "documento"}
            if lag
            else {"id": key, "source": "documento"}
            for key, lag in lags.items()
        ]

    def entry(self, task: ForeignTask, milestone: bool) -> dict[str, Any]:
        key = self.ids[task.uid]
        out: dict[str, Any] = {"id": key, "title": " ".join(task.name.split()) or key}
        if not milestone:
            out["duration"] = self.duration(task)
            out["duration_source"] = "documento"
        elif task.duration_days > 0:
            self.report.append(
                _("{id}: a milestone with a duration; kept as a milestone").format(id=key)
            )
        depends = self.depends_on(task)
        if depends:
            out["depends_on"] = depends
        self.constraints(task, key, out)
        if task.resources:
            out["roles"] = [{"role": "lidera", "who": who} for who in task.resources]
        if task.notes.strip():
            out["note"] = task.notes.strip()
        if not task.active:
            self.report.append(_("{id}: inactive in the source; imported as active").format(id=key))
        return out

    def constraints(self, task: ForeignTask, key: str, out: dict[str, Any]) -> None:
        kind, day = task.constraint, task.constraint_date
        if kind in ("snet", "mso") and day is not None:
            out["not_before"] = day
            if kind == "mso":
                self.report.append(
                    _("{id}: 'must start on' kept as 'not before' {day}").format(id=key, day=day)
                )
        elif kind in ("fnlt", "mfo") and day is not None and task.deadline is None:
            out["deadline"] = day
            self.report.append(
                _("{id}: finish constraint kept as a deadline {day}").format(id=key, day=day)
            )
        elif kind and kind not in ("snet", "mso"):
            self.report.append(
                _("{id}: constraint {kind} not carried over").format(id=key, kind=kind.upper())
            )
        if task.deadline is not None:
            out["deadline"] = task.deadline


def _period(schedule: ForeignSchedule) -> tuple[date, date]:
    starts = [t.start.date() for t in schedule.tasks if t.start is not None]
    finishes = [t.finish.date() for t in schedule.tasks if t.finish is not None]
    # Dates the plan checks against its period: deadlines and constraint dates.
    finishes += [t.deadline for t in schedule.tasks if t.deadline is not None]
    finishes += [t.constraint_date for t in schedule.tasks if t.constraint_date is not None]
    start = schedule.start or min(starts, default=None) or date.today()
    end = max([*finishes, *([schedule.finish] if schedule.finish else []), start])
    return start, end


def build_document(
    schedule: ForeignSchedule, source: str
) -> tuple[dict[str, Any], _Builder, int, int]:
    builder = _Builder(schedule)
    builder.name_everything()
    start, end = _period(schedule)
    title = " ".join(schedule.title.split()) or source
    doc: dict[str, Any] = {
        "format": FORMAT,
        "plan": {
            "id": _slug(title),
            "title": title,
            "period": {"start": start, "end": end},
            "source": {"title": title, "file": source},
        },
    }
    holidays = {day: name for day, name in sorted(schedule.holidays) if day.weekday() < 5}
    if holidays:
        doc["calendar"] = {
            "extra_holidays": [
                {"date": day, "name": name} if name else {"date": day}
                for day, name in holidays.items()
            ]
        }
    areas: dict[str, dict[str, Any]] = {}
    loose: list[dict[str, Any]] = []
    milestones: list[dict[str, Any]] = []
    for task in builder.tasks:
        if builder.is_group(task):
            if builder.parent[task.uid] is None:
                key = builder.area_ids[task.uid]
                title = " ".join(task.name.split()) or key
                areas[task.uid] = {"id": key, "title": title, "tasks": []}
            continue
        milestone = task.milestone or task.duration_days <= 0
        entry = builder.entry(task, milestone)
        top = builder.top(task)
        if milestone:
            if top is not None:
                entry["note"] = (entry.get("note", "") + "\n" if "note" in entry else "") + (
                    _("under {area} in the source").format(area=top.name)
                )
            milestones.append(entry)
        elif top is None:
            loose.append(entry)
        else:
            areas[top.uid]["tasks"].append(entry)
    flattened = sum(
        1 for t in builder.tasks if builder.is_group(t) and builder.parent[t.uid] is not None
    )
    if flattened:
        builder.report.append(
            _("{n} nested summary tasks flattened into their top-level area").format(n=flattened)
        )
    area_list = [a for a in areas.values() if a["tasks"]]
    if loose:
        taken = {a["id"] for a in area_list}
        key = "0" if "0" not in taken else "0~"
        area_list.append({"id": key, "title": title, "tasks": loose})
        builder.report.append(
            _("{n} top-level tasks gathered in area {id}").format(n=len(loose), id=key)
        )
    if area_list:
        doc["areas"] = area_list
    if milestones:
        doc["milestones"] = milestones
    progress = sum(1 for t in builder.tasks if t.progress)
    if progress:
        builder.report.append(
            _(
                "progress of {n} tasks not carried over (a plan holds no state: record it with "
                "tracker set)"
            ).format(n=progress)
        )
    return doc, builder, len(holidays), len(area_list)


def to_plan(schedule: ForeignSchedule, source: str, output: str) -> Conversion:
    """The plan file for ``schedule`` (read from ``source``), checked by our own loader."""
    doc, builder, holidays, areas = build_document(schedule, source)
    text = f"# {_('Imported from {source} by tracker import').format(source=source)}\n"
    # libyaml's emitter where PyYAML has it: the pure-Python one takes 4 s for 1,000 tasks.
    dumper = getattr(yaml, "CSafeDumper", yaml.SafeDumper)
    text += yaml.dump(doc, Dumper=dumper, allow_unicode=True, sort_keys=False, width=100)
    plan = parse_plan(output, text)
    conversion = Conversion(text, plan, builder.report, areas=areas, holidays=holidays)
    conversion.links = builder.links
    conversion.milestones = len(doc.get("milestones", []))
    conversion.tasks = len(plan.items) - conversion.milestones
    _compare(conversion, builder.tasks, builder.ids)
    return conversion


def source_dates(
    calendar: WorkCalendar, task: ForeignTask, milestone: bool
) -> tuple[date, date] | None:
    """The start and finish days stored for ``task``, on our conventions: a start at the end
    of a working day (17:00) is the next working day, a finish at its start (8:00) the previous
    one."""
    if task.start is None or task.finish is None:
        return None
    start, finish = task.start.date(), task.finish.date()
    if milestone:
        return finish, finish
    if task.start.time() >= END_OF_DAY:
        start = calendar.day(calendar.index_on_or_after(start) + 1)
    # Midnight is a date without a time (MPX, some XER): the day itself.
    if task.finish.time() == START_OF_DAY:
        finish = calendar.day(calendar.index_on_or_before(finish) - 1)
    return start, finish


def _compare(conversion: Conversion, tasks: Iterable[ForeignTask], ids: dict[str, str]) -> None:
    plan = conversion.plan
    schedule = compute_schedule(plan)
    wrong: list[str] = []
    for task in tasks:
        key = ids.get(task.uid)
        if key is None or key not in plan.items:
            continue
        item = plan.items[key]
        stored = source_dates(schedule.calendar, task, item.duration == 0)
        if stored is None:
            continue
        conversion.dated += 1
        ours = schedule.items[key]
        if (ours.start, ours.finish) == stored:
            conversion.matching += 1
        else:
            wrong.append(
                _("{id}: scheduled {start}–{finish}, the source says {s}–{f}").format(
                    id=key, start=ours.start, finish=ours.finish, s=stored[0], f=stored[1]
                )
            )
    if wrong:
        conversion.report.append(
            _(
                "{n} items schedule differently from the dates stored in the source (the "
                "source's own constraints, progress or manual dates):"
            ).format(n=len(wrong))
        )
        conversion.report += ["  " + line for line in wrong[:MISMATCHES_SHOWN]]
        if len(wrong) > MISMATCHES_SHOWN:
            conversion.report.append("  …")
