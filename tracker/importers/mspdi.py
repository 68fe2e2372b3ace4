"""MS Project XML (MSPDI) read with the standard library: no Java needed for this format."""

from __future__ import annotations

import re
from datetime import date, datetime, timedelta
from xml.etree.ElementTree import Element, ParseError, fromstring

from tracker.errors import InputError
from tracker.i18n import _
from tracker.importers.schedule import ForeignLink, ForeignSchedule, ForeignTask

NS = "{http://schemas.microsoft.com/project}"
_DURATION = re.compile(
    r"^(-)?P(?:(\d+(?:\.\d+)?)D)?(?:T(?:(\d+(?:\.\d+)?)H)?(?:(\d+(?:\.\d+)?)M)?"
    r"(?:(\d+(?:\.\d+)?)S)?)?$"
)
LINK_TYPES = {"0": "FF", "1": "FS", "2": "SF", "3": "SS"}
CONSTRAINTS = {
    "0": "",
    "1": "alap",
    "2": "mso",
    "3": "mfo",
    "4": "snet",
    "5": "snlt",
    "6": "fnet",
    "7": "fnlt",
}
# LagFormat: minutes, hours, days, weeks, months (and their elapsed forms), percent.
_LAG_UNITS = {
    3: ("m", False),
    4: ("m", True),
    5: ("h", False),
    6: ("h", True),
    7: ("d", False),
    8: ("d", True),
    9: ("w", False),
    10: ("w", True),
    11: ("mo", False),
    12: ("mo", True),
    19: ("%", False),
    20: ("%", True),
}


def _text(node: Element, tag: str) -> str:
    found = node.find(NS + tag)
    return (found.text or "").strip() if found is not None else ""


def _when(text: str) -> datetime | None:
    if not text:
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def _day(text: str) -> date | None:
    when = _when(text)
    return when.date() if when is not None else None


def duration_minutes(text: str) -> float:
    """Minutes of an MSPDI duration such as ``PT80H0M0S`` (a day part counts 24 hours)."""
    match = _DURATION.match(text.strip())
    if not match:
        return 0.0
    sign, d, h, m, s = match.groups()
    minutes = float(d or 0) * 1440 + float(h or 0) * 60 + float(m or 0) + float(s or 0) / 60
    return -minutes if sign else minutes


def _flag(node: Element, tag: str, default: bool = False) -> bool:
    value = _text(node, tag)
    return default if not value else value in ("1", "true")


class _Reader:
    def __init__(self, root: Element) -> None:
        self.root = root
        self.notes: list[str] = []
        self.minutes_per_day = float(_text(root, "MinutesPerDay") or 480)

    def lag(self, link: Element) -> tuple[float, str]:
        tenths = float(_text(link, "LinkLag") or 0)
        fmt = int(_text(link, "LagFormat") or 7)
        unit, elapsed = _LAG_UNITS.get(fmt, ("d", False))
        if unit == "%":
            return 0.0, _("a lag in percent of the predecessor's duration dropped")
        days = tenths / 10 / self.minutes_per_day
        if elapsed:
            # Elapsed time runs day and night; 24 elapsed hours ≈ one working day.
            days = tenths / 10 / 1440
            return days, _("an elapsed lag taken as working days")
        return days, ""

    def task(self, node: Element, assigned: dict[str, list[str]]) -> ForeignTask:
        uid = _text(node, "UID")
        level = int(_text(node, "OutlineLevel") or 1)
        task = ForeignTask(
            uid=uid,
            name=_text(node, "Name"),
            level=level,
            wbs=_text(node, "WBS"),
            outline_number=_text(node, "OutlineNumber"),
            summary=_flag(node, "Summary"),
            milestone=_flag(node, "Milestone"),
            duration_days=duration_minutes(_text(node, "Duration")) / self.minutes_per_day,
            start=_when(_text(node, "Start")),
            finish=_when(_text(node, "Finish")),
            notes=_text(node, "Notes"),
            constraint=CONSTRAINTS.get(_text(node, "ConstraintType") or "0", ""),
            constraint_date=_day(_text(node, "ConstraintDate")),
            deadline=_day(_text(node, "Deadline")),
            resources=assigned.get(uid, []),
            active=_flag(node, "Active", default=True),
        )
        percent = _text(node, "PercentComplete")
        task.progress = bool(_text(node, "ActualStart")) or (percent not in ("", "0"))
        for link in node.findall(NS + "PredecessorLink"):
            days, note = self.lag(link)
            task.links.append(
                ForeignLink(
                    _text(link, "PredecessorUID"),
                    LINK_TYPES.get(_text(link, "Type") or "1", "FS"),
                    days,
                    note,
                )
            )
        return task

    def assignments(self) -> dict[str, list[str]]:
        names = {
            _text(r, "UID"): _text(r, "Name")
            for r in self.root.iterfind(f"{NS}Resources/{NS}Resource")
        }
        assigned: dict[str, list[str]] = {}
        for a in self.root.iterfind(f"{NS}Assignments/{NS}Assignment"):
            name = names.get(_text(a, "ResourceUID"), "")
            if name:
                who = assigned.setdefault(_text(a, "TaskUID"), [])
                if name not in who:
                    who.append(name)
        return assigned

    def holidays(self) -> list[tuple[date, str]]:
        calendars = {_text(c, "UID"): c for c in self.root.iterfind(f"{NS}Calendars/{NS}Calendar")}
        uid = _text(self.root, "CalendarUID")
        found: dict[date, str] = {}
        seen: set[str] = set()
        while uid in calendars and uid not in seen:  # the project's calendar, then its bases
            seen.add(uid)
            calendar = calendars[uid]
            self.week(calendar)
            for day, name in self.days_off(calendar):
                found.setdefault(day, name)
            uid = _text(calendar, "BaseCalendarUID")
        return sorted(found.items())

    def week(self, calendar: Element) -> None:
        for entry in calendar.iterfind(f"{NS}WeekDays/{NS}WeekDay"):
            day_type = _text(entry, "DayType")
            if day_type in ("1", "7") and _flag(entry, "DayWorking"):
                self.notes.append(_("the source works on weekends; our plans work Monday–Friday"))
            elif day_type in ("2", "3", "4", "5", "6") and _text(entry, "DayWorking") == "0":
                self.notes.append(
                    _("a weekday is off in the source's week; our plans work Monday–Friday")
                )

    def days_off(self, calendar: Element) -> list[tuple[date, str]]:
        out: list[tuple[date, str]] = []
        exceptions = calendar.findall(f"{NS}Exceptions/{NS}Exception")
        periods: list[tuple[Element, str]] = []
        for entry in exceptions:
            if _flag(entry, "DayWorking"):
                self.notes.append(
                    _("working exception {name} not carried over").format(
                        name=_text(entry, "Name") or "?"
                    )
                )
                continue
            if (_text(entry, "Type") or "1") != "1" and _text(entry, "Occurrences") not in (
                "",
                "1",
            ):
                self.notes.append(
                    _("recurring exception {name} not carried over").format(
                        name=_text(entry, "Name") or "?"
                    )
                )
                continue
            periods.append((entry, _text(entry, "Name")))
        if not exceptions:  # Project 2003's form: week days of type 0
            for entry in calendar.iterfind(f"{NS}WeekDays/{NS}WeekDay"):
                if _text(entry, "DayType") == "0" and not _flag(entry, "DayWorking"):
                    periods.append((entry, ""))
        for entry, name in periods:
            first = _day(_text(entry, f"TimePeriod/{NS}FromDate"))
            last = _day(_text(entry, f"TimePeriod/{NS}ToDate"))
            if first is None or last is None or (last - first).days > 366:
                continue
            day = first
            while day <= last:
                out.append((day, name))
                day += timedelta(days=1)
        return out


def read_mspdi(path: str, data: bytes) -> ForeignSchedule:
    """The schedule in the MSPDI document ``data`` (read from ``path``)."""
    try:
        root = fromstring(data)
    except ParseError as err:
        raise InputError(
            _("{path}: not a readable MS Project XML file ({error})").format(path=path, error=err)
        ) from err
    if root.tag != NS + "Project":
        raise InputError(
            _("{path}: not an MS Project XML file (its root is <{tag}>)").format(
                path=path, tag=root.tag.rsplit("}", 1)[-1]
            )
        )
    reader = _Reader(root)
    assigned = reader.assignments()
    tasks = [
        reader.task(node, assigned)
        for node in root.iterfind(f"{NS}Tasks/{NS}Task")
        if not _flag(node, "IsNull")
    ]
    holidays = reader.holidays()
    title = _text(root, "Title") or _text(root, "Name")
    return ForeignSchedule(
        title=title,
        start=_day(_text(root, "StartDate")),
        finish=_day(_text(root, "FinishDate")),
        tasks=tasks,
        holidays=holidays,
        notes=list(dict.fromkeys(reader.notes)),
    )
