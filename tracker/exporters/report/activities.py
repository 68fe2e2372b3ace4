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
from tracker.exporters.report.outreach import actions_words, quantities_words, tally
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
    return _within_budget(sorted(rows, key=lambda r: (r.day, r.order)))


# The municipality's monthly reports are 1–3 pages: past this many rows the table is cut to
# the month's most telling activities, and one closing row counts the rest (all of them are
# in the annex, with --annex).
MAIN_ROWS = 18
_PRIORITY = {"item": 0, "product": 1, "communication": 2}


def _within_budget(rows: list[ActivityRow]) -> list[ActivityRow]:
    if len(rows) <= MAIN_ROWS:
        return rows

    def rank(row: ActivityRow) -> int:
        if row.order >= 2_000_000_000:
            return _PRIORITY["communication"]
        return _PRIORITY["product" if row.kind.startswith(_("PRODUCT")) else "item"]

    # Each kind keeps a share (events, products, communication), then the room left goes
    # to the rest in that order: the month is told whole, not only its first kind.
    ranked = sorted(range(len(rows)), key=lambda i: (rank(rows[i]), i))
    quota = {_PRIORITY["item"]: 9, _PRIORITY["product"]: 5, _PRIORITY["communication"]: 3}
    chosen: list[int] = []
    for i in ranked:
        if quota[rank(rows[i])] > 0:
            quota[rank(rows[i])] -= 1
            chosen.append(i)
    for i in ranked:
        if len(chosen) >= MAIN_ROWS - 1:
            break
        if i not in chosen:
            chosen.append(i)
    chosen = sorted(chosen[: MAIN_ROWS - 1])
    left = [rows[i] for i in ranked if i not in chosen]
    shown = [rows[i] for i in chosen]
    products = sum(1 for r in left if rank(r) == _PRIORITY["product"])
    comms = sum(1 for r in left if rank(r) == _PRIORITY["communication"])
    others = len(left) - products - comms
    parts = []
    if products:
        parts.append(_("{n} about products").format(n=products))
    if comms:
        parts.append(_("{n} of communication").format(n=comms))
    if others:
        parts.append(_("{n} others").format(n=others))
    text = _("{n} more activities this month ({parts}); each one is in the annex.").format(
        n=len(left), parts=", ".join(parts)
    )
    days = [d for r in left for d in r.days]
    shown.append(
        ActivityRow([min(days), max(days)], _("OTHER ACTIVITIES"), [], text, 3_000_000_000)
    )
    return shown


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
    by_producer: dict[str, list[str]] = {}
    for key in by_key:
        found = plan.deliverables.get(key)
        by_producer.setdefault(found.producer if found else key, []).append(key)
    rows = []
    for producer_key, keys in by_producer.items():
        if len(keys) > 1:
            rows.append(_products_row(source, producer_key, keys, by_key, names))
    for key, group in by_key.items():
        deliverable = plan.deliverables.get(key)
        if len(by_producer.get(deliverable.producer if deliverable else key, ())) > 1:
            continue
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


def _products_row(
    source: ReportSource,
    producer_key: str,
    keys: list[str],
    by_key: dict[str, list[Event]],
    names: Names,
) -> ActivityRow:
    """Several products of one task in the month: one row, as a report would tell it."""
    plan = source.plan
    producer = plan.items.get(producer_key)
    events = [e for key in keys for e in by_key[key]]
    validated = [k for k in keys if any(e.kind == "validated" for e in by_key[k])]
    delivered = [k for k in keys if any(e.kind == "delivered" for e in by_key[k])]
    if validated and delivered:
        kind = _("PRODUCTS VALIDATED AND DELIVERED")
    elif validated:
        kind = _("PRODUCTS VALIDATED")
    else:
        kind = _("PRODUCTS DELIVERED")

    def titles(chosen: list[str]) -> str:
        return _join([f"«{clean(plan.deliverables[k].title)}»" for k in chosen])

    task = clean(producer.title) if producer else producer_key
    parts = []
    if validated:
        first = plan.deliverables.get(validated[0])
        who = _validators(first, producer, names)
        parts.append(_("{titles} validated by {who}").format(titles=titles(validated), who=who))
    if delivered:
        parts.append(_("{titles} delivered").format(titles=titles(delivered)))
    recorded = names.person(events[-1].change.author)
    sentence = _("{n} products of «{task}»: {what} (recorded by {person}).").format(
        n=len(keys), task=task, what="; ".join(parts), person=recorded
    )
    notes = list(dict.fromkeys(e.change.note for e in events if e.change.note))
    if notes:
        sentence += " " + " ".join(n if n.endswith(".") else n + "." for n in notes)
    orgs = _organisations(producer, names)
    return ActivityRow(
        [e.day for e in events], kind, orgs[:4], sentence, min(e.change.id for e in events)
    )


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
        amount = tally(acts, targets)
        used = list(dict.fromkeys(channels.get(str(a["channel"]), str(a["channel"])) for a in acts))
        topics = list(dict.fromkeys(_topic(str(a.get("title") or "")) for a in acts))
        done = actions_words(amount.actions)
        if amount.quantities:
            done = _("{actions}, {quantities}").format(
                actions=done, quantities=quantities_words(amount.quantities)
            )
        text = _("{action}: {done} ({channels})").format(
            action=action, done=done, channels=", ".join(used)
        )
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
