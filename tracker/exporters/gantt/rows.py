"""The rows of a Gantt chart, built once for every chart that draws one.

The Plotly chart (paper and HTML) and the terminal chart (``tui/widgets/gantt.py``) show the
same rows with the same words: the id, the full name, the start and finish shown, the percent
complete, the status's name, the lead, and the marks (late, blocked, critical path). Only the
drawing differs. Nothing here imports Plotly or Textual.

Two kinds of chart:

- the full chart (:func:`build_rows`): areas, then stages, in plan order, each a header row
  and its items; the milestones last;
- the summary (:func:`summary_rows`), one screen: a row per area and stage, the milestones,
  then the items that need attention (late, blocked, or open on the critical path).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from tracker.i18n import _
from tracker.labels import plan_title as plan_title
from tracker.labels import status_label
from tracker.plan.model import Plan
from tracker.plan.statuses import CLOSED, REMOVED
from tracker.state.forecast import Forecast, ItemForecast
from tracker.textsafe import visible

HEADER = "header"  # a group (full chart) or a section (summary) heading, no bar of its own
GROUP = "group"  # an area or stage drawn as one bar (summary)
ITEM = "item"


@dataclass(frozen=True, slots=True)
class GanttRow:
    """One line of a Gantt chart. Text is plain (already cleaned of control characters);
    each renderer escapes it for its own medium."""

    kind: str  # HEADER, GROUP or ITEM
    key: str  # the item's key; a group's id; "" for the milestones heading
    group: str
    title: str
    item: ItemForecast | None = None
    start: date | None = None  # what the chart shows: forecast, or actual, dates
    finish: date | None = None
    baseline_start: date | None = None
    baseline_finish: date | None = None
    percent: float | None = None
    state: str = ""  # colouring state: a status, or "atrasada" for an open late item
    lead: str = ""

    @property
    def label(self) -> str:
        """``1.3.2 · title`` (the terminal's label column)."""
        return f"{self.key} · {self.title}" if self.key and self.title else self.title or self.key

    @property
    def span(self) -> tuple[date, date] | None:
        """A header's or group's forecast span (None when it has no open item)."""
        if self.start is None or self.finish is None:
            return None
        return self.start, self.finish

    @property
    def is_header(self) -> bool:
        return self.item is None

    @property
    def state_label(self) -> str:
        return status_label(self.state) if self.state else ""

    @property
    def milestone(self) -> bool:
        return self.item is not None and not is_bar(self.item)


def clean(text: str) -> str:
    """One line, control characters made visible."""
    return visible(" ".join(str(text).split()))


def group_ids(plan: Plan) -> list[str]:
    return [a.id for a in plan.areas] + [s.id for s in plan.stages]


def is_bar(item: ItemForecast) -> bool:
    """Items that take time are bars; zero-duration items (milestones) are diamonds."""
    return item.duration > 0


def shown_span(item: ItemForecast) -> tuple[date, date]:
    """The days the item's bar covers (first and last, inclusive).

    Deferred and cancelled items no longer have a forecast: they are drawn, greyed, where
    they were (their actual dates, else the baseline)."""
    if item.status in REMOVED:
        start = item.actual_start or item.baseline_start
        finish = item.actual_finish or item.baseline_finish
    else:
        start, finish = item.forecast_start, item.forecast_finish
    return start, max(start, finish)


def item_state(item: ItemForecast) -> str:
    """What the chart's colour says: blocked first, then late (open and past the baseline),
    else the status."""
    if item.status == "bloqueada":
        return "bloqueada"
    if item.late and item.status not in CLOSED:
        return "atrasada"
    return item.status


def item_row(item: ItemForecast) -> GanttRow:
    start, finish = shown_span(item)
    return GanttRow(
        ITEM,
        item.key,
        item.group,
        clean(item.title),
        item,
        start,
        finish,
        item.baseline_start,
        item.baseline_finish,
        float(item.percent),
        item_state(item),
        clean(item.lead),
    )


def _group_row(
    kind: str, group: str, title: str, members: Sequence[ItemForecast], percent: float | None
) -> GanttRow:
    live = [shown_span(i) for i in members if i.status not in REMOVED]
    start = min((s for s, _f in live), default=None)
    finish = max((f for _s, f in live), default=None)
    done = bool(members) and all(i.status in CLOSED for i in members)
    late = any(i.late and i.status not in CLOSED for i in members)
    blocked = any(i.status == "bloqueada" for i in members)
    state = "bloqueada" if blocked else "atrasada" if late else "completada" if done else ""
    if not state and members:
        state = "en_curso" if any(i.status != "pendiente" for i in members) else "pendiente"
    return GanttRow(
        kind,
        group,
        group,
        clean(title),
        None,
        start,
        finish,
        min((i.baseline_start for i in members), default=None),
        max((i.baseline_finish for i in members), default=None),
        percent,
        state if kind == GROUP else "",
    )


def _by_group(items: Sequence[ItemForecast]) -> dict[str, list[ItemForecast]]:
    by_group: dict[str, list[ItemForecast]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    return by_group


def build_rows(
    plan: Plan,
    items: Sequence[ItemForecast],
    percents: dict[str, float] | None = None,
) -> list[GanttRow]:
    """Areas, then stages, in plan order, each a header and its items; milestones last.

    ``percents``: the group's percent complete (from the forecast's summaries) shown on its
    header."""
    by_group = _by_group(items)
    order = group_ids(plan)
    order += [g for g in by_group if g and g not in order]
    order.append("")
    rows: list[GanttRow] = []
    for group in order:
        members = by_group.get(group)
        if not members:
            continue
        title = plan.group_title(group) if group else _("Milestones")
        percent = (percents or {}).get(group) if group else None
        rows.append(_group_row(HEADER, group, title, members, percent))
        rows.extend(item_row(i) for i in members)
    return rows


def needs_attention(item: ItemForecast) -> bool:
    """Late, blocked, or open on the critical path: what a summary names one by one."""
    if item.status in CLOSED:
        return False
    return item.late or item.status == "bloqueada" or item.critical


def summary_rows(plan: Plan, forecast: Forecast) -> list[GanttRow]:
    """One screen: a bar per area and stage, the milestones, the items needing attention."""
    by_group = _by_group(forecast.items)
    percents = {g.key: g.percent for g in forecast.groups}
    rows: list[GanttRow] = [
        _group_row(HEADER, "", _("Areas and stages"), forecast.items, forecast.overall.percent)
    ]
    for group in group_ids(plan):
        members = by_group.get(group)
        if members:
            rows.append(
                _group_row(GROUP, group, plan.group_title(group), members, percents.get(group))
            )
    milestones = [i for i in forecast.items if not is_bar(i)]
    if milestones:
        rows.append(_group_row(HEADER, "", _("Milestones"), milestones, None))
        rows.extend(item_row(i) for i in milestones)
    watch = [i for i in forecast.items if is_bar(i) and needs_attention(i)]
    if watch:
        rows.append(
            _group_row(HEADER, "", _("Late, blocked and on the critical path"), watch, None)
        )
        rows.extend(item_row(i) for i in watch)
    return rows


def timeline_bounds(plan: Plan, items: Sequence[ItemForecast]) -> tuple[date, date]:
    """From the plan period's start to the later of its end and the latest forecast finish."""
    period = plan.meta.period
    return period.start, max([period.end, *(i.forecast_finish for i in items)])
