"""The communication log: activities validated against the plan, every change recorded."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.comms.check import Activity
from tracker.errors import InputError, RowErrors
from tracker.i18n import _
from tracker.plan.model import Communication, Plan
from tracker.state.asof import local_today
from tracker.state.records import COMMS_FIELDS
from tracker.store.bulk import insert_rows, new_ids
from tracker.store.history import Change, record, record_many
from tracker.store.models import CommActivityRow, PlanRow
from tracker.store.planstore import now
from tracker.tracking.csvdates import DateCell, decide, parse_date
from tracker.tracking.csvdates import problem as cell_date_problem
from tracker.tracking.csvread import CsvTable, parse_table
from tracker.tracking.importlog import Batch
from tracker.tracking.status import check_version
from tracker.tracking.transition import snapshot, snapshot_of
from tracker.tracking.validate import date_problem

FIELDS = ("day", "channel", "targets", "title", "quantity", "link", "note")
# Spreadsheet headers, English or Spanish, to our field names.
HEADERS = {
    "date": "day",
    "fecha": "day",
    "channel": "channel",
    "canal": "channel",
    "target": "targets",
    "targets": "targets",
    "meta": "targets",
    "metas": "targets",
    "title": "title",
    "titulo": "title",
    "título": "title",
    "qty": "quantity",
    "quantity": "quantity",
    "cantidad": "quantity",
    "link": "link",
    "enlace": "link",
    "evidencia": "link",
    "note": "note",
    "nota": "note",
}
REQUIRED = ("day", "channel", "targets", "title")
ActivityKey = tuple[date, str, tuple[str, ...], str]


@dataclass(slots=True)
class ActivityInput:
    day: date
    channel: str
    targets: list[str]
    title: str
    quantity: int = 1
    link: str = ""
    note: str = ""
    problems: list[tuple[str, str]] = field(default_factory=list)
    line: int = 0  # in the CSV it came from


def communication_of(plan: Plan) -> Communication:
    if plan.communication is None:
        raise InputError(_("plan {key} has no communication plan").format(key=plan.meta.id))
    return plan.communication


def problems(plan: Plan, data: ActivityInput, today: date | None = None) -> list[tuple[str, str]]:
    """(field, message) for everything wrong with ``data``; empty when it can be saved."""
    comm = communication_of(plan)
    found: list[tuple[str, str]] = []
    channels = {c.id for c in comm.channels}
    targets = {t.id: t for t in comm.targets}
    if data.day not in plan.meta.period:
        found.append(
            (
                "date",
                _("{day} is outside the plan period {start} – {end}").format(
                    day=data.day, start=plan.meta.period.start, end=plan.meta.period.end
                ),
            )
        )
    else:  # inside the period, but maybe not yet happened
        late = date_problem(
            plan.meta.period.start,
            plan.meta.period.end,
            today or local_today(),
            data.title.strip() or _("new activity"),
            "day",
            data.day,
        )
        if late is not None:
            found.append(("date", late))
    if data.channel not in channels:
        found.append(
            (
                "channel",
                _("unknown channel {id}; the plan's channels: {ids}").format(
                    id=data.channel, ids=", ".join(sorted(channels))
                ),
            )
        )
    if not data.targets:
        found.append(("target", _("name at least one target")))
    for key in data.targets:
        target = targets.get(key)
        if target is None:
            found.append(
                (
                    "target",
                    _("unknown target {id}; see `tracker comms check` for the targets").format(
                        id=key
                    ),
                )
            )
        elif data.channel in channels and data.channel not in target.channels:
            found.append(
                (
                    "channel",
                    _(
                        "channel {channel} does not count toward target {id} (its channels: {ids})"
                    ).format(channel=data.channel, id=key, ids=", ".join(target.channels)),
                )
            )
    if data.quantity < 1:
        found.append(("qty", _("the quantity must be at least 1, not {n}").format(n=data.quantity)))
    if not data.title.strip():
        found.append(("title", _("the title must not be empty")))
    return found


def _check(plan: Plan, data: ActivityInput, today: date | None = None) -> None:
    found = problems(plan, data, today)
    if found:
        field_name, message = found[0]
        raise InputError(f"--{field_name}: {message}")


def _state(row: CommActivityRow) -> dict[str, Any]:
    # The same snapshot undo compares against, so an undo can tell whether anyone changed
    # the activity since.
    return snapshot(row, COMMS_FIELDS)


def add_activity(
    session: Session,
    plan_row: PlanRow,
    plan: Plan,
    data: ActivityInput,
    author: str,
    today: date | None = None,
) -> CommActivityRow:
    _check(plan, data, today)
    row = CommActivityRow(
        plan_id=plan_row.id,
        day=data.day,
        channel=data.channel,
        targets=list(data.targets),
        title=data.title.strip(),
        quantity=data.quantity,
        link=data.link.strip(),
        note=data.note.strip(),
        author=author,
        created_at=now(),
    )
    session.add(row)
    session.flush()
    record(
        session,
        plan_row,
        author,
        "comms",
        str(row.id),
        "add",
        {},
        _state(row),
        data.note,
        effective=row.day,
    )
    return row


def get_activity(session: Session, plan_row: PlanRow, activity_id: int) -> CommActivityRow:
    row = session.scalar(
        select(CommActivityRow)
        .where(CommActivityRow.plan_id == plan_row.id, CommActivityRow.id == activity_id)
        .with_for_update()
    )
    if row is None or row.deleted:
        raise InputError(
            _("no communication activity {id} in plan {plan}").format(
                id=activity_id, plan=plan_row.key
            )
        )
    return row


def edit_activity(
    session: Session,
    plan_row: PlanRow,
    plan: Plan,
    activity_id: int,
    changes: dict[str, Any],
    author: str,
    note: str = "",
    expected_version: int | None = None,
    today: date | None = None,
) -> CommActivityRow:
    row = get_activity(session, plan_row, activity_id)
    check_version(session, plan_row, row, "comms", expected_version)
    before = _state(row)
    data = ActivityInput(
        row.day, row.channel, list(row.targets), row.title, row.quantity, row.link, row.note
    )
    for name, value in changes.items():
        if value is not None:
            setattr(data, name, value)
    _check(plan, data, today)
    for name in FIELDS:
        setattr(row, name, getattr(data, name))
    row.updated_at = now()
    record(
        session,
        plan_row,
        author,
        "comms",
        str(row.id),
        "edit",
        before,
        _state(row),
        note,
        effective=min(row.day, date.fromisoformat(before["day"])),
    )
    return row


def delete_activity(
    session: Session, plan_row: PlanRow, activity_id: int, author: str, note: str = ""
) -> CommActivityRow:
    """Mark an activity deleted: it stops counting, and its record stays in the history."""
    row = get_activity(session, plan_row, activity_id)
    before = _state(row)
    row.deleted = True
    row.updated_at = now()
    record(
        session,
        plan_row,
        author,
        "comms",
        str(row.id),
        "delete",
        before,
        _state(row),
        note,
        effective=row.day,
    )
    return row


def list_activities(
    session: Session, plan_row: PlanRow, start: date | None = None, end: date | None = None
) -> list[CommActivityRow]:
    query = select(CommActivityRow).where(
        CommActivityRow.plan_id == plan_row.id, CommActivityRow.deleted.is_(False)
    )
    if start is not None:
        query = query.where(CommActivityRow.day >= start)
    if end is not None:
        query = query.where(CommActivityRow.day <= end)
    return list(session.scalars(query.order_by(CommActivityRow.day, CommActivityRow.id)))


def activities_for_check(session: Session, plan_row: PlanRow) -> list[Activity]:
    return [
        Activity(r.day, r.channel, tuple(r.targets), r.quantity)
        for r in list_activities(session, plan_row)
    ]


def parse_csv(
    plan: Plan, path: str, text: str | CsvTable, *, date_format: str | None = None
) -> list[ActivityInput]:
    """Every row of a spreadsheet export, validated; RowErrors lists each bad row by line.

    ``text`` is the file's text or the table tracker.tracking.csvread made of it; day/month
    dates are read as tracker.tracking.csvdates decides for the whole file."""
    table = text if isinstance(text, CsvTable) else parse_table(path, text)
    columns = [HEADERS.get(h.strip().casefold()) for h in table.header]
    unknown = [h for h, c in zip(table.header, columns, strict=True) if c is None and h.strip()]
    missing = [name for name in REQUIRED if name not in columns]
    if unknown or missing:
        raise RowErrors(
            [
                f"{path}:{table.header_line}: "
                + _(
                    "the header must name the columns date, channel, target, title (and optionally "
                    "qty, link, note); unknown: {unknown}; missing: {missing}"
                ).format(unknown=", ".join(unknown) or "-", missing=", ".join(missing) or "-")
            ]
        )
    records = [
        (row.line, {c: v.strip() for c, v in zip(columns, row.cells, strict=True) if c})
        for row in table.rows
    ]
    fmt = decide(
        path,
        [DateCell(line, "date", cells["day"]) for line, cells in records if cells.get("day")],
        date_format,
    )
    # Several targets share a cell, split by "|" (or ";" when ";" is not the separator).
    separators = "|;" if table.delimiter != ";" else "|"
    rows: list[ActivityInput] = []
    errors: list[str] = []
    for line, cells in records:
        where = f"{path}:{line}"
        try:
            day = parse_date(cells.get("day", ""), fmt)
        except ValueError:
            errors.append(f"{where}: date: " + cell_date_problem(cells.get("day", ""), fmt))
            continue
        quantity_text = cells.get("quantity", "") or "1"
        try:
            quantity = int(quantity_text)
        except ValueError:
            errors.append(
                f"{where}: qty: "
                + _("expected a whole number, found {found}").format(found=repr(quantity_text))
            )
            continue
        raw_targets = cells.get("targets", "")
        for sep in separators:
            raw_targets = raw_targets.replace(sep, "\n")
        data = ActivityInput(
            day,
            cells.get("channel", ""),
            [t.strip() for t in raw_targets.split("\n") if t.strip()],
            cells.get("title", ""),
            quantity,
            cells.get("link", ""),
            cells.get("note", ""),
            line=line,
        )
        found = problems(plan, data)
        errors += [f"{where}: {name}: {message}" for name, message in found]
        rows.append(data)
    if errors:
        raise RowErrors(errors)
    return rows


def import_activities(
    session: Session, plan_row: PlanRow, plan: Plan, rows: list[ActivityInput], author: str
) -> int:
    for data in rows:
        add_activity(session, plan_row, plan, data, author)
    return len(rows)


def same_activity(day: date, channel: str, targets: Sequence[str], title: str) -> ActivityKey:
    """What makes two log entries the same activity: date, channel, targets (in any order)
    and title (any case and spacing)."""
    return day, channel, tuple(sorted(targets)), " ".join(title.split()).casefold()


@dataclass(slots=True)
class CommsImport:
    added: int = 0
    duplicates: list[int] = field(default_factory=list)  # lines not added


def _add_batch(
    session: Session, plan_row: PlanRow, rows: Sequence[ActivityInput], author: str
) -> Batch:
    """Add rows already checked by parse_csv: the activities in one executemany and their
    history in another (the ORM's bookkeeping, per object, took 3/4 of a large import)."""
    if not rows:
        return Batch([], 0)
    stamp = now()
    table: Any = CommActivityRow.__table__
    values: list[dict[str, Any]] = [
        {
            "id": activity_id,
            "plan_id": plan_row.id,
            "day": data.day,
            "channel": data.channel,
            "targets": list(data.targets),
            "title": data.title.strip(),
            "quantity": data.quantity,
            "link": data.link.strip(),
            "note": data.note.strip(),
            "author": author,
            "created_at": stamp,
            "deleted": False,
            "version": 1,
        }
        for activity_id, data in zip(new_ids(session, table, len(rows)), rows, strict=True)
    ]
    insert_rows(session, table, values)
    changes: list[Change] = [
        (
            "comms",
            str(row["id"]),
            "add",
            {},
            # What _state() would read back from the row: the history's snapshot.
            snapshot_of({name: row[name] for name in COMMS_FIELDS}),
            row["note"],
            None,
            row["day"],  # effective when the activity happened, as add_activity says
        )
        for row in values
    ]
    return Batch(record_many(session, plan_row, author, changes), len(changes))


def import_activities_file(
    sessions: sessionmaker[Session],
    plan_key: str | None,
    table: CsvTable,
    *,
    author: str,
    date_format: str | None = None,
    allow_duplicates: bool = False,
) -> CommsImport:
    """Check every row, leave out the activities already in the log (or twice in the file)
    unless ``allow_duplicates``, then add the rest as one import committed in batches (see
    tracker.tracking.importlog): all or none, undone as a whole by ``tracker undo``."""
    from tracker.store.planstore import find_plan, stored_plan
    from tracker.store.session import transaction
    from tracker.tracking.importlog import run_batches

    # Read what the check needs in a short transaction, then check the file outside it: a
    # transaction holds SQLite's write lock, and others' saves would wait for the whole check.
    def read(session: Session) -> tuple[Plan, set[ActivityKey]]:
        plan_row = find_plan(session, plan_key)
        logged = session.execute(
            select(
                CommActivityRow.day,
                CommActivityRow.channel,
                CommActivityRow.targets,
                CommActivityRow.title,
            ).where(CommActivityRow.plan_id == plan_row.id, CommActivityRow.deleted.is_(False))
        )
        seen = set() if allow_duplicates else {same_activity(*row) for row in logged}
        return stored_plan(session, plan_row), seen

    plan, seen = transaction(sessions, read)
    rows: list[ActivityInput] = []
    duplicates: list[int] = []
    for data in parse_csv(plan, table.path, table, date_format=date_format):
        key = same_activity(data.day, data.channel, data.targets, data.title)
        if key in seen and not allow_duplicates:
            duplicates.append(data.line)
        else:
            seen.add(key)
            rows.append(data)
    added = run_batches(
        sessions,
        plan_key,
        author=author,
        path=table.path,
        kind="comms",
        rows=rows,
        apply=lambda session, plan_row, part: _add_batch(session, plan_row, part, author),
    )
    return CommsImport(sum(n or 0 for n in added), duplicates)


def describe(row: CommActivityRow) -> dict[str, Any]:
    data = _state(row)
    data.update({"id": row.id, "author": row.author, "version": row.version})
    return data
