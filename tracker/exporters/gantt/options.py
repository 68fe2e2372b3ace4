"""What a Gantt run is asked for (filters, colouring, paper, resolution) and its checks.

Paper sizes are landscape, in inches: Panama prints on carta (US Letter) and oficio (Legal);
tabloid, A4 and A3 are there for walls and for partners abroad. A chart is laid out in CSS
pixels (96 to the inch) at its paper's size, so 8-pt text is 8 pt on the sheet, and rendered at
``dpi`` dots per inch (PNG) or as vectors (PDF, SVG).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from tracker.errors import InputError
from tracker.i18n import _
from tracker.plan.model import Plan
from tracker.plan.statuses import ITEM_STATUSES

FORMATS = ("html", "png", "pdf", "svg")
STATIC_FORMATS = ("png", "pdf", "svg")
COLOR_BY = ("status", "area", "lead")
CSS_DPI = 96
DEFAULT_DPI = 150
MIN_DPI, MAX_DPI = 72, 600
# Landscape (width, height) in inches.
PAPERS: dict[str, tuple[float, float]] = {
    "carta": (11.0, 8.5),
    "oficio": (14.0, 8.5),
    "tabloid": (17.0, 11.0),
    "A4": (11.69, 8.27),
    "A3": (16.54, 11.69),
}
PAPER_ALIASES = {"letter": "carta", "legal": "oficio", "ledger": "tabloid"}
PAPER_CHOICES = (*PAPERS, *PAPER_ALIASES)


@dataclass(frozen=True, slots=True)
class GanttOptions:
    color_by: str = "status"
    arrows: bool = False
    area: str | None = None
    start: date | None = None  # --from
    end: date | None = None  # --to
    status: str | None = None
    critical_only: bool = False
    paper: str = "carta"
    dpi: int = DEFAULT_DPI
    summary: bool = False


def paper_name(paper: str) -> str:
    """The paper's own name (``letter`` -> ``carta``); unknown names are returned as given."""
    folded = {name.casefold(): name for name in PAPERS}
    name = PAPER_ALIASES.get(paper.casefold(), paper)
    return folded.get(name.casefold(), name)


def paper_pixels(paper: str) -> tuple[int, int]:
    """The sheet's size in CSS pixels (landscape)."""
    width, height = PAPERS[paper_name(paper)]
    return round(width * CSS_DPI), round(height * CSS_DPI)


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
    """What can be checked without the plan: status, date window, colouring, paper, dpi."""
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
    if paper_name(options.paper) not in PAPERS:
        raise InputError(
            _("unknown paper size {value!r}; use one of: {values}").format(
                value=options.paper, values=", ".join(PAPERS)
            )
        )
    if not MIN_DPI <= options.dpi <= MAX_DPI:
        raise InputError(
            _("--dpi {value} is out of range; use {low} to {high}").format(
                value=options.dpi, low=MIN_DPI, high=MAX_DPI
            )
        )


def check_area(plan: Plan, area: str | None) -> None:
    ids = [a.id for a in plan.areas] + [s.id for s in plan.stages]
    if area is not None and area not in ids:
        raise InputError(
            _("unknown area {area!r}; use one of: {values}").format(
                area=area, values=", ".join(ids)
            )
        )


def check_scope(options: GanttOptions, *, by_area: bool) -> None:
    """The summary is of the whole plan: no filter or split goes with it."""
    if not options.summary:
        return
    filtered = options.area or options.status or options.critical_only
    if by_area or filtered or options.start or options.end:
        raise InputError(
            _(
                "--summary shows the whole plan: it cannot be combined with --area, "
                "--by-area, --status, --critical-only, --from or --to"
            )
        )
