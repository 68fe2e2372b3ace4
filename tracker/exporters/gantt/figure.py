"""The Plotly figure of one page of the Gantt: a table on the left (id, full name, start,
finish, %, lead) and the timeline on the right.

Each row's bar is the forecast drawn over its faint baseline; the done part (percent
complete) is filled, the rest tinted; the critical path is outlined in black; milestones,
deliverables and the launch are diamonds; a dashed line marks the as-of date. Rows are as tall
as their wrapped name: the y axis counts lines of text, so a three-line name takes three.

The figure is a plain dictionary (``plain.PlainFigure``): no Plotly import, no validation.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

from tracker.exporters.common import ExportData
from tracker.exporters.gantt.layout import Layout
from tracker.exporters.gantt.marks import LegendEntry, add_diamonds, add_legend, arrows, hover
from tracker.exporters.gantt.options import GanttOptions
from tracker.exporters.gantt.palette import (
    AS_OF,
    BASELINE,
    CRITICAL,
    GROUP_SPAN,
    HEADER_FILL,
    LATE_TEXT,
    Colouring,
)
from tracker.exporters.gantt.plain import PlainFigure, traces
from tracker.exporters.gantt.rows import GanttRow, plan_title
from tracker.exporters.gantt.text import DAY_MS, end_of, fmt_day, safe, x_ticks
from tracker.i18n import _, current_language

MARGIN_L, MARGIN_R = 8, 16


@dataclass(frozen=True, slots=True)
class Page:
    """One page of a chart: its rows and where it sits among its siblings."""

    rows: list[GanttRow]
    number: int = 1
    count: int = 1


def headline(data: ExportData) -> str:
    """ "Fin pronosticado 19/07/2018 frente a línea base 28/06/2018 (+15 días laborables)"."""
    overall = data.forecast.overall
    if overall.forecast_finish is None or overall.baseline_finish is None:
        return ""
    return _(
        "Forecast finish {forecast} against baseline {baseline} ({days:+d} working days)"
    ).format(
        forecast=fmt_day(overall.forecast_finish),
        baseline=fmt_day(overall.baseline_finish),
        days=overall.slip_days,
    )


def x_range(data: ExportData, rows: Sequence[GanttRow], options: GanttOptions) -> tuple[date, date]:
    days: list[date] = [data.as_of]
    for row in rows:
        days += [d for d in (row.start, row.finish, row.baseline_start, row.baseline_finish) if d]
    if len(days) == 1:
        days += [data.plan.meta.period.start, data.plan.meta.period.end]
    lo = options.start or min(days) - timedelta(days=4)
    hi = options.end or max(days) + timedelta(days=6)
    return lo, hi


def build_figure(
    data: ExportData,
    page: Page,
    options: GanttOptions,
    layout: Layout,
    colours: Colouring,
    window: tuple[date, date],
    legend: Sequence[LegendEntry],
    *,
    subtitle: str = "",
) -> PlainFigure:
    """The figure of ``page``. Trace order is fixed: the baseline bars, the forecast bars
    (one per row with a bar, in row order: the whole span, tinted), their done parts, the
    diamonds, then the data-less legend entries."""
    rows = page.rows
    heights = [layout.row_lines(r) for r in rows]
    centre: list[float] = []
    top = 0.0
    for h in heights:
        centre.append(top + h / 2)
        top += h
    total = max(top, 1.0)
    plot_width = layout.width - MARGIN_L - MARGIN_R
    table = layout.table_width / plot_width
    go = traces
    fig = PlainFigure()
    _add_bars(fig, go, data, rows, centre, colours, layout)
    add_diamonds(fig, go, data, rows, centre, colours, max(8.0, layout.font * 0.95))
    lo, hi = window
    as_of_shown = lo <= data.as_of <= hi
    add_legend(fig, go, legend)
    shapes = _bands(rows, centre, heights)
    _add_table(fig, go, rows, centre, layout)
    annotations = _column_heads(layout, plot_width)
    if as_of_shown:
        shapes.append(_as_of_line(data.as_of))
        annotations.append(_as_of_label(data.as_of, layout))
    if options.arrows:
        annotations.extend(arrows(data.plan, rows, centre))
    _lay_out(fig, data, layout, page, subtitle, shapes, annotations)
    chart_px = plot_width * (1 - table)
    months = max(1, (hi - lo).days / 30.4)
    values, texts = x_ticks(lo, hi, short=chart_px / months < layout.font * 7)
    fig.update_xaxes(
        type="date",
        domain=[min(table + 0.005, 0.9), 1],
        range=[lo.isoformat(), (hi + timedelta(days=1)).isoformat()],
        tickmode="array",
        tickvals=values,
        ticktext=texts,
        side="top",
        showgrid=True,
        gridcolor="#d3d9e0",
        ticks="outside",
        ticklen=3,
        showline=True,
        linecolor="#8a96a3",
        mirror=True,
        tickfont={"size": layout.font},
        fixedrange=layout.static,
    )
    fig.update_layout(
        xaxis2={
            "domain": [0, table],
            "range": [0, layout.table_width],
            "visible": False,
            "fixedrange": True,
            "anchor": "y",
        }
    )
    fig.update_yaxes(
        range=[total, 0],
        showticklabels=False,
        showgrid=False,
        zeroline=False,
        showline=True,
        linecolor="#8a96a3",
        mirror=True,
        ticks="",
        fixedrange=True,
    )
    return fig


def _has_bar(row: GanttRow) -> bool:
    return (row.kind == "group" or (row.item is not None and not row.milestone)) and bool(row.span)


def _add_bars(
    fig: Any,
    go: Any,
    data: ExportData,
    rows: Sequence[GanttRow],
    centre: Sequence[float],
    colours: Colouring,
    layout: Layout,
) -> None:
    bars = [(centre[y], r) for y, r in enumerate(rows) if _has_bar(r)]
    based = [(y, r) for y, r in bars if r.baseline_start and r.baseline_finish]
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=[y for y, _r in based],
            base=[r.baseline_start.isoformat() for _y, r in based if r.baseline_start],
            x=[_days(r.baseline_start, r.baseline_finish) for _y, r in based],
            width=0.8,
            marker={"color": BASELINE, "line": {"width": 0}},
            name=_("Baseline"),
            hoverinfo="skip",
            showlegend=False,
        )
    )
    looks = [colours.look(r) for _y, r in bars]
    critical = [r.item is not None and r.item.critical for _y, r in bars]
    thin = 1.0 if layout.static else 1.2
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=[y for y, _r in bars],
            base=[r.start.isoformat() for _y, r in bars if r.start],
            x=[_days(r.start, r.finish) for _y, r in bars],
            width=0.52,
            marker={
                "color": [look.tint for look in looks],
                "line": {
                    "color": [
                        CRITICAL if c else look.outline
                        for c, look in zip(critical, looks, strict=True)
                    ],
                    "width": [2.4 if c else thin for c in critical],
                },
                "pattern": {
                    "shape": [look.pattern for look in looks],
                    "fgcolor": [look.outline for look in looks],
                    "fillmode": "overlay",  # the hatching over the tint, not instead of it
                    "size": 5,
                    "solidity": 0.25,
                },
            },
            hovertext=[_hover(data, r) for _y, r in bars],
            hoverinfo="text",
            name=_("Forecast"),
            showlegend=False,
        )
    )
    # The done part: only rows with some progress (a bar of length 0 is still drawn).
    done = [(y, r, look) for (y, r), look in zip(bars, looks, strict=True) if r.percent]
    fig.add_trace(
        go.Bar(
            orientation="h",
            y=[y for y, _r, _l in done],
            base=[r.start.isoformat() for _y, r, _l in done if r.start],
            x=[_days(r.start, r.finish) * (r.percent or 0) / 100 for _y, r, _l in done],
            width=0.52,
            marker={"color": [look.fill for _y, _r, look in done], "line": {"width": 0}},
            hoverinfo="skip",
            name=_("Done"),
            showlegend=False,
        )
    )


def _days(first: date | None, last: date | None) -> int:
    if first is None or last is None:
        return 0
    return ((last - first).days + 1) * DAY_MS


def _hover(data: ExportData, row: GanttRow) -> str:
    if row.item is not None:
        return hover(data.plan, row.item)
    lines = [f"<b>{safe(row.key)}</b> · {safe(row.title)}"]
    if row.percent is not None:
        lines.append(_("{percent}% complete").format(percent=round(row.percent)))
    if row.start and row.finish:
        lines.append(f"{_('Forecast')}: {fmt_day(row.start)} – {fmt_day(row.finish)}")
    return "<br>".join(lines)


def _bands(
    rows: Sequence[GanttRow], centre: Sequence[float], heights: Sequence[float]
) -> list[dict[str, Any]]:
    """A grey band behind each header row, a thin rule between groups."""
    shapes: list[dict[str, Any]] = []
    for y, row in enumerate(rows):
        if not row.is_header or row.kind == "group":
            continue
        shapes.append(
            {
                "type": "rect",
                "xref": "paper",
                "x0": 0,
                "x1": 1,
                "y0": centre[y] - heights[y] / 2,
                "y1": centre[y] + heights[y] / 2,
                "fillcolor": HEADER_FILL,
                "line": {"width": 0},
                "layer": "below",
            }
        )
        if row.span is not None:
            shapes.append(
                {
                    "type": "line",
                    "x0": row.span[0].isoformat(),
                    "x1": end_of(row.span[1]),
                    "y0": centre[y],
                    "y1": centre[y],
                    "line": {"color": GROUP_SPAN, "width": 3},
                    "layer": "below",
                }
            )
    return shapes


def _cell_texts(row: GanttRow, layout: Layout) -> dict[str, str]:
    name = "<br>".join(safe(line) for line in layout.name_lines(row))
    bold = row.is_header or row.kind == "group"
    if bold:
        name = f"<b>{name}</b>"
    elif row.item is not None and row.state in ("atrasada", "bloqueada"):
        name = f"<span style='color:{LATE_TEXT}'>{name}</span>"
    percent = "" if row.percent is None else _("{percent}%").format(percent=round(row.percent))
    if row.milestone and row.state != "completada":
        percent = ""
    return {
        "id": "" if row.is_header and row.kind != "group" else safe(row.key),
        "name": name,
        "start": fmt_day(row.start) if row.start else "",
        "finish": fmt_day(row.finish) if row.finish else "",
        "percent": f"<b>{percent}</b>" if bold and percent else percent,
        "lead": "<br>".join(safe(line) for line in layout.lead_lines(row)),
    }


def _column_heads(layout: Layout, plot_width: float) -> list[dict[str, Any]]:
    """The column headers, level with the month names over the timeline."""
    out: list[dict[str, Any]] = []
    left = 0.0
    for column in layout.columns:
        right = column.align == "right"
        x = (left + column.width - 4) / plot_width if right else (left + 2) / plot_width
        out.append(
            {
                "x": x,
                "y": 1,
                "xref": "paper",
                "yref": "paper",
                "text": f"<b>{safe(column.header)}</b>",
                "showarrow": False,
                "xanchor": "right" if right else "left",
                "yanchor": "bottom",
                "yshift": 2,
                "font": {"size": layout.font},
            }
        )
        left += column.width
    return out


def _add_table(
    fig: Any, go: Any, rows: Sequence[GanttRow], centre: Sequence[float], layout: Layout
) -> None:
    """The table part: one text trace per column on a second x axis in pixels (one trace
    per column, not an annotation per cell: a few hundred annotations take Plotly half a
    second to validate)."""
    cells = [_cell_texts(row, layout) for row in rows]
    left = 0.0
    for column in layout.columns:
        right = column.align == "right"
        x = left + column.width - 4 if right else left + 2
        if column.key == "name":
            # A heading's name starts at the left edge, over the id column.
            xs = [2.0 if r.is_header and r.kind != "group" else x for r in rows]
        else:
            xs = [x] * len(rows)
        shown = [(xx, y, c[column.key]) for xx, y, c in zip(xs, centre, cells, strict=True)]
        shown = [t for t in shown if t[2]]
        fig.add_trace(
            go.Scatter(
                x=[t[0] for t in shown],
                y=[t[1] for t in shown],
                text=[t[2] for t in shown],
                mode="text",
                textposition="middle left" if right else "middle right",
                textfont={"size": layout.font, "color": "#1d2733"},
                xaxis="x2",
                hoverinfo="skip",
                showlegend=False,
                cliponaxis=False,
                name=column.key,
            )
        )
        left += column.width


def _as_of_line(day: date) -> dict[str, Any]:
    return {
        "type": "line",
        "x0": day.isoformat(),
        "x1": day.isoformat(),
        "yref": "paper",
        "y0": 0,
        "y1": 1,
        "line": {"color": AS_OF, "width": 2, "dash": "dash"},
        "layer": "above",
    }


def _as_of_label(day: date, layout: Layout) -> dict[str, Any]:
    return {
        "x": day.isoformat(),
        "y": 0,
        "xref": "x",
        "yref": "paper",
        "text": safe(_("As-of date {date}").format(date=fmt_day(day))),
        "showarrow": False,
        "xanchor": "left",
        "yanchor": "bottom",
        "xshift": 3,
        "yshift": 2,
        "font": {"color": AS_OF, "size": layout.font},
        "bgcolor": "rgba(255, 255, 255, 0.85)",
    }


def _lay_out(
    fig: Any,
    data: ExportData,
    layout: Layout,
    page: Page,
    subtitle: str,
    shapes: list[dict[str, Any]],
    annotations: list[dict[str, Any]],
) -> None:
    line2 = headline(data)
    line3 = _("Schedule: forecast over the baseline, as of {date}").format(date=fmt_day(data.as_of))
    if subtitle:
        line3 += " · " + subtitle
    if page.count > 1:
        line3 += " · " + _("page {number} of {count}").format(number=page.number, count=page.count)
    font = layout.font
    title_size = font * 13 / 8
    height: int | None = layout.height
    if height is None:
        total = sum(layout.row_lines(r) for r in page.rows)
        height = round(layout.top + layout.bottom + total * layout.line)
    # Pixels from the top: the title, the headline, the as-of line, then the legend.
    legend_y = 1 - (8 + title_size * 1.3 + font * 1.1 * 1.6 + 6) / height
    fig.update_layout(
        title={
            "text": safe(plan_title(data.plan)),
            "subtitle": {
                "text": f"<b>{safe(line2)}</b> · {safe(line3)}" if line2 else safe(line3),
                "font": {"size": font * 1.1, "color": "#1d2733"},
            },
            "x": 0.005,
            "xanchor": "left",
            "xref": "container",
            "yref": "container",
            "y": 1 - 6 / height,
            "yanchor": "top",
            "font": {"size": title_size},
        },
        barmode="overlay",
        bargap=0,
        font={"size": font, "family": "DejaVu Sans, Arial, sans-serif"},
        plot_bgcolor="white",
        paper_bgcolor="white",
        height=height,
        width=layout.width,
        autosize=False,
        margin={"l": MARGIN_L, "r": MARGIN_R, "t": layout.top, "b": layout.bottom, "pad": 0},
        hovermode="closest",
        hoverlabel={"align": "left", "font": {"size": 12}},
        shapes=shapes,
        annotations=annotations,
        legend={
            "orientation": "h",
            "x": 0,
            "xanchor": "left",
            "xref": "container",
            "y": legend_y,
            "yref": "container",
            "yanchor": "top",
            # The entries stand for colours and symbols, not for traces one could hide.
            "itemclick": False,
            "itemdoubleclick": False,
            "font": {"size": font},
            "itemwidth": 30,
            "tracegroupgap": 0,
        },
        separators=",." if current_language() == "es" else ".,",
    )
