"""Exports from the app: run in a worker thread, then say where the file was written."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.i18n import _

if TYPE_CHECKING:
    from tui.app import TrackerApp


def _gantt(data: Any) -> list[Path]:
    from tracker.exporters.gantt.options import GanttOptions
    from tracker.exporters.gantt.render import export_gantt
    from tracker.exporters.output import dated_path

    return export_gantt(data, GanttOptions(), dated_path("gantt", "html", data.as_of))


def _report(data: Any) -> list[Path]:
    """The monthly report of the as-of date's month (its main part, as the CLI writes it
    without ``--annex``)."""
    from tracker.exporters.output import dated_path
    from tracker.exporters.report.dates import month_end
    from tracker.exporters.report.source import from_export_data
    from tracker.exporters.report.write import write_report

    start = data.as_of.replace(day=1)
    path = dated_path("informe", "docx", month_end(start))
    write_report(from_export_data(data), start, path)
    return [path]


def _xlsx(data: Any) -> list[Path]:
    from tracker.exporters.output import dated_path
    from tracker.exporters.workbook import write_workbook

    path = dated_path("seguimiento", "xlsx", data.as_of)
    write_workbook(data, path)
    return [path]


def _ics(data: Any) -> list[Path]:
    from tracker.exporters.ics import write_ics
    from tracker.exporters.output import dated_path

    path = dated_path("calendario", "ics", data.as_of)
    write_ics(data, path)
    return [path]


EXPORTS: dict[str, Callable[[Any], list[Path]]] = {
    "gantt": _gantt,
    "report": _report,
    "xlsx": _xlsx,
    "ics": _ics,
}


def run_export(app: TrackerApp, kind: str) -> None:
    """Write export ``kind`` for the app's plan and as-of date, off the UI thread."""
    from tracker.errors import TrackerError

    def work() -> None:
        from tracker.exporters.common import load_export_data

        try:
            data = load_export_data(app.store, app.as_of)
            paths = EXPORTS[kind](data)
        except TrackerError as err:
            app.call_from_thread(app.notify, str(err), severity="error", timeout=12)
            return
        app.call_from_thread(
            app.notify,
            _("Written: {paths}").format(paths=", ".join(str(p) for p in paths)),
            timeout=12,
        )

    app.notify(_("Exporting…"))
    app.run_worker(work, thread=True, group="export", exit_on_error=False)
