"""The monthly report ("informe mensual") for the mayor's office and the Mesa Técnica.

It follows the shape in which the municipality already reports a month of work (the monthly
reports in shared/seeds): a title block with the month, a table ACTIVIDAD / ENTIDAD /
INFORMACIÓN / FECHA of what happened, then the COORDINACIONES bullets. After them comes what
the tracker knows besides: progress per area against the baseline, the late and at-risk items
with their leads, the communication check at the month's end, what falls due the next month,
and the Gantt chart when one is given.

What happened is read from the change history and the communication log, dated by the dates
the change records (actual start, actual finish, status date, the activity's day) rather than
by the moment it was typed; undone changes and the undos themselves are left out.

This module words the content (in the interface language, through ``_()``) into a list of
blocks; ``report_docx``, ``report_html`` and ``report_md`` only lay the blocks out.
"""

from __future__ import annotations

import calendar as _calendar
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tracker.comms.check import Activity, TargetState, check_all, summary
from tracker.errors import ExportError, InputError
from tracker.exporters.common import ExportData
from tracker.i18n import _, month_label
from tracker.plan.model import Period, TargetUnit
from tracker.plan.statuses import CLOSED
from tracker.schedule.calendar import WorkCalendar
from tracker.state.forecast import ItemForecast

FORMATS = (".docx", ".html", ".md")
DONE_DELIVERABLE = ("validado", "entregado")
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"

# --- the blocks a writer lays out ---------------------------------------------------------

Span = tuple[str, bool]  # (text, bold)
Cell = str | tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class TitleBlock:
    organisation: str
    program: str
    title: str  # "INFORME MENSUAL DE SEGUIMIENTO"
    month: str  # "MARZO DE 2018"
    plan: str
    facts: tuple[tuple[str, str], ...]  # ("Dirigido a", "Despacho ..."), ...


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    spans: tuple[Span, ...]
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row. ``widths`` in millimetres (A4 text width 170 mm);
    ``tones`` per row: "" plain, "total" (bold row), or a state colour ("ok", "warn", "bad",
    "muted") applied to the cell of ``tone_column``."""

    name: str  # a stable id for writers and tests: "activities", "progress" ...
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    tones: tuple[str, ...] = ()
    tone_column: int | None = None


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True, slots=True)
class Image:
    png: bytes
    caption: str
    width_px: int
    height_px: int


Block = TitleBlock | Heading | Paragraph | Table | Bullets | Image


# --- what the report says -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the ACTIVIDAD / ENTIDAD / INFORMACIÓN / FECHA table."""

    day: date
    ref: str
    title: str
    entity: str
    information: str
    order: int = 0


@dataclass(frozen=True, slots=True)
class Note:
    """One COORDINACIONES bullet: a note recorded in the month, with who and when."""

    day: date
    ref: str
    subject: str
    text: str
    who: str
    order: int = 0


@dataclass(slots=True)
class MonthReport:
    plan_key: str
    month_start: date
    month_end: date
    as_of: date
    title: str
    author: str
    blocks: list[Block] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    notes: list[Note] = field(default_factory=list)
    language: str = "es"


# --- months and formats -------------------------------------------------------------------

_MONTH_RE = re.compile(r"(\d{4})-(\d{2})")


def parse_month(text: str) -> date:
    """The first day of a ``YYYY-MM`` month; InputError for anything else."""
    match = _MONTH_RE.fullmatch(text.strip())
    if match is None or not 1 <= int(match.group(2)) <= 12:
        raise InputError(_("invalid month {value!r} (expected YYYY-MM)").format(value=text))
    return date(int(match.group(1)), int(match.group(2)), 1)


def month_end(start: date) -> date:
    return date(start.year, start.month, _calendar.monthrange(start.year, start.month)[1])


def check_month(period: Period, start: date) -> None:
    """InputError unless the month overlaps the plan's period."""
    if month_end(start) < period.start or start > period.end:
        raise InputError(
            _("{month} is outside the plan period {start} – {end}").format(
                month=start.strftime("%Y-%m"), start=period.start, end=period.end
            )
        )


def report_as_of(start: date, today: date) -> date:
    """The date the report is judged on: the month's last day, or today while it runs."""
    end = month_end(start)
    return today if start <= today < end else end


def output_format(path: Path) -> str:
    """``docx``, ``html`` or ``md`` from the file name; InputError for anything else."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            _("unknown report format {suffix!r} for {path}: use .docx, .html or .md").format(
                suffix=path.suffix or path.name, path=path
            )
        )
    return suffix.lstrip(".")


def fmt_date(day: date | None) -> str:
    return day.strftime("%d/%m/%Y") if day else "—"


def png_size(png: bytes) -> tuple[int, int]:
    """Width and height of a PNG image, from its IHDR chunk."""
    if len(png) < 24 or not png.startswith(PNG_SIGNATURE) or png[12:16] != b"IHDR":
        raise ExportError(_("the Gantt chart given to the report is not a PNG image"))
    return int.from_bytes(png[16:20], "big"), int.from_bytes(png[20:24], "big")


# --- building the report ------------------------------------------------------------------


def build_report(data: ExportData, month: date, *, gantt_png: bytes | None = None) -> MonthReport:
    """The report of the month containing ``month``, from ``data`` (read as of the date the
    report is judged on: see ``report_as_of``)."""
    from tracker.i18n import current_language

    start = month.replace(day=1)
    end = month_end(start)
    plan = data.plan
    meta = plan.meta
    items = {i.key: i for i in data.forecast.items}
    context = _Context(data, start, end, items)
    rows = sorted(
        [*_change_rows(context), *_activity_rows(context)], key=lambda r: (r.day, r.order)
    )
    notes = sorted(_notes(context), key=lambda n: (n.day, n.order))
    title = _("MONTHLY PROGRESS REPORT")
    report = MonthReport(
        plan_key=data.plan_key,
        month_start=start,
        month_end=end,
        as_of=data.as_of,
        title=f"{title} — {month_label(start)}",
        author=meta.organisation or meta.title,
        rows=rows,
        notes=notes,
        language=current_language(),
    )
    blocks = report.blocks
    audience = (
        _("Office of the Mayor · {committee}").format(committee=plan.committee.name)
        if plan.committee
        else _("Office of the Mayor")
    )
    blocks.append(
        TitleBlock(
            organisation=meta.organisation,
            program=" · ".join(p for p in (meta.program, meta.phase) if p),
            title=title,
            month=month_label(start).upper(),
            plan=meta.title,
            facts=(
                (_("For"), audience),
                (_("Period reported"), f"{fmt_date(start)} – {fmt_date(end)}"),
                (_("Situation as of"), fmt_date(data.as_of)),
                (
                    _("Plan period"),
                    f"{fmt_date(meta.period.start)} – {fmt_date(meta.period.end)}",
                ),
            ),
        )
    )
    blocks += _activities_section(rows, start)
    blocks += _notes_section(notes)
    blocks += _progress_section(data)
    blocks += _watch_section(data)
    blocks += _comms_section(context)
    blocks += _next_month_section(context)
    if gantt_png is not None:
        width, height = png_size(gantt_png)
        blocks.append(Heading(_("Annex: schedule")))
        blocks.append(
            Image(
                gantt_png,
                _("Forecast against the baseline as of {date}.").format(date=fmt_date(data.as_of)),
                width,
                height,
            )
        )
    return report


@dataclass(slots=True)
class _Context:
    data: ExportData
    start: date
    end: date
    items: dict[str, ItemForecast]
    team: list[str] = field(default_factory=list)
    calendar: WorkCalendar = field(init=False)

    def __post_init__(self) -> None:
        from tracker.schedule.passes import plan_calendar

        self.team = [m.split(",")[0].strip() for m in self.data.plan.meta.team]
        self.calendar = plan_calendar(self.data.plan)

    def within(self, day: date | None) -> bool:
        return day is not None and self.start <= day <= self.end

    def person(self, author: str) -> str:
        """Who an author name stands for: the plan's team member (``plashka.meade`` →
        Plashka Meade Webster), else a user name of the form ``first.last`` as words (Plashka
        Meade), else the author as recorded."""
        tokens = [t for t in re.split(r"[._\-\s]+", _fold(author)) if t]
        if tokens:
            for name in self.team:
                words = set(_fold(name).split())
                if all(t in words for t in tokens):
                    return name
        if _USER_NAME.fullmatch(author):
            return " ".join(part.capitalize() for part in re.split(r"[._]", author))
        return author

    def lead(self, item_key: str) -> str:
        item = self.items.get(item_key)
        return item.lead if item and item.lead else "—"

    def channel_name(self, channel: str) -> str:
        comm = self.data.plan.communication
        if comm is not None:
            for c in comm.channels:
                if c.id == channel:
                    return c.name
        return channel


_USER_NAME = re.compile(r"[^\W\d_]+(?:[._][^\W\d_]+)+")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def _iso(value: Any) -> date | None:
    if isinstance(value, date):
        return value
    if isinstance(value, str) and value:
        try:
            return date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _typed_on(change: dict[str, Any]) -> date:
    """The local day a change was recorded (the history keeps UTC)."""
    at: datetime = change["at"]
    if at.tzinfo is None:
        at = at.replace(tzinfo=UTC)
    return at.astimezone().date()


def _live(changes: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Changes still in effect: not undone, not undos, and not the target of an undo."""
    changes = list(changes)
    reverted = {c.get("undoes") for c in changes if c.get("undoes") is not None}
    return [
        c
        for c in changes
        if not c.get("undone") and c["action"] != "undo" and c["id"] not in reverted
    ]


def _item_title(context: _Context, key: str) -> str:
    item = context.items.get(key)
    return _clean_title(item.title) if item else key


def _clean_title(title: str) -> str:
    return " ".join(title.split()).rstrip(":;,.").strip()


def _deliverable_title(context: _Context, key: str) -> str:
    for d in context.data.deliverables:
        if d.key == key:
            return _clean_title(d.title)
    return key


def _producer(context: _Context, key: str) -> str:
    for d in context.data.deliverables:
        if d.key == key:
            return d.producer
    return key.rsplit("-", 1)[0]


def _status_label(status: str) -> str:
    labels = {
        "pendiente": _("pending"),
        "en_curso": _("in progress"),
        "completada": _("done"),
        "bloqueada": _("blocked"),
        "diferida": _("deferred"),
        "cancelada": _("cancelled"),
        "borrador": _("draft"),
        "en_revision": _("under review"),
        "validado": _("validated"),
        "entregado": _("delivered"),
    }
    return labels.get(status, status)


def _item_events(context: _Context, change: dict[str, Any]) -> list[tuple[date, str]]:
    """(day, what happened) for an item's status change, dated as the change records it."""
    before, after = change["before"] or {}, change["after"] or {}
    old, new = before.get("status"), after.get("status")
    if old == new:
        return []  # progress or date corrections: their notes go to the coordinations
    typed = _typed_on(change)
    started = _iso(after.get("actual_start"))
    finished = _iso(after.get("actual_finish"))
    reason = (after.get("reason") or "").strip()
    events: list[tuple[date, str]] = []
    if new == "en_curso":
        if old == "pendiente" or not before.get("actual_start"):
            events.append((started or typed, _("Started")))
        else:
            events.append((typed, _("Resumed ({percent}% done)").format(percent=after["percent"])))
    elif new == "completada":
        day = finished or typed
        if started and not before.get("actual_start") and started != day:
            events.append((started, _("Started")))
        events.append((day, _completion(context, change["key"], day)))
    elif new == "bloqueada":
        text = _("Blocked: {reason}").format(reason=reason) if reason else _("Blocked")
        events.append((typed, text))
    elif new == "diferida":
        text = _("Deferred: {reason}").format(reason=reason) if reason else _("Deferred")
        events.append((typed, text))
    elif new == "cancelada":
        text = _("Cancelled: {reason}").format(reason=reason) if reason else _("Cancelled")
        events.append((typed, text))
    return events


def _completion(context: _Context, key: str, day: date) -> str:
    item = context.items.get(key)
    if item is None:
        return _("Completed")
    if item.kind == "milestone":
        return _("Milestone reached")
    late = context.calendar.working_days_between(item.baseline_finish, day)
    if late == 0:
        return _("Completed on time")
    if late == 1:
        return _("Completed (1 working day late)")
    if late > 1:
        return _("Completed ({n} working days late)").format(n=late)
    if late == -1:
        return _("Completed (1 working day early)")
    return _("Completed ({n} working days early)").format(n=-late)


def _deliverable_event(context: _Context, change: dict[str, Any]) -> tuple[date, str] | None:
    before, after = change["before"] or {}, change["after"] or {}
    new = after.get("status")
    if new not in DONE_DELIVERABLE or before.get("status") == new:
        return None
    day = _iso(after.get("status_date")) or _typed_on(change)
    if new == "entregado":
        text = _("Deliverable delivered")
    elif context.data.plan.committee is not None:
        text = _("Deliverable validated by the Mesa Técnica")
    else:
        text = _("Deliverable validated")
    evidence = (after.get("evidence") or "").strip()
    if evidence:
        text += ". " + _("Evidence: {evidence}").format(evidence=evidence)
    return day, text


def _change_rows(context: _Context) -> list[Row]:
    rows: list[Row] = []
    for change in _live(context.data.changes):
        if change["action"] != "status":
            continue
        key = change["key"]
        if change["entity"] == "item":
            for day, text in _item_events(context, change):
                if context.within(day):
                    rows.append(
                        Row(
                            day,
                            key,
                            _item_title(context, key),
                            context.lead(key),
                            text,
                            change["id"],
                        )
                    )
        elif change["entity"] == "deliverable":
            event = _deliverable_event(context, change)
            if event is not None and context.within(event[0]):
                rows.append(
                    Row(
                        event[0],
                        key,
                        _deliverable_title(context, key),
                        context.lead(_producer(context, key)),
                        event[1],
                        change["id"],
                    )
                )
    return rows


def _activity_ref(activity: dict[str, Any]) -> str:
    return _("Comm. #{id}").format(id=activity["id"])


def _activity_kind(channel: str, name: str) -> str:
    kinds = {
        "presentaciones": _("Presentation at a key date"),
        "correo": _("Sent by e-mail"),
        "materiales": _("Promotional material produced"),
        "radio": _("Broadcast on radio"),
        "tv": _("Broadcast on television"),
        "incidencia": _("Advocacy meeting"),
    }
    return kinds.get(channel) or _("Publication on {channel}").format(channel=name)


def _activity_rows(context: _Context) -> list[Row]:
    comm = context.data.plan.communication
    actions = {t.id: _target_label(t.action, t.item) for t in comm.targets} if comm else {}
    rows = []
    for number, activity in enumerate(context.data.activities):
        day = _iso(activity["day"])
        if day is None or not context.within(day):
            continue
        name = context.channel_name(activity["channel"])
        parts = [_activity_kind(activity["channel"], name)]
        counted = list(dict.fromkeys(actions.get(t, t) for t in activity["targets"]))
        if counted:
            parts.append(_("Counts toward: {targets}").format(targets="; ".join(counted)))
        if activity.get("quantity", 1) > 1:
            parts.append(_("Quantity: {n}").format(n=activity["quantity"]))
        if activity.get("link"):
            parts.append(_("Link: {link}").format(link=activity["link"]))
        rows.append(
            Row(
                day,
                _activity_ref(activity),
                _clean_title(activity["title"]),
                name,
                ". ".join(p.rstrip(".") for p in parts) + ".",
                1_000_000_000 + number,
            )
        )
    return rows


def _target_label(action: str, item: str) -> str:
    action = _clean_title(action)
    return f"{action} ({item})" if item else action


def _notes(context: _Context) -> list[Note]:
    notes: list[Note] = []
    for change in _live(context.data.changes):
        text = (change.get("note") or "").strip()
        if not text or change["entity"] not in ("item", "deliverable"):
            continue  # activity notes come from the log itself, plan notes are bookkeeping
        key = change["key"]
        day = _note_day(context, change)
        if not context.within(day):
            continue
        if change["entity"] == "item":
            subject = _item_title(context, key)
            after, before = change["after"] or {}, change["before"] or {}
            working = after.get("status") == before.get("status") == "en_curso"
            if working and after.get("percent") != before.get("percent"):
                text = _("{note} (progress: {percent}%)").format(
                    note=text.rstrip(), percent=after.get("percent")
                )
        else:
            subject = _deliverable_title(context, key)
        notes.append(
            Note(day, key, _short(subject), text, context.person(change["author"]), change["id"])
        )
    for number, activity in enumerate(context.data.activities):
        logged = _iso(activity["day"])
        text = (activity.get("note") or "").strip()
        if text and logged is not None and context.within(logged):
            notes.append(
                Note(
                    logged,
                    _activity_ref(activity),
                    _short(_clean_title(activity["title"])),
                    text,
                    context.person(activity.get("author") or ""),
                    1_000_000_000 + number,
                )
            )
    return notes


def _note_day(context: _Context, change: dict[str, Any]) -> date:
    """The day a note belongs to: that of the event it comes with, else when it was typed."""
    if change["entity"] == "item":
        events = _item_events(context, change)
        if events:
            return events[-1][0]
    elif change["entity"] == "deliverable":
        day = _iso((change["after"] or {}).get("status_date"))
        if day is not None:
            return day
    return _typed_on(change)


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0].rstrip(" ,;:.") + "…"


# --- sections -----------------------------------------------------------------------------


def _spans(text: str, bold: bool = False) -> tuple[Span, ...]:
    return ((text, bold),)


def _activities_section(rows: list[Row], start: date) -> list[Block]:
    blocks: list[Block] = [Heading(_("Activities of the month"))]
    if not rows:
        blocks.append(
            Paragraph(
                _spans(_("Nothing was recorded in {month}.").format(month=month_label(start))),
                muted=True,
            )
        )
        return blocks
    blocks.append(
        Table(
            "activities",
            (_("ACTIVITY"), _("ENTITY"), _("INFORMATION"), _("DATE")),
            tuple(
                (((r.ref + " ", True), (r.title, False)), r.entity, r.information, fmt_date(r.day))
                for r in rows
            ),
            (52.0, 32.0, 64.0, 22.0),
        )
    )
    return blocks


def _notes_section(notes: list[Note]) -> list[Block]:
    blocks: list[Block] = [Heading(_("COORDINATIONS"))]
    if not notes:
        blocks.append(Paragraph(_spans(_("No notes were recorded this month.")), muted=True))
        return blocks
    blocks.append(
        Bullets(
            tuple(
                (
                    (f"{n.ref} {n.subject}: ", True),
                    (n.text, False),
                    (f" ({n.who}, {fmt_date(n.day)})", False),
                )
                for n in notes
            )
        )
    )
    return blocks


def _counts_text(counts: dict[str, int]) -> str:
    total = sum(counts.values())
    parts = [_("{done} of {total} done").format(done=counts.get("completada", 0), total=total)]
    for status in ("en_curso", "bloqueada", "diferida", "cancelada"):
        if counts.get(status):
            parts.append(f"{counts[status]} {_status_label(status)}")
    return "; ".join(parts)


def _progress_section(data: ExportData) -> list[Block]:
    fc = data.forecast
    overall = fc.overall
    blocks: list[Block] = [Heading(_("Progress per area against the baseline"))]
    blocks.append(
        Paragraph(
            (
                (
                    _("Overall progress: {percent}%.").format(percent=f"{overall.percent:.0f}")
                    + " ",
                    True,
                ),
                (
                    _(
                        "Phase end forecast on {forecast}, against {baseline} in the baseline "
                        "({slip} working days)."
                    ).format(
                        forecast=fmt_date(overall.forecast_finish),
                        baseline=fmt_date(overall.baseline_finish),
                        slip=f"{overall.slip_days:+d}",
                    ),
                    False,
                ),
            )
        )
    )
    rows: list[tuple[Cell, ...]] = []
    tones: list[str] = []
    for group in [*fc.groups, overall]:
        if group is overall:
            label: Cell = _spans(_("Whole phase"), True)
        elif group.key:
            label = ((group.key + " ", True), (_clean_title(group.title), False))
        else:
            label = _spans(_("Milestones"), True)
        rows.append(
            (
                label,
                f"{group.percent:.0f} %",
                _counts_text(group.counts),
                f"{group.slip_days:+d}",
                fmt_date(group.baseline_finish),
                fmt_date(group.forecast_finish),
            )
        )
        tones.append("total" if group is overall else "")
    blocks.append(
        Table(
            "progress",
            (
                _("AREA"),
                _("PROGRESS"),
                _("ITEMS"),
                _("SLIP (WORKING DAYS)"),
                _("BASELINE FINISH"),
                _("FORECAST FINISH"),
            ),
            tuple(rows),
            (50.0, 17.0, 35.0, 20.0, 24.0, 24.0),
            tuple(tones),
        )
    )
    return blocks


def _watch_section(data: ExportData) -> list[Block]:
    late = [i for i in data.forecast.items if i.late]
    risk = [i for i in data.forecast.items if i.at_risk]
    blocks: list[Block] = [Heading(_("Late and at-risk items"))]
    blocks.append(
        Paragraph(
            _spans(
                _(
                    "As of {date}: late, {late} (still open after their baseline finish); "
                    "at risk, {risk} (forecast to finish after it)."
                ).format(late=len(late), risk=len(risk), date=fmt_date(data.as_of))
            )
        )
    )
    if not late and not risk:
        return blocks
    rows: list[tuple[Cell, ...]] = []
    tones: list[str] = []
    for item in late + risk:
        situation = _("Late") if item.late else _("At risk")
        situation += f" · {_status_label(item.status)}"
        if item.status == "en_curso":
            situation += f" {item.percent} %"
        if item.reason:
            situation += f": {item.reason}"
        rows.append(
            (
                _spans(item.key, True),
                _clean_title(item.title),
                item.lead or "—",
                situation,
                fmt_date(item.baseline_finish),
                fmt_date(item.forecast_finish),
                f"{item.slip_days:+d}",
            )
        )
        tones.append("bad" if item.late else "warn")
    blocks.append(
        Table(
            "watch",
            (
                _("ID"),
                _("TASK"),
                _("RESPONSIBLE"),
                _("SITUATION"),
                _("BASELINE FINISH"),
                _("FORECAST FINISH"),
                _("SLIP"),
            ),
            tuple(rows),
            (13.0, 37.0, 29.0, 31.0, 22.0, 22.0, 16.0),
            tuple(tones),
            3,
        )
    )
    return blocks


def _comm_states(context: _Context) -> tuple[date, list[TargetState]]:
    data = context.data
    comm = data.plan.communication
    when = min(context.end, data.as_of)
    if comm is None:
        return when, []
    if data.as_of == when:
        return when, list(data.comms)
    activities = [
        Activity(
            date.fromisoformat(str(a["day"])), a["channel"], tuple(a["targets"]), a["quantity"]
        )
        for a in data.activities
    ]
    return when, check_all(comm.targets, comm.period, activities, when)


_STATE_TONES = {
    "cumplida": "ok",
    "en_curso": "",
    "atrasada": "warn",
    "incumplida": "bad",
    "proxima": "muted",
}


def _state_word(state: str) -> str:
    """A target's state, singular, for a table cell."""
    return {
        "cumplida": _("Met"),
        "en_curso": _("On course"),
        "atrasada": _("Behind"),
        "incumplida": _("Missed"),
        "proxima": _("Upcoming"),
    }.get(state, state)


def _comms_section(context: _Context) -> list[Block]:
    comm = context.data.plan.communication
    if comm is None:
        return []
    when, states = _comm_states(context)
    blocks: list[Block] = [
        Heading(_("Communication plan: targets as of {date}").format(date=fmt_date(when)))
    ]
    counts = summary(states)
    done_this_month = sum(
        a.get("quantity", 1) for a in context.data.activities if context.within(_iso(a["day"]))
    )
    blocks.append(
        Paragraph(
            (
                (
                    _(
                        "{met} met, {on} on course, {behind} behind, {missed} missed, "
                        "{upcoming} upcoming"
                    ).format(
                        met=counts["cumplida"],
                        on=counts["en_curso"],
                        behind=counts["atrasada"],
                        missed=counts["incumplida"],
                        upcoming=counts["proxima"],
                    )
                    + ". ",
                    True,
                ),
                (
                    _("{n} communication activities were logged in {month}.").format(
                        n=done_this_month, month=month_label(context.start)
                    ),
                    False,
                ),
            )
        )
    )
    targets = {t.id: t for t in comm.targets}
    rows: list[tuple[Cell, ...]] = []
    tones: list[str] = []
    for state in states:
        target = targets.get(state.target)
        label = _target_label(state.action, target.item if target else "")
        if target is not None:
            channels = [state.channel] if state.channel else list(dict.fromkeys(target.channels))
        else:
            channels = [state.channel] if state.channel else []
        done = f"{state.done} / {state.expected}"
        if (
            target is not None
            and target.unit is TargetUnit.TOTAL
            and state.state in ("en_curso", "atrasada")
        ):
            done += " " + _("(expected by now: {n})").format(n=state.expected_so_far)
        rows.append(
            (
                label,
                ", ".join(context.channel_name(c) for c in channels) or "—",
                f"{fmt_date(state.period_start)} – {fmt_date(state.period_end)}",
                done,
                _state_word(state.state),
            )
        )
        tones.append(_STATE_TONES.get(state.state, ""))
    blocks.append(
        Table(
            "comms",
            (_("TARGET"), _("CHANNEL"), _("PERIOD"), _("DONE / EXPECTED"), _("STATE")),
            tuple(rows),
            (62.0, 33.0, 25.0, 28.0, 22.0),
            tuple(tones),
            4,
        )
    )
    return blocks


def _next_month_section(context: _Context) -> list[Block]:
    data = context.data
    first = context.end + timedelta(days=1)
    last = month_end(first)
    blocks: list[Block] = [
        Heading(_("Next month: what falls due in {month}").format(month=month_label(first)))
    ]
    if first > data.plan.meta.period.end:
        blocks.append(
            Paragraph(
                _spans(
                    _("The plan period ends on {date}: nothing falls due after it.").format(
                        date=fmt_date(data.plan.meta.period.end)
                    )
                ),
                muted=True,
            )
        )
        return blocks
    due: list[tuple[date, int, tuple[Cell, ...]]] = []
    for number, item in enumerate(data.forecast.items):
        if item.status not in CLOSED and first <= item.baseline_finish <= last:
            due.append(
                (
                    item.baseline_finish,
                    number,
                    (
                        _spans(item.key, True),
                        _clean_title(item.title),
                        item.lead or "—",
                        fmt_date(item.baseline_finish),
                        fmt_date(item.forecast_finish),
                        _status_label(item.status),
                    ),
                )
            )
    for number, deliverable in enumerate(data.deliverables):
        if (
            deliverable.due is not None
            and deliverable.status not in DONE_DELIVERABLE
            and first <= deliverable.due <= last
        ):
            producer = context.items.get(deliverable.producer)
            due.append(
                (
                    deliverable.due,
                    10_000 + number,
                    (
                        _spans(deliverable.key, True),
                        _("Deliverable: {title}").format(title=_clean_title(deliverable.title)),
                        context.lead(deliverable.producer),
                        fmt_date(deliverable.due),
                        fmt_date(producer.forecast_finish if producer else None),
                        _status_label(deliverable.status),
                    ),
                )
            )
    if not due:
        blocks.append(
            Paragraph(
                _spans(
                    _("No item or deliverable falls due in {month}.").format(
                        month=month_label(first)
                    )
                ),
                muted=True,
            )
        )
        return blocks
    due.sort(key=lambda d: (d[0], d[1]))
    blocks.append(
        Table(
            "due",
            (
                _("ID"),
                _("TASK OR DELIVERABLE"),
                _("RESPONSIBLE"),
                _("BASELINE DUE"),
                _("FORECAST"),
                _("STATUS"),
            ),
            tuple(d[2] for d in due),
            (16.0, 56.0, 30.0, 23.0, 23.0, 22.0),
        )
    )
    return blocks


# --- writing ------------------------------------------------------------------------------


def write_report(
    data: ExportData,
    month: date,
    path: Path,
    *,
    gantt_png: bytes | None = None,
    force: bool = False,
) -> Path:
    """Write the month's report to ``path`` (.docx, .html or .md); the Gantt chart is
    embedded in DOCX and HTML when given."""
    fmt = output_format(path)
    report = build_report(data, month, gantt_png=gantt_png if fmt != "md" else None)
    content: bytes
    if fmt == "docx":
        from tracker.exporters.report.docx import render_docx

        content = render_docx(report)
    elif fmt == "html":
        from tracker.exporters.report.html import render_html

        content = render_html(report).encode("utf-8")
    else:
        from tracker.exporters.report.md import render_markdown

        content = render_markdown(report).encode("utf-8")
    from tracker.exporters.output import write_atomically

    return write_atomically(path, lambda target: target.write_bytes(content), force=force)
