"""Due dates, workshops and Mesa Técnica sessions as an iCalendar file for the team's Outlook.

Every event is an all-day event with a stable UID (``<plan>-<item>-<kind>@resiliencia-tracker``),
so importing a newer export updates the events instead of duplicating them. Its SEQUENCE grows
with the recorded history and with the as-of date, the two things that move the forecast, so a
calendar takes the newer file's dates over the ones it holds.

Kinds of event:

- ``due``: an item's forecast finish (the baseline finish is in the description), titled
  "Vence:" while the item is open, "Completada:" once done;
- ``mesa``: the same, for the Mesa Técnica's milestones (``kind: committee``) and the items
  where its roles name the Mesa Técnica;
- ``workshop``: the day of the workshop of an item whose title or methodology mentions one
  ("taller"). The plan names its workshops but gives none of them a day: the event is one
  working day, the middle one of the item's window (actual dates once known, else the
  forecast), and its title and description say that the day is assumed, so that nobody
  mistakes it for a convened date. A workshop never spans the whole task.

Cancelled and deferred items keep their events, marked ``STATUS:CANCELLED``, so that an event
already imported is cancelled rather than left behind.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

from tracker.exporters.common import ExportData
from tracker.i18n import _
from tracker.labels import plan_title, status_label
from tracker.plan.model import Item, ItemKind
from tracker.plan.statuses import CLOSED, REMOVED
from tracker.schedule.calendar import WorkCalendar
from tracker.schedule.passes import plan_calendar
from tracker.state.forecast import ItemForecast

UID_DOMAIN = "resiliencia-tracker"
PRODID = "-//Direccion de Resiliencia de Panama//resiliencia-tracker//ES"


@dataclass(slots=True)
class CalendarEvent:
    uid: str
    kind: str  # due | mesa | workshop
    key: str
    summary: str
    start: date
    end: date  # exclusive, as iCalendar wants for all-day events
    description: str
    categories: list[str] = field(default_factory=list)
    cancelled: bool = False


def fold(text: str) -> str:
    """Lower case without accents, to find "Taller" and "Mesa Técnica" however written."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def is_workshop(item: Item) -> bool:
    return item.kind is not ItemKind.MILESTONE and any(
        "taller" in fold(text) for text in [item.title, *item.methodology]
    )


def involves_mesa(item: Item) -> bool:
    if item.milestone_kind == "committee":
        return True
    return any("mesa tecnica" in fold(f"{r.who} {r.note}") for r in item.roles)


def uid(plan_key: str, item_key: str, kind: str) -> str:
    return f"{plan_key}-{item_key}-{kind}@{UID_DOMAIN}"


def _description(data: ExportData, forecast: ItemForecast) -> list[str]:
    lines = [forecast.title]
    if forecast.group:
        lines.append(
            _("Area: {area}").format(
                area=f"{forecast.group} – {data.plan.group_title(forecast.group)}"
            )
        )
    if forecast.lead:
        lines.append(_("Lead: {who}").format(who=forecast.lead))
    lines.append(
        _("Status: {status} ({percent}%)").format(
            status=status_label(forecast.status), percent=forecast.percent
        )
    )
    if forecast.reason:
        lines.append(_("Reason: {text}").format(text=forecast.reason))
    lines.append(
        _("Baseline: {start} – {finish}").format(
            start=forecast.baseline_start.isoformat(), finish=forecast.baseline_finish.isoformat()
        )
    )
    lines.append(
        _("Forecast: {start} – {finish} ({slip:+d} working days)").format(
            start=forecast.forecast_start.isoformat(),
            finish=forecast.forecast_finish.isoformat(),
            slip=forecast.slip_days,
        )
    )
    if forecast.actual_start or forecast.actual_finish:
        lines.append(
            _("Actual: {start} – {finish}").format(
                start=forecast.actual_start.isoformat() if forecast.actual_start else "…",
                finish=forecast.actual_finish.isoformat() if forecast.actual_finish else "…",
            )
        )
    return lines


def workshop_day(forecast: ItemForecast, calendar: WorkCalendar) -> date:
    """The assumed day of an item's workshop: the middle working day of its window (actual
    dates when known, else the forecast)."""
    start = forecast.actual_start or forecast.forecast_start
    finish = forecast.actual_finish or forecast.forecast_finish
    if forecast.status in REMOVED:
        start = forecast.actual_start or forecast.baseline_start
        finish = forecast.actual_finish or forecast.baseline_finish
    finish = max(start, finish)
    first = calendar.index_on_or_after(start)
    last = max(first, calendar.index_on_or_before(finish))
    return calendar.day((first + last) // 2)


def _due_summary(forecast: ItemForecast) -> str:
    if forecast.kind == "milestone":
        return _("Milestone: {title}").format(title=forecast.title)
    if forecast.status == "completada":
        return _("Done: {title}").format(title=forecast.title)
    if forecast.status in CLOSED:  # deferred or cancelled: no longer due
        return forecast.title
    return _("Due: {title}").format(title=forecast.title)


def calendar_events(data: ExportData) -> list[CalendarEvent]:
    """The events of the plan, in plan order (a workshop before its item's due date)."""
    events: list[CalendarEvent] = []
    footer = _("Plan {key} as of {date}").format(key=data.plan_key, date=data.as_of.isoformat())
    calendar = plan_calendar(data.plan)
    for forecast in data.forecast.items:
        item = data.plan.items.get(forecast.key)
        details = _description(data, forecast)
        cancelled = forecast.status in REMOVED
        suffix = f" ({status_label(forecast.status)})" if cancelled else ""
        title = forecast.title
        if item is not None and is_workshop(item):
            summary = (
                title if "taller" in fold(title) else _("Workshop: {title}").format(title=title)
            )
            day = workshop_day(forecast, calendar)
            assumed = _(
                "The plan gives no day for this workshop: {day} is assumed (the middle working "
                "day of the item's window {start} – {finish}); correct it when it is convened."
            ).format(
                day=day.isoformat(),
                start=(forecast.actual_start or forecast.forecast_start).isoformat(),
                finish=(forecast.actual_finish or forecast.forecast_finish).isoformat(),
            )
            events.append(
                CalendarEvent(
                    uid(data.plan_key, forecast.key, "workshop"),
                    "workshop",
                    forecast.key,
                    f"{forecast.key} · {summary} ({_('assumed day')}){suffix}",
                    day,
                    day + timedelta(days=1),
                    "\n".join([*details, assumed, footer]),
                    [_("Workshop")],
                    cancelled,
                )
            )
        if item is not None and involves_mesa(item):
            kind, category = "mesa", _("Technical Committee")
            summary = (
                title
                if "mesa tecnica" in fold(title)
                else _("Technical Committee: {title}").format(title=title)
            )
        else:
            kind, category = "due", _("Due date")
            summary = _due_summary(forecast)
        events.append(
            CalendarEvent(
                uid(data.plan_key, forecast.key, kind),
                kind,
                forecast.key,
                f"{forecast.key} · {summary}{suffix}",
                forecast.forecast_finish,
                forecast.forecast_finish + timedelta(days=1),
                "\n".join([*details, footer]),
                [category],
                cancelled,
            )
        )
    return events


def sequence(data: ExportData) -> int:
    """Grows with the recorded history and the as-of date: what moves the forecast."""
    elapsed = (data.as_of - data.plan.meta.period.start).days
    return len(data.changes) + max(elapsed, 0)


def _utc(moment: datetime) -> datetime:
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def build_calendar(data: ExportData, now: datetime | None = None) -> bytes:
    """The iCalendar text (RFC 5545) of the plan's events."""
    from icalendar import Calendar, Event

    stamp = _utc(now or datetime.now(UTC)).replace(microsecond=0)
    modified = _utc(data.changes[-1]["at"]).replace(microsecond=0) if data.changes else stamp
    seq = sequence(data)
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", plan_title(data.plan))
    calendar.add(
        "x-wr-caldesc",
        _("Plan {key} as of {date}").format(key=data.plan_key, date=data.as_of.isoformat()),
    )
    for ev in calendar_events(data):
        event = Event()
        event.add("uid", ev.uid)
        event.add("dtstamp", stamp)
        event.add("last-modified", modified)
        event.add("sequence", seq)
        event.add("dtstart", ev.start)
        event.add("dtend", ev.end)
        event.add("summary", ev.summary)
        event.add("description", ev.description)
        event.add("categories", ev.categories)
        event.add("status", "CANCELLED" if ev.cancelled else "CONFIRMED")
        event.add("transp", "TRANSPARENT")  # a due date does not make anyone busy
        event.add("x-microsoft-cdo-alldayevent", "TRUE")
        event.add("x-microsoft-cdo-busystatus", "FREE")
        calendar.add_component(event)
    data_bytes: bytes = calendar.to_ical()
    return data_bytes


def write_ics(
    data: ExportData, path: str | Path, now: datetime | None = None, *, force: bool = False
) -> int:
    """Write the calendar; returns the number of events."""
    from tracker.exporters.output import write_atomically

    content = build_calendar(data, now)
    write_atomically(Path(path), lambda target: target.write_bytes(content), force=force)
    return content.count(b"BEGIN:VEVENT")
