"""Where the database is, how to connect to it, and whether its schema fits this program.

An embedded SQLite file per user by default; a team shares a PostgreSQL URL. SQLite runs in
WAL mode with a busy timeout, and every transaction takes the write lock when it begins
(``BEGIN IMMEDIATE``), so concurrent writers wait for each other instead of failing halfway.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, create_engine, event, inspect, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tracker.i18n import _
from tracker.store.location import (
    BUSY_TIMEOUT_SECONDS,
    SCHEMA_REVISION,
    DatabaseError,
    default_db_path,
    explain_driver_error,
    known_revisions,
    mask_password,
    missing_file_error,
    pg_connect_args,
    resolve_url,
    revision_of,
    schema_error,
    unknown_revision_error,
)

__all__ = [
    "SCHEMA_REVISION",
    "DatabaseError",
    "check_schema",
    "default_db_path",
    "known_revisions",
    "make_engine",
    "masked",
    "open_sessions",
    "resolve_url",
    "schema_revision",
    "setup_lock",
    "upgrade",
]


def masked(url: str) -> str:
    """``url`` with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except (ArgumentError, ValueError):
        return mask_password(url)


def parse_url(url: str) -> Any:
    """``url`` parsed, or one line saying it is not a database URL (a bad port included)."""
    try:
        return make_url(url)
    except (ArgumentError, ValueError) as err:
        raise DatabaseError(_("invalid database URL: {url}").format(url=masked(url))) from err


def make_engine(url: str) -> Engine:
    """An engine on ``url``. PostgreSQL connections carry a connect timeout, a lock timeout
    and a statement timeout (TRACKER_PG_TIMEOUT, or the URL's own ``connect_timeout`` and
    ``options``), so that a dead server or a row another session holds is one line after a
    few seconds, never a wait without end."""
    parsed = parse_url(url)
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:" and not database.startswith("file:"):
            try:
                Path(database).parent.mkdir(parents=True, exist_ok=True)
            except OSError as err:
                raise DatabaseError(
                    _("cannot create the directory of {path}: {error}").format(
                        path=database, error=err.strerror or err
                    )
                ) from err
        # No pool for a file: opening one costs a millisecond, and a pooled connection would
        # keep reading a file that a restore (or a copy) has since replaced.
        from sqlalchemy.pool import NullPool

        in_memory = database in ("", ":memory:") or "mode=memory" in database
        engine = create_engine(
            url,
            connect_args={"timeout": BUSY_TIMEOUT_SECONDS},
            **({} if in_memory else {"poolclass": NullPool}),
        )
        _configure_sqlite(engine)
        return engine
    connect_args: dict[str, Any] = {}
    if parsed.get_backend_name() == "postgresql":
        if parsed.drivername == "postgresql":
            parsed = parsed.set(drivername="postgresql+psycopg")
        connect_args = pg_connect_args(dict(parsed.query))
    try:
        return create_engine(
            parsed.render_as_string(hide_password=False),
            pool_pre_ping=True,
            connect_args=connect_args,
        )
    except (ArgumentError, ImportError) as err:
        raise DatabaseError(
            _("cannot use database {url}: {error}").format(url=masked(url), error=err)
        ) from err


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy, not the driver, decide where transactions begin (see "begin").
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {int(BUSY_TIMEOUT_SECONDS * 1000)}")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        # Taking the write lock up front means a writer never has to upgrade a read lock,
        # which SQLite cannot wait for: it would fail with "database is locked" at once.
        # Reads (the store's, marked tracker_read) never take it: they must answer while
        # someone writes.
        if connection.get_execution_options().get("tracker_read"):
            connection.exec_driver_sql("BEGIN")
        else:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def schema_revision(engine: Engine) -> str | None:
    """The database's Alembic revision, None for an empty database, "unknown" for tracker
    tables without one. A database that cannot be opened is a DatabaseError (one line)."""
    try:
        # A read: it must not take SQLite's write lock (see "begin" in _configure_sqlite).
        with engine.connect().execution_options(tracker_read=True) as conn:
            return _revision(conn)
    except SQLAlchemyError as err:
        raise open_error(engine, err) from err


def _revision(conn: Any) -> str | None:
    found = inspect(conn)
    has_version = found.has_table("alembic_version")
    version = (
        conn.execute(text("SELECT version_num FROM alembic_version")).scalar()
        if has_version
        else None
    )
    return revision_of(has_version, found.has_table("plans"), version)


def open_error(engine: Engine, err: SQLAlchemyError) -> DatabaseError:
    return DatabaseError(
        _("cannot open database {url}: {error}").format(
            url=masked(engine.url.render_as_string(hide_password=False)),
            error=_driver_message(err),
        )
    )


def check_schema(engine: Engine, url: str) -> None:
    """Refuse, touching nothing, a database whose schema is not this program's."""
    problem = schema_error(schema_revision(engine), masked(url))
    if problem is not None:
        raise problem


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after). A revision
    this program does not know is refused, naming it, with nothing changed."""
    from alembic import command
    from alembic.config import Config

    shown = masked(engine.url.render_as_string(hide_password=False))
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    try:
        with engine.begin() as connection:
            if connection.dialect.name == "postgresql":
                # A migration of a large database may take longer than a user's statement.
                connection.exec_driver_sql("SET LOCAL statement_timeout = 0")
            # Read inside the migration's transaction: a concurrent `init` that migrated
            # first is seen here, and this one has nothing left to do.
            before = _revision(connection)
            if before == "unknown" or before not in (None, *known_revisions()):
                problem = schema_error(before, shown) or unknown_revision_error(str(before), shown)
                raise problem
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    except SQLAlchemyError as err:
        raise DatabaseError(
            _("cannot upgrade database {url}: {error}").format(
                url=shown, error=_driver_message(err)
            )
        ) from err
    return before, SCHEMA_REVISION


@contextmanager
def setup_lock(engine: Engine, wait_seconds: float = 60) -> Iterator[None]:
    """Hold the database's setup lock (PostgreSQL: an advisory lock) while a plan is created
    and loaded: a second `tracker init` at the same moment waits, then finds the plan
    loaded. SQLite needs none: its writers already take turns (BEGIN IMMEDIATE)."""
    if engine.dialect.name != "postgresql":
        yield
        return
    try:
        connection = engine.connect()
        connection.exec_driver_sql(f"SET lock_timeout = {int(wait_seconds * 1000)}")
        connection.exec_driver_sql(f"SELECT pg_advisory_lock({SETUP_LOCK_KEY})")
        connection.commit()
    except SQLAlchemyError as err:
        raise open_error(engine, err) from err
    try:
        yield
    finally:
        try:
            connection.exec_driver_sql(f"SELECT pg_advisory_unlock({SETUP_LOCK_KEY})")
            connection.commit()
        finally:
            connection.close()


SETUP_LOCK_KEY = 0x7472_6163  # "trac": any constant the tracker alone uses


def open_sessions(url: str, *, check: bool = True) -> sessionmaker[Session]:
    """A session factory on ``url`` whose schema has been checked."""
    parsed = parse_url(url)
    if check and parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database.startswith("file:"):  # an SQLite URI filename: file:PATH?mode=ro
            database = database[len("file:") :].split("?", 1)[0]
        if database not in ("", ":memory:") and not Path(database).exists():
            raise missing_file_error(database)
    engine = make_engine(url)
    if check:
        check_schema(engine, url)
    return sessionmaker(engine, expire_on_commit=False)


def _driver_message(err: SQLAlchemyError) -> str:
    """The driver's error in the user's language (see location.explain_driver_error)."""
    return explain_driver_error(str(getattr(err, "orig", err)))
