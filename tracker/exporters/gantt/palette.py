"""Colours, patterns and outlines of the chart, safe for colour-blind readers.

The states use the Okabe–Ito colours and never differ in hue alone: each has its own
lightness, and the two that call for action carry a pattern too (late: diagonal hatching on
light orange; blocked: cross-hatching on dark red), so they stay apart in grey print and for
the commonest colour blindness. Colouring by area or lead uses a palette without red, so no
area looks "in trouble" for its colour alone; the late and blocked patterns stay on top.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field

from tracker.exporters.gantt.rows import GanttRow, group_ids
from tracker.exporters.gantt.text import truncate
from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.model import Plan


@dataclass(frozen=True, slots=True)
class Look:
    """How a bar is drawn: its done part ``fill``, the rest ``tint``, its outline, pattern."""

    fill: str
    tint: str
    outline: str
    pattern: str = ""  # Plotly's marker.pattern.shape


STATES: dict[str, Look] = {
    "pendiente": Look("#ffffff", "#ffffff", "#6b6b6b"),  # hollow: nothing done yet
    "en_curso": Look("#0072b2", "#cfe4f2", "#0072b2"),
    "completada": Look("#009e73", "#b8e6d9", "#00684c"),
    "atrasada": Look("#e69f00", "#fbe3b0", "#a86f00", "/"),
    "bloqueada": Look("#8e1b1b", "#e9b9b9", "#5c0f0f", "x"),
    "diferida": Look("#b9a36a", "#efe8d3", "#8a7a4d", "-"),
    "cancelada": Look("#bdbdbd", "#eeeeee", "#9a9a9a", "."),
}
STATE_ORDER = tuple(STATES)
# Okabe–Ito without its vermillion, then Paul Tol's muted colours: no red among them.
AREA_PALETTE = (
    "#0072b2",
    "#e69f00",
    "#56b4e9",
    "#009e73",
    "#cc79a7",
    "#f0e442",
    "#332288",
    "#44aa99",
    "#999933",
    "#88ccee",
    "#117733",
    "#999999",
)
NEUTRAL = "#5f6b7a"
BASELINE = "rgba(70, 80, 95, 0.20)"
BASELINE_EDGE = "rgba(70, 80, 95, 0.45)"
CRITICAL = "#111111"
AS_OF = "#c2185b"
HEADER_FILL = "#e9edf2"
GROUP_SPAN = "#7d8a9a"
DELIVERABLE = "#6a3d9a"
LAUNCH = "#f2a900"
LATE_TEXT = "#8a4f00"


def tint(colour: str, amount: float = 0.7) -> str:
    """``colour`` (#rrggbb) mixed with white: the not-yet-done part of a bar."""
    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    mix = [round(c + (255 - c) * amount) for c in (r, g, b)]
    return "#" + "".join(f"{c:02x}" for c in mix)


@dataclass(slots=True)
class Colouring:
    """What each row's colour means: a key per item and a legend entry per key."""

    how: str
    key_of: dict[str, str] = field(default_factory=dict)
    colour: dict[str, str] = field(default_factory=dict)
    label: dict[str, str] = field(default_factory=dict)

    def look(self, row: GanttRow) -> Look:
        """The bar's look: the state's, or the area's (lead's) colour with the state's
        pattern and outline kept for late and blocked items."""
        state = STATES.get(row.state, STATES["pendiente"])
        if self.how == "status":
            return state
        colour = self.colour.get(self.key_of.get(row.key, ""), NEUTRAL)
        if row.state in ("atrasada", "bloqueada"):
            return Look(colour, tint(colour), state.outline, state.pattern)
        return Look(colour, tint(colour), colour)


def colouring(plan: Plan, rows: Sequence[GanttRow], how: str) -> Colouring:
    result = Colouring(how)
    bars = [r for r in rows if r.item is not None or r.kind == "group"]
    if how == "status":
        for row in bars:
            result.key_of[row.key] = row.state
        for state in STATE_ORDER:
            result.colour[state] = STATES[state].fill
            result.label[state] = status_label(state)
        return result
    if how == "area":
        for i, group in enumerate(group_ids(plan)):
            result.colour[group] = AREA_PALETTE[i % len(AREA_PALETTE)]
            result.label[group] = f"{group} · {truncate(plan.group_title(group), 28)}"
        for row in bars:
            result.key_of[row.key] = row.group
        result.colour[""] = NEUTRAL  # the milestones: they have their own legend entry
        return result
    for row in bars:
        result.key_of[row.key] = row.lead.split(",")[0].strip() if row.lead else ""
    counts = Counter(result.key_of.values())
    for i, (key, _n) in enumerate(sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))):
        result.colour[key] = AREA_PALETTE[i % len(AREA_PALETTE)] if key else NEUTRAL
        result.label[key] = truncate(key, 30) if key else _("no lead")
    return result
