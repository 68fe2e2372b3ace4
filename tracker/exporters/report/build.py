"""The monthly report ("informe mensual") in the municipality's own shape and length.

Page 1 opens with a half-page summary for the Despacho (``summary``); then the table
ACTIVIDAD / ENTIDAD / INFORMACIÓN / FECHA with one row per real activity of the month
(``activities``) and the COORDINACIONES bullets (``notes``), as the municipality's monthly
reports in shared/seeds have them, in at most three carta pages. Everything else goes to the
annex (``annex``), only when asked for. Facts come from the state as of the month's last day.

This module words the content into blocks (``blocks``); the renderers only lay them out.
"""

from __future__ import annotations

from datetime import date

from tracker.exporters.report.activities import month_rows
from tracker.exporters.report.annex import annex_blocks
from tracker.exporters.report.blocks import (
    Bullets,
    Heading,
    MonthReport,
    Paragraph,
    Table,
    TitleBlock,
)
from tracker.exporters.report.dates import fmt_date, month_end
from tracker.exporters.report.names import Names
from tracker.exporters.report.notes import month_notes
from tracker.exporters.report.source import ReportSource, plan_title
from tracker.exporters.report.summary import despacho_summary
from tracker.i18n import _, current_language, month_label


def build_report(
    source: ReportSource,
    month: date,
    *,
    annex: bool = False,
    gantt_png: bytes | None = None,
    gantt_dpi: int = 96,
) -> MonthReport:
    """The report of the month containing ``month``; the annex only when ``annex``."""
    start = month.replace(day=1)
    end = month_end(start)
    plan = source.plan
    meta = plan.meta
    names = Names(plan)
    office = names.office()
    title = _("MONTHLY PROGRESS REPORT")
    report = MonthReport(
        plan_key=source.plan_key,
        month_start=start,
        month_end=end,
        as_of=source.as_of,
        title=f"{title} — {month_label(start)}",
        author=office,
        subject=_("{plan}: monthly report of {month}").format(
            plan=plan_title(plan), month=month_label(start)
        ),
        keywords=", ".join(
            p for p in (meta.program.split("(")[0].strip(), meta.phase, month_label(start)) if p
        ),
        language=current_language(),
    )
    audience = (
        _("Office of the Mayor · {committee}").format(committee=plan.committee.name)
        if plan.committee
        else _("Office of the Mayor")
    )
    blocks = report.blocks
    blocks.append(
        TitleBlock(
            organisation=office,
            program=" · ".join(p for p in (meta.program.split("(")[0].strip(), meta.phase) if p),
            title=title,
            month=month_label(start).upper(),
            plan=plan_title(plan),
            facts=(
                (_("For"), audience),
                (_("Situation as of"), fmt_date(source.as_of)),
            ),
        )
    )
    blocks.append(despacho_summary(source, start, end, names))
    rows = month_rows(source, start, end, names)
    blocks.append(Heading(_("Activities of the month")))
    if rows:
        blocks.append(
            Table(
                "activities",
                (_("ACTIVITY"), _("ENTITY"), _("INFORMATION"), _("DATE")),
                tuple(
                    (((r.kind, True),), ", ".join(r.organisations), r.text, r.when) for r in rows
                ),
                (35.0, 40.0, 95.0, 22.0),
            )
        )
    else:
        blocks.append(
            Paragraph(
                ((_("Nothing was recorded in {month}.").format(month=month_label(start)), False),),
                muted=True,
            )
        )
    blocks.append(Heading(_("COORDINATIONS")))
    notes = month_notes(source, start, end, names)
    if notes:
        blocks.append(Bullets(tuple(notes)))
    else:
        blocks.append(Paragraph(((_("No notes were recorded this month."), False),), muted=True))
    if annex:
        report.annex = annex_blocks(
            source, start, end, names, gantt_png=gantt_png, gantt_dpi=gantt_dpi
        )
    return report
