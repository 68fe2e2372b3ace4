"""The plan's state as a spreadsheet: an XLSX workbook for the team and a flat CSV.

The workbook has a summary sheet, one sheet per area, per stage and for the milestones (every
item with its status, percent, baseline, forecast and actual dates, slippage, flags, roles,
working group and allies) and a sheet with the communication check. Dates are real dates,
numbers are numbers; text that comes from the plan or the log is neutralised so that no cell
of ours is ever taken for a formula (OWASP "CSV injection").
"""

from __future__ import annotations

import csv
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

from tracker.exporters.common import ExportData
from tracker.exporters.output import write_atomically
from tracker.i18n import _
from tracker.plan.model import Item
from tracker.plan.statuses import ITEM_STATUSES
from tracker.state.forecast import ItemForecast, Summary

# A cell starting with one of these is a formula (or becomes one) in Excel or LibreOffice; the
# full-width forms are folded to the ASCII ones by some spreadsheet imports.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
DATE_FORMAT = "dd/mm/yyyy"
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters an XLSX file cannot hold (openpyxl refuses them).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")
COMM_STATE_LABELS = {"en_curso": "en curso", "proxima": "próxima"}


@dataclass(frozen=True, slots=True)
class Column:
    key: str
    header: str
    kind: str  # text | long | date | int | flag
    width: int


def _identity(text: str) -> str:
    return text


def columns(_: Callable[[str], str] = _) -> tuple[Column, ...]:
    """The columns of every item sheet and of the CSV, in order, with headers translated by
    ``_`` (the current language unless told). ``tracker import csv`` accepts a CSV with these
    headers: it reads ID, status, percent, note and the actual dates, and skips the rest."""
    return (
        Column("id", _("ID"), "text", 8),
        Column("kind", _("Type"), "text", 10),
        Column("area", _("Area"), "text", 6),
        Column("title", _("Title"), "long", 48),
        Column("status", _("Status"), "text", 12),
        Column("percent", _("Percent"), "int", 11),
        Column("note", _("Note"), "long", 30),
        Column("baseline_start", _("Baseline start"), "date", 12),
        Column("baseline_finish", _("Baseline finish"), "date", 12),
        Column("forecast_start", _("Forecast start"), "date", 12),
        Column("forecast_finish", _("Forecast finish"), "date", 12),
        Column("actual_start", _("Actual start"), "date", 12),
        Column("actual_finish", _("Actual finish"), "date", 12),
        Column("slip_days", _("Slip (working days)"), "int", 11),
        Column("late", _("Late"), "flag", 9),
        Column("at_risk", _("At risk"), "flag", 9),
        Column("critical", _("Critical path"), "flag", 9),
        Column("lead", _("Lead"), "long", 28),
        Column("support", _("Support"), "long", 28),
        Column("supervision", _("Supervision"), "long", 24),
        Column("other_roles", _("Other roles"), "long", 30),
        Column("working_group", _("Working group"), "long", 30),
        Column("allies", _("Allies"), "long", 30),
    )


COLUMNS = columns(_identity)  # keys, kinds and the English headers


def column_headers() -> list[str]:
    return [c.header for c in columns()]


def neutralise(text: str) -> str:
    """``text`` made safe for a spreadsheet cell: a leading formula character gets a ``'``."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _kind_label(kind: str) -> str:
    labels = {"task": _("task"), "activity": _("activity"), "milestone": _("milestone")}
    return labels.get(kind, kind)


def _people(names: list[str]) -> str:
    return "; ".join(names)


def _roles(item: Item | None) -> dict[str, str]:
    """Lead, support and supervision as the plan writes them; every other role by name."""
    found: dict[str, list[str]] = {"lidera": [], "apoya": [], "supervisa": [], "": []}
    for role in item.roles if item else []:
        who = f"{role.who} ({role.note})" if role.note else role.who
        if role.role in found:
            found[role.role].append(who)
        else:
            found[""].append(f"{role.role}: {who}")
    return {
        "lead": _people(found["lidera"]),
        "support": _people(found["apoya"]),
        "supervision": _people(found["supervisa"]),
        "other_roles": _people(found[""]),
    }


def item_record(forecast: ItemForecast, item: Item | None) -> dict[str, Any]:
    """One item's row with typed values (dates, ints, bools; text not yet neutralised)."""
    record: dict[str, Any] = {
        "id": forecast.key,
        "kind": _kind_label(forecast.kind),
        "area": forecast.group,
        "title": forecast.title,
        "status": forecast.status,
        "percent": forecast.percent,
        "note": forecast.reason,
        "baseline_start": forecast.baseline_start,
        "baseline_finish": forecast.baseline_finish,
        "forecast_start": forecast.forecast_start,
        "forecast_finish": forecast.forecast_finish,
        "actual_start": forecast.actual_start,
        "actual_finish": forecast.actual_finish,
        "slip_days": forecast.slip_days,
        "late": forecast.late,
        "at_risk": forecast.at_risk,
        "critical": forecast.critical,
        "working_group": _people(item.working_group) if item else "",
        "allies": _people(item.allies) if item else "",
    }
    record.update(_roles(item))
    if not record["lead"]:
        record["lead"] = forecast.lead
    return record


def item_records(data: ExportData) -> list[dict[str, Any]]:
    return [item_record(i, data.plan.items.get(i.key)) for i in data.forecast.items]


@dataclass(slots=True)
class SheetGroup:
    key: str
    title: str
    records: list[dict[str, Any]]


def sheet_groups(data: ExportData) -> list[SheetGroup]:
    """Areas, then stages, then the milestones, then any other group, in plan order."""
    records = item_records(data)
    order: dict[str, str] = {a.id: a.title for a in data.plan.areas}
    order.update({s.id: s.title for s in data.plan.stages})
    order[""] = _("Milestones")
    for record in records:
        order.setdefault(record["area"], data.plan.group_title(record["area"]))
    groups = [
        SheetGroup(key, title, [r for r in records if r["area"] == key])
        for key, title in order.items()
    ]
    return [g for g in groups if g.records]


def sheet_name(text: str, used: set[str]) -> str:
    """A valid, unique Excel sheet name: at most 31 characters, none of []:*?/\\, not
    starting or ending with an apostrophe, not the reserved "History"."""
    name = " ".join(_SHEET_FORBIDDEN.sub(" ", _XML_ILLEGAL.sub(" ", text)).split()).strip("'")
    name = name or "-"
    if name.casefold() == "history":
        name += " 1"

    def fit(base: str, suffix: str = "") -> str:
        room = SHEET_NAME_MAX - len(suffix)
        if len(base) > room:
            base = base[: room - 1].rstrip(" '") + "…"
        return base + suffix

    candidate, n = fit(name), 1
    while candidate.casefold() in used:
        n += 1
        candidate = fit(name, f" ({n})")
    used.add(candidate.casefold())
    return candidate


# ---------------------------------------------------------------------------------- CSV


def _csv_value(column: Column, value: Any) -> str:
    if value is None:
        return ""
    if column.kind == "flag":
        return _("yes") if value else _("no")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, int):
        return str(value)
    return neutralise(str(value))


def write_csv(data: ExportData, path: str | Path, *, force: bool = False) -> int:
    """Every item in one CSV (UTF-8 with BOM, comma-separated); returns the number of rows.
    An existing file is replaced only under ``force`` (see tracker.exporters.output)."""
    records = item_records(data)

    def write(target: Path) -> None:
        with target.open("w", encoding="utf-8-sig", newline="") as fh:
            writer = csv.writer(fh, quoting=csv.QUOTE_MINIMAL)
            writer.writerow([neutralise(h) for h in column_headers()])
            for record in records:
                writer.writerow([_csv_value(c, record[c.key]) for c in COLUMNS])

    write_atomically(Path(path), write, force=force)
    return len(records)


# --------------------------------------------------------------------------------- XLSX


def _cell_text(text: str) -> str:
    return neutralise(_XML_ILLEGAL.sub(lambda m: f"\\u{ord(m.group()):04x}", text))


def write_xlsx(data: ExportData, path: str | Path, *, force: bool = False) -> list[str]:
    """The workbook; returns its sheet names in order."""
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.properties.title = _cell_text(data.plan.meta.title)
    workbook.properties.creator = "resiliencia-tracker"
    used: set[str] = set()
    summary = workbook.active
    summary.title = sheet_name(_("Summary"), used)
    groups = sheet_groups(data)
    _summary_sheet(summary, data)
    for group in groups:
        label = group.title if group.key == "" else f"{group.key} {group.title}"
        sheet = workbook.create_sheet(sheet_name(label, used))
        _items_sheet(sheet, group, data)
    comms = workbook.create_sheet(sheet_name(_("Communication"), used))
    _comms_sheet(comms, data)
    write_atomically(Path(path), lambda target: workbook.save(target), force=force)
    return list(workbook.sheetnames)


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
    sheet.row_dimensions[1].height = 32
    sheet.freeze_panes = freeze


def _finish(sheet: Any, last_row: int, columns: int, title: str, data: ExportData) -> None:
    """Autofilter on the table, and a printable page (landscape, one page wide)."""
    from openpyxl.utils import get_column_letter

    sheet.auto_filter.ref = f"A1:{get_column_letter(columns)}{max(last_row, 1)}"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = "1:1"
    sheet.oddHeader.center.text = _print_text(title)
    sheet.oddFooter.left.text = _print_text(
        _("Plan {key} as of {date}").format(key=data.plan_key, date=data.as_of.isoformat())
    )
    sheet.oddFooter.right.text = "&P / &N"


def _print_text(text: str) -> str:
    # Excel refuses a header or footer longer than 255 characters; "&" starts its codes.
    text = _XML_ILLEGAL.sub(" ", " ".join(text.split()))
    return (text if len(text) <= 120 else text[:119] + "…").replace("&", "&&")


def _widths(records: list[dict[str, Any]]) -> list[int]:
    """Each column as wide as its content needs, within its kind's limit."""
    widths = []
    for column in columns():
        longest = max(
            (len(str(r[column.key] or "")) for r in records if column.kind in ("text", "long")),
            default=0,
        )
        if column.kind in ("text", "long"):
            widths.append(min(max(longest + 2, len(column.header) // 2 + 2, 6), column.width))
        else:
            widths.append(column.width)
    return widths


def _items_sheet(sheet: Any, group: SheetGroup, data: ExportData) -> None:
    from openpyxl.styles import Alignment, PatternFill

    _header(sheet, column_headers(), _widths(group.records), "B2")
    late = PatternFill("solid", fgColor="FFC7CE")
    risk = PatternFill("solid", fgColor="FFEB9C")
    top = Alignment(vertical="top")
    wrap = Alignment(vertical="top", wrap_text=True)
    for row, record in enumerate(group.records, start=2):
        fill = late if record["late"] else risk if record["at_risk"] else None
        for col, column in enumerate(COLUMNS, start=1):
            kind = "slip" if column.key == "slip_days" else column.kind
            cell = _put(sheet, row, col, record[column.key], kind)
            cell.alignment = wrap if column.kind == "long" else top
            if fill is not None:
                cell.fill = fill
    title = group.title if group.key == "" else f"{group.key} · {group.title}"
    _finish(sheet, len(group.records) + 1, len(COLUMNS), title, data)


def summary_columns(_: Callable[[str], str] = _) -> tuple[tuple[str, str, int], ...]:
    """(header, kind, width) of the summary sheet. The status names are the values of the
    Status column (and of `tracker set`): they stay as they are."""
    return (
        (_("Area"), "text", 8),
        (_("Title"), "long", 50),
        (_("Items"), "int", 10),
        *((status, "int", 11) for status in ITEM_STATUSES),
        (_("Progress (%)"), "float", 11),
        (_("Slip (working days)"), "slip", 11),
        (_("Late"), "int", 9),
        (_("At risk"), "int", 9),
        (_("Baseline finish"), "date", 12),
        (_("Forecast finish"), "date", 12),
    )


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

    spec = summary_columns()
    _header(sheet, [h for h, _k, _w in spec], [w for _h, _k, w in spec], "A2")
    rows: list[list[Any]] = []
    for group in data.forecast.groups:
        label = group.key or _("Milestones")
        title = group.title if group.key else _("Milestones")
        rows.append(_summary_values(group, label, title))
    rows.append(_summary_values(data.forecast.overall, _("Total"), data.plan.meta.title))
    wrap = Alignment(vertical="top", wrap_text=True)
    for r, values in enumerate(rows, start=2):
        for c, (value, (_h, kind, _w)) in enumerate(zip(values, spec, strict=True), 1):
            cell = _put(sheet, r, c, value, kind)
            cell.alignment = wrap if kind == "long" else Alignment(vertical="top")
            if r == len(rows) + 1:
                cell.font = Font(bold=True)
    info = len(rows) + 3
    for offset, (label, value) in enumerate(
        ((_("Plan"), data.plan_key), (_("As of"), data.as_of)), start=0
    ):
        _put(sheet, info + offset, 1, label).font = Font(bold=True)
        _put(sheet, info + offset, 2, value).alignment = Alignment(horizontal="left")
    _finish(sheet, len(rows) + 1, len(spec), data.plan.meta.title, data)


def comms_columns(_: Callable[[str], str] = _) -> tuple[tuple[str, str, int], ...]:
    return (
        (_("Target"), "text", 26),
        (_("Action"), "long", 44),
        (_("Channel"), "text", 14),
        (_("Period start"), "date", 12),
        (_("Period end"), "date", 12),
        (_("Expected"), "int", 10),
        (_("Done"), "int", 10),
        (_("State"), "text", 12),
        (_("Expected so far"), "int", 11),
        (_("Done so far"), "int", 11),
    )


def _comms_sheet(sheet: Any, data: ExportData) -> None:
    from openpyxl.styles import Alignment

    spec = comms_columns()
    _header(sheet, [h for h, _k, _w in spec], [w for _h, _k, w in spec], "B2")
    wrap = Alignment(vertical="top", wrap_text=True)
    for r, state in enumerate(data.comms, start=2):
        values = [
            state.target,
            state.action,
            state.channel,
            state.period_start,
            state.period_end,
            state.expected,
            state.done,
            COMM_STATE_LABELS.get(state.state, state.state),
            state.expected_so_far,
            state.done_so_far,
        ]
        for c, (value, (_h, kind, _w)) in enumerate(zip(values, spec, strict=True), 1):
            cell = _put(sheet, r, c, value, kind)
            cell.alignment = wrap if kind == "long" else Alignment(vertical="top")
    title = _("Communication targets as of {date}").format(date=data.as_of.isoformat())
    _finish(sheet, len(data.comms) + 1, len(spec), title, data)
