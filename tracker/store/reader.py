"""Read-only access to the team database through plain SQL, on either backend.

The commands that only read (``status``, ``tasks``, ``deliverable list``) and the TUI's
snapshot need a few wide SELECTs, not ORM objects: hydrating 10,000 ORM rows cost more than
the whole forecast. On the embedded database they run on the standard library's sqlite3,
so that a read command does not pay SQLAlchemy's import; a PostgreSQL URL (or any SQLite URL
with options) goes through a SQLAlchemy session. Values come back as each driver gives them
(SQLite: ISO text for dates and JSON text; psycopg: dates and parsed JSON), so readers of
the rows use :func:`as_date` and :func:`as_json`.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any, Protocol, TypeVar

from tracker.i18n import _
from tracker.store.location import (
    BUSY_TIMEOUT_SECONDS,
    DatabaseError,
    explain_driver_error,
    missing_file_error,
    plain_sqlite_file,
    revision_of,
    schema_error,
)

T = TypeVar("T")
Row = Sequence[Any]


class Reader(Protocol):
    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        """All rows of ``sql`` (named ``:parameters``), in one consistent snapshot."""
        ...


class SessionReader:
    """A Reader over a SQLAlchemy session (its transaction is the snapshot)."""

    def __init__(self, session: Any) -> None:
        self.session = session

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        from sqlalchemy import text

        return list(self.session.execute(text(sql), dict(params or {})).all())


class SqliteReader:
    """A Reader over a read-only sqlite3 connection inside one read transaction."""

    def __init__(self, connection: sqlite3.Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        # Dates are stored as ISO text: compare them as such (sqlite3's own date adapter is
        # deprecated).
        values = {k: v.isoformat() if isinstance(v, date) else v for k, v in (params or {}).items()}
        return self.connection.execute(sql, values).fetchall()


@contextmanager
def sqlite_reader(path: str) -> Iterator[SqliteReader]:
    """Open the SQLite file at ``path`` read-only, check its schema, and hold one snapshot."""
    if not Path(path).exists():
        raise missing_file_error(path)
    shown = f"sqlite:///{path}"
    try:
        connection = sqlite3.connect(
            f"{Path(path).absolute().as_uri()}?mode=ro",
            uri=True,
            timeout=BUSY_TIMEOUT_SECONDS,
            isolation_level=None,
        )
    except sqlite3.Error as err:
        raise _open_error(shown, err) from err
    try:
        try:
            # WAL readers never block writers: the snapshot starts with the first SELECT.
            connection.execute("BEGIN")
            problem = schema_error(sqlite_revision(connection), shown)
        except sqlite3.Error as err:
            raise _open_error(shown, err) from err
        if problem is not None:
            raise problem
        try:
            yield SqliteReader(connection)
        except sqlite3.Error as err:
            raise DatabaseError(_("database error: {error}").format(error=err)) from err
    finally:
        connection.close()


def sqlite_revision(connection: sqlite3.Connection) -> str | None:
    tables = {
        name
        for (name,) in connection.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' "
            "AND name IN ('alembic_version', 'plans')"
        )
    }
    row = None
    if "alembic_version" in tables:
        row = connection.execute("SELECT version_num FROM alembic_version").fetchone()
    return revision_of("alembic_version" in tables, "plans" in tables, row and row[0])


def _open_error(shown: str, err: sqlite3.Error) -> DatabaseError:
    return DatabaseError(
        _("cannot open database {url}: {error}").format(
            url=shown, error=explain_driver_error(str(err))
        )
    )


def read(url: str, work: Callable[[Reader], T]) -> T:
    """Run ``work`` on a consistent read-only view of the database at ``url``."""
    path = plain_sqlite_file(url)
    if path is not None:
        with sqlite_reader(path) as reader:
            return work(reader)
    from tracker.store.engine import open_sessions
    from tracker.store.session import transaction

    return transaction(open_sessions(url), lambda session: work(SessionReader(session)))


def as_date(value: Any) -> date | None:
    if value is None or isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def as_datetime(value: Any) -> datetime | None:
    """A stored timestamp (SQLite keeps it as text without its UTC offset) as an aware
    datetime in UTC."""
    if value is None:
        return None
    moment = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    return moment if moment.tzinfo is not None else moment.replace(tzinfo=UTC)


def as_json(value: Any) -> Any:
    return json.loads(value) if isinstance(value, str | bytes) else value


def as_json_list(values: list[Any]) -> list[Any]:
    """``as_json`` of each value; SQLite's JSON texts are decoded in one call, which is
    several times faster than one call per row on a large plan."""
    if values and all(isinstance(v, str) for v in values):
        decoded: list[Any] = json.loads("[" + ",".join(values) + "]")
        return decoded
    return [as_json(v) for v in values]
