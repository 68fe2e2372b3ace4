"""``tracker report --month YYYY-MM [--annex]``: the monthly report for the mayor's office and
the Mesa Técnica, as Word (.docx), HTML or Markdown."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from datetime import date
from pathlib import Path
from typing import Any

from tracker.cli.common import (
    db_options,
    force_option,
    output_target,
    parse_date,
    parse_month,
)
from tracker.i18n import _


def register(nouns: Any) -> None:
    report = nouns.add_parser(
        "report",
        parents=[db_options()],
        help=_("the monthly report for the mayor's office and the Mesa Técnica"),
    )
    report.add_argument(
        "--month", required=True, type=parse_month, metavar="YYYY-MM", help=_("the month to report")
    )
    report.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_(
            "file to write: .docx, .html or .md "
            "(default: exports/informe-<last day of the month>.docx)"
        ),
    )
    report.add_argument(
        "--annex",
        action="store_true",
        help=_(
            "add the annex: progress per area, late items, communication targets, the "
            "month's changes and evidence, the Gantt chart"
        ),
    )
    report.add_argument(
        "--no-gantt", action="store_true", help=_("do not embed the Gantt chart in the annex")
    )
    report.add_argument(
        "--as-known",
        metavar="YYYY-MM-DD",
        type=parse_date,
        help=_(
            "count only what had been recorded by the end of this day (reproduces a past "
            "report exactly)"
        ),
    )
    force_option(report)
    report.set_defaults(run=cmd_report)


def cmd_report(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.exporters.common import load_export_data
    from tracker.exporters.output import dated_path
    from tracker.exporters.report.dates import check_month, month_end, report_as_of
    from tracker.exporters.report.source import from_export_data
    from tracker.exporters.report.write import output_format, write_report
    from tracker.state.asof import local_today

    start: date = args.month[0]
    path = Path(args.output) if args.output else None
    fmt = output_format(path) if path is not None else "docx"  # before any work
    path = output_target(args)  # the format follows the file's extension
    as_of = report_as_of(start, local_today())
    wants_gantt = args.annex and fmt != "md" and not args.no_gantt
    data = load_export_data(store(args), as_of, getattr(args, "as_known", None))
    check_month(data.plan.meta.period, start)
    with _browser() if wants_gantt else nullcontext() as page:
        gantt = _gantt(data, page) if wants_gantt else None
        if page is not None:
            page.shut_down()  # the browser closes while the document is written
        if path is None:
            path = dated_path("informe", fmt, month_end(start))
        write_report(
            from_export_data(data),
            start,
            path,
            annex=args.annex,
            gantt_png=gantt[0] if gantt else None,
            gantt_dpi=gantt[1] if gantt else 96,
            force=args.force,
        )
    print(path)
    return 0


@contextmanager
def _browser() -> Iterator[Any]:
    """A browser for the Gantt image, started now; None when there is none (``_gantt`` then
    says why)."""
    from tracker.errors import TrackerError

    try:
        from tracker.exporters.gantt.render import open_page

        page = open_page()
    except (ImportError, TrackerError):
        yield None
        return
    with page:
        yield page


def _gantt(data: Any, page: Any) -> tuple[bytes, int] | None:
    """The Gantt chart as PNG with the resolution it was drawn at, or None with one warning
    line when it cannot be drawn here."""
    from tracker.errors import TrackerError

    try:
        from tracker.exporters.gantt.render import render_png_bytes
    except ImportError as err:
        reason = _("the Gantt exporter is not available ({error})").format(error=err)
    else:
        try:
            # The one-page summary at 300 dpi: printed at its natural size, 8-pt text stays 8 pt.
            return render_png_bytes(data, paper="carta", dpi=300, page=page), 300
        except TrackerError as err:
            reason = str(err)
    print(
        _("warning: the Gantt chart could not be embedded in the report: {reason}").format(
            reason=reason
        ),
        file=sys.stderr,
    )
    return None
