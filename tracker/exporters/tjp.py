"""Export a plan as a TaskJuggler 3 project, for cross-checking and for TaskJuggler users.

Conventions that make TaskJuggler's working-day arithmetic equal ours:
- 24-hour working days Monday–Friday, so ``length Nd`` is N whole working days;
- the plan's public holidays as project-wide ``leaves``;
- tasks flat at top level with mangled ids (TaskJuggler ids are ``[A-Za-z_][A-Za-z0-9_]*``);
- a "not before" date becomes an extra dependency on a fixed-date milestone, because
  ``start`` together with ``depends`` is a hard conflict in TaskJuggler.
TaskJuggler reports exclusive end dates (a one-day task on Monday ends Tuesday); see
``from_tj3_dates`` for the conversion back to ours.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path

from tracker.plan.graph import dependency_edges
from tracker.plan.model import Plan
from tracker.schedule.calendar import WorkCalendar
from tracker.schedule.passes import compute_schedule, plan_calendar

REPORT_ID = "tracker_dates"


def mangle(item_id: str) -> str:
    """A TaskJuggler id for ``item_id``, injective: every other character is hex-escaped."""
    out = ["t"]
    for ch in item_id:
        if ch.isascii() and ch.isalnum():
            out.append(ch)
        elif ord(ch) < 256:
            out.append(f"_{ord(ch):02x}")
        else:
            out.append(f"_u{ord(ch):06x}")
    return "".join(out)


def _quote(text: str) -> str:
    return '"' + " ".join(text.replace("\\", "/").replace('"', "'").split()) + '"'


def render_tjp(plan: Plan, calendar: WorkCalendar | None = None) -> str:
    """The plan as TaskJuggler 3 source text."""
    calendar = calendar or plan_calendar(plan)
    schedule = compute_schedule(plan, calendar)
    start = plan.meta.period.start
    # The project must span every task, or TaskJuggler refuses it; leave a margin.
    end = max(schedule.finish, plan.meta.period.end) + timedelta(days=60)
    lines = [
        f"project {_quote(plan.meta.id)} {_quote(plan.meta.title)} {start.isoformat()} "
        f"- {end.isoformat()} {{",
        '  timezone "UTC"',
        "  dailyworkinghours 24",
        "  workinghours mon-fri 0:00-24:00",
        "  workinghours sat, sun off",
        "}",
    ]
    holidays = calendar.holidays_between(start, end)
    if holidays:
        lines.append(
            "leaves "
            + ",\n       ".join(
                f"holiday {_quote(name)} {day.isoformat()}" for day, name in holidays
            )
        )
    # An item may wait on another item and on its product: one edge, the longest lag.
    lags: dict[str, dict[str, int]] = {}
    for pre, post, lag in dependency_edges(plan):
        edges = lags.setdefault(post, {})
        edges[pre] = max(lag, edges.get(pre, 0))
    depends = {
        post: [
            mangle(pre) + (f" {{ gaplength {lag}d }}" if lag else "") for pre, lag in edges.items()
        ]
        for post, edges in lags.items()
    }
    first_day = calendar.day(calendar.index_on_or_after(start))
    for item in plan.items.values():
        tid = mangle(item.id)
        refs = list(depends.get(item.id, []))
        if item.not_before is not None:
            # A milestone's date is TaskJuggler's end minus one day, hence the shift.
            shift = timedelta(days=1 if item.duration == 0 else 0)
            anchor = f"nb_{tid}"
            lines.append(
                f"task {anchor} {_quote('not before ' + item.id)} {{ "
                f"start {(item.not_before + shift).isoformat()} milestone }}"
            )
            refs.append(anchor)
        body = []
        if refs:
            body.append("depends " + ", ".join(refs))
        elif item.duration == 0:
            body.append(f"start {(first_day + timedelta(days=1)).isoformat()}")
        body.append(f"length {item.duration}d" if item.duration else "milestone")
        lines.append(f"task {tid} {_quote(item.id + ' ' + item.title)} {{ {' '.join(body)} }}")
    lines.append(
        f'taskreport {REPORT_ID} "{REPORT_ID}" {{ formats csv '
        'columns id, start, end timeformat "%Y-%m-%d" sorttasks seqno.up }'
    )
    return "\n".join(lines) + "\n"


def write_tjp(plan: Plan, output: str | Path, *, force: bool = False) -> None:
    from tracker.exporters.output import write_atomically

    text = render_tjp(plan)
    write_atomically(
        Path(output), lambda target: target.write_text(text, encoding="utf-8"), force=force
    )


def from_tj3_dates(
    calendar: WorkCalendar, milestone: bool, start: date, end: date
) -> tuple[date, date]:
    """Our (start, finish) from TaskJuggler's reported (start, exclusive end)."""
    finish = end - timedelta(days=1)
    if milestone:
        return finish, finish
    return calendar.day(calendar.index_on_or_after(start)), finish
