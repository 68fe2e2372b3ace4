"""Where the database is, how to connect to it, and whether its schema fits this program.

An embedded SQLite file per user by default; a team shares a PostgreSQL URL. SQLite runs in
WAL mode with a busy timeout, and every transaction takes the write lock when it begins
(``BEGIN IMMEDIATE``), so concurrent writers wait for each other instead of failing halfway.
"""

from __future__ import annotations

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
    known_revisions,
    missing_file_error,
    resolve_url,
    schema_error,
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
    "upgrade",
]


def masked(url: str) -> str:
    """``url`` with any password hidden, for messages and logs."""
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "<invalid database URL>"


def make_engine(url: str) -> Engine:
    try:
        parsed = make_url(url)
    except ArgumentError as err:
        raise DatabaseError(_("invalid database URL: {url}").format(url=masked(url))) from err
    if parsed.get_backend_name() == "sqlite":
        database = parsed.database or ""
        if database and database != ":memory:":
            Path(database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_engine(url, connect_args={"timeout": BUSY_TIMEOUT_SECONDS})
        _configure_sqlite(engine)
        return engine
    if parsed.get_backend_name() == "postgresql" and parsed.drivername == "postgresql":
        url = parsed.set(drivername="postgresql+psycopg").render_as_string(hide_password=False)
    try:
        return create_engine(url, pool_pre_ping=True)
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
    """The database's Alembic revision, or None for an empty database."""
    # A read: it must not take SQLite's write lock (see "begin" in _configure_sqlite).
    with engine.connect().execution_options(tracker_read=True) as conn:
        if not inspect(conn).has_table("alembic_version"):
            if inspect(conn).has_table("plans"):
                return "unknown"
            return None
        return conn.execute(text("SELECT version_num FROM alembic_version")).scalar()


def check_schema(engine: Engine, url: str) -> None:
    """Refuse, touching nothing, a database whose schema is not this program's."""
    try:
        revision = schema_revision(engine)
    except SQLAlchemyError as err:
        raise DatabaseError(
            _("cannot open database {url}: {error}").format(
                url=masked(url), error=_driver_message(err)
            )
        ) from err
    problem = schema_error(revision, masked(url))
    if problem is not None:
        raise problem


def upgrade(engine: Engine) -> tuple[str | None, str]:
    """Apply every pending migration; returns (revision before, revision after)."""
    from alembic import command
    from alembic.config import Config

    before = schema_revision(engine)
    if before not in (None, *known_revisions()):
        raise DatabaseError(
            _(
                "database has schema {found}, newer than this program knows ({needed}): "
                "upgrade the tracker"
            ).format(found=before, needed=SCHEMA_REVISION)
        )
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).with_name("migrations")))
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    return before, SCHEMA_REVISION


def open_sessions(url: str, *, check: bool = True) -> sessionmaker[Session]:
    """A session factory on ``url`` whose schema has been checked."""
    parsed = make_url(url)
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
    return " ".join(str(getattr(err, "orig", err)).split())
