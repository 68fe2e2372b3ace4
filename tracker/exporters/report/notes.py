"""COORDINACIONES: the notes of the month as short prose bullets, attributed by the full name
the plan's team lists (never a login). Notes that say the same thing are told once, with every
subject they were written on. Notes on products travel with the product's row instead."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from tracker.exporters.report.blocks import Span
from tracker.exporters.report.dates import days_words
from tracker.exporters.report.events import all_events, iso, item_events
from tracker.exporters.report.names import Names
from tracker.exporters.report.source import ReportSource
from tracker.i18n import _


def clean(text: str) -> str:
    return " ".join(text.split()).rstrip(":;,.").strip()


@dataclass(slots=True)
class _Note:
    text: str
    who: str
    subjects: list[str] = field(default_factory=list)
    days: list[date] = field(default_factory=list)
    order: int = 0


def month_notes(
    source: ReportSource, start: date, end: date, names: Names
) -> list[tuple[Span, ...]]:
    plan = source.plan
    grouped: dict[tuple[str, str], _Note] = {}

    def add(text: str, author: str, subject: str, day: date, order: int) -> None:
        text = clean(text)
        if not text:
            return
        who = names.person(author) if author else ""
        note = grouped.setdefault((text.casefold(), who), _Note(text, who, order=order))
        if subject and subject not in note.subjects:
            note.subjects.append(subject)
        note.days.append(day)

    events = {e.change.id: e for e in all_events(source.changes) if e.entity == "item"}
    for change in source.changes:
        if change.entity != "item":
            continue
        item = plan.items.get(change.key)
        subject = f"«{clean(item.title)}»" if item else ""
        happened = item_events(change)
        day = (
            happened[-1].day if happened else (iso(change.after.get("status_date")) or change.typed)
        )
        if not start <= day <= end:
            continue
        text = change.note
        event = events.get(change.id)
        if event is not None and event.kind in ("blocked", "deferred", "cancelled"):
            reason = clean(str(change.after.get("reason") or ""))
            label = {
                "blocked": _("Blocked"),
                "deferred": _("Deferred"),
                "cancelled": _("Cancelled"),
            }[event.kind]
            text = f"{label}: {reason or text}" if (reason or text) else label
        add(text, change.author, subject, day, change.id)
    for number, activity in enumerate(source.activities):
        logged = iso(activity.get("day"))
        if logged is None or not start <= logged <= end:
            continue
        title = clean(str(activity.get("title") or ""))
        add(
            str(activity.get("note") or ""),
            str(activity.get("author") or ""),
            f"«{title}»" if title else "",
            logged,
            2_000_000_000 + number,
        )
    bullets: list[tuple[Span, ...]] = []
    for note in sorted(grouped.values(), key=lambda n: (min(n.days), n.order)):
        about = "; ".join(note.subjects)
        tail = ", ".join(p for p in (note.who, days_words(note.days)) if p)
        spans: list[Span] = [(note.text + ".", False)]
        if about:
            spans.append((" " + _("About {subjects}.").format(subjects=about), False))
        spans.append((f" ({tail})", False))
        bullets.append(tuple(spans))
    return bullets
