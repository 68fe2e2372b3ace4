"""What a schedule from another tool holds, as far as a plan of ours can use it."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime


@dataclass(slots=True)
class ForeignLink:
    predecessor: str  # the predecessor's unique id in the source
    kind: str  # FS, SS, FF or SF
    lag_days: float  # in working days of the source's calendar
    lag_note: str = ""  # why the lag is approximate or was dropped (elapsed, percent)


@dataclass(slots=True)
class ForeignTask:
    uid: str
    name: str
    level: int  # outline level: 0 = the project's own summary task, 1 = top level
    wbs: str = ""
    outline_number: str = ""
    code: str = ""  # the task's own code where the tool has one (Primavera's activity id)
    summary: bool = False
    milestone: bool = False
    duration_days: float = 0.0
    start: datetime | None = None
    finish: datetime | None = None
    notes: str = ""
    constraint: str = ""  # "" (as soon as possible), snet, mso, fnlt, mfo, alap, snlt, fnet
    constraint_date: date | None = None
    deadline: date | None = None
    links: list[ForeignLink] = field(default_factory=list)
    resources: list[str] = field(default_factory=list)
    active: bool = True
    progress: bool = False  # percent complete or actual dates recorded


@dataclass(slots=True)
class ForeignSchedule:
    """Tasks in outline order, the project calendar's days off, and what the reader saw but
    could not represent (already worded for the report)."""

    title: str
    start: date | None
    finish: date | None
    tasks: list[ForeignTask]
    holidays: list[tuple[date, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
