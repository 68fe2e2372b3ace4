"""The Gantt chart of the forecast against the baseline, with Plotly: HTML, PNG, PDF, SVG.

One row per item, grouped under a header row per area and stage (plan order), the milestones
last. Each item that takes time is one bar of the forecast trace (so the rendered chart has
exactly one forecast bar per item), drawn over a faint bar of its baseline; the critical path
is outlined, late items are named in red, percent complete is written beside the bar.
Milestones (Mesa Técnica sessions), the deliverables of the strategy stages (at their
producer's forecast finish) and the launch are diamonds; a dashed line marks the as-of date.

Every word on the chart goes through the translation catalog, and every text that comes from
the plan or the log is HTML-escaped: Plotly renders some tags in labels, hover text and
titles, and a plan must never be able to inject markup into a file sent by e-mail.

Plotly and Kaleido are imported only inside the functions that draw and write: importing this
module stays cheap, so the CLI starts fast.
"""

from __future__ import annotations

import html
import logging
import os
import re
import shutil
import tempfile
import textwrap
from collections import Counter
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import Any

from tracker.errors import ExportError, InputError
from tracker.exporters.common import ExportData
from tracker.i18n import _, current_language
from tracker.plan.model import Plan
from tracker.plan.statuses import ITEM_STATUSES, REMOVED
from tracker.state.forecast import ItemForecast
from tracker.textsafe import visible

FORMATS = ("html", "png", "pdf", "svg")
STATIC_FORMATS = ("png", "pdf", "svg")
PAPERS = {"A4": (1123, 794), "A3": (1587, 1123)}  # landscape, pixels at 96 dpi
COLOR_BY = ("status", "area", "lead")
LABEL_CHARS = 46  # "1.3.2 · short title…"
HOVER_WRAP = 70
RENDER_TIMEOUT = 90  # seconds per image
MAX_PITCH = 30  # pixels per row on paper, at most

STATUS_COLOURS = {
    "pendiente": "#9aa9ba",
    "en_curso": "#2b7bba",
    "completada": "#3a9b4b",
    "bloqueada": "#d23c3c",
    "diferida": "#cdb57e",
    "cancelada": "#bdbdbd",
}
PALETTE = (
    "#1f77b4",
    "#ff7f0e",
    "#2ca02c",
    "#d62728",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#393b79",
    "#ad494a",
)
NEUTRAL = "#5f6b7a"
BASELINE_COLOUR = "rgba(70, 80, 95, 0.22)"
CRITICAL_COLOUR = "#111111"
AS_OF_COLOUR = "#c2185b"
LATE_COLOUR = "#b3261e"
HEADER_FILL = "#e9edf2"
DELIVERABLE_COLOUR = "#6a3d9a"
LAUNCH_COLOUR = "#f2a900"
DONE_DELIVERABLE = ("validado", "entregado")


# -- options and checks ----------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class GanttOptions:
    color_by: str = "status"
    arrows: bool = False
    area: str | None = None
    start: date | None = None  # --from
    end: date | None = None  # --to
    status: str | None = None
    critical_only: bool = False
    paper: str = "A4"


def output_format(path: Path) -> str:
    """``html``, ``png``, ``pdf`` or ``svg`` from the file name; InputError otherwise."""
    suffix = path.suffix.lower().lstrip(".")
    if suffix == "htm":
        suffix = "html"
    if suffix not in FORMATS:
        raise InputError(
            _("cannot write a Gantt chart as {suffix!r}: use .html, .png, .pdf or .svg").format(
                suffix=path.suffix or path.name
            )
        )
    return suffix


def check_options(options: GanttOptions) -> None:
    """What can be checked without the plan: status, date window, colouring, paper."""
    if options.status is not None and options.status not in ITEM_STATUSES:
        raise InputError(
            _("unknown status {status!r}; use one of: {values}").format(
                status=options.status, values=", ".join(ITEM_STATUSES)
            )
        )
    if options.start and options.end and options.start > options.end:
        raise InputError(
            _("--from {start} is after --to {end}").format(start=options.start, end=options.end)
        )
    if options.color_by not in COLOR_BY:
        raise InputError(
            _("cannot colour by {value!r}; use one of: {values}").format(
                value=options.color_by, values=", ".join(COLOR_BY)
            )
        )
    if options.paper not in PAPERS:
        raise InputError(
            _("unknown paper size {value!r}; use one of: {values}").format(
                value=options.paper, values=", ".join(PAPERS)
            )
        )


def group_ids(plan: Plan) -> list[str]:
    return [a.id for a in plan.areas] + [s.id for s in plan.stages]


def check_area(plan: Plan, area: str | None) -> None:
    if area is not None and area not in group_ids(plan):
        raise InputError(
            _("unknown area {area!r}; use one of: {values}").format(
                area=area, values=", ".join(group_ids(plan))
            )
        )


# -- what is drawn -----------------------------------------------------------------------
def is_bar(item: ItemForecast) -> bool:
    """Items that take time are bars; zero-duration items (milestones) are diamonds."""
    return item.duration > 0


def shown_span(item: ItemForecast) -> tuple[date, date]:
    """The days the forecast bar covers (first and last, inclusive).

    Deferred and cancelled items no longer have a forecast: they are drawn, greyed, where
    they were (their actual dates, else the baseline)."""
    if item.status in REMOVED:
        start = item.actual_start or item.baseline_start
        finish = item.actual_finish or item.baseline_finish
    else:
        start, finish = item.forecast_start, item.forecast_finish
    return start, max(start, finish)


def select_items(
    data: ExportData, options: GanttOptions, group: str | None = None
) -> list[ItemForecast]:
    """The items the options ask for (``group`` narrows to one area or stage)."""
    wanted = group if group is not None else options.area
    chosen = []
    for item in data.forecast.items:
        if wanted is not None and item.group != wanted:
            continue
        if options.status is not None and item.status != options.status:
            continue
        if options.critical_only and not item.critical:
            continue
        if (options.start or options.end) and not (
            _overlaps(shown_span(item), options)
            or _overlaps((item.baseline_start, item.baseline_finish), options)
        ):
            continue
        chosen.append(item)
    return chosen


def _overlaps(span: tuple[date, date], options: GanttOptions) -> bool:
    start, finish = span
    return not (
        (options.start is not None and finish < options.start)
        or (options.end is not None and start > options.end)
    )


@dataclass(slots=True)
class Row:
    """One line of the chart: a group header (``item`` None) or an item."""

    label: str  # plain text; escaped when drawn
    group: str
    item: ItemForecast | None = None
    span: tuple[date, date] | None = None  # a header's forecast span


def build_rows(plan: Plan, items: Sequence[ItemForecast]) -> list[Row]:
    """Areas, then stages, in plan order, each a header and its items; milestones last."""
    by_group: dict[str, list[ItemForecast]] = {}
    for item in items:
        by_group.setdefault(item.group, []).append(item)
    order = group_ids(plan)
    order += [g for g in by_group if g and g not in order]
    order.append("")
    rows: list[Row] = []
    for group in order:
        members = by_group.get(group)
        if not members:
            continue
        title = plan.group_title(group) if group else _("Milestones")
        label = f"{group} · {title}" if group and title else title or group
        spans = [shown_span(i) for i in members if i.status not in REMOVED]
        span = (min(s for s, _f in spans), max(f for _s, f in spans)) if spans else None
        rows.append(Row(label, group, None, span))
        rows.extend(Row(f"{i.key} · {i.title}", group, i) for i in members)
    return rows


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


# -- text ------------------------------------------------------------------------------------
def safe(text: str) -> str:
    """Plan or log text made inert for Plotly: one line, controls visible, HTML escaped."""
    return html.escape(visible(" ".join(str(text).split())), quote=True)


def truncate(text: str, width: int = LABEL_CHARS) -> str:
    text = " ".join(text.split())
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def wrapped(text: str, width: int = HOVER_WRAP) -> str:
    """Long plan text for a hover label: escaped line by line, joined with <br>."""
    lines = textwrap.wrap(visible(" ".join(str(text).split())), width) or [""]
    return "<br>".join(html.escape(line, quote=True) for line in lines)


def fmt_day(day: date) -> str:
    # The format itself is a message: "%d/%m/%Y" in Spanish.
    return day.strftime(_("%Y-%m-%d"))


def status_label(status: str) -> str:
    labels = {
        "pendiente": _("pending"),
        "en_curso": _("in progress"),
        "completada": _("done"),
        "bloqueada": _("blocked"),
        "diferida": _("deferred"),
        "cancelada": _("cancelled"),
    }
    return labels.get(status, status)


def deliverable_status_label(status: str) -> str:
    labels = {
        "pendiente": _("pending"),
        "borrador": _("draft"),
        "en_revision": _("under review"),
        "validado": _("validated"),
        "entregado": _("delivered"),
    }
    return labels.get(status, status)


MONTHS = "January February March April May June July August September October November December"
SHORT_MONTHS = "Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec"


def month_names() -> list[str]:
    # One message for the twelve (as the terminal Gantt does): "May" alone is ambiguous.
    names = _(
        "January February March April May June July August September October November December"
    ).split()
    return names if len(names) == 12 else MONTHS.split()  # a broken translation: English


def short_month_names() -> list[str]:
    names = _("Jan Feb Mar Apr May Jun Jul Aug Sep Oct Nov Dec").split()
    return names if len(names) == 12 else SHORT_MONTHS.split()


def x_ticks(lo: date, hi: date) -> tuple[list[str], list[str]]:
    """Tick positions and their labels, in the chart's language (not Plotly's locale, which
    Kaleido cannot be told): months, or weeks when the window is short."""
    values: list[str] = []
    texts: list[str] = []
    if (hi - lo).days <= 70:
        short = short_month_names()
        day = lo + timedelta(days=(7 - lo.weekday()) % 7)  # Mondays
        year = None
        while day <= hi:
            label = f"{day.day} {short[day.month - 1]}"
            if day.year != year:
                label += f"<br>{day.year}"
                year = day.year
            values.append(day.isoformat())
            texts.append(label)
            day += timedelta(days=7)
        return values, texts
    names = month_names()
    month = date(lo.year, lo.month, 1)
    if month < lo:
        month = _next_month(month)
    first = True
    while month <= hi:
        label = names[month.month - 1]
        if first or month.month == 1:
            label += f"<br>{month.year}"
        first = False
        values.append(month.isoformat())
        texts.append(label)
        month = _next_month(month)
    return values, texts


def _next_month(day: date) -> date:
    return date(day.year + day.month // 12, day.month % 12 + 1, 1)


def _at(day: date, hours: int = 0) -> str:
    """A moment of the x axis (dates as Plotly reads them)."""
    return (datetime(day.year, day.month, day.day) + timedelta(hours=hours)).isoformat(sep=" ")


def _end(day: date) -> str:
    """The end of ``day`` (an inclusive finish is drawn up to the next midnight)."""
    return (day + timedelta(days=1)).isoformat()


DAY_MS = 86_400_000


# -- colours -----------------------------------------------------------------------------
@dataclass(slots=True)
class Colouring:
    """What each item's colour means: a key per item and a legend entry per key."""

    key_of: dict[str, str] = field(default_factory=dict)
    colour: dict[str, str] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)


def colouring(plan: Plan, items: Sequence[ItemForecast], how: str) -> Colouring:
    result = Colouring()
    if how == "status":
        for item in items:
            result.key_of[item.key] = item.status
        for status in ITEM_STATUSES:
            result.colour[status] = STATUS_COLOURS[status]
            result.label[status] = status_label(status)
        return result
    if how == "area":
        for i, group in enumerate(group_ids(plan)):
            result.colour[group] = PALETTE[i % len(PALETTE)]
            result.label[group] = f"{group} · {truncate(plan.group_title(group), 28)}"
        for item in items:
            result.key_of[item.key] = item.group
        result.colour[""] = NEUTRAL  # the milestones: they have their own legend entry
        return result
    from tracker.plan.organisations import OrganisationIndex

    index = OrganisationIndex(plan)
    for item in items:
        orgs = index.resolve(item.lead) if item.lead else []
        result.key_of[item.key] = orgs[0].acronym if orgs else " ".join(item.lead.split())
    counts = Counter(result.key_of.values())
    for i, (key, _n) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))):
        result.colour[key] = PALETTE[i % len(PALETTE)] if key else NEUTRAL
        result.label[key] = truncate(key, 30) if key else _("no lead")
    return result


# -- the figure --------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Layout:
    """Sizes of one rendering: the interactive page, or a sheet of paper."""

    width: int | None  # None: the page's width
    height: int
    font: float
    marker: float  # diamond size
    spare: int = 0  # pixels left blank under the chart (few rows on a whole sheet)

    @staticmethod
    def for_html(rows: int) -> Layout:
        return Layout(None, max(480, 200 + 24 * rows), 12, 13)

    @staticmethod
    def for_paper(paper: str, rows: int) -> Layout:
        width, height = PAPERS[paper]
        room = height - 150
        pitch = room / max(rows, 1)
        font = max(6.5, min(12.0, pitch * 0.75))
        # A short chart keeps its rows at a natural height, not stretched over the sheet.
        spare = int(room - rows * MAX_PITCH) if pitch > MAX_PITCH else 0
        return Layout(width, height, round(font, 1), max(7.0, min(14.0, pitch * 0.95)), spare)


def build_figure(
    data: ExportData,
    items: Sequence[ItemForecast],
    options: GanttOptions,
    *,
    static: bool,
    subtitle: str = "",
) -> Any:
    """The Plotly figure of ``items`` (already filtered) as of ``data.as_of``.

    Trace order is fixed: the baseline bars, then the forecast bars (one per item that takes
    time, in row order), then the diamonds, then the data-less legend entries."""
    import plotly.graph_objects as go

    plan = data.plan
    rows = build_rows(plan, items)
    size = Layout.for_paper(options.paper, len(rows)) if static else Layout.for_html(len(rows))
    colours = colouring(plan, items, options.color_by)
    fig = go.Figure()
    _add_bars(fig, go, plan, rows, colours, size, static)
    marks = _add_diamonds(fig, go, data, rows, colours, size, static)
    _legend(fig, go, items, colours, **marks)
    lo, hi = _x_range(data, items, options)
    labels, shapes = _rows_decoration(rows)
    annotations = []
    if lo <= data.as_of <= hi:
        shapes.append(_as_of_line(data.as_of))
        annotations.append(_as_of_label(data.as_of, size))
    if options.arrows:
        annotations.extend(_arrows(plan, rows))
    _lay_out(fig, data, size, subtitle, shapes, annotations)
    tick_values, tick_texts = x_ticks(lo, hi)
    fig.update_xaxes(
        type="date",
        range=[lo.isoformat(), (hi + timedelta(days=1)).isoformat()],
        tickmode="array",
        tickvals=tick_values,
        ticktext=tick_texts,
        side="top",
        showgrid=True,
        gridcolor="#c9d1db",
        ticks="outside",
        ticklen=4,
        showline=True,
        linecolor="#8a96a3",
        mirror=True,
        automargin=True,
        tickfont={"size": size.font + 1},
    )
    fig.update_yaxes(
        tickmode="array",
        tickvals=list(range(len(rows))),
        ticktext=labels,
        range=[len(rows) - 0.5, -0.5],
        showgrid=False,
        zeroline=False,
        showline=True,
        linecolor="#8a96a3",
        mirror=True,
        automargin=True,
        ticks="",
        fixedrange=True,
    )
    return fig


def _add_bars(
    fig: Any,
    go: Any,
    plan: Plan,
    rows: Sequence[Row],
    colours: Colouring,
    size: Layout,
    static: bool,
) -> None:
    """The baseline (faint, wide, behind) and the forecast (one bar per item that takes time,
    coloured, outlined when critical, its percent complete beside it)."""
    bars = [(y, row.item) for y, row in enumerate(rows) if row.item and is_bar(row.item)]
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=[y for y, _i in bars],
            base=[i.baseline_start.isoformat() for _y, i in bars],
            x=[((i.baseline_finish - i.baseline_start).days + 1) * DAY_MS for _y, i in bars],
            width=0.84,
            marker={"color": BASELINE_COLOUR, "line": {"width": 0}},
            name=_("Baseline"),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    spans = [shown_span(i) for _y, i in bars]
    fill = [colours.colour.get(colours.key_of[i.key], NEUTRAL) for _y, i in bars]
    outline = _outline(size, static)
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=[y for y, _i in bars],
            base=[start.isoformat() for start, _f in spans],
            x=[((finish - start).days + 1) * DAY_MS for start, finish in spans],
            width=0.56,
            marker={
                "color": fill,
                "line": {
                    "color": [
                        CRITICAL_COLOUR if i.critical else c
                        for (_y, i), c in zip(bars, fill, strict=True)
                    ],
                    "width": [outline if i.critical else 0 for _y, i in bars],
                },
            },
            text=[_percent(i) for _y, i in bars],
            # Beside the bar, at a readable size (a bar is too thin to hold it on paper).
            textposition="outside",
            constraintext="none",
            textfont={"size": max(6.0, size.font - 1), "color": "#1d2733"},
            cliponaxis=False,
            hovertext=[_hover(plan, i) for _y, i in bars],
            hoverinfo="text",
            name=_("Forecast"),
            showlegend=False,
        )
    )


def _outline(size: Layout, static: bool) -> float:
    return max(1.2, size.font * 0.2) if static else 2.4


def _add_diamonds(
    fig: Any,
    go: Any,
    data: ExportData,
    rows: Sequence[Row],
    colours: Colouring,
    size: Layout,
    static: bool,
) -> dict[str, bool]:
    """Milestones on their rows (baseline hollow and faint under the forecast), the strategy
    stages' deliverables at their producer's forecast finish, the launch. Returns which of
    the three the chart has (for the legend)."""
    plan = data.plan
    launches = launch_keys(plan)
    products = stage_deliverables(plan)
    state = {d.key: d for d in data.deliverables}
    shown = {row.item.key: (y, row.item) for y, row in enumerate(rows) if row.item is not None}
    outline = _outline(size, static)

    points = [(y, i) for y, i in shown.values() if not is_bar(i) and i.key not in launches]
    if points:
        fig.add_trace(
            go.Scatter(
                mode="markers",
                y=[y for y, _i in points],
                x=[_end(i.baseline_finish) for _y, i in points],
                marker={
                    "symbol": "diamond-open",
                    "size": size.marker,
                    "color": "rgba(70, 80, 95, 0.45)",
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
                y=[y for y, _i in points],
                x=[_end(shown_span(i)[1]) for _y, i in points],
                marker={
                    "symbol": "diamond",
                    "size": size.marker + 2,
                    "color": [
                        colours.colour.get(colours.key_of[i.key], NEUTRAL) for _y, i in points
                    ],
                    "line": {
                        "color": [CRITICAL_COLOUR if i.critical else "#333333" for _y, i in points],
                        "width": [outline if i.critical else 1 for _y, i in points],
                    },
                },
                hovertext=[_hover(plan, i) for _y, i in points],
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
                y=[y for (y, _i), _k in marks],
                x=[_end(shown_span(i)[1]) for (_y, i), _k in marks],
                marker={
                    "symbol": ["diamond" if delivered(k) else "diamond-open" for _p, k in marks],
                    "size": size.marker,
                    "color": DELIVERABLE_COLOUR,
                    "line": {"width": 2, "color": DELIVERABLE_COLOUR},
                },
                hovertext=[_deliverables_hover(plan, k, state, i) for (_y, i), k in marks],
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
                y=[y for y, _i in launch],
                x=[_launch_x(i) for _y, i in launch],
                marker={
                    "symbol": "star-diamond",
                    "size": size.marker + 7,
                    "color": LAUNCH_COLOUR,
                    "line": {"width": 1.5, "color": "#3a2a00"},
                },
                hovertext=[
                    _hover(plan, i) + _deliverables_lines(plan, products.get(i.key, []), state)
                    for _y, i in launch
                ],
                hoverinfo="text",
                showlegend=False,
                name=_("Launch"),
            )
        )
    return {"milestones": bool(points), "deliverables": bool(marks), "launch": bool(launch)}


def _rows_decoration(rows: Sequence[Row]) -> tuple[list[str], list[dict[str, Any]]]:
    """The row labels (escaped; headers bold, late items red) and the header bands."""
    labels: list[str] = []
    shapes: list[dict[str, Any]] = []
    for y, row in enumerate(rows):
        label = safe(truncate(row.label, LABEL_CHARS))
        if row.item is None:
            labels.append(f"<b>{label}</b>")
            shapes.append(
                {
                    "type": "rect",
                    "xref": "paper",
                    "x0": 0,
                    "x1": 1,
                    "y0": y - 0.5,
                    "y1": y + 0.5,
                    "fillcolor": HEADER_FILL,
                    "line": {"width": 0},
                    "layer": "below",
                }
            )
            if row.span is not None:  # the group's forecast span
                shapes.append(
                    {
                        "type": "line",
                        "x0": row.span[0].isoformat(),
                        "x1": _end(row.span[1]),
                        "y0": y,
                        "y1": y,
                        "line": {"color": "#7d8a9a", "width": 3},
                        "layer": "below",
                    }
                )
        elif row.item.late:
            # Late items are named in red (not hatched: SVG patterns make a PDF of megabytes
            # that takes half a minute to print).
            labels.append(f"<span style='color:{LATE_COLOUR}'>{label}</span>")
        else:
            labels.append(label)
    return labels, shapes


def _as_of_line(day: date) -> dict[str, Any]:
    return {
        "type": "line",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": AS_OF_COLOUR, "width": 2, "dash": "dash"},
        "layer": "above",
    }


def _as_of_label(day: date, size: Layout) -> dict[str, Any]:
    return {
        "x": day.isoformat(),
        "y": 1,
        "xref": "x",
        "yref": "paper",
        "text": safe(_("As-of date {date}").format(date=fmt_day(day))),
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "top",
        "xshift": 3,
        "yshift": -2,
        "font": {"color": AS_OF_COLOUR, "size": size.font},
        "bgcolor": "rgba(255, 255, 255, 0.85)",
    }


def _lay_out(
    fig: Any,
    data: ExportData,
    size: Layout,
    subtitle: str,
    shapes: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
) -> None:
    line2 = _("Schedule: forecast over the baseline, as of {date}").format(date=fmt_day(data.as_of))
    if subtitle:
        line2 += " · " + subtitle
    fig.update_layout(
        title={
            "text": safe(data.plan.meta.title),
            "subtitle": {"text": safe(line2), "font": {"size": size.font + 1}},
            "x": 0.01,
            "xanchor": "left",
            "xref": "container",
            "yref": "container",
            "y": 1,
            "yanchor": "top",
            "pad": {"t": 8},
            "font": {"size": size.font + 5},
        },
        barmode="overlay",
        bargap=0,
        font={"size": size.font, "family": "DejaVu Sans, Arial, sans-serif"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=size.height,
        width=size.width,
        autosize=size.width is None,
        # The top margin holds the title, its subtitle and the month labels under them.
        margin={"l": 10, "r": 20, "t": round(size.font * 6.2 + 24), "b": 10 + size.spare},
        hovermode="closest",
        hoverlabel={"align": "left", "font": {"size": 12}},
        shapes=shapes,
        annotations=annotations,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "y": -0.01,
            "yanchor": "top",
            # The entries stand for colours and symbols, not for traces one could hide.
            "itemclick": False,
            "itemdoubleclick": False,
            "font": {"size": size.font},
        },
        separators=",." if current_language() == "es" else ".,",
    )


def _percent(item: ItemForecast) -> str:
    if item.percent <= 0 and item.status != "en_curso":
        return ""
    return _("{percent}%").format(percent=item.percent)


def _launch_x(item: ItemForecast) -> str:
    start, finish = shown_span(item)
    middle = start + (finish - start) / 2
    return _at(middle, 12)


def _hover(plan: Plan, item: ItemForecast) -> str:
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


def _legend(
    fig: Any,
    go: Any,
    items: Sequence[ItemForecast],
    colours: Colouring,
    *,
    milestones: bool,
    deliverables: bool,
    launch: bool,
) -> None:
    """Legend entries (data-less traces: the chart's own traces mix colours per point)."""

    def entry(name: str, **marker: Any) -> None:
        fig.add_trace(
            go.Scatter(
                x=[None],
                y=[None],
                mode="markers",
                marker={"size": 11, **marker},
                name=safe(name),
                hoverinfo="skip",
                showlegend=True,
            )
        )

    present = set(colours.key_of.values())
    used = [k for k in colours.colour if k in present and k in colours.label]
    for key in used:
        entry(colours.label[key], symbol="square", color=colours.colour[key])
    entry(_("Baseline"), symbol="square", color=BASELINE_COLOUR)
    if any(i.critical for i in items):
        entry(
            _("critical path"),
            symbol="square",
            color="white",
            line={"color": CRITICAL_COLOUR, "width": 2.5},
        )
    if any(i.late for i in items):
        entry(_("late (label in red)"), symbol="square", color=LATE_COLOUR)
    if milestones:
        entry(_("Milestone / Mesa Técnica"), symbol="diamond", color=NEUTRAL)
    if deliverables:
        entry(
            _("Strategy deliverable (D, E)"),
            symbol="diamond-open",
            color=DELIVERABLE_COLOUR,
            line={"width": 2, "color": DELIVERABLE_COLOUR},
        )
    if launch:
        entry(
            _("Launch"),
            symbol="star-diamond",
            color=LAUNCH_COLOUR,
            line={"width": 1, "color": "#3a2a00"},
        )


def _x_range(
    data: ExportData, items: Sequence[ItemForecast], options: GanttOptions
) -> tuple[date, date]:
    days: list[date] = [data.as_of]
    for item in items:
        start, finish = shown_span(item)
        days += [start, finish, item.baseline_start, item.baseline_finish]
    if not items:
        days += [data.plan.meta.period.start, data.plan.meta.period.end]
    lo = options.start or min(days) - timedelta(days=4)
    hi = options.end or max(days) + timedelta(days=6)
    return lo, hi


def _arrows(plan: Plan, rows: Sequence[Row]) -> list[dict[str, Any]]:
    """Finish-to-start arrows, from each prerequisite's finish to its dependent's start."""
    producer = {d.id: d.producer for d in plan.deliverables.values()}
    shown = {row.item.key: row.item for row in rows if row.item is not None}
    position = {row.item.key: y for y, row in enumerate(rows) if row.item is not None}
    arrows = []
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
            arrows.append(
                {
                    "x": head.isoformat(),
                    "y": position[key],
                    "ax": _end(shown_span(first)[1]),
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
    return arrows


# -- writing -----------------------------------------------------------------------------
@dataclass(frozen=True, slots=True)
class Chart:
    """One chart to write: its items, where it goes and what distinguishes it."""

    path: Path
    items: list[ItemForecast]
    subtitle: str = ""


def plan_charts(
    data: ExportData, options: GanttOptions, output: Path, *, by_area: bool
) -> list[Chart]:
    """The charts a run writes: one, or one per area and stage (files suffixed by its id)."""
    check_area(data.plan, options.area)
    plan = data.plan
    if not by_area:
        items = select_items(data, options)
        if not items:
            raise InputError(_("no item matches the filters; nothing written"))
        subtitle = ""
        if options.area is not None:
            subtitle = f"{options.area} · {plan.group_title(options.area)}"
        return [Chart(output, items, _filters_note(options, subtitle))]
    charts = []
    for group in group_ids(plan):
        items = select_items(data, options, group)
        if not items:
            continue
        path = area_path(output, group)
        charts.append(
            Chart(path, items, _filters_note(options, f"{group} · {plan.group_title(group)}"))
        )
    if not charts:
        raise InputError(_("no item matches the filters; nothing written"))
    return charts


def area_path(output: Path, group: str) -> Path:
    """The file of one area's chart under --by-area: ``output`` suffixed by the area's id."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", group)
    return output.with_name(f"{output.stem}-{name}{output.suffix}")


def _filters_note(options: GanttOptions, scope: str) -> str:
    parts = [scope] if scope else []
    if options.status:
        parts.append(_("status {status}").format(status=status_label(options.status)))
    if options.critical_only:
        parts.append(_("critical path only"))
    if options.start or options.end:
        parts.append(
            _("from {start} to {end}").format(
                start=fmt_day(options.start) if options.start else "…",
                end=fmt_day(options.end) if options.end else "…",
            )
        )
    return " · ".join(parts)


def export_gantt(
    data: ExportData,
    options: GanttOptions,
    output: Path,
    *,
    by_area: bool = False,
    force: bool = False,
    database: str | None = None,
) -> list[Path]:
    """Write the chart(s); the format comes from ``output``'s suffix. Returns the paths.
    Each file is written through a temporary file beside it (tracker.exporters.output); an
    existing one is replaced only under ``force``, and none is ever the ``database`` in use."""
    from tracker.exporters.output import (
        claim,
        publish,
        temporary_beside,
        text_writer,
        write_atomically,
    )

    check_options(options)
    fmt = output_format(output)
    browser = find_browser() if fmt in STATIC_FORMATS else None
    charts = plan_charts(data, options, output, by_area=by_area)
    static = fmt != "html"
    figures = [
        build_figure(data, c.items, options, static=static, subtitle=c.subtitle) for c in charts
    ]
    for chart in charts:
        claim(chart.path, force=force, database=database)
    if fmt == "html":
        for chart, fig in zip(charts, figures, strict=True):
            page = html_page(fig, chart.path, options)
            write_atomically(chart.path, text_writer(page), force=force)
    else:
        assert browser is not None
        temps = [temporary_beside(chart.path) for chart in charts]
        try:
            write_static(
                [(fig, temp) for temp, fig in zip(temps, figures, strict=True)],
                fmt,
                options.paper,
                browser,
            )
            for temp, chart in zip(temps, charts, strict=True):
                publish(temp, chart.path, force=force)
        finally:
            for temp in temps:
                temp.unlink(missing_ok=True)
    return [c.path for c in charts]


def html_page(fig: Any, path: Path, options: GanttOptions) -> str:
    """A self-contained page (plotly.js inline, the Spanish locale registered): it opens
    offline and survives being sent by e-mail."""
    from plotly.offline import get_plotlyjs

    from tracker.exporters.gantt.plotly_es import locale_script

    spanish = current_language() == "es"
    width, height = PAPERS[options.paper]
    config = {
        "locale": "es" if spanish else "en",
        "displaylogo": False,
        "responsive": True,
        "toImageButtonOptions": {
            "format": "png",
            "filename": path.stem,
            "width": width,
            "height": height,
        },
    }
    body = fig.to_html(
        full_html=False,
        include_plotlyjs=False,
        include_mathjax=False,
        config=config,
        div_id="gantt",
    )
    title = fig.layout.title.text or "Gantt"
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{"es" if spanish else "en"}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",  # already escaped by build_figure
            "<style>html, body { margin: 0; padding: 0; background: white; }</style>",
            '<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};'
            "</script>",
            f'<script type="text/javascript">{get_plotlyjs()}</script>',
            f'<script type="text/javascript">{locale_script(make_default=spanish)}</script>',
            "</head>",
            "<body>",
            body,
            f'<script type="text/javascript">{ZOOM_SCRIPT}</script>',
            "</body>",
            "</html>",
        ]
    )
    return page


# The month ticks are fixed (so that the page and the printed chart read the same); zoomed in
# to a few weeks, the page lets Plotly place day ticks instead, in the registered locale.
ZOOM_SCRIPT = """(function () {
  var gd = document.getElementById("gantt");
  if (!gd || !gd.on) return;
  gd.on("plotly_relayout", function (e) {
    if (!("xaxis.range[0]" in e || "xaxis.range" in e || "xaxis.autorange" in e)) return;
    var r = gd.layout.xaxis.range.map(function (v) {
      return new Date(String(v).replace(" ", "T"));
    });
    var want = (r[1] - r[0]) / 864e5 < 75 ? "auto" : "array";
    if (gd.layout.xaxis.tickmode === want) return;
    Plotly.relayout(gd, {
      "xaxis.tickmode": want,
      "xaxis.tickformat": want === "auto" ? "%-d %b" : ""
    });
  });
})();"""


def find_browser() -> str:
    """The Chromium that renders PNG, PDF and SVG: ``$BROWSER_PATH`` when set, else one on
    PATH or in the usual places. ExportError (one line) when there is none."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise ExportError(
            _(
                "BROWSER_PATH={path} is not a browser; PNG, PDF and SVG need Chromium: "
                "install the Debian package chromium (apt install chromium) or fix "
                "BROWSER_PATH (HTML export works without it)"
            ).format(path=explicit)
        )
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.access(candidate, os.X_OK):
            return candidate
    raise ExportError(
        _(
            "no Chromium found: PNG, PDF and SVG need it: install the Debian package "
            "chromium (apt install chromium) or set BROWSER_PATH (HTML export works without it)"
        )
    )


def write_static(figures: Sequence[tuple[Any, Path]], fmt: str, paper: str, browser: str) -> None:
    """Render every figure with one browser (Kaleido keeps it open for the whole batch)."""
    import kaleido

    from tracker.exporters.gantt.plotly_es import locale_script

    width, height = PAPERS[paper]
    with tempfile.TemporaryDirectory(prefix="tracker-gantt-") as tmp:
        locale = Path(tmp) / "plotly-locale-es.js"
        locale.write_text(locale_script(make_default=current_language() == "es"), encoding="ascii")
        # plotly.js from plotly.py's package (no CDN), MathJax off, the es locale after it.
        page = kaleido.PageGenerator(mathjax=False, others=[str(locale)])
        jobs = [
            {
                "fig": fig,
                "path": str(path),
                "opts": {"format": fmt, "width": width, "height": height, "scale": 1},
            }
            for fig, path in figures
        ]
        try:
            with _quiet_browser_logs():
                kaleido.write_fig_from_object_sync(
                    jobs,
                    kopts={"path": browser, "page_generator": page, "timeout": RENDER_TIMEOUT},
                    cancel_on_error=True,
                )
        except Exception as err:  # the browser failed to start or to render
            message = " ".join(str(err).split()) or type(err).__name__
            raise ExportError(
                _("the browser could not render the chart ({error})").format(error=message[:300])
            ) from err


@contextmanager
def _quiet_browser_logs() -> Iterator[None]:
    """Keep Kaleido's and choreographer's log records off the terminal while they work.

    With no logging configured, their records reach Python's last-resort handler: a normal
    run would print tracebacks (choreographer logs the browser's closing ``{bye}`` as an
    undecodable message). Real failures still surface as exceptions."""
    names = ("choreographer", "kaleido", "logistro", "browser_proc")
    saved = {name: logging.getLogger(name).level for name in names}
    for name in names:
        logging.getLogger(name).setLevel(logging.CRITICAL + 1)
    try:
        yield
    finally:
        for name, level in saved.items():
            logging.getLogger(name).setLevel(level)


def render_png_bytes(data: ExportData, paper: str = "A4") -> bytes:
    """The whole plan's chart as PNG bytes, for embedding in the monthly report.

    Raises the same TrackerError as the CLI when no browser can render it.
    """
    with tempfile.TemporaryDirectory(prefix="tracker-gantt-png-") as tmp:
        output = Path(tmp) / "gantt.png"
        export_gantt(data, GanttOptions(paper=paper), output)
        return output.read_bytes()
