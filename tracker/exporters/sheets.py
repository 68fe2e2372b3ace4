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
from tracker.state.forecast import ItemForecast

# A cell starting with one of these is a formula (or becomes one) in Excel or LibreOffice; the
# full-width forms are folded to the ASCII ones by some spreadsheet imports.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "\uff1d", "\uff0b", "\uff0d", "\uff20")
SHEET_NAME_MAX = 31
_SHEET_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")
# Control characters an XLSX file cannot hold (openpyxl refuses them).
_XML_ILLEGAL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f]")


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


def csv_rows(data: ExportData) -> list[list[str]]:
    """The header and the rows ``export csv`` writes: exactly what ``import csv`` reads."""
    rows = [[neutralise(h) for h in column_headers()]]
    rows += [[_csv_value(c, r[c.key]) for c in COLUMNS] for r in item_records(data)]
    return rows


def write_csv(data: ExportData, path: str | Path, *, force: bool = False) -> int:
    """Every item in one CSV (UTF-8 with BOM, comma-separated); returns the number of rows.
    An existing file is replaced only under ``force`` (see tracker.exporters.output)."""
    rows = csv_rows(data)

    def write(target: Path) -> None:
        with target.open("w", encoding="utf-8-sig", newline="") as fh:
            csv.writer(fh, quoting=csv.QUOTE_MINIMAL).writerows(rows)

    write_atomically(Path(path), write, force=force)
    return len(rows) - 1


# --------------------------------------------------------------------------------- XLSX
