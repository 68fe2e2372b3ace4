"""The typed plan: what a validated plan file holds, independent of YAML and of the database."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class ItemKind(StrEnum):
    """What a schedulable item is. Values are the stable ids used in JSON and the database."""

    TASK = "task"
    ACTIVITY = "activity"
    MILESTONE = "milestone"


class TargetUnit(StrEnum):
    """How a communication target's count is measured."""

    PER_MONTH = "per_month"
    EVERY_2_MONTHS = "every_2_months"
    EVERY_3_MONTHS = "every_3_months"
    IN_QUARTER = "in_quarter"
    TOTAL = "total"


@dataclass(frozen=True, slots=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end


@dataclass(frozen=True, slots=True)
class Role:
    """One entry of a responsibility cell: ``lidera: 100CR SDU (contactos)``."""

    role: str
    who: str  # the organisation as the source writes it; one of its names or aliases
    note: str = ""
    person: str = ""  # initials of the individual the source names ("MS", "BEM", "EC/IB")


@dataclass(frozen=True, slots=True)
class Dependency:
    """Finish-to-start prerequisite ``id`` (item or deliverable), lag in working days."""

    id: str
    lag: int = 0
    source: str = "supuesto"
    note: str = ""
    line: int | None = field(default=None, compare=False)


@dataclass(slots=True)
class Deliverable:
    """A product of a task or a stage deliverable; due when its producer finishes."""

    id: str
    title: str
    producer: str
    pages: int | None = None
    note: str = ""
    number: int | None = None
    producer_source: str = "documento"
    roles: list[Role] = field(default_factory=list)
    parts: list[str] = field(default_factory=list)  # sub-bullets of one product ("que incluya:")
    # The tasks of a shared table row that share this product (the producer is the row's last).
    shared_by: list[str] = field(default_factory=list)
    formerly: list[str] = field(default_factory=list)  # ids it replaces (merged copies); for sync
    line: int | None = None
    doc_path: str = ""  # where it is in the document, e.g. areas[1].tasks[1.1.1].products[...]
    lines: dict[str, int] = field(default_factory=dict)  # the line of each of its fields


@dataclass(slots=True)
class Item:
    """A schedulable item: a task of an area, an activity of a stage, or a milestone."""

    id: str
    kind: ItemKind
    title: str
    group: str  # the area id for tasks, the stage id for activities, "" for milestones
    duration: int
    duration_source: str = "supuesto"
    depends_on: list[Dependency] = field(default_factory=list)
    not_before: date | None = None
    deadline: date | None = None
    quarters: list[str] = field(default_factory=list)
    window_source: str = "documento"  # whether the source or we chose ``quarters``
    title_source: str = "documento"
    methodology: list[str] = field(default_factory=list)
    questions: list[str] = field(default_factory=list)
    questions_text: str = ""
    deliverables: list[str] = field(default_factory=list)
    roles: list[Role] = field(default_factory=list)
    working_group: list[str] = field(default_factory=list)
    allies: list[str] = field(default_factory=list)
    observations: list[str] = field(default_factory=list)
    shared_row: list[str] = field(default_factory=list)
    milestone_kind: str = ""
    note: str = ""
    source_ref: str = ""
    line: int | None = None
    doc_path: str = ""  # where it is in the document, e.g. areas[1].tasks[1.1.1]
    lines: dict[str, int] = field(default_factory=dict)  # the line of each of its fields

    @property
    def leads(self) -> list[str]:
        return [r.who for r in self.roles if r.role == "lidera"]


@dataclass(frozen=True, slots=True)
class Question:
    id: str
    text: str


@dataclass(slots=True)
class Area:
    id: str
    title: str
    context: str = ""
    objective: str = ""
    questions: list[Question] = field(default_factory=list)
    exchange_cities: list[str] = field(default_factory=list)
    task_ids: list[str] = field(default_factory=list)


@dataclass(slots=True)
class Stage:
    """A phase after discovery (articulation D, production E) with activities and deliverables."""

    id: str
    title: str
    description: str = ""
    objective: str = ""
    activity_ids: list[str] = field(default_factory=list)
    deliverable_ids: list[str] = field(default_factory=list)


ORGANISATION_KINDS = ("municipal", "national", "100rc", "consultant", "ally", "other")


@dataclass(frozen=True, slots=True)
class Organisation:
    """One organisation, once: its canonical name and every way the source writes it."""

    acronym: str  # "" when the source gives none
    name: str  # canonical
    aliases: tuple[str, ...] = ()  # other ways the source writes it (100RC for 100CR)
    kind: str = ""  # one of ORGANISATION_KINDS ("" in plans that do not say)
    capacity: int | None = None  # how many items it can lead at once, when the plan says
    note: str = ""

    @property
    def label(self) -> str:
        """The canonical name with its acronym, e.g. ``100 Ciudades Resilientes (100CR)``."""
        name = self.name.rstrip(".")
        return f"{name} ({self.acronym})" if self.acronym else name


@dataclass(frozen=True, slots=True)
class Section:
    id: str
    title: str
    text: str


@dataclass(slots=True)
class ObjectiveGroup:
    group: str
    items: list[tuple[str, str]] = field(default_factory=list)


@dataclass(slots=True)
class Committee:
    name: str
    description: str = ""
    internal_members: list[str] = field(default_factory=list)
    expanded_members: list[str] = field(default_factory=list)
    objectives: list[str] = field(default_factory=list)


@dataclass(frozen=True, slots=True)
class Channel:
    id: str
    name: str
    description: str = ""


@dataclass(slots=True)
class CommunicationTarget:
    """A META of the communication plan, structured so it can be checked month by month."""

    id: str
    objective: str
    action: str
    text: str
    channels: list[str]
    count: int
    unit: TargetUnit
    quarters: list[str] = field(default_factory=list)
    per_channel: bool = False
    stated_total: int | None = None
    item: str = ""
    at_least: bool = False
    note: str = ""
    line: int | None = None
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class Communication:
    title: str
    period: Period
    description: str = ""
    internal_objectives: list[str] = field(default_factory=list)
    external_objectives: list[str] = field(default_factory=list)
    audience: str = ""
    channels: list[Channel] = field(default_factory=list)
    targets: list[CommunicationTarget] = field(default_factory=list)
    lines: dict[str, int] = field(default_factory=dict)


@dataclass(slots=True)
class PlanMeta:
    id: str
    title: str
    period: Period
    city: str = ""
    country: str = ""
    program: str = ""
    phase: str = ""
    organisation: str = ""
    team: list[str] = field(default_factory=list)
    source_title: str = ""
    source_file: str = ""
    source_note: str = ""
    description: str = ""


@dataclass(slots=True)
class Holiday:
    day: date
    name: str


@dataclass(slots=True)
class Plan:
    """A whole validated plan. ``items`` and ``deliverables`` keep document order."""

    path: str
    meta: PlanMeta
    calendar_country: str = ""
    extra_holidays: list[Holiday] = field(default_factory=list)
    # The country's holidays by year as stored with the plan; years not here come from the
    # holidays package.
    country_holidays: dict[int, dict[date, str]] = field(default_factory=dict)
    organisations: list[Organisation] = field(default_factory=list)
    sections: list[Section] = field(default_factory=list)
    objectives: list[ObjectiveGroup] = field(default_factory=list)
    committee: Committee | None = None
    areas: list[Area] = field(default_factory=list)
    stages: list[Stage] = field(default_factory=list)
    items: dict[str, Item] = field(default_factory=dict)
    deliverables: dict[str, Deliverable] = field(default_factory=dict)
    communication: Communication | None = None

    def group_title(self, group: str) -> str:
        for area in self.areas:
            if area.id == group:
                return area.title
        for stage in self.stages:
            if stage.id == group:
                return stage.title
        return ""

    def organisation_name(self, acronym: str) -> str | None:
        for org in self.organisations:
            if org.acronym.casefold() == acronym.casefold():
                return org.name
        return None
