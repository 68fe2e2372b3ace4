"""Writing a report to a file: the format from the file name, the renderer for it."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from tracker.errors import InputError
from tracker.exporters.report.blocks import MonthReport
from tracker.exporters.report.build import build_report
from tracker.exporters.report.source import ReportSource
from tracker.i18n import _

FORMATS = (".docx", ".html", ".md")


def output_format(path: Path) -> str:
    """``docx``, ``html`` or ``md`` from the file name; InputError for anything else."""
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise InputError(
            _("unknown report format {suffix!r} for {path}: use .docx, .html or .md").format(
                suffix=path.suffix or path.name, path=path
            )
        )
    return suffix.lstrip(".")


def render(report: MonthReport, fmt: str) -> bytes:
    if fmt == "docx":
        from tracker.exporters.report.docx import render_docx

        return render_docx(report)
    if fmt == "html":
        from tracker.exporters.report.html import render_html

        return render_html(report).encode("utf-8")
    from tracker.exporters.report.md import render_markdown

    return render_markdown(report).encode("utf-8")


def write_report(
    source: ReportSource,
    month: date,
    path: Path,
    *,
    annex: bool = False,
    gantt_png: bytes | None = None,
    gantt_dpi: int = 96,
    force: bool = False,
) -> Path:
    """Write the month's report to ``path`` (.docx, .html or .md); the annex, with the Gantt
    chart when one is given (not in Markdown), only when ``annex``."""
    fmt = output_format(path)
    report = build_report(
        source,
        month,
        annex=annex,
        gantt_png=gantt_png if fmt != "md" else None,
        gantt_dpi=gantt_dpi,
    )
    content = render(report, fmt)
    from tracker.exporters.output import write_atomically

    return write_atomically(path, lambda target: target.write_bytes(content), force=force)
