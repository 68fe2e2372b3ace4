"""The half-page summary for the Despacho that opens page 1: where the phase end stands
against the baseline, what needs a decision (blocked items with their reason and since when,
late critical items with their lead), and the month's communication result."""

from __future__ import annotations

from datetime import date

from tracker.comms.check import summary as comms_summary
from tracker.exporters.report.blocks import Callout, Span
from tracker.exporters.report.dates import day_words, fmt_date
from tracker.exporters.report.events import blocked_since, iso
from tracker.exporters.report.names import LEADING_ROLES, Names
from tracker.exporters.report.outreach import actions_words, quantities_words, tally
from tracker.exporters.report.source import ReportSource
from tracker.i18n import _
from tracker.plan.model import Item
from tracker.schedule.passes import plan_calendar


def clean(text: str) -> str:
    return " ".join(text.split()).rstrip(":;,.").strip()


def phase_slip(source: ReportSource) -> tuple[date | None, date | None, int]:
    """Baseline and forecast phase end, and the working days between them."""
    overall = source.forecast.overall
    base, fore = overall.baseline_finish, overall.forecast_finish
    if base is None or fore is None:
        return base, fore, 0
    return base, fore, plan_calendar(source.plan).working_days_between(base, fore)


def slip_words(days: int) -> str:
    if days == 0:
        return _("on the baseline")
    if days == 1:
        return _("1 working day later")
    if days == -1:
        return _("1 working day earlier")
    if days > 0:
        return _("{n} working days later").format(n=days)
    return _("{n} working days earlier").format(n=-days)


def despacho_summary(source: ReportSource, start: date, end: date, names: Names) -> Callout:
    lines: list[tuple[Span, ...]] = []
    base, fore, slip = phase_slip(source)
    overall = source.forecast.overall
    lines.append(
        (
            (_("Phase end: "), True),
            (
                _(
                    "forecast on {forecast}, against {baseline} in the baseline ({slip}). "
                    "Progress: {percent}% of the phase's work."
                ).format(
                    forecast=fmt_date(fore),
                    baseline=fmt_date(base),
                    slip=slip_words(slip),
                    percent=f"{overall.percent:.0f}",
                ),
                False,
            ),
        )
    )
    decisions = _decisions(source, names)
    if decisions:
        lines.append(((_("Needs a decision:"), True),))
        lines += decisions
    else:
        lines.append(
            (
                (_("Needs a decision: "), True),
                (_("nothing is blocked or late on the critical path."), False),
            )
        )
    lines.append(((_("Communication: "), True), (_comms_result(source, start, end), False)))
    return Callout("summary", _("Summary for the Office of the Mayor"), tuple(lines))


def _decisions(source: ReportSource, names: Names) -> list[tuple[Span, ...]]:
    plan = source.plan
    out: list[tuple[Span, ...]] = []
    for item in source.forecast.items:
        if item.status != "bloqueada":
            continue
        since = blocked_since(source.changes, item.key, source.as_of)
        text = _("Task {key} «{title}»{lead} is blocked").format(
            key=item.key, title=clean(item.title), lead=_lead(names, plan.items.get(item.key))
        )
        if since is not None:
            text += " " + _("since {day}").format(day=day_words(since))
        text += ": " + (clean(item.reason) + "." if item.reason else _("no reason recorded."))
        out.append((("• ", False), (text, False)))
    for item in source.forecast.items:
        if not (item.late and item.critical) or item.status == "bloqueada":
            continue
        lead = _lead(names, plan.items.get(item.key))
        out.append(
            (
                ("• ", False),
                (
                    (
                        _(
                            "Milestone {key} «{title}»{lead} is late on the critical path: "
                            "due {due}, now forecast for {forecast}."
                        )
                        if item.kind == "milestone"
                        else _(
                            "Task {key} «{title}»{lead} is late on the critical path: due "
                            "{due}, now forecast for {forecast}."
                        )
                    ).format(
                        key=item.key,
                        title=clean(item.title),
                        lead=lead,
                        due=fmt_date(item.baseline_finish),
                        forecast=fmt_date(item.forecast_finish),
                    ),
                    False,
                ),
            )
        )
    return out


def _lead(names: Names, item: Item | None) -> str:
    """`` (lead: …)`` after a title, or nothing when the plan names no lead."""
    leads = names.role_holders(item, LEADING_ROLES)
    return " " + _("(lead: {lead})").format(lead=", ".join(leads)) if leads else ""


def _comms_result(source: ReportSource, start: date, end: date) -> str:
    comm = source.plan.communication
    month = tally(
        (
            a
            for a in source.activities
            if (d := iso(a.get("day"))) is not None and start <= d <= end
        ),
        {t.id: t for t in comm.targets} if comm else {},
    )
    closed = [s for s in source.comms if start <= s.period_end <= end]
    counts = comms_summary(source.comms)
    text = _("{actions} in the month.").format(actions=actions_words(month.actions))
    if month.quantities:
        text += " " + _("Units recorded: {quantities}.").format(
            quantities=quantities_words(month.quantities)
        )
    if closed:
        met = sum(1 for s in closed if s.state == "cumplida")
        text += " " + _("Periods closing this month: {met} of {total} met.").format(
            met=met, total=len(closed)
        )
        missed = [clean(s.action) for s in closed if s.state == "incumplida"]
        if missed:
            text += " " + _("Missed: {targets}.").format(targets="; ".join(dict.fromkeys(missed)))
    text += " " + _(
        "Targets at the month's end: {met} met, {on} on course, {behind} behind, {missed} missed."
    ).format(
        met=counts["cumplida"],
        on=counts["en_curso"],
        behind=counts["atrasada"],
        missed=counts["incumplida"],
    )
    return text
