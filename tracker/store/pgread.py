"""Reads on PostgreSQL through libpq (``tracker.store.libpq``), without SQLAlchemy or psycopg.

A read command on the shared database used to pay SQLAlchemy's import, then psycopg's, before
its first SELECT; reads need neither: the store's queries are plain SQL. So, as the embedded
database's reads go through sqlite3 (``tracker.store.reader``), the shared database's go
through libpq: connections with the same parameters and timeouts as the engine's
(``location.pg_connect_params``), kept in a small pool per URL, each read one ``REPEATABLE
READ, READ ONLY`` transaction (one consistent snapshot, no lock taken). Writes still go
through the engine and the ORM.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from contextlib import contextmanager

from tracker.i18n import _
from tracker.store import queries
from tracker.store.libpq import PgConnection, PgError
from tracker.store.location import (
    DatabaseError,
    explain_driver_error,
    mask_password,
    pg_connect_params,
    revision_of,
    schema_error,
)
from tracker.store.reader import Reader

POOL_SIZE = 5  # idle connections kept per URL (as SQLAlchemy's pool keeps)
_BEGIN = "BEGIN ISOLATION LEVEL REPEATABLE READ, READ ONLY"
_POOLS: dict[str, _Pool] = {}
_POOLS_LOCK = threading.Lock()


def is_direct_url(url: str) -> bool:
    """Whether reads of ``url`` can go through psycopg directly (PostgreSQL, psycopg 3)."""
    scheme = url.split("://", 1)[0]
    return scheme in ("postgresql", "postgresql+psycopg")  # the names the engine knows too


class _Pool:
    """Up to POOL_SIZE idle connections to one URL, handed to one read at a time."""

    def __init__(self, url: str) -> None:
        self.url = url
        self.shown = mask_password(url)
        self.idle: list[PgConnection] = []
        self.lock = threading.Lock()
        self.checked = False
        self.closed = False

    def begin(self) -> PgConnection:
        """A connection inside a new read-only transaction: an idle one if it still
        answers (the server may have restarted since), else a new one."""
        while True:
            with self.lock:
                connection = self.idle.pop() if self.idle else None
            if connection is None:
                break
            try:
                # Outside the pool's lock: one slow answer must not hold up other reads.
                connection.command(_BEGIN)
                return connection
            except PgError:
                connection.close()
        try:
            connection = PgConnection(pg_connect_params(self.url))
        except PgError as err:
            raise DatabaseError(
                _("cannot open database {url}: {error}").format(
                    url=self.shown, error=explain_driver_error(str(err))
                )
            ) from err
        try:
            connection.command(_BEGIN)
        except PgError as err:
            connection.close()
            raise _read_error(err) from err
        return connection

    def give_back(self, connection: PgConnection) -> None:
        with self.lock:
            if not self.closed and len(self.idle) < POOL_SIZE and connection.idle:
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


def _read_error(err: PgError) -> DatabaseError:
    return DatabaseError(_("database error: {error}").format(error=explain_driver_error(str(err))))


@contextmanager
def pg_reader(url: str) -> Iterator[Reader]:
    """One consistent read-only view of the PostgreSQL database at ``url``: a connection
    inside a read-only transaction (its schema checked on the first read of this
    process)."""
    pool = _pool(url)
    connection = pool.begin()
    try:
        try:
            if not pool.checked:
                problem = schema_error(_revision(connection), pool.shown)
                if problem is not None:
                    raise problem
                pool.checked = True
            yield connection
        except PgError as err:
            raise _read_error(err) from err
    finally:
        try:
            connection.command("ROLLBACK")  # a read: nothing to keep
        except PgError:
            connection.close()
        pool.give_back(connection)


def _revision(reader: Reader) -> str | None:
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
