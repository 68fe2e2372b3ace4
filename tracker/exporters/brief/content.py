"""What the brief says: the RAG rows with their rule and reason, the S-curve, the milestones
and the decisions asked of the committee, and the quarter's communication targets."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from tracker.comms.check import TargetState
from tracker.exporters.brief.rules import AMBER, GREEN, RED, Rag, Rules
from tracker.exporters.brief.scurve import SCurve, actual_series, planned_series
from tracker.exporters.gantt.rows import GanttRow, summary_rows
from tracker.exporters.report.dates import fmt_date
from tracker.exporters.report.events import blocked_since, iso, item_events
from tracker.exporters.report.names import LEADING_ROLES, Names
from tracker.exporters.report.source import Change, ReportSource, plan_title
from tracker.i18n import _
from tracker.plan.statuses import REMOVED
from tracker.schedule.calendar import WorkCalendar
from tracker.schedule.passes import plan_calendar
from tracker.state.forecast import ItemForecast

DONE_DELIVERABLE = ("validado", "entregado")


def clean(text: str) -> str:
    return " ".join(text.split()).rstrip(":;,.").strip()


@dataclass(frozen=True, slots=True)
class RagRow:
    kind: str  # "area", "stage", "milestone", "communication"
    key: str
    title: str
    percent: float | None
    baseline: date | None
    forecast: date | None
    rag: Rag


@dataclass(slots=True)
class Brief:
    title: str
    plan: str
    organisation: str
    period_label: str  # "marzo de 2018" or "2018T1"
    as_of: date
    phase_baseline: date | None
    phase_forecast: date | None
    phase_slip: int
    percent: float
    rows: list[RagRow]
    curve: SCurve
    decisions: list[str]
    milestones: list[RagRow]
    targets: list[TargetState]
    channels: dict[str, str]
    # The summary Gantt's rows, from the builder `tracker gantt --summary` uses: the same
    # areas, stages, milestones and items needing attention, with the same dates and percent.
    gantt: list[GanttRow] = field(default_factory=list)


def build_brief(
    source: ReportSource,
    rules: Rules,
    period_label: str,
    quarter_targets: list[TargetState],
    percent_on: Callable[[date], float] | None = None,
) -> Brief:
    plan = source.plan
    names = Names(plan)
    calendar = plan_calendar(plan)
    fc = source.forecast
    overall = fc.overall
    base, fore = overall.baseline_finish, overall.forecast_finish
    slip = calendar.working_days_between(base, fore) if base and fore else 0
    rows: list[RagRow] = []
    for group in fc.groups:
        if not group.key:
            continue
        members = [i for i in fc.items if i.group == group.key]
        kind = "area" if any(a.id == group.key for a in plan.areas) else "stage"
        rows.append(
            RagRow(
                kind,
                group.key,
                clean(group.title),
                group.percent,
                group.baseline_finish,
                group.forecast_finish,
                _group_rag(
                    source, rules, calendar, members, group.baseline_finish, group.forecast_finish
                ),
            )
        )
    milestones = [
        RagRow(
            "milestone",
            i.key,
            clean(i.title),
            None,
            i.baseline_finish,
            i.actual_finish or i.forecast_finish,
            _milestone_rag(calendar, i, source.as_of),
        )
        for i in fc.items
        if i.kind == "milestone"
    ]
    rows += milestones
    rows.append(_comms_row(source, rules))
    start = plan.meta.period.start
    end = max(d for d in (plan.meta.period.end, base or start, fore or start))
    curve = SCurve(
        start,
        end,
        source.as_of,
        planned_series(fc.items, calendar, start, end),
        actual_series(
            start,
            min(source.as_of, end),
            change_days(source.changes),
            percent_on or replay_percent(source),
        ),
    )
    comm = plan.communication
    return Brief(
        title=_("Brief for the {committee}").format(
            committee=plan.committee.name if plan.committee else _("steering committee")
        ),
        plan=plan_title(plan),
        organisation=names.office(),
        period_label=period_label,
        as_of=source.as_of,
        phase_baseline=base,
        phase_forecast=fore,
        phase_slip=slip,
        percent=overall.percent,
        rows=rows,
        curve=curve,
        decisions=_decisions(source, names),
        milestones=milestones,
        targets=quarter_targets,
        channels={c.id: c.name for c in comm.channels} if comm else {},
        gantt=summary_rows(plan, fc),
    )


def _slip_reason(calendar: WorkCalendar, base: date | None, fore: date | None) -> tuple[int, str]:
    if base is None or fore is None:
        return 0, ""
    slip = calendar.working_days_between(base, fore)
    return slip, _(
        "forecast end {forecast} against {baseline} in the baseline ({n:+d} working days)"
    ).format(forecast=fmt_date(fore), baseline=fmt_date(base), n=slip)


def _group_rag(
    source: ReportSource,
    rules: Rules,
    calendar: WorkCalendar,
    members: list[ItemForecast],
    base: date | None,
    fore: date | None,
) -> Rag:
    blocked = [i for i in members if i.status == "bloqueada"]
    slip, slip_text = _slip_reason(calendar, base, fore)
    if members and all(i.status in ("completada", *REMOVED) for i in members):
        return Rag(GREEN, _("finished"), slip_text)
    if rules.red_if_blocked and blocked:
        item = blocked[0]
        since = blocked_since(source.changes, item.key, source.as_of)
        reason = _("{key} blocked").format(key=item.key)
        if since:
            reason += " " + _("since {day}").format(day=fmt_date(since))
        if item.reason:
            reason += ": " + clean(item.reason)
        return Rag(RED, _("an item is blocked"), reason)
    if slip > rules.red_slip_days:
        return Rag(
            RED,
            _("slip over {n} working days").format(n=rules.red_slip_days),
            slip_text,
        )
    if slip > rules.amber_slip_days:
        return Rag(
            AMBER,
            _("slip over the accepted slack ({n} working days)").format(n=rules.amber_slip_days),
            slip_text,
        )
    late = [i for i in members if i.late]
    if late:
        return Rag(
            AMBER,
            _("items open after their baseline finish"),
            ", ".join(f"{i.key} ({fmt_date(i.baseline_finish)})" for i in late[:4]),
        )
    if rules.amber_if_late_deliverables:
        finish = {i.key: i.baseline_finish for i in members}
        overdue = [
            d
            for d in source.deliverables
            if d.producer in finish
            and d.status not in DONE_DELIVERABLE
            and finish[d.producer] < source.as_of
            and next(i for i in members if i.key == d.producer).status not in REMOVED
        ]
        if overdue:
            return Rag(
                AMBER,
                _("products not validated after their task's baseline finish"),
                _("{n} products, e.g. «{title}»").format(
                    n=len(overdue), title=clean(overdue[0].title)[:80]
                ),
            )
    return Rag(GREEN, _("no rule met"), slip_text or _("on the baseline"))


def _milestone_rag(calendar: WorkCalendar, item: ItemForecast, as_of: date) -> Rag:
    if item.status == "completada":
        return Rag(GREEN, _("milestone reached"), fmt_date(item.actual_finish))
    slip = calendar.working_days_between(item.baseline_finish, item.forecast_finish)
    text = _("forecast {forecast} against {baseline} ({n:+d} working days)").format(
        forecast=fmt_date(item.forecast_finish), baseline=fmt_date(item.baseline_finish), n=slip
    )
    if item.baseline_finish < as_of:
        return Rag(RED, _("milestone open after its baseline date"), text)
    if slip > 0:
        return Rag(AMBER, _("milestone forecast after its baseline date"), text)
    return Rag(GREEN, _("no rule met"), text)


def _comms_row(source: ReportSource, rules: Rules) -> RagRow:
    missed = [s for s in source.comms if s.state == "incumplida"]
    behind = [s for s in source.comms if s.state == "atrasada"]
    if rules.amber_if_missed_comms and (missed or behind):
        worst = (missed or behind)[0]
        rag = Rag(
            AMBER,
            _("a communication period closed unmet or is behind"),
            _("{missed} missed, {behind} behind; e.g. «{action}» {done}/{expected}").format(
                missed=len(missed),
                behind=len(behind),
                action=clean(worst.action)[:70],
                done=worst.done,
                expected=worst.expected,
            ),
        )
    else:
        met = sum(1 for s in source.comms if s.state == "cumplida")
        rag = Rag(GREEN, _("no rule met"), _("{n} targets met").format(n=met))
    return RagRow("communication", "", _("Communication plan"), None, None, None, rag)


def _decisions(source: ReportSource, names: Names) -> list[str]:
    out = []
    plan = source.plan
    for item in source.forecast.items:
        lead = ", ".join(names.role_holders(plan.items.get(item.key), LEADING_ROLES))
        if not lead and item.kind == "milestone" and plan.committee is not None:
            lead = plan.committee.name  # a milestone's session is the committee's own
        if item.status == "bloqueada":
            since = blocked_since(source.changes, item.key, source.as_of)
            out.append(
                _("Unblock {key} «{title}» ({lead}), blocked since {since}: {reason}").format(
                    key=item.key,
                    title=clean(item.title),
                    lead=lead or "—",
                    since=fmt_date(since),
                    reason=clean(item.reason) or "—",
                )
            )
        elif item.late and item.critical:
            out.append(
                _(
                    "Recover or re-plan {key} «{title}» ({lead}): critical, due {due}, "
                    "forecast {forecast}"
                ).format(
                    key=item.key,
                    title=clean(item.title),
                    lead=lead or "—",
                    due=fmt_date(item.baseline_finish),
                    forecast=fmt_date(item.forecast_finish),
                )
            )
    return out


def change_day(change: Change) -> date:
    """The day a change counts from: the day it took effect as the history records it."""
    if change.effective is not None:
        return change.effective
    events = item_events(change)
    if events:
        return events[-1].day
    return iso(change.after.get("status_date")) or change.typed


def change_days(changes: list[Change]) -> list[date]:
    return sorted({change_day(c) for c in changes if c.entity == "item"})


def replay_percent(source: ReportSource) -> Callable[[date], float]:
    """The overall percent on a day, replayed from the item changes effective by then
    (duration-weighted, deferred and cancelled items left out, as the forecast counts)."""
    history: dict[str, list[tuple[date, int, str, int]]] = {}
    for change in source.changes:
        if change.entity == "item" and "status" in change.after:
            history.setdefault(change.key, []).append(
                (
                    change_day(change),
                    change.id,
                    str(change.after.get("status")),
                    int(change.after.get("percent") or 0),
                )
            )
    for entries in history.values():
        entries.sort()
    weights = {i.key: (i.duration if i.duration > 1 else 1) for i in source.forecast.items}

    def percent_on(day: date) -> float:
        weight = done = 0.0
        for key, w in weights.items():
            status, percent = "pendiente", 0
            for effective, _id, s, p in history.get(key, []):
                if effective > day:
                    break
                status, percent = s, p
            if status in REMOVED:
                continue
            weight += w
            done += w * (100 if status == "completada" else percent)
        return round(done / weight, 1) if weight else 0.0

    return percent_on
