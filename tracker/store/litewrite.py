"""Status changes on the embedded database through the standard library's sqlite3.

`tracker set` changes one row and appends one change: through the ORM it paid SQLAlchemy's
import (a quarter of a second, twice a whole `tracker status`) for two statements. The rules
of a status change are ``tracker.tracking.transition``'s, the same the ORM runs; this module
is only where their reads and writes go: ``LiteStatusWriter`` is its ``StatusWriter``. The
rows come out exactly as the ORM writes them (ISO dates, ``YYYY-MM-DD HH:MM:SS.ffffff``
timestamps, JSON as ``json.dumps`` writes it, the version bumped); tests compare the two.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, TypeVar

from tracker.i18n import _
from tracker.plan.statuses import CLOSED
from tracker.store import queries
from tracker.store.location import (
    BUSY_TIMEOUT_SECONDS,
    BusyError,
    DatabaseError,
    changed_meanwhile,
    explain_driver_error,
    is_busy,
    missing_file_error,
    retry_while_busy,
    schema_error,
    write_failure,
)
from tracker.store.planread import find_plan_header
from tracker.store.reader import SqliteReader, as_date, as_datetime, as_json, sqlite_revision

T = TypeVar("T")
_TABLES = {"item": "items", "deliverable": "deliverables"}


@dataclass(slots=True)
class LiteRow:
    """The columns of an item or deliverable a status change reads (as the ORM row has them)."""

    id: int
    key: str
    version: int
    archived: bool
    updated_by: str
    updated_at: datetime | None
    depends_on: list[Any]
    status: str
    percent: int = 0
    reason: str = ""
    actual_start: date | None = None
    actual_finish: date | None = None
    evidence: str = ""
    status_date: date | None = None


def stored_time(moment: datetime) -> str:
    """A timestamp as SQLAlchemy keeps it in SQLite (UTC, without its offset)."""
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S.%f")


def _stored(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


class LiteStatusWriter:
    """A StatusWriter on an sqlite3 connection inside a write transaction."""

    def __init__(self, connection: sqlite3.Connection, plan_key: str | None) -> None:
        self.connection = connection
        self.reader = SqliteReader(connection)
        header = find_plan_header(self.reader, plan_key)
        self.plan_id = header.id
        self.plan_key = header.key
        self.period_start = header.period_start
        self.period_end = header.period_end

    def _one(self, sql: str, key: str) -> Any:
        rows = self.reader.rows(sql, {"plan": self.plan_id, "key": key})
        return rows[0] if rows else None

    def item(self, key: str) -> LiteRow | None:
        row = self._one(queries.ITEM_ROW, key)
        if row is None:
            return None
        return LiteRow(
            row[0], row[1], row[2], bool(row[3]), row[4] or "", as_datetime(row[5]),
            as_json(row[6]) or [], row[7], row[8], row[9] or "", as_date(row[10]),
            as_date(row[11]),
        )  # fmt: skip

    def deliverable(self, key: str) -> LiteRow | None:
        row = self._one(queries.DELIVERABLE_ROW, key)
        if row is None:
            return None
        return LiteRow(
            row[0], row[1], row[2], bool(row[3]), row[4] or "", as_datetime(row[5]), [],
            row[6], evidence=row[7] or "", status_date=as_date(row[8]),
        )  # fmt: skip

    def last_change(self, entity: str, key: str) -> tuple[str, datetime] | None:
        rows = self.reader.rows(
            queries.LAST_CHANGE_OF, {"plan": self.plan_id, "entity": entity, "key": key}
        )
        if not rows:
            return None
        moment = as_datetime(rows[0][1])
        assert moment is not None
        return rows[0][0], moment

    def open_prerequisites(self, item: LiteRow) -> list[tuple[str, str]]:
        wanted = [str(dep[0]) for dep in item.depends_on]
        if not wanted:
            return []
        producers = dict(self._keyed(queries.PRODUCERS_OF, wanted))
        keys = list(dict.fromkeys(producers.get(k) or k for k in wanted))
        found = dict(self._keyed(queries.OPEN_ITEMS_OF, keys))
        return [(key, found[key]) for key in keys if key in found]  # in the plan's order

    def _keyed(self, sql: str, keys: list[str]) -> list[Any]:
        names = {f"k{i}": key for i, key in enumerate(keys)}
        closed = {f"c{i}": status for i, status in enumerate(CLOSED)}
        text = sql.format(
            keys=", ".join(f":{n}" for n in names), closed=", ".join(f":{n}" for n in closed)
        )
        return self.reader.rows(text, {"plan": self.plan_id, **names, **closed})

    def save(self, entity: str, row: LiteRow, values: dict[str, Any], author: str) -> None:
        columns = {**{k: _stored(v) for k, v in values.items()}}
        columns["updated_at"] = stored_time(datetime.now(UTC))
        columns["updated_by"] = author
        assignments = ", ".join(f"{name} = :{name}" for name in columns)
        done = self.connection.execute(
            f"UPDATE {_TABLES[entity]} SET {assignments}, version = version + 1 "
            "WHERE id = :row_id AND version = :row_version",
            {**columns, "row_id": row.id, "row_version": row.version},
        )
        if done.rowcount != 1:
            raise changed_meanwhile()

    def record(
        self,
        author: str,
        entity: str,
        key: str,
        before: dict[str, Any],
        after: dict[str, Any],
        note: str,
        effective: date,
    ) -> int:
        done = self.connection.execute(
            "INSERT INTO changes (plan_id, at, effective, author, entity, entity_key, action, "
            "before, after, note, undoes, undone) VALUES (:plan, :at, :effective, :author, "
            ":entity, :key, 'status', :before, :after, :note, NULL, 0)",
            {
                "plan": self.plan_id,
                "at": stored_time(datetime.now(UTC)),
                "effective": effective.isoformat(),
                "author": author,
                "entity": entity,
                "key": key,
                "before": json.dumps(before),
                "after": json.dumps(after),
                "note": note,
            },
        )
        assert done.lastrowid is not None
        return done.lastrowid


def lite_transaction(path: str, work: Callable[[sqlite3.Connection], T]) -> T:
    """Run ``work`` in one write transaction on the SQLite file at ``path`` (its schema
    checked): committed if it returns, rolled back if it raises; retried while another
    writer holds the database, as the ORM's transactions are."""
    if not Path(path).exists():
        raise missing_file_error(path)

    def attempt() -> T:
        try:
            connection = sqlite3.connect(path, timeout=BUSY_TIMEOUT_SECONDS, isolation_level=None)
        except sqlite3.Error as err:
            raise DatabaseError(
                _("cannot open database {url}: {error}").format(
                    url=f"sqlite:///{path}", error=explain_driver_error(str(err))
                )
            ) from err
        try:
            connection.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
            connection.execute("PRAGMA foreign_keys = ON")
            connection.execute("PRAGMA synchronous = NORMAL")
            # The write lock up front, as the engine's transactions take it (see engine.py).
            connection.execute("BEGIN IMMEDIATE")
            problem = schema_error(sqlite_revision(connection), f"sqlite:///{path}")
            if problem is not None:
                raise problem
            try:
                result = work(connection)
            except BaseException:
                connection.execute("ROLLBACK")
                raise
            connection.execute("COMMIT")
            return result
        except sqlite3.OperationalError as err:
            raw = " ".join(str(err).split())
            failure = write_failure(raw)
            if failure is not None:
                raise failure from err
            if is_busy(raw):
                raise BusyError from err
            raise _error(err) from err
        except sqlite3.Error as err:
            raise _error(err) from err
        finally:
            connection.close()

    return retry_while_busy(attempt)


def _error(err: sqlite3.Error) -> DatabaseError:
    return DatabaseError(_("database error: {error}").format(error=explain_driver_error(str(err))))
