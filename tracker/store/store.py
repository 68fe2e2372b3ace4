"""The one road to the team database: made once per entry point from its URL.

Reads run in a plain deferred transaction (one consistent snapshot, never SQLite's write
lock): on an embedded database through the standard library's sqlite3 and on PostgreSQL
through psycopg (``tracker.store.pgread``), neither importing SQLAlchemy; otherwise on a
connection of one cached engine and its pool. Writes go through
the ORM, one ``Session.begin()`` per user action (``write``), retried while SQLite is busy.
Every SELECT is in ``tracker.store.queries``.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from tracker.state.plan_state import PlanState, needs_replay, plan_state
from tracker.state.records import Change, StoredPlan
from tracker.store import queries
from tracker.store.location import plain_sqlite_file, resolve_url
from tracker.store.pgread import close_pools, is_direct_url, pg_reader
from tracker.store.planread import find_plan_header, read_activities, read_plan
from tracker.store.reader import Reader, Row, sqlite_reader

if TYPE_CHECKING:
    import sqlite3

    from sqlalchemy.engine import Connection, Engine
    from sqlalchemy.orm import Session, sessionmaker

T = TypeVar("T")

_ENGINES: dict[str, Engine] = {}
_CHECKED: set[str] = set()
_LOCK = threading.Lock()


def cached_engine(url: str) -> Engine:
    """One engine (and so one pool) per URL in this process."""
    with _LOCK:
        engine = _ENGINES.get(url)
        if engine is None:
            from tracker.store.engine import make_engine

            engine = _ENGINES[url] = make_engine(url)
        return engine


def made_engine(url: str) -> Engine | None:
    """The engine of ``url`` if this process has made it (that is, has written there)."""
    with _LOCK:
        return _ENGINES.get(url)


def dispose_engines() -> None:
    """Close every pooled connection (tests, and the app on exit)."""
    with _LOCK:
        for engine in _ENGINES.values():
            engine.dispose()
        _ENGINES.clear()
        _CHECKED.clear()
    close_pools()


class _ConnectionReader:
    """A Reader over a SQLAlchemy connection inside one transaction."""

    def __init__(self, connection: Connection) -> None:
        self.connection = connection

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Row]:
        from sqlalchemy import text

        return list(self.connection.execute(text(sql), dict(params or {})).all())


def read_state(
    reader: Reader,
    plan_key: str | None,
    as_of: date,
    as_known: date | None = None,
    *,
    with_details: bool = True,
    with_changes: bool = False,
) -> PlanState:
    """The state of plan ``plan_key`` read through ``reader`` (one snapshot). The history is
    read only when the state needs a replay or the caller asks for it."""
    header = find_plan_header(reader, plan_key)
    plan, items, deliverable_rows = read_plan(reader, header, with_details=with_details)
    latest_effective, latest_recorded = queries.latest(
        reader, header.id, recorded=as_known is not None
    )
    # The newest change of any kind: what the app's polling compares with.
    last = int(reader.rows(queries.LAST_CHANGE)[0][0] or 0)
    stored = StoredPlan(
        header.key,
        plan,
        items,
        queries.deliverable_records(deliverable_rows),
        read_activities(reader, header.id, include_deleted=as_known is not None),
        [],
        last,
        latest_effective,
        latest_recorded,
    )
    if with_changes or as_known is not None:
        stored.changes = queries.changes(reader, queries.CHANGES, {"plan": header.id})
    elif needs_replay(stored, as_of, as_known):
        stored.replay_keys, stored.replay_base, stored.changes = queries.replay_history(
            reader, header.id, as_of
        )
    return plan_state(stored, as_of, as_known)


def session_state(session: Session, plan_key: str | None, as_of: date) -> PlanState:
    """The state read inside a write transaction (for actions that build on it)."""
    from tracker.store.reader import SessionReader

    return read_state(SessionReader(session), plan_key, as_of)


class Store:
    """The team database of one entry point (a CLI command, the app)."""

    def __init__(self, url: str | None = None, plan_key: str | None = None) -> None:
        self.url = resolve_url(url)
        self.plan_key = plan_key
        self._sqlite_file = plain_sqlite_file(self.url)
        self._sessions: sessionmaker[Session] | None = None

    # Reading ------------------------------------------------------------------------------

    @contextmanager
    def reading(self) -> Iterator[Reader]:
        """A consistent read-only view of the database (a deferred transaction)."""
        if self._sqlite_file is not None:
            with sqlite_reader(self._sqlite_file) as reader:
                yield reader
            return
        if is_direct_url(self.url):
            with pg_reader(self.url) as reader:
                yield reader
            return
        from sqlalchemy.exc import SQLAlchemyError

        from tracker.i18n import _
        from tracker.store.engine import DatabaseError, _driver_message, check_schema

        engine = cached_engine(self.url)
        if self.url not in _CHECKED:
            check_schema(engine, self.url)
            _CHECKED.add(self.url)
        try:
            with engine.connect() as connection:
                connection = connection.execution_options(tracker_read=True)
                with connection.begin():
                    yield _ConnectionReader(connection)
        except SQLAlchemyError as err:
            raise DatabaseError(
                _("database error: {error}").format(error=_driver_message(err))
            ) from err

    def read(self, work: Callable[[Reader], T]) -> T:
        with self.reading() as reader:
            return work(reader)

    def state(
        self,
        as_of: date,
        as_known: date | None = None,
        *,
        with_details: bool = True,
        with_changes: bool = False,
    ) -> PlanState:
        """The plan's state at the end of ``as_of`` (as known on ``as_known``), from one
        consistent read. ``with_changes`` also hands the counted history to the view."""
        return self.read(
            lambda r: read_state(
                r,
                self.plan_key,
                as_of,
                as_known,
                with_details=with_details,
                with_changes=with_changes,
            )
        )

    def history(self, keys: list[str] | None = None, limit: int = 50) -> list[Change]:
        """Recorded changes, newest first: of ``keys`` only when given."""

        def work(reader: Reader) -> list[Change]:
            plan_id = find_plan_header(reader, self.plan_key).id
            if not keys:
                return queries.changes(
                    reader, queries.RECENT_CHANGES, {"plan": plan_id, "limit": limit}
                )
            names = {f"k{i}": key for i, key in enumerate(keys)}
            sql = queries.CHANGES_OF_KEYS.format(keys=", ".join(f":{n}" for n in names))
            return queries.changes(reader, sql, {"plan": plan_id, "limit": limit, **names})

        return self.read(work)

    def last_change_id(self) -> int:
        return self.read(lambda r: int(r.rows(queries.LAST_CHANGE)[0][0] or 0))

    # Writing ------------------------------------------------------------------------------

    def sessions(self, *, check: bool = True) -> sessionmaker[Session]:
        """The session factory of this store's engine (its schema checked once)."""
        if self._sessions is None:
            from sqlalchemy.orm import sessionmaker

            from tracker.store.engine import check_schema
            from tracker.store.location import missing_file_error

            if check and self._sqlite_file is not None:
                from pathlib import Path

                if not Path(self._sqlite_file).exists():
                    raise missing_file_error(self._sqlite_file)
            engine = cached_engine(self.url)
            if check and self.url not in _CHECKED:
                check_schema(engine, self.url)
                _CHECKED.add(self.url)
            self._sessions = sessionmaker(engine, expire_on_commit=False)
        return self._sessions

    @property
    def embedded_file(self) -> str | None:
        """The SQLite file of this store when it is a plain one (sqlite3 can write it)."""
        return self._sqlite_file

    def write_plain(self, work: Callable[[sqlite3.Connection], T]) -> T:
        """Run ``work`` in one write transaction on the embedded file through sqlite3 (see
        ``tracker.store.litewrite``); only for a store with an ``embedded_file``."""
        from tracker.store.litewrite import lite_transaction

        assert self._sqlite_file is not None
        return lite_transaction(self._sqlite_file, work)

    def write(self, work: Callable[[Session], T]) -> T:
        """Run one user action in one transaction: committed if ``work`` returns, rolled
        back (nothing written) if it raises."""
        from tracker.store.session import transaction

        return transaction(self.sessions(), work)
