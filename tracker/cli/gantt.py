"""``tracker gantt``: the schedule as a Plotly Gantt chart (HTML, or PNG/PDF/SVG for print).

Plotly is imported by the exporter only when a chart is drawn: registering this command (and
so starting the CLI) never loads it.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tracker.cli.common import as_of, db_options, force_option, output_target, parse_date
from tracker.i18n import _

# The paper names (kept here: importing the exporter's options module would be cheap, but the
# parser must not depend on the chart package).
PAPER_CHOICES = ("carta", "oficio", "tabloid", "A4", "A3", "letter", "legal")


def register(nouns: Any) -> None:
    gantt = nouns.add_parser(
        "gantt",
        parents=[db_options(as_of=True)],
        help=_("Gantt chart of the forecast against the baseline (HTML, PNG, PDF, SVG)"),
    )
    gantt.add_argument(
        "-o",
        "--output",
        metavar=_("FILE"),
        help=_(
            "file to write: .html (interactive, self-contained), .png, .pdf or .svg "
            "(default: exports/gantt-YYYY-MM-DD.html)"
        ),
    )
    gantt.add_argument(
        "--paper",
        choices=PAPER_CHOICES,
        default="carta",
        help=_(
            "paper size of PNG, PDF and SVG, landscape: carta (Letter, the default), "
            "oficio (Legal), tabloid, A4 or A3"
        ),
    )
    gantt.add_argument(
        "--dpi",
        type=int,
        default=150,
        help=_("resolution of a PNG, in dots per inch (default 150; 300 for print)"),
    )
    gantt.add_argument(
        "--summary",
        action="store_true",
        help=_("one page: areas and stages, milestones, and the late, blocked and critical items"),
    )
    gantt.add_argument(
        "--color-by",
        choices=("status", "area", "lead"),
        default="status",
        help=_("what the bar colours mean (default: status)"),
    )
    gantt.add_argument(
        "--arrows",
        action="store_true",
        help=_("draw the dependencies as arrows from each prerequisite to its dependent"),
    )
    scope = gantt.add_mutually_exclusive_group()
    scope.add_argument("--area", help=_("only this area or stage (e.g. 3, D)"))
    scope.add_argument(
        "--by-area",
        action="store_true",
        help=_("one chart per area and stage, files suffixed by its id"),
    )
    gantt.add_argument(
        "--from",
        dest="start",
        metavar="YYYY-MM-DD",
        type=parse_date,
        help=_("show from this date (and only items that reach it)"),
    )
    gantt.add_argument(
        "--to",
        dest="end",
        metavar="YYYY-MM-DD",
        type=parse_date,
        help=_("show up to this date (and only items that start by it)"),
    )
    gantt.add_argument("--status", help=_("only items with this status"))
    gantt.add_argument(
        "--critical-only", action="store_true", help=_("only items on the critical path")
    )
    force_option(gantt)
    gantt.set_defaults(run=cmd_gantt)


def cmd_gantt(args: argparse.Namespace) -> int:
    from tracker.exporters.common import load_export_data
    from tracker.exporters.gantt.options import (
        STATIC_FORMATS,
        GanttOptions,
        check_options,
        check_scope,
        output_format,
    )
    from tracker.exporters.gantt.render import export_gantt, find_browser
    from tracker.store.location import resolve_url

    options = GanttOptions(
        color_by=args.color_by,
        arrows=args.arrows,
        area=args.area,
        start=args.start,
        end=args.end,
        status=args.status,
        critical_only=args.critical_only,
        paper=args.paper,
        dpi=args.dpi,
        summary=args.summary,
    )
    day = as_of(args)
    # Everything that can be refused is refused before the database is opened.
    output = Path(args.output) if args.output else None
    fmt = output_format(output) if output is not None else "html"
    if not args.by_area:  # (with --by-area, each area's file is checked once it is known)
        output = output_target(args)  # the format follows the file's extension
    check_options(options)
    check_scope(options, by_area=args.by_area)
    if fmt in STATIC_FORMATS:
        find_browser()
    from tracker.cli.common import as_known, store

    data = load_export_data(store(args), day, as_known(args))
    if output is None:
        output = _default_output(data, day, by_area=args.by_area)
    written = export_gantt(
        data,
        options,
        output,
        by_area=args.by_area,
        force=args.force,
        database=resolve_url(args.db),
    )
    for path in written:
        print(_("written {path}").format(path=path))
    return 0


def _default_output(data: Any, day: Any, *, by_area: bool) -> Path:
    """exports/gantt-DATE.html, numbered when taken (with --by-area, when any of its per-area
    files is taken)."""
    from tracker.exporters.gantt.render import area_path
    from tracker.exporters.gantt.rows import group_ids
    from tracker.exporters.output import dated_path

    if not by_area:
        return dated_path("gantt", "html", day)
    groups = group_ids(data.plan)
    return dated_path("gantt", "html", day, also=lambda p: [area_path(p, g) for g in groups])
