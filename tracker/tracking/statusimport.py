"""Bulk status update from a spreadsheet: every row checked, then all applied or none.

Columns (header row, English or Spanish, any case, `,` `;` or tab separated, BOM tolerated):
``id``, ``status``/``estado`` (required), ``percent``/``porcentaje``, ``date``/``fecha`` (when
it happened, default today), ``note``/``nota``, ``start``/``inicio``, ``finish``/``fin``
(corrections of the actual dates). A file written by ``tracker export csv`` is accepted as it
is: its other columns are ignored.

Each row is checked exactly as ``tracker set`` checks it (the same
:func:`tracker.tracking.transition.next_item_state`), against the state the rows above it
left. A row that fails is reported with its line; if any row failed the whole import raises
:class:`RowErrors` and the caller's transaction rolls back, so nothing is written. A row that
changes nothing is not recorded.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Container, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tracker.errors import InputError, RowErrors, TrackerError
from tracker.i18n import _
from tracker.plan.statuses import ITEM_STATUSES
from tracker.state.records import ITEM_FIELDS
from tracker.store.bulk import rows_by_id, update_rows
from tracker.store.history import Change, record_many
from tracker.store.models import ItemRow, PlanRow
from tracker.store.planstore import now
from tracker.tracking.csvdates import DAY_FIRST, DateCell, decide, parse_date, problem
from tracker.tracking.csvread import CsvTable, parse_table
from tracker.tracking.status import (
    Outcome,
    PlanIndex,
    effective_day,
    open_prerequisites,
    plan_index,
    prerequisites,
)
from tracker.tracking.transition import next_item_state, snapshot_of
from tracker.tracking.validate import check_actual_date

# check_date(item id, column as the file names it, value): InputError when out of range.
DateCheck = Callable[[str, str, date], None]
DATE_FIELDS = ("on", "start", "finish")

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


def parse_day(text: str, fmt: str = DAY_FIRST) -> date:
    """YYYY-MM-DD, or D/M/YYYY (M/D/YYYY when ``fmt`` says so)."""
    return parse_date(text, fmt)


def parse_percent(text: str) -> int:
    value = float(text.removesuffix("%").strip().replace(",", "."))
    if not value.is_integer():
        raise ValueError(text)
    return int(value)


def _unquote(text: str) -> str:
    # A cell our exports neutralised ('=...) comes back as the text it was.
    return text[1:] if text.startswith(_NEUTRALISED) else text


def _columns(table: CsvTable) -> list[str | None]:
    path, header = table.path, table.header
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
                f"{path}:{table.header_line}: "
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
    return columns


def parse_rows(
    path: str,
    text: str | CsvTable,
    known: Container[str],
    *,
    date_format: str | None = None,
    check_date: DateCheck | None = None,
) -> StatusFile:
    """Every row of the file, read and checked field by field against the plan's item ids
    ``known``; RowErrors lists every bad row as ``FILE:LINE: column: message``.

    ``text`` is the file's text or the table csvread made of it; ``date_format`` settles
    day/month dates the file itself does not settle (see tracker.tracking.csvdates);
    ``check_date(key, column, value)`` raises InputError for a date outside the plan's
    window."""
    table = text if isinstance(text, CsvTable) else parse_table(path, text)
    columns = _columns(table)
    names = {
        **FIELD_NAMES,
        **{c: h.strip() for h, c in zip(table.header, columns, strict=True) if c},
    }
    records = [
        (row.line, {c: _unquote(v.strip()) for c, v in zip(columns, row.cells, strict=True) if c})
        for row in table.rows
    ]
    fmt = decide(
        path,
        [
            DateCell(line, names[name], cells[name])
            for line, cells in records
            for name in DATE_FIELDS
            if cells.get(name)
        ],
        date_format,
    )
    rows: list[StatusRow] = []
    errors: list[str] = []
    first_line: dict[str, int] = {}
    for line, cells in records:
        where = f"{path}:{line}"

        def bad(name: str, message: str, where: str = where) -> None:
            errors.append(f"{where}: {names[name]}: {message}")

        row = StatusRow(line, cells.get("key", ""), fold(cells.get("status", "")).replace(" ", "_"))
        row.note = cells.get("note", "")
        before = len(errors)
        if not row.key:
            bad("key", _("the item id is missing"))
        elif row.key not in known:
            bad("key", _("unknown item {id}").format(id=row.key))
        elif row.key in first_line:
            bad(
                "key",
                _("{id} is also on line {line}: one row per item").format(
                    id=row.key, line=first_line[row.key]
                ),
            )
        else:
            first_line[row.key] = line
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
        for name in DATE_FIELDS:
            if not cells.get(name):
                continue
            try:
                value = parse_date(cells[name], fmt)
            except ValueError:
                bad(name, problem(cells[name], fmt))
                continue
            if check_date is not None:
                try:
                    check_date(row.key, names[name], value)
                except InputError as err:
                    bad(name, str(err))
                    continue
            setattr(row, name, value)
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
    session: Session,
    plan_row: PlanRow,
    parsed: StatusFile,
    *,
    index: PlanIndex,
    author: str,
    today: date,
) -> ImportResult:
    """Apply every row in order, each checked as ``tracker set`` checks it (the same
    tracker.tracking.transition.next_item_state) against the state the rows above it left;
    RowErrors, and nothing written, if one is refused. A row that changes nothing is not recorded.

    The items are read and locked together, written in one executemany and their changes
    recorded in another (tracker.store.bulk): a statement or five per row made an import of
    10,000 rows take 20 s on PostgreSQL. ``index``: the plan's, read once (plan_index)."""
    names = parsed.names
    ids = index.item_ids
    items = _locked_items(session, plan_row, [ids[r.key] for r in parsed.rows if r.key in ids])
    waits, statuses = prerequisites(
        session,
        plan_row,
        {
            row.key: items[row.key].depends_on
            for row in parsed.rows
            if row.status == "completada" and row.key in items
        },
        index,
    )
    stamp = now()
    result = ImportResult()
    errors: list[str] = []
    updates: dict[str, dict[str, Any]] = {}
    changes: list[Change] = []
    for row in parsed.rows:
        where = f"{parsed.path}:{row.line}"
        item = items.get(row.key)
        if item is None:  # archived (or gone) since the file was checked
            errors.append(
                f"{where}: {names['key']}: "
                + _("unknown item {id} in plan {plan}").format(id=row.key, plan=plan_row.key)
            )
            continue
        # No date given: a stated start or finish says when, else the import day.
        stated = row.on or (None if row.start or row.finish else today)
        try:
            values = next_item_state(
                row.key,
                dict(item.values),
                row.status,
                on=stated or today,
                stated=stated,
                percent=row.percent,
                note=row.note,
                start=row.start,
                finish=row.finish,
                window=(plan_row.period_start, plan_row.period_end, today),
            )
        except TrackerError as err:
            # What next_item_state refuses beyond the checks of parse_rows is the order of the
            # dates once the item's own dates are taken into account.
            column = "finish" if row.finish else "start" if row.start else "on"
            errors.append(f"{where}: {names[column]}: {err}")
            continue
        before, after = snapshot_of(item.values), snapshot_of(values)
        if before == after:
            result.unchanged.append(row.key)  # nothing to record
            continue
        warnings = (
            open_prerequisites(row.key, waits[row.key], statuses)
            if row.status == "completada"
            else []
        )
        statuses[row.key] = row.status  # the rows below see it
        item.values = values
        updates[row.key] = {
            "id": item.id,
            "version": item.version,
            **values,
            "updated_at": stamp,
            "updated_by": author,
        }
        result.changed.append(Outcome(row.key, before, after, warnings))
        changes.append(
            (
                "item",
                row.key,
                "status",
                before,
                after,
                row.note,
                None,
                effective_day(row.status, stated or today, stated, row.start, row.finish),
            )
        )
    if errors:
        raise RowErrors(errors)
    table: Any = ItemRow.__table__
    update_rows(session, table, list(updates.values()), versioned=True)
    for outcome, change_id in zip(
        result.changed, record_many(session, plan_row, author, changes), strict=True
    ):
        outcome.change_id = change_id
    return result


@dataclass(slots=True)
class _Item:
    id: int
    version: int
    depends_on: list[Any]
    values: dict[str, Any]  # the tracked fields (ITEM_FIELDS)


def _locked_items(session: Session, plan_row: PlanRow, ids: list[int]) -> dict[str, _Item]:
    """The items of ``plan_row`` with these ids and not archived, locked, by key."""
    table: Any = ItemRow.__table__
    columns = ("plan_id", "archived", "key", "id", "version", "depends_on", *ITEM_FIELDS)
    return {
        row["key"]: _Item(
            row["id"],
            row["version"],
            row["depends_on"],
            {name: row[name] for name in ITEM_FIELDS},
        )
        for row in rows_by_id(session, table, columns, ids, lock=True)
        if row["plan_id"] == plan_row.id and not row["archived"]
    }


def date_check(plan_row: PlanRow, today: date) -> DateCheck:
    """The write-boundary rule for actual dates, for one plan."""

    def check(key: str, column: str, value: date) -> None:
        check_actual_date(plan_row.period_start, plan_row.period_end, today, key, column, value)

    return check


def import_status_csv(
    session: Session,
    plan_row: PlanRow,
    path: str,
    text: str | CsvTable,
    *,
    author: str,
    today: date,
    date_format: str | None = None,
) -> ImportResult:
    """Check the whole file, then apply it in the caller's transaction (all rows or none)."""
    index = plan_index(session, plan_row)
    parsed = parse_rows(
        path, text, index.item_ids, date_format=date_format, check_date=date_check(plan_row, today)
    )
    return apply_rows(session, plan_row, parsed, index=index, author=author, today=today)


def import_status_file(
    sessions: sessionmaker[Session],
    plan_key: str | None,
    table: CsvTable,
    *,
    author: str,
    today: date,
    date_format: str | None = None,
) -> ImportResult:
    """Check the whole file, then apply it as one import in batches (see
    tracker.tracking.importlog): all rows or none, undone as a whole by ``tracker undo``."""
    from tracker.store.planstore import find_plan
    from tracker.store.session import transaction
    from tracker.tracking.importlog import Batch, run_batches

    # Read what the check needs in a short transaction, then check the file outside it (a
    # transaction holds SQLite's write lock).
    def read(session: Session) -> tuple[PlanIndex, date, date]:
        plan_row = find_plan(session, plan_key)
        return plan_index(session, plan_row), plan_row.period_start, plan_row.period_end

    index, plan_start, plan_end = transaction(sessions, read)

    def check_date(key: str, column: str, value: date) -> None:
        check_actual_date(plan_start, plan_end, today, key, column, value)

    parsed = parse_rows(
        table.path, table, index.item_ids, date_format=date_format, check_date=check_date
    )

    def apply(session: Session, plan_row: PlanRow, rows: Sequence[StatusRow]) -> Batch:
        part = StatusFile(parsed.path, list(rows), parsed.names)
        result = apply_rows(session, plan_row, part, index=index, author=author, today=today)
        return Batch([o.change_id for o in result.changed if o.change_id is not None], result)

    result = ImportResult()
    for part in run_batches(
        sessions,
        plan_key,
        author=author,
        path=table.path,
        kind="status",
        rows=parsed.rows,
        apply=apply,
    ):
        if part is not None:
            result.changed += part.changed
            result.unchanged += part.unchanged
    return result
