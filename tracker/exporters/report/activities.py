"""The ACTIVIDAD / ENTIDAD / INFORMACIÓN / FECHA table: one row per real activity of the month
(a workshop held, a product validated or delivered, a consultancy started or finished, a Mesa
Técnica session, a milestone, a task concluded, the communication actions of one target),
with the organisations involved by their canonical names, one sentence and the day. Ids, file
paths and logins stay out: they belong to the annex."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.exporters.report.dates import day_words, days_words
from tracker.exporters.report.events import Event, all_events, iso
from tracker.exporters.report.names import LEADING_ROLES, VALIDATING_ROLES, Names, fold
from tracker.exporters.report.source import ReportSource
from tracker.i18n import _
from tracker.plan.model import Item, ItemKind
from tracker.schedule.calendar import WorkCalendar


@dataclass(slots=True)
class ActivityRow:
    days: list[date]
    kind: str  # "TALLER", "PRODUCTO VALIDADO" ... (upper case, as the seeds write it)
    organisations: list[str]
    text: str
    order: int = 0
    notes: list[str] = field(default_factory=list)

    @property
    def day(self) -> date:
        return max(self.days)

    @property
    def when(self) -> str:
        return days_words(self.days)


def clean(text: str) -> str:
    return " ".join(text.split()).rstrip(":;,.").strip()


def is_workshop(item: Item) -> bool:
    return "taller" in fold(item.title) or "workshop" in fold(item.title)


def is_consultancy(item: Item, names: Names) -> bool:
    if "consultor" in fold(item.title):
        return True
    leads = names.role_holders(item, LEADING_ROLES)
    return any("consultor" in fold(who) for who in leads)


def is_committee_session(item: Item) -> bool:
    return item.kind is ItemKind.MILESTONE and "mesa" in fold(item.title)


def month_rows(source: ReportSource, start: date, end: date, names: Names) -> list[ActivityRow]:
    """The rows of the month ``start``–``end``, in the order of their (last) day."""
    events = [e for e in all_events(source.changes) if start <= e.day <= end]
    rows: list[ActivityRow] = []
    calendar = _calendar(source)
    for event in events:
        if event.entity == "item":
            row = _item_row(source, event, names, calendar)
            if row is not None:
                rows.append(row)
    rows += _deliverable_rows(source, events, names)
    rows += _communication_rows(source, start, end, names)
    return sorted(rows, key=lambda r: (r.day, r.order))


def _calendar(source: ReportSource) -> WorkCalendar:
    from tracker.schedule.passes import plan_calendar

    return plan_calendar(source.plan)


def _organisations(item: Item | None, names: Names, *roles: tuple[str, ...]) -> list[str]:
    found: list[str] = []
    for group in roles or (LEADING_ROLES, ("apoya",)):
        for name in names.role_holders(item, group):
            if name not in found:
                found.append(name)
    return found[:4] or [names.office()]


def _lateness(source: ReportSource, calendar: WorkCalendar, key: str, day: date) -> str:
    item = source.item(key)
    if item is None:
        return ""
    late = calendar.working_days_between(item.baseline_finish, day)
    if late > 1:
        return " " + _("({n} working days after the baseline)").format(n=late)
    if late == 1:
        return " " + _("(1 working day after the baseline)")
    if late < 0:
        return " " + _("(ahead of the baseline)")
    return " " + _("(on the baseline date)")


def _item_row(
    source: ReportSource, event: Event, names: Names, calendar: WorkCalendar
) -> ActivityRow | None:
    item = source.plan.items.get(event.key)
    if item is None:
        return None
    title = clean(item.title)
    orgs = _organisations(item, names)
    order = event.change.id
    if is_committee_session(item) and event.kind == "completed":
        orgs = [source.plan.committee.name] if source.plan.committee else orgs
        text = _("Session held: {title}.").format(title=title)
        return ActivityRow([event.day], _("TECHNICAL COMMITTEE SESSION"), orgs, text, order)
    if item.kind is ItemKind.MILESTONE:
        if event.kind != "completed":
            return None
        text = _("Milestone reached: {title}.").format(title=title)
        return ActivityRow([event.day], _("MILESTONE"), orgs, text, order)
    if is_consultancy(item, names) and event.kind in ("started", "completed"):
        if event.kind == "started":
            text = _("The consultancy «{title}» started.").format(title=title)
            return ActivityRow([event.day], _("CONSULTANCY STARTED"), orgs, text, order)
        text = _("The consultancy «{title}» finished").format(title=title)
        text += _lateness(source, calendar, event.key, event.day) + "."
        return ActivityRow([event.day], _("CONSULTANCY FINISHED"), orgs, text, order)
    if event.kind != "completed":
        return None  # starts, blocks and deferrals: the summary and the notes tell them
    if is_workshop(item):
        text = _("Workshop held: {title}").format(title=title)
        text += _lateness(source, calendar, event.key, event.day) + "."
        return ActivityRow([event.day], _("WORKSHOP"), orgs, text, order)
    text = _("Task concluded: {title}").format(title=title)
    text += _lateness(source, calendar, event.key, event.day) + "."
    return ActivityRow([event.day], _("TASK CONCLUDED"), orgs, text, order)


def _deliverable_rows(source: ReportSource, events: list[Event], names: Names) -> list[ActivityRow]:
    """One row per product, validated and/or delivered in the month."""
    plan = source.plan
    by_key: dict[str, list[Event]] = {}
    for event in events:
        if event.entity == "deliverable":
            by_key.setdefault(event.key, []).append(event)
    rows = []
    for key, group in by_key.items():
        deliverable = plan.deliverables.get(key)
        title = clean(deliverable.title) if deliverable else key
        producer = plan.items.get(deliverable.producer) if deliverable else None
        validated = [e for e in group if e.kind == "validated"]
        delivered = [e for e in group if e.kind == "delivered"]
        validators = _validators(deliverable, producer, names)
        recorded = names.person((validated or delivered)[-1].change.author)
        sentence = f"«{title}»: "
        if validated and delivered:
            kind = _("PRODUCT VALIDATED AND DELIVERED")
            sentence += _("validated by {who} on {day}, delivered on {sent}").format(
                who=validators, day=day_words(validated[-1].day), sent=day_words(delivered[-1].day)
            )
        elif validated:
            kind = _("PRODUCT VALIDATED")
            sentence += _("validated by {who}").format(who=validators)
        else:
            kind = _("PRODUCT DELIVERED")
            sentence += _("delivered")
        sentence += " " + _("(recorded by {person}).").format(person=recorded)
        notes = list(dict.fromkeys(e.change.note for e in group if e.change.note))
        if notes:
            sentence += " " + " ".join(n if n.endswith(".") else n + "." for n in notes)
        orgs = _organisations(producer, names)
        for name in names.organisations(r.who for r in (deliverable.roles if deliverable else [])):
            if name not in orgs:
                orgs.append(name)
        rows.append(
            ActivityRow([e.day for e in group], kind, orgs[:4], sentence, group[0].change.id)
        )
    return rows


def _validators(deliverable: object, producer: Item | None, names: Names) -> str:
    """Who validates a product, from the plan's roles: the product's own, then its task's;
    the plan's office (which the plan makes responsible for follow-up of every product)
    when neither names one."""
    roles = list(getattr(deliverable, "roles", []) or [])
    found = names.organisations(r.who for r in roles if fold(r.role) in VALIDATING_ROLES)
    if not found:
        found = names.role_holders(producer, VALIDATING_ROLES)
    if not found:
        found = [names.office()]
    return _join(found)


def _join(names: list[str]) -> str:
    if len(names) == 1:
        return names[0]
    return _("{first} and {last}").format(first=", ".join(names[:-1]), last=names[-1])


def _topic(title: str) -> str:
    head, sep, tail = title.partition(": ")
    return clean(tail if sep else head)


def _communication_rows(
    source: ReportSource, start: date, end: date, names: Names
) -> list[ActivityRow]:
    """The month's communication log, one row per target it counts toward."""
    comm = source.plan.communication
    targets = {t.id: t for t in comm.targets} if comm else {}
    channels = {c.id: c.name for c in comm.channels} if comm else {}
    groups: dict[str, list[dict[str, object]]] = {}
    for activity in source.activities:
        day = iso(activity.get("day"))
        if day is None or not start <= day <= end:
            continue
        counted = list(activity.get("targets") or [])
        groups.setdefault(str(counted[0]) if counted else "", []).append(activity)
    rows = []
    for number, (target_id, acts) in enumerate(groups.items()):
        target = targets.get(target_id)
        action = clean(target.action) if target else _("Communication")
        count = sum(int(str(a.get("quantity") or 1)) for a in acts)
        used = list(dict.fromkeys(channels.get(str(a["channel"]), str(a["channel"])) for a in acts))
        topics = list(dict.fromkeys(_topic(str(a.get("title") or "")) for a in acts))
        text = (
            _("{action}: 1 action ({channels})")
            if count == 1
            else _("{action}: {n} actions ({channels})")
        ).format(action=action, n=count, channels=", ".join(used))
        if topics:
            shown = "; ".join(topics[:3]) + ("; …" if len(topics) > 3 else "")
            text += " — " + _("on {topics}").format(topics=shown)
        days = [d for d in (iso(a.get("day")) for a in acts) if d is not None]
        rows.append(
            ActivityRow(
                days, _("COMMUNICATION"), [names.office()], text + ".", 2_000_000_000 + number
            )
        )
    return rows
