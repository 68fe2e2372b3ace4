"""Bulk status update from a spreadsheet: every row checked, then all applied or none.

Columns (header row, English or Spanish, any case, `,` `;` or tab separated, BOM tolerated):
``id``, ``status``/``estado`` (required), ``percent``/``porcentaje``, ``date``/``fecha`` (when
it happened, default today), ``note``/``nota``, ``start``/``inicio``, ``finish``/``fin``
(corrections of the actual dates). A file written by ``tracker export csv`` is accepted as it
is: its other columns are ignored.

Each row is applied with :func:`tracker.tracking.status.set_item_status` inside a savepoint of the
caller's transaction, so a row is checked exactly as ``tracker set`` checks it, against the
state the rows above it left. A row that fails is rolled back and reported with its line; if
any row failed the whole import raises :class:`RowErrors` and the caller's transaction rolls
back, so nothing is written. A row that changes nothing is rolled back too and not recorded.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from tracker.errors import RowErrors, TrackerError, UnknownItemError
from tracker.i18n import _
from tracker.plan.statuses import ITEM_STATUSES
from tracker.store.models import ItemRow, PlanRow
from tracker.tracking.status import Outcome, set_item_status

# Header (folded: lower case, no accents, single spaces) -> field.
HEADERS = {
    "id": "key",
    "status": "status",
    "estado": "status",
    "percent": "percent",
    "porcentaje": "percent",
    "%": "percent",
    "date": "on",
    "fecha": "on",
    "note": "note",
    "nota": "note",
    "start": "start",
    "inicio": "start",
    "actual start": "start",
    "inicio real": "start",
    "finish": "finish",
    "fin": "finish",
    "actual finish": "finish",
    "fin real": "finish",
}
REQUIRED = ("key", "status")
# What the messages call each field when the file has no column for it.
FIELD_NAMES = {
    "key": "id",
    "status": "status",
    "percent": "percent",
    "on": "date",
    "note": "note",
    "start": "start",
    "finish": "finish",
}
_DMY = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
_NEUTRALISED = ("'=", "'+", "'-", "'@", "'\t", "'\r")


@dataclass(slots=True)
class StatusRow:
    line: int
    key: str
    status: str
    percent: int | None = None
    on: date | None = None
    note: str = ""
    start: date | None = None
    finish: date | None = None


@dataclass(slots=True)
class StatusFile:
    path: str
    rows: list[StatusRow]
    names: dict[str, str]  # field -> its column as the file names it


@dataclass(slots=True)
class ImportResult:
    changed: list[Outcome] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)

    @property
    def warnings(self) -> list[str]:
        return [w for o in self.changed for w in o.warnings]


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.strip().casefold())
    return " ".join("".join(c for c in decomposed if not unicodedata.combining(c)).split())


@cache
def _export_headers() -> frozenset[str]:
    """The headers ``tracker export csv`` writes, in English and in Spanish."""
    from tracker.exporters.sheets import COLUMNS, columns
    from tracker.i18n import parse_po

    catalog_path = Path(__file__).parents[1] / "locale" / "es.po"
    spanish = parse_po(catalog_path.read_text(encoding="utf-8")) if catalog_path.exists() else {}
    english = [c.header for c in COLUMNS]
    translated = [c.header for c in columns(lambda text: spanish.get(text, text))]
    return frozenset(fold(name) for name in english + translated)


def parse_day(text: str) -> date:
    """YYYY-MM-DD, or DD/MM/YYYY as the team's spreadsheets show dates."""
    match = _DMY.fullmatch(text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return date(year, month, day)
    if len(text) != 10:
        raise ValueError(text)
    return date.fromisoformat(text)


def parse_percent(text: str) -> int:
    value = float(text.removesuffix("%").strip().replace(",", "."))
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def _unquote(text: str) -> str:
    # A cell our exports neutralised ('=...) comes back as the text it was.
    return text[1:] if text.startswith(_NEUTRALISED) else text


def parse_rows(path: str, text: str, known: set[str]) -> StatusFile:
    """Every row of the file, read and checked field by field against the plan's item ids
    ``known``; RowErrors lists every bad row as ``FILE:LINE: column: message``."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count) if first.strip() else ","
    reader = csv.reader(io.StringIO(text), delimiter=delimiter)
    try:
        header = next(reader)
    except StopIteration:
        raise RowErrors([f"{path}:1: " + _("the file is empty")]) from None
    ignorable = _export_headers()
    columns = [HEADERS.get(fold(h)) for h in header]
    unknown = [
        h.strip()
        for h, c in zip(header, columns, strict=True)
        if c is None and h.strip() and fold(h) not in ignorable
    ]
    missing = [FIELD_NAMES[name] for name in REQUIRED if name not in columns]
    repeated = sorted({FIELD_NAMES[c] for c in columns if c and columns.count(c) > 1})
    if unknown or missing or repeated:
        raise RowErrors(
            [
                f"{path}:1: "
                + _(
                    "the header must name the columns id and status (and optionally percent, "
                    "date, note, start, finish); unknown: {unknown}; missing: {missing}; "
                    "repeated: {repeated}"
                ).format(
                    unknown=", ".join(unknown) or "-",
                    missing=", ".join(missing) or "-",
                    repeated=", ".join(repeated) or "-",
                )
            ]
        )
    names = {**FIELD_NAMES, **{c: h.strip() for h, c in zip(header, columns, strict=True) if c}}
    rows: list[StatusRow] = []
    errors: list[str] = []
    for values in reader:
        line = reader.line_num
        if not any(v.strip() for v in values):
            continue
        where = f"{path}:{line}"

        def bad(name: str, message: str, where: str = where) -> None:
            errors.append(f"{where}: {names[name]}: {message}")

        if len(values) > len(header) and any(v.strip() for v in values[len(header) :]):
            errors.append(
                f"{where}: "
                + _(
                    "{found} values for {expected} columns: quote any value that contains "
                    "the separator {sep!r}"
                ).format(found=len(values), expected=len(header), sep=delimiter)
            )
            continue
        cells = {c: _unquote(v.strip()) for c, v in zip(columns, values, strict=False) if c}
        row = StatusRow(line, cells.get("key", ""), fold(cells.get("status", "")).replace(" ", "_"))
        row.note = cells.get("note", "")
        before = len(errors)
        if not row.key:
            bad("key", _("the item id is missing"))
        elif row.key not in known:
            bad("key", _("unknown item {id}").format(id=row.key))
        if row.status not in ITEM_STATUSES:
            bad(
                "status",
                _("unknown status {status!r}; use one of: {values}").format(
                    status=cells.get("status", ""), values=", ".join(ITEM_STATUSES)
                ),
            )
        elif row.status == "bloqueada" and not row.note:
            bad("note", _("a blocked item needs a reason in the note column"))
        if cells.get("percent"):
            try:
                row.percent = parse_percent(cells["percent"])
            except ValueError:
                bad(
                    "percent",
                    _("percent must be a whole number from 0 to 100, not {value!r}").format(
                        value=cells["percent"]
                    ),
                )
            else:
                if not 0 <= row.percent <= 100:
                    bad(
                        "percent",
                        _("percent must be between 0 and 100, not {value}").format(
                            value=row.percent
                        ),
                    )
        for name in ("on", "start", "finish"):
            if cells.get(name):
                try:
                    setattr(row, name, parse_day(cells[name]))
                except ValueError:
                    bad(
                        name,
                        _("invalid date {value!r} (expected YYYY-MM-DD or DD/MM/YYYY)").format(
                            value=cells[name]
                        ),
                    )
        if row.start and row.finish and row.finish < row.start:
            bad(
                "finish",
                _("the finish date {finish} is before the start date {start}").format(
                    finish=row.finish, start=row.start
                ),
            )
        if len(errors) == before:
            rows.append(row)
    if errors:
        raise RowErrors(errors)
    return StatusFile(path, rows, names)


def apply_rows(
    session: Session, plan_row: PlanRow, parsed: StatusFile, *, author: str, today: date
) -> ImportResult:
    """Apply every row in order, each in a savepoint; RowErrors (and nothing kept) if one
    is refused. The caller's transaction must roll back on RowErrors."""
    names = parsed.names
    result = ImportResult()
    errors: list[str] = []
    for row in parsed.rows:
        where = f"{parsed.path}:{row.line}"
        savepoint = session.begin_nested()
        try:
            outcome = set_item_status(
                session,
                plan_row,
                row.key,
                row.status,
                # No date given: a stated start or finish says when, else the import day.
                on=row.on or (None if row.start or row.finish else today),
                author=author,
                percent=row.percent,
                note=row.note,
                start=row.start,
                finish=row.finish,
            )
        except UnknownItemError as err:
            savepoint.rollback()
            errors.append(f"{where}: {names['key']}: {err}")
            continue
        except TrackerError as err:
            savepoint.rollback()
            # What set_item_status refuses beyond the checks of parse_rows is the order of
            # the dates once the item's own dates are taken into account.
            column = "finish" if row.finish else "start" if row.start else "on"
            errors.append(f"{where}: {names[column]}: {err}")
            continue
        if outcome.before == outcome.after:
            savepoint.rollback()  # nothing to record
            result.unchanged.append(row.key)
        else:
            savepoint.commit()
            result.changed.append(outcome)
    if errors:
        raise RowErrors(errors)
    return result


def item_keys(session: Session, plan_row: PlanRow) -> set[str]:
    return set(
        session.scalars(
            select(ItemRow.key).where(ItemRow.plan_id == plan_row.id, ItemRow.archived.is_(False))
        )
    )


def import_status_csv(
    session: Session, plan_row: PlanRow, path: str, text: str, *, author: str, today: date
) -> ImportResult:
    """Check the whole file, then apply it in the caller's transaction (all rows or none)."""
    parsed = parse_rows(path, text, item_keys(session, plan_row))
    return apply_rows(session, plan_row, parsed, author=author, today=today)
