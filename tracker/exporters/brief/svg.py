"""Inline SVG for the brief: the S-curve and a summary Gantt. Hand-written so the page needs
no script and no network, and renders in well under a second."""

from __future__ import annotations

from datetime import date
from html import escape

from tracker.exporters.brief.content import Brief
from tracker.exporters.gantt.rows import HEADER, GanttRow
from tracker.i18n import _, month_name

PLANNED = "#5b6b7f"
ACTUAL = "#0b5394"
AS_OF = "#b5179e"
GRID = "#d9dee4"
BASELINE_BAR = "#c9d1db"
FORECAST_BAR = "#7aa6d6"
DONE_BAR = "#0b5394"
LATE = "#b3261e"


def _x(day: date, start: date, end: date, left: float, width: float) -> float:
    span = max((end - start).days, 1)
    return left + width * (day - start).days / span


def _months(start: date, end: date) -> list[date]:
    out = []
    day = date(start.year, start.month, 1)
    while day <= end:
        if day >= start:
            out.append(day)
        day = date(day.year + (day.month == 12), day.month % 12 + 1, 1)
    return out


def s_curve(brief: Brief, width: int = 560, height: int = 300) -> str:
    curve = brief.curve
    left, top, right, bottom = 40.0, 14.0, 28.0, 40.0
    w, h = width - left - right, height - top - bottom

    def pt(day: date, value: float) -> str:
        x = _x(day, curve.start, curve.end, left, w)
        y = top + h * (1 - value / 100)
        return f"{x:.1f},{y:.1f}"

    parts = [
        f'<svg id="scurve" viewBox="0 0 {width} {height}" '
        f'width="{width}" height="{height}" role="img" '
        f'aria-label="{escape(_("Planned and actual percent complete"))}">'
    ]
    for value in (0, 25, 50, 75, 100):
        y = top + h * (1 - value / 100)
        parts.append(
            f'<line x1="{left}" x2="{left + w}" y1="{y:.1f}" y2="{y:.1f}" stroke="{GRID}"/>'
            f'<text x="{left - 4}" y="{y + 4:.1f}" text-anchor="end" font-size="11">{value}%</text>'
        )
    for month in _months(curve.start, curve.end):
        x = _x(month, curve.start, curve.end, left, w)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + h}" stroke="{GRID}"/>'
            f'<text x="{x + 3:.1f}" y="{top + h + 14}" font-size="11">'
            f"{escape(month_name(month)[:3])}</text>"
        )
    planned = " ".join(pt(d, v) for d, v in curve.planned)
    actual = " ".join(pt(d, v) for d, v in curve.actual)
    parts.append(
        f'<polyline points="{planned}" fill="none" stroke="{PLANNED}" stroke-width="2" '
        f'stroke-dasharray="6 4"/>'
    )
    parts.append(f'<polyline points="{actual}" fill="none" stroke="{ACTUAL}" stroke-width="3"/>')
    x = _x(curve.as_of, curve.start, curve.end, left, w)
    parts.append(
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top}" y2="{top + h}" stroke="{AS_OF}" '
        f'stroke-width="1.5" stroke-dasharray="2 2"/>'
    )
    if curve.actual:
        day, now = curve.actual[-1]
        planned_now = dict(curve.planned).get(day, 0.0)
        parts.append(
            f'<text x="{x - 4:.1f}" y="{top + 12}" text-anchor="end" font-size="11" '
            f'fill="{AS_OF}">{escape(_("as of {date}").format(date=day.strftime("%d/%m")))}: '
            f"{now:.0f}% / {planned_now:.0f}%</text>"
        )
    ly = height - 10
    parts.append(
        f'<line x1="{left}" x2="{left + 26}" y1="{ly - 4}" y2="{ly - 4}" stroke="{ACTUAL}" '
        f'stroke-width="3"/><text x="{left + 30}" y="{ly}" font-size="11">'
        f"{escape(_('actual'))}</text>"
        f'<line x1="{left + 110}" x2="{left + 136}" y1="{ly - 4}" y2="{ly - 4}" '
        f'stroke="{PLANNED}" stroke-width="2" stroke-dasharray="6 4"/>'
        f'<text x="{left + 140}" y="{ly}" font-size="11">'
        f"{escape(_('planned (baseline)'))}</text>"
    )
    parts.append("</svg>")
    return "".join(parts)


FONT_PX = 11


def _ems(text: str) -> float:
    """A generous estimate of the text's width in ems, in whatever sans-serif the reader's
    browser picks (capitals are wider than the 70-character rule of thumb allowed)."""
    return sum(
        0.7 if c.isupper() else 0.58 if c.isalnum() else 0.32 if c in " .,;:'()" else 0.6
        for c in text
    )


def _fit(text: str, room: float) -> str:
    if _ems(text) <= room:
        return text
    while text and _ems(text + "…") > room:
        text = text[:-1]
    return text.rstrip() + "…"


def summary_gantt(brief: Brief, width: int = 1180) -> str:
    """The summary Gantt's rows (areas and stages, milestones, the items late, blocked or on
    the critical path): the baseline under the forecast bar, filled to its percent, red when
    late or blocked; a milestone's baseline and forecast diamonds; the as-of line."""
    rows = brief.gantt
    label_w, row_h, top = 420.0, 20.0, 22.0
    height = int(top + row_h * len(rows) + 10)
    start, end = brief.curve.start, brief.curve.end
    w = width - label_w - 10
    parts = [
        f'<svg id="gantt" viewBox="0 0 {width} {height}" '
        f'width="100%" role="img" aria-label="{escape(_("Summary Gantt"))}">'
    ]
    for month in _months(start, end):
        x = _x(month, start, end, label_w, w)
        parts.append(
            f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 6}" stroke="{GRID}"/>'
            f'<text x="{x + 3:.1f}" y="{top - 8}" font-size="{FONT_PX}">'
            f"{escape(month_name(month))}</text>"
        )
    for n, row in enumerate(rows):
        parts += _gantt_row(row, top + n * row_h, start, end, label_w, w)
    x = _x(brief.as_of, start, end, label_w, w)
    parts.append(
        f'<line x1="{x:.1f}" x2="{x:.1f}" y1="{top - 4}" y2="{height - 6}" stroke="{AS_OF}" '
        f'stroke-width="1.5" stroke-dasharray="3 2"/>'
    )
    parts.append("</svg>")
    return "".join(parts)


def _gantt_row(
    row: GanttRow, y: float, start: date, end: date, label_w: float, w: float
) -> list[str]:
    name = f"{row.key} {row.title}".strip()
    state = f" ({row.state_label})" if row.state_label and row.kind != HEADER else ""
    label = name + state
    # What the label column holds, the state never being the part cut.
    text = _fit(name, (label_w - 12) / FONT_PX - _ems(state)) + state
    weight = ' font-weight="bold"' if row.kind == HEADER else ""
    parts = [
        f'<text x="4" y="{y + 14:.1f}" font-size="{FONT_PX}"{weight}><title>{escape(label)}</title>'
        f"{escape(text)}</text>"
    ]
    if row.kind == HEADER:
        return parts
    warn = row.state in ("atrasada", "bloqueada")
    if row.milestone:
        for day, fill in (
            (row.baseline_finish, BASELINE_BAR),
            (row.finish, LATE if warn else DONE_BAR),
        ):
            if day is not None:
                x, c = _x(day, start, end, label_w, w), y + 10
                parts.append(
                    f'<path d="M{x:.1f},{c - 6:.1f} L{x + 6:.1f},{c:.1f} L{x:.1f},{c + 6:.1f} '
                    f'L{x - 6:.1f},{c:.1f} Z" fill="{fill}" stroke="#333" stroke-width="0.5"/>'
                )
        return parts
    if row.baseline_start is not None and row.baseline_finish is not None:
        x1 = _x(row.baseline_start, start, end, label_w, w)
        x2 = _x(row.baseline_finish, start, end, label_w, w)
        parts.append(
            f'<rect x="{x1:.1f}" y="{y + 3:.1f}" width="{max(x2 - x1, 2):.1f}" height="5" '
            f'fill="{BASELINE_BAR}"/>'
        )
    if row.span is not None:
        first, last = row.span
        x1 = _x(first, start, end, label_w, w)
        length = max(_x(last, start, end, label_w, w) - x1, 2)
        outline = LATE if warn else FORECAST_BAR
        parts.append(
            f'<rect x="{x1:.1f}" y="{y + 9:.1f}" width="{length:.1f}" height="8" '
            f'fill="#ffffff" stroke="{outline}"/>'
        )
        if row.percent:
            parts.append(
                f'<rect x="{x1:.1f}" y="{y + 9:.1f}" '
                f'width="{max(length * row.percent / 100, 1):.1f}" height="8" '
                f'fill="{LATE if warn else DONE_BAR}"/>'
            )
    return parts
