"""Reads on PostgreSQL through psycopg itself, without SQLAlchemy.

A read command on the shared database used to pay SQLAlchemy's import (a quarter of a
second) before its first SELECT; reads need none of it: the store's queries are plain SQL.
So, as the embedded database's reads go through sqlite3 (``tracker.store.reader``), the
shared database's go through psycopg: connections with the same timeouts as the engine's
(``location.pg_connect_args``), kept in a small pool per URL, each read one ``REPEATABLE
READ, READ ONLY`` transaction (one consistent snapshot, no lock taken). Writes still go
through the engine and the ORM.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from typing import TYPE_CHECKING, Any

from tracker.i18n import _
from tracker.store import queries
from tracker.store.location import (
    DatabaseError,
    explain_driver_error,
    mask_password,
    pg_connect_params,
    revision_of,
    schema_error,
)
from tracker.store.reader import Row

if TYPE_CHECKING:
    import psycopg

POOL_SIZE = 5  # idle connections kept per URL (as SQLAlchemy's pool keeps)
_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")
_CONVERTED: dict[str, str] = {}
_POOLS: dict[str, _Pool] = {}
_POOLS_LOCK = threading.Lock()


def is_direct_url(url: str) -> bool:
    """Whether reads of ``url`` can go through psycopg directly (PostgreSQL, psycopg 3)."""
    scheme = url.split("://", 1)[0]
    return scheme in ("postgresql", "postgresql+psycopg")  # the names the engine knows too


def pg_sql(sql: str) -> str:
    """The store's ``:name`` parameters as psycopg's ``%(name)s``."""
    converted = _CONVERTED.get(sql)
    if converted is None:
        converted = _CONVERTED[sql] = _PARAMETER.sub(r"%(\1)s", sql.replace("%", "%%"))
    return converted


class PgReader:
    """A Reader over one psycopg connection inside one read-only transaction."""

    def __init__(self, connection: psycopg.Connection[Any]) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        return self.connection.execute(pg_sql(sql), dict(params or {})).fetchall()


class _Pool:
    """Up to POOL_SIZE idle connections to one URL, handed to one read at a time."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.shown = mask_password(url)
        self.idle: list[psycopg.Connection[Any]] = []
        self.lock = threading.Lock()
        self.checked = False
        self.closed = False

    def take(self) -> psycopg.Connection[Any]:
        import psycopg

        while True:
            with self.lock:
                connection = self.idle.pop() if self.idle else None
            if connection is None:
                break
            if connection.closed or connection.broken:
                connection.close()
                continue
            try:
                # The server may have restarted since (outside the pool's lock: one slow
                # answer must not hold up the other threads' reads).
                connection.execute(queries.PING)
                connection.rollback()
                return connection
            except psycopg.Error:
                connection.close()
        params = pg_connect_params(self.url)
        try:
            connection = psycopg.connect(**params)
        except psycopg.Error as err:
            raise DatabaseError(
                _("cannot open database {url}: {error}").format(
                    url=self.shown, error=explain_driver_error(str(err))
                )
            ) from err
        connection.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        connection.read_only = True
        # JSON comes back as text, as SQLite gives it: the readers decode a column's
        # documents in one call (reader.as_json_list), several times faster than psycopg's
        # one json.loads per cell on a large plan.
        from psycopg.types.string import TextLoader

        for name in ("json", "jsonb"):
            connection.adapters.register_loader(name, TextLoader)
        return connection

    def give_back(self, connection: psycopg.Connection[Any]) -> None:
        with self.lock:
            keep = not self.closed and len(self.idle) < POOL_SIZE
            if keep and not connection.closed and not connection.broken:
                self.idle.append(connection)
                return
        connection.close()

    def close(self) -> None:
        with self.lock:
            self.closed = True  # a connection handed back later is closed, not kept
            idle, self.idle = self.idle, []
        for connection in idle:
            connection.close()


def _pool(url: str) -> _Pool:
    with _POOLS_LOCK:
        pool = _POOLS.get(url)
        if pool is None:
            pool = _POOLS[url] = _Pool(url)
        return pool


@contextmanager
def pg_reader(url: str) -> Iterator[PgReader]:
    """One consistent read-only view of the PostgreSQL database at ``url`` (its schema
    checked on the first read of this process)."""
    import psycopg

    pool = _pool(url)
    connection = pool.take()
    try:
        reader = PgReader(connection)
        try:
            if not pool.checked:
                problem = schema_error(_revision(reader), pool.shown)
                if problem is not None:
                    raise problem
                pool.checked = True
            yield reader
        except psycopg.Error as err:
            raise DatabaseError(
                _("database error: {error}").format(error=explain_driver_error(str(err)))
            ) from err
    finally:
        try:
            if not connection.closed:
                connection.rollback()  # a read: nothing to keep
        except psycopg.Error:
            connection.close()
        pool.give_back(connection)


def _revision(reader: PgReader) -> str | None:
    (version_table, plans_table), *_rest = reader.rows(queries.PG_SCHEMA_TABLES)
    rows = reader.rows(queries.SCHEMA_VERSION) if version_table else []
    return revision_of(version_table, plans_table, rows[0][0] if rows else None)


def close_pools() -> None:
    """Close every idle connection (tests, and the app on exit)."""
    with _POOLS_LOCK:
        pools = list(_POOLS.values())
        _POOLS.clear()
    for pool in pools:
        pool.close()
