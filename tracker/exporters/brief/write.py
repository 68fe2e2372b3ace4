"""Building and writing the brief for a month or a quarter."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date
from pathlib import Path

from tracker.comms.check import Activity, quarter_view
from tracker.errors import InputError
from tracker.exporters.brief.content import Brief, build_brief
from tracker.exporters.brief.rules import Rules
from tracker.exporters.report.events import iso
from tracker.exporters.report.source import ReportSource
from tracker.i18n import _
from tracker.plan.model import Period

FORMATS = (".html", ".pdf")


def output_format(path: Path) -> str:
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            _("unknown brief format {suffix!r} for {path}: use .html or .pdf").format(
                suffix=path.suffix or path.name, path=path
            )
        )
    return suffix.lstrip(".")


def quarter_of(day: date) -> Period:
    first = date(day.year, 3 * ((day.month - 1) // 3) + 1, 1)
    last_month = first.month + 2
    next_first = date(day.year + (last_month == 12), last_month % 12 + 1, 1)
    return Period(first, date.fromordinal(next_first.toordinal() - 1))


def make_brief(
    source: ReportSource,
    rules: Rules,
    label: str,
    percent_on: Callable[[date], float] | None = None,
) -> Brief:
    plan = source.plan
    comm = plan.communication
    targets = []
    if comm is not None:
        activities = [
            Activity(
                d, str(a["channel"]), tuple(a.get("targets") or ()), int(a.get("quantity") or 1)
            )
            for a in source.activities
            if (d := iso(a.get("day"))) is not None
        ]
        targets = quarter_view(
            comm.targets, comm.period, activities, quarter_of(source.as_of), source.as_of
        )
    return build_brief(source, rules, label, targets, percent_on)


def write_brief(brief: Brief, path: Path, *, force: bool = False) -> Path:
    """Write the brief as HTML or PDF, through a temporary file like every export (an
    existing file is replaced only under ``force``; see tracker.exporters.output)."""
    from tracker.exporters.brief.html import render_brief_html
    from tracker.exporters.output import write_atomically

    fmt = output_format(path)
    html = render_brief_html(brief)
    if fmt == "html":
        return write_atomically(path, lambda t: t.write_text(html, encoding="utf-8"), force=force)
    from tracker.exporters.brief.pdf import print_pdf

    return write_atomically(path, lambda t: print_pdf(html, t), force=force)
