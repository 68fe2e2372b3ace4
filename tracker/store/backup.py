"""Online, consistent copies of an embedded database, and restoring one.

SQLite's backup API copies a live database page by page under its own locking, so a backup
taken while others write is still a consistent snapshot. PostgreSQL has its own tools.
"""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

from tracker.i18n import _
from tracker.store.engine import DatabaseError, known_revisions, masked, parse_url
from tracker.store.location import explain_driver_error


def sqlite_path(url: str) -> Path:
    parsed = parse_url(url)
    if parsed.get_backend_name() != "sqlite":
        raise DatabaseError(
            _(
                "{url} is a PostgreSQL database: back it up with pg_dump and restore it with "
                "pg_restore (or psql)"
            ).format(url=masked(url))
        )
    if not parsed.database or parsed.database == ":memory:":
        raise DatabaseError(_("an in-memory database cannot be backed up"))
    path = Path(parsed.database)
    if not path.exists():
        raise DatabaseError(_("no database at {path}").format(path=path))
    return path


def _copy(source: Path, target: Path) -> None:
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True, timeout=30)
    dst = sqlite3.connect(target)
    try:
        src.backup(dst)
    finally:
        dst.close()
        src.close()


def copy_database(url: str, target: Path) -> None:
    """Copy the database at ``url`` into the (new, empty) file ``target``, consistently,
    while others may write to it; DatabaseError (one line) when it cannot be read."""
    source = sqlite_path(url)
    try:
        _copy(source, target)
    except sqlite3.Error as err:
        raise DatabaseError(
            _("backup failed: {error}").format(error=explain_driver_error(str(err)))
        ) from err


def backup(url: str, target: Path) -> Path:
    """Copy the database at ``url`` to ``target`` (which must not exist yet)."""
    source = sqlite_path(url)
    if target.exists():
        raise DatabaseError(_("{path} already exists: choose another file").format(path=target))
    partial = target.with_name(target.name + ".partial")
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        _copy(source, partial)
        partial.replace(target)  # never leave a half-written backup under the real name
    except (sqlite3.Error, OSError) as err:
        partial.unlink(missing_ok=True)
        raise DatabaseError(_("backup failed: {error}").format(error=err)) from err
    return target


def check_backup(path: Path) -> str:
    """The schema revision of a backup file, or a DatabaseError saying why it is not one."""
    try:
        conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
        try:
            conn.execute("PRAGMA schema_version").fetchone()
            revision = conn.execute("SELECT version_num FROM alembic_version").fetchone()
            integrity = conn.execute("PRAGMA integrity_check").fetchone()[0]
        finally:
            conn.close()
    except sqlite3.Error as err:
        raise DatabaseError(
            _("{path} is not a tracker database: {error}").format(path=path, error=err)
        ) from err
    if integrity != "ok":
        raise DatabaseError(_("{path} is damaged: {error}").format(path=path, error=integrity))
    if revision is None or revision[0] not in known_revisions():
        raise DatabaseError(_("{path} has an unknown schema").format(path=path))
    return str(revision[0])


def restore(url: str, source: Path) -> tuple[Path, str]:
    """Replace the database at ``url`` with the backup ``source``.

    The current database is first copied aside (returned), so a mistaken restore loses
    nothing. Returns (safety copy, restored revision).
    """
    target = sqlite_path(url)
    revision = check_backup(source)
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%S")
    safety = target.with_name(f"{target.stem}.before-restore-{stamp}{target.suffix}")
    backup(url, safety)
    try:
        _copy(source, target)  # the backup API writes through SQLite's own locking
    except sqlite3.Error as err:
        raise DatabaseError(
            _("restore failed ({error}); the previous database is kept in {path}").format(
                error=err, path=safety
            )
        ) from err
    return safety, revision
