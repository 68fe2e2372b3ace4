"""What is drawn besides the bars: milestones and deliverables (diamonds), the launch (a
star), the dependency arrows, the hover text, and the legend (every symbol the chart uses)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from tracker.exporters.common import ExportData
from tracker.exporters.gantt.palette import (
    AS_OF,
    BASELINE,
    BASELINE_EDGE,
    CRITICAL,
    DELIVERABLE,
    GROUP_SPAN,
    LAUNCH,
    NEUTRAL,
    STATES,
    Colouring,
)
from tracker.exporters.gantt.rows import GanttRow, is_bar, shown_span
from tracker.exporters.gantt.text import at, end_of, fmt_day, safe, wrapped
from tracker.i18n import _
from tracker.labels import deliverable_status_label, status_label
from tracker.plan.model import Plan
from tracker.plan.statuses import REMOVED
from tracker.state.forecast import ItemForecast

DONE_DELIVERABLE = ("validado", "entregado")


def launch_keys(plan: Plan) -> set[str]:
    """The launch: milestones of kind ``launch``; in a plan without one (the bundled plan has
    its launch event as activity E.9), the last activity of the last stage, if it is what
    closes the phase (nothing waits on it or on what it produces)."""
    keys = {k for k, item in plan.items.items() if item.milestone_kind == "launch"}
    if keys or not plan.stages or not plan.stages[-1].activity_ids:
        return keys
    last = plan.stages[-1].activity_ids[-1]
    produced = {d.id for d in plan.deliverables.values() if d.producer == last}
    waited_on = {dep.id for item in plan.items.values() for dep in item.depends_on}
    return {last} if not ({last} | produced) & waited_on else set()


def stage_deliverables(plan: Plan) -> dict[str, list[str]]:
    """Producer item -> the ids of the strategy-stage deliverables (D.E1 …) it yields."""
    activities = {k for s in plan.stages for k in s.activity_ids}
    found: dict[str, list[str]] = {}
    for stage in plan.stages:
        for key in stage.deliverable_ids:
            deliverable = plan.deliverables.get(key)
            if deliverable is not None and deliverable.producer in activities:
                found.setdefault(deliverable.producer, []).append(key)
    return found


def add_diamonds(
    fig: Any,
    go: Any,
    data: ExportData,
    rows: Sequence[GanttRow],
    centre: Sequence[float],
    colours: Colouring,
    marker: float,
) -> dict[str, bool]:
    """Milestones on their rows (baseline hollow and faint under the forecast), the strategy
    stages' deliverables at their producer's forecast finish, the launch. Returns which of
    them the chart has (for the legend)."""
    plan = data.plan
    launches = launch_keys(plan)
    products = stage_deliverables(plan)
    state = {d.key: d for d in data.deliverables}
    shown = {r.key: (centre[y], r) for y, r in enumerate(rows) if r.item is not None}

    points = [(y, r) for y, r in shown.values() if r.milestone and r.key not in launches]
    if points:
        fig.add_trace(
            go.Scatter(
                mode="markers",
                y=[y for y, _r in points],
                x=[end_of(r.baseline_finish or r.finish) for _y, r in points],  # type: ignore[arg-type]
                marker={
                    "symbol": "diamond-open",
                    "size": marker,
                    "color": BASELINE_EDGE,
                    "line": {"width": 1.5},
                },
                hoverinfo="skip",
                showlegend=False,
                name=_("Baseline"),
            )
        )
        fig.add_trace(
            go.Scatter(
                mode="markers",
                y=[y for y, _r in points],
                x=[end_of(r.finish) for _y, r in points],  # type: ignore[arg-type]
                marker={
                    "symbol": "diamond",
                    "size": marker + 2,
                    "color": [colours.look(r).fill for _y, r in points],
                    "line": {
                        "color": [
                            CRITICAL if r.item and r.item.critical else "#333333"
                            for _y, r in points
                        ],
                        "width": [2 if r.item and r.item.critical else 1 for _y, r in points],
                    },
                },
                hovertext=[hover(plan, r.item) for _y, r in points if r.item],
                hoverinfo="text",
                showlegend=False,
                name=_("Milestone"),
            )
        )

    marks = [
        (shown[producer], keys)
        for producer, keys in products.items()
        if producer in shown and producer not in launches
    ]
    if marks:

        def delivered(keys: Sequence[str]) -> bool:
            return all(getattr(state.get(k), "status", "") in DONE_DELIVERABLE for k in keys)

        fig.add_trace(
            go.Scatter(
                mode="markers",
                y=[y for (y, _r), _k in marks],
                x=[end_of(r.finish) for (_y, r), _k in marks],  # type: ignore[arg-type]
                marker={
                    "symbol": ["diamond" if delivered(k) else "diamond-open" for _p, k in marks],
                    "size": marker,
                    "color": DELIVERABLE,
                    "line": {"width": 2, "color": DELIVERABLE},
                },
                hovertext=[
                    _deliverables_hover(plan, k, state, r.item) for (_y, r), k in marks if r.item
                ],
                hoverinfo="text",
                showlegend=False,
                name=_("Deliverable"),
            )
        )

    launch = [shown[k] for k in sorted(launches) if k in shown]
    if launch:
        fig.add_trace(
            go.Scatter(
                mode="markers",
                y=[y for y, _r in launch],
                x=[_launch_x(r) for _y, r in launch],
                marker={
                    "symbol": "star-diamond",
                    "size": marker + 7,
                    "color": LAUNCH,
                    "line": {"width": 1.5, "color": "#3a2a00"},
                },
                hovertext=[
                    hover(plan, r.item) + _deliverables_lines(plan, products.get(r.key, []), state)
                    for _y, r in launch
                    if r.item
                ],
                hoverinfo="text",
                showlegend=False,
                name=_("Launch"),
            )
        )
    return {"milestones": bool(points), "deliverables": bool(marks), "launch": bool(launch)}


def _launch_x(row: GanttRow) -> str:
    assert row.start is not None and row.finish is not None
    middle = row.start + (row.finish - row.start) / 2
    return at(middle, 12)


def hover(plan: Plan, item: ItemForecast) -> str:
    lines = [f"<b>{safe(item.key)}</b> · {wrapped(item.title)}"]
    state = status_label(item.status)
    if is_bar(item):
        state += " · " + _("{percent}% complete").format(percent=item.percent)
    lines.append(f"{_('Status')}: {safe(state)}")
    if item.lead:
        lines.append(f"{_('Leads')}: {wrapped(item.lead)}")
    if is_bar(item):
        lines.append(
            f"{_('Baseline')}: {fmt_day(item.baseline_start)} – {fmt_day(item.baseline_finish)}"
        )
        if item.status not in REMOVED:
            lines.append(
                f"{_('Forecast')}: {fmt_day(item.forecast_start)} – {fmt_day(item.forecast_finish)}"
            )
    else:
        lines.append(f"{_('Baseline')}: {fmt_day(item.baseline_finish)}")
        if item.status not in REMOVED:
            lines.append(f"{_('Forecast')}: {fmt_day(item.forecast_finish)}")
    if item.actual_start or item.actual_finish:
        lines.append(
            f"{_('Actual')}: {fmt_day(item.actual_start) if item.actual_start else '…'} – "
            f"{fmt_day(item.actual_finish) if item.actual_finish else '…'}"
        )
    if item.slip_days:
        lines.append(safe(_("Slippage: {days} working days").format(days=item.slip_days)))
    flags = []
    if item.critical:
        flags.append(_("critical path"))
    if item.late:
        flags.append(_("late"))
    elif item.at_risk:
        flags.append(_("at risk"))
    if flags:
        lines.append(safe(" · ".join(flags)))
    if item.reason:
        lines.append(f"{_('Note')}: {wrapped(item.reason)}")
    source = plan.items.get(item.key)
    if source is not None and source.milestone_kind == "committee":
        lines.append(safe(_("Mesa Técnica session")))
    return "<br>".join(lines)


def _deliverables_lines(plan: Plan, keys: Sequence[str], state: dict[str, Any]) -> str:
    out = []
    for key in keys:
        deliverable = plan.deliverables.get(key)
        title = deliverable.title if deliverable else ""
        status = getattr(state.get(key), "status", "pendiente")
        out.append(
            f"<br>◆ <b>{safe(key)}</b> {wrapped(title)} ({safe(deliverable_status_label(status))})"
        )
    return "".join(out)


def _deliverables_hover(
    plan: Plan, keys: Sequence[str], state: dict[str, Any], producer: ItemForecast
) -> str:
    head = safe(
        _("Deliverables of {id}, due {date}").format(
            id=producer.key, date=fmt_day(shown_span(producer)[1])
        )
    )
    return f"<b>{head}</b>" + _deliverables_lines(plan, keys, state)


@dataclass(frozen=True, slots=True)
class LegendEntry:
    name: str
    kind: str  # bar | line | marker
    style: dict[str, Any]


def legend_entries(
    data: ExportData, rows: Sequence[GanttRow], colours: Colouring, *, as_of: bool
) -> list[LegendEntry]:
    """Every colour, pattern and symbol the chart uses (the whole chart, so that every page
    of it has the same legend)."""
    out: list[LegendEntry] = []

    def bar(name: str, fill: str, outline: str, pattern: str = "", width: float = 1) -> None:
        style = {"fill": fill, "outline": outline, "pattern": pattern, "width": width}
        out.append(LegendEntry(name, "bar", style))

    present = {colours.key_of.get(r.key) for r in rows if r.item is not None or r.kind == "group"}
    if colours.how == "status":
        for key in colours.colour:
            if key in present:
                look = STATES[key]
                bar(colours.label[key], look.fill, look.outline, look.pattern)
    else:
        for key, colour in colours.colour.items():
            if key in present and key in colours.label:
                bar(colours.label[key], colour, colour)
        states = {r.state for r in rows}
        for key in ("atrasada", "bloqueada"):
            if key in states:
                look = STATES[key]
                bar(status_label(key), "#ffffff", look.outline, look.pattern)
    bar(_("filled part: % complete"), "#ffffff", "#555555")
    bar(_("Baseline"), BASELINE, BASELINE_EDGE, width=0.5)
    if any(r.item is not None and r.item.critical for r in rows):
        bar(_("critical path"), "#ffffff", CRITICAL, width=2.5)
    if as_of:
        out.append(LegendEntry(_("as-of date"), "line", {"color": AS_OF, "dash": "dash"}))
    if any(r.is_header and r.kind != "group" and r.span for r in rows):
        out.append(
            LegendEntry(_("span of the group"), "line", {"color": GROUP_SPAN, "dash": "solid"})
        )
    plan = data.plan
    launches = launch_keys(plan)
    keys = {r.key for r in rows if r.item is not None}
    if any(r.milestone and r.key not in launches for r in rows):
        out.append(LegendEntry(_("Milestone"), "marker", {"symbol": "diamond", "color": NEUTRAL}))
        out.append(
            LegendEntry(
                _("milestone's baseline"),
                "marker",
                {"symbol": "diamond-open", "color": BASELINE_EDGE},
            )
        )
    if keys & (set(stage_deliverables(plan)) - launches):
        out.append(
            LegendEntry(
                _("deliverable (filled: delivered)"),
                "marker",
                {
                    "symbol": "diamond-open",
                    "color": DELIVERABLE,
                    "line": {"width": 2, "color": DELIVERABLE},
                },
            )
        )
    if keys & launches:
        out.append(
            LegendEntry(
                _("Launch"),
                "marker",
                {
                    "symbol": "star-diamond",
                    "color": LAUNCH,
                    "line": {"width": 1, "color": "#3a2a00"},
                },
            )
        )
    return out


def legend_lines(entries: Sequence[LegendEntry], width: float, font: float) -> int:
    """How many lines Plotly's horizontal legend takes (it aligns entries in columns as wide
    as the widest)."""
    if not entries:
        return 0
    widest = max(len(e.name) for e in entries) * font * 0.6 + 40
    per_line = max(1, int((width - 10) // widest))
    return -(-len(entries) // per_line)


def add_legend(fig: Any, go: Any, entries: Sequence[LegendEntry]) -> None:
    """The legend: data-less traces, one per entry."""
    for entry in entries:
        style = entry.style
        if entry.kind == "bar":
            trace = go.Bar(
                x=[None],
                y=[None],
                orientation="h",
                marker={
                    "color": style["fill"],
                    "line": {"color": style["outline"], "width": style["width"]},
                    "pattern": {
                        "shape": style["pattern"],
                        "fgcolor": style["outline"],
                        "fillmode": "overlay",
                        "size": 5,
                    },
                },
            )
        elif entry.kind == "line":
            trace = go.Scatter(
                x=[None],
                y=[None],
                mode="lines",
                line={"color": style["color"], "width": 2.5, "dash": style["dash"]},
            )
        else:
            trace = go.Scatter(x=[None], y=[None], mode="markers", marker={"size": 11, **style})
        trace.update(name=safe(entry.name), hoverinfo="skip", showlegend=True)
        fig.add_trace(trace)


def arrows(plan: Plan, rows: Sequence[GanttRow], centre: Sequence[float]) -> list[dict[str, Any]]:
    """Finish-to-start arrows, from each prerequisite's finish to its dependent's start."""
    producer = {d.id: d.producer for d in plan.deliverables.values()}
    shown = {r.key: r.item for r in rows if r.item is not None}
    position = {r.key: centre[y] for y, r in enumerate(rows) if r.item is not None}
    out = []
    seen = set()
    for key, item in shown.items():
        source = plan.items.get(key)
        if source is None:
            continue
        for dep in source.depends_on:
            before = producer.get(dep.id, dep.id)
            if before not in shown or (before, key) in seen:
                continue
            seen.add((before, key))
            first = shown[before]
            head = shown_span(item)[0] if is_bar(item) else shown_span(item)[1] + timedelta(days=1)
            out.append(
                {
                    "x": head.isoformat(),
                    "y": position[key],
                    "ax": end_of(shown_span(first)[1]),
                    "ay": position[before],
                    "xref": "x",
                    "yref": "y",
                    "axref": "x",
                    "ayref": "y",
                    "showarrow": True,
                    "arrowhead": 2,
                    "arrowsize": 1,
                    "arrowwidth": 1,
                    "arrowcolor": "rgba(60, 70, 85, 0.55)",
                    "standoff": 1,
                    "text": "",
                }
            )
    return out
