"""The XLSX workbook for the team, laid out to be printed on carta as well as read on screen.

Sheets: a summary per area and stage; one sheet per area, stage and the milestones with the
columns one reads on paper (id, title, status, %, forecast dates, slippage, flags, lead); two
detail sheets with everything else (all the dates and the note; the roles, working group and
allies); the communication targets. Every sheet prints landscape on carta, one page wide, its
header row repeated on each page, rows as tall as their wrapped text. Statuses are shown by
name ("En curso"), communication targets by their action, never by code; the CSV export keeps
the codes and ISO dates for scripts and for ``tracker import csv``.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tracker.exporters.common import ExportData
from tracker.exporters.output import write_atomically
from tracker.exporters.sheets import (
    _XML_ILLEGAL,
    columns,
    csv_rows,
    item_records,
    neutralise,
    sheet_groups,
    sheet_name,
)
from tracker.i18n import _
from tracker.labels import period_state_label, plan_title, status_label
from tracker.plan.statuses import ITEM_STATUSES
from tracker.state.forecast import Summary

DATE_FORMAT = "dd/mm/yyyy"
LINE_HEIGHT = 15.0  # points per line of 11-pt text
CHARS_PER_WIDTH = 1.1  # characters of text per unit of column width (a "0" is one unit)

# What each kind of sheet shows: the column keys of ``sheets.columns()`` plus ``flags``, each
# with the width it gets there. Every set adds up to a page of carta, landscape, at ~85 %.
PRINTED = (
    ("id", 7),
    ("title", 46),
    ("status", 12),
    ("percent", 11),
    ("forecast_start", 11),
    ("forecast_finish", 11),
    ("slip_days", 9),
    ("flags", 15),
    ("lead", 26),
)
DETAIL_DATES = (
    ("id", 7),
    ("title", 34),
    ("baseline_start", 11),
    ("baseline_finish", 11),
    ("forecast_start", 11),
    ("forecast_finish", 11),
    ("actual_start", 11),
    ("actual_finish", 11),
    ("slip_days", 9),
    ("note", 34),
)
DETAIL_ROLES = (
    ("id", 7),
    ("title", 30),
    ("lead", 20),
    ("support", 20),
    ("supervision", 17),
    ("other_roles", 20),
    ("working_group", 20),
    ("allies", 20),
)


@dataclass(frozen=True, slots=True)
class Field:
    key: str
    header: str
    kind: str  # text | long | date | int | slip | float | flag
    width: int


def fields(spec: Sequence[tuple[str, int]]) -> list[Field]:
    known = {c.key: c for c in columns()}
    out = []
    for key, width in spec:
        if key == "flags":
            out.append(Field(key, _("Flags"), "long", width))
        else:
            column = known[key]
            kind = "slip" if key == "slip_days" else column.kind
            out.append(Field(key, column.header, kind, width))
    return out


def flags(record: dict[str, Any]) -> str:
    names = []
    if record["late"]:
        names.append(status_label("atrasada"))
    elif record["at_risk"]:
        names.append(_("at risk"))
    if record["critical"]:
        names.append(_("critical path"))
    return ", ".join(names)


def shown(record: dict[str, Any]) -> dict[str, Any]:
    """The record as a reader sees it: the status by name, the flags in words."""
    return {
        **record,
        "status": status_label(record["status"], capital=True),
        "flags": flags(record),
    }


# ----------------------------------------------------------------------------- writing
def write_workbook(data: ExportData, path: str | Path, *, force: bool = False) -> list[str]:
    """Write the workbook; returns its sheet names in order."""
    from openpyxl import Workbook

    workbook = Workbook()
    title = plan_title(data.plan)
    props = workbook.properties
    props.title = _cell_text(title)
    props.subject = _cell_text(
        _("State of the plan as of {date}").format(date=data.as_of.strftime(_("%Y-%m-%d")))
    )
    props.creator = _cell_text(data.plan.meta.organisation or "resiliencia-tracker")
    props.description = _cell_text(
        _("Plan {key} as of {date}").format(key=data.plan_key, date=data.as_of.isoformat())
    )
    props.keywords = "resiliencia, plan de trabajo, seguimiento"
    used: set[str] = set()
    summary = workbook.active
    summary.title = sheet_name(_("Summary"), used)
    _summary_sheet(summary, data)
    records = [shown(r) for r in item_records(data)]
    for group in sheet_groups(data):
        label = group.title if group.key == "" else f"{group.key} {group.title}"
        sheet = workbook.create_sheet(sheet_name(label, used))
        rows = [shown(r) for r in group.records]
        heading = group.title if group.key == "" else f"{group.key} · {group.title}"
        _table(sheet, fields(PRINTED), rows, heading, data, highlight=True)
    comms = workbook.create_sheet(sheet_name(_("Communication"), used))
    _comms_sheet(comms, data)
    dates = workbook.create_sheet(sheet_name(_("Detail: dates"), used))
    _table(dates, fields(DETAIL_DATES), records, _("Detail: dates"), data)
    roles = workbook.create_sheet(sheet_name(_("Detail: roles"), used))
    _table(roles, fields(DETAIL_ROLES), records, _("Detail: roles"), data)
    # The columns `import csv` reads, as `export csv` writes them (codes, ISO dates, as
    # text): saved as CSV from Excel or LibreOffice, this sheet imports back cell for cell.
    exchange = workbook.create_sheet(sheet_name(_("Data for import"), used))
    for values in csv_rows(data):
        exchange.append([_cell_text(v) for v in values])
    from openpyxl.styles import Font

    for cell in exchange[1]:
        cell.font = Font(bold=True)
    # Hidden: it is for a spreadsheet program to save as CSV, not for paper (23 columns).
    exchange.sheet_state = "hidden"
    write_atomically(Path(path), lambda target: workbook.save(target), force=force)
    return list(workbook.sheetnames)


def _cell_text(text: str) -> str:
    return neutralise(_XML_ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def _put(sheet: Any, row: int, col: int, value: Any, kind: str = "text") -> Any:
    cell = sheet.cell(row=row, column=col)
    if value is None:
        return cell
    if kind == "flag":
        value = _("yes") if value else _("no")
    if isinstance(value, str):
        cell.value = _cell_text(value)
        cell.data_type = "s"  # never a formula, whatever the text
    else:
        cell.value = value
    if isinstance(value, date):
        cell.number_format = DATE_FORMAT
    elif kind == "int":
        cell.number_format = "0"
    elif kind == "slip":
        cell.number_format = "+0;-0;0"
    elif kind == "float":
        cell.number_format = "0.0"
    return cell


def lines_needed(text: str, width: int) -> int:
    """How many lines ``text`` wraps to in a column ``width`` wide (generous)."""
    room = max(1.0, (width - 1) * CHARS_PER_WIDTH)
    return sum(max(1, math.ceil(len(part) / room)) for part in str(text).split("\n"))


def _header(sheet: Any, headers: list[str], widths: list[int], freeze: str) -> None:
    from openpyxl.styles import Alignment, Border, Font, PatternFill, Side
    from openpyxl.utils import get_column_letter

    fill = PatternFill("solid", fgColor="DDEBF7")
    line = Side(style="thin", color="9BC2E6")
    for col, (text, width) in enumerate(zip(headers, widths, strict=True), start=1):
        cell = _put(sheet, 1, col, text)
        cell.font = Font(bold=True)
        cell.fill = fill
        cell.border = Border(bottom=line)
        cell.alignment = Alignment(wrap_text=True, vertical="center")
        sheet.column_dimensions[get_column_letter(col)].width = max(width, 6)
    tallest = max(lines_needed(h, w) for h, w in zip(headers, widths, strict=True))
    sheet.row_dimensions[1].height = LINE_HEIGHT * tallest + 4
    sheet.freeze_panes = freeze


def _table(
    sheet: Any,
    spec: list[Field],
    records: list[dict[str, Any]],
    title: str,
    data: ExportData,
    *,
    highlight: bool = False,
) -> None:
    from openpyxl.styles import Alignment, PatternFill

    _header(sheet, [f.header for f in spec], [f.width for f in spec], "C2")
    late = PatternFill("solid", fgColor="FFC7CE")
    risk = PatternFill("solid", fgColor="FFEB9C")
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    for row, record in enumerate(records, start=2):
        fill = None
        if highlight:
            fill = late if record["late"] else risk if record["at_risk"] else None
        tallest = 1
        for col, field in enumerate(spec, start=1):
            value = record[field.key]
            cell = _put(sheet, row, col, value, field.kind)
            cell.alignment = wrap if field.kind == "long" else top
            if field.kind == "long" and value:
                tallest = max(tallest, lines_needed(str(value), field.width))
            if fill is not None:
                cell.fill = fill
        sheet.row_dimensions[row].height = LINE_HEIGHT * tallest + 2
    _finish(sheet, len(records) + 1, len(spec), title, data)


def _finish(sheet: Any, last_row: int, count: int, title: str, data: ExportData) -> None:
    """Autofilter on the table, and a printable page: landscape carta, one page wide, the
    header row on every page, narrow margins, the grid printed."""
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(count)}{max(last_row, 1)}"
    setup = sheet.page_setup
    setup.orientation = "landscape"
    setup.paperSize = sheet.PAPERSIZE_LETTER
    setup.fitToWidth = 1
    setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.print_options.gridLines = True
    margins = sheet.page_margins
    margins.left = margins.right = 0.4
    margins.top = margins.bottom = 0.6
    margins.header = margins.footer = 0.3
    sheet.oddHeader.center.text = _print_text(title)
    sheet.oddFooter.left.text = _print_text(
        _("Plan {key} as of {date}").format(key=data.plan_key, date=data.as_of.isoformat())
    )
    sheet.oddFooter.right.text = "&P / &N"


def _print_text(text: str) -> str:
    # Excel refuses a header or footer longer than 255 characters; "&" starts its codes.
    text = _XML_ILLEGAL.sub(" ", " ".join(text.split()))
    return (text if len(text) <= 120 else text[:119] + "…").replace("&", "&&")


# ------------------------------------------------------------------------------ summary
def summary_fields() -> list[Field]:
    return [
        Field("area", _("Area"), "text", 7),
        Field("title", _("Title"), "long", 40),
        Field("items", _("Items"), "int", 10),
        *(Field(s, status_label(s, capital=True), "int", 11) for s in ITEM_STATUSES),
        Field("percent", _("Progress (%)"), "float", 10),
        Field("slip", _("Slip (working days)"), "slip", 11),
        Field("late", _("Late"), "int", 9),
        Field("at_risk", _("At risk"), "int", 9),
        Field("baseline_finish", _("Baseline finish"), "date", 11),
        Field("forecast_finish", _("Forecast finish"), "date", 11),
    ]


def _summary_values(summary: Summary, label: str, title: str) -> list[Any]:
    return [
        label,
        title,
        sum(summary.counts.values()),
        *(summary.counts.get(status, 0) for status in ITEM_STATUSES),
        summary.percent,
        summary.slip_days,
        summary.late,
        summary.at_risk,
        summary.baseline_finish,
        summary.forecast_finish,
    ]


def _summary_sheet(sheet: Any, data: ExportData) -> None:
    from openpyxl.styles import Alignment, Font

    spec = summary_fields()
    _header(sheet, [f.header for f in spec], [f.width for f in spec], "A2")
    rows: list[list[Any]] = []
    for group in data.forecast.groups:
        label = group.key or _("Milestones")
        title = group.title if group.key else _("Milestones")
        rows.append(_summary_values(group, label, title))
    rows.append(_summary_values(data.forecast.overall, _("Total"), plan_title(data.plan)))
    wrap = Alignment(vertical="top", wrap_text=True)
    for r, values in enumerate(rows, start=2):
        tallest = 1
        for c, (value, field) in enumerate(zip(values, spec, strict=True), 1):
            cell = _put(sheet, r, c, value, field.kind)
            cell.alignment = wrap if field.kind == "long" else Alignment(vertical="top")
            if field.kind == "long" and value:
                tallest = max(tallest, lines_needed(str(value), field.width))
            if r == len(rows) + 1:
                cell.font = Font(bold=True)
        sheet.row_dimensions[r].height = LINE_HEIGHT * tallest + 2
    info = len(rows) + 3
    for offset, (label, value) in enumerate(
        ((_("Plan"), data.plan_key), (_("As of"), data.as_of)), start=0
    ):
        _put(sheet, info + offset, 1, label).font = Font(bold=True)
        _put(sheet, info + offset, 2, value).alignment = Alignment(horizontal="left")
    _finish(sheet, len(rows) + 1, len(spec), plan_title(data.plan), data)


# ------------------------------------------------------------------------ communication
def comms_fields() -> list[Field]:
    return [
        Field("action", _("Action"), "long", 46),
        Field("channel", _("Channel"), "text", 14),
        Field("period_start", _("Period start"), "date", 11),
        Field("period_end", _("Period end"), "date", 11),
        Field("expected", _("Expected"), "int", 10),
        Field("done", _("Done"), "int", 10),
        Field("state", _("State"), "text", 12),
        Field("expected_so_far", _("Expected so far"), "int", 11),
        Field("done_so_far", _("Done so far"), "int", 11),
    ]


def _comms_sheet(sheet: Any, data: ExportData) -> None:
    records = [
        {
            "action": state.action or state.target,
            "channel": state.channel,
            "period_start": state.period_start,
            "period_end": state.period_end,
            "expected": state.expected,
            "done": state.done,
            "state": period_state_label(state.state),
            "expected_so_far": state.expected_so_far,
            "done_so_far": state.done_so_far,
            "late": False,
            "at_risk": False,
        }
        for state in data.comms
    ]
    title = _("Communication targets as of {date}").format(date=data.as_of.isoformat())
    _table(sheet, comms_fields(), records, title, data)
    sheet.freeze_panes = "B2"
