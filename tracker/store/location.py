"""Where the database is and whether its schema fits this program, without SQLAlchemy.

Read commands on the embedded database go through the standard library's sqlite3 (see
``tracker.store.reader``): importing SQLAlchemy alone takes longer than a whole `tracker status`
may. Everything those commands need to find and check a database lives here.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from urllib.parse import unquote

from tracker.errors import TrackerError
from tracker.i18n import _

# The newest migration; tests check it equals Alembic's head, so a new migration cannot be
# forgotten here. Kept as a constant so ordinary commands need not import Alembic.
SCHEMA_REVISION = "0004"
# How long a SQLite writer waits for another one before trying again (TRACKER_BUSY_TIMEOUT).
BUSY_TIMEOUT_SECONDS = float(os.environ.get("TRACKER_BUSY_TIMEOUT", "30"))


class DatabaseError(TrackerError):
    """The database cannot be reached, is locked for too long, or has the wrong schema."""


def default_db_path() -> Path:
    """The per-user embedded database: $XDG_DATA_HOME (or ~/.local/share) on Unix,
    %LOCALAPPDATA% on Windows."""
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
    else:
        base = Path(os.environ.get("XDG_DATA_HOME") or Path.home() / ".local" / "share")
    return base / "resiliencia-tracker" / "tracker.db"


def resolve_url(value: str | None) -> str:
    """A SQLAlchemy URL from ``--db``, else TRACKER_DB, else the default file; a plain path
    means a SQLite file."""
    value = value or os.environ.get("TRACKER_DB") or ""
    if not value:
        return f"sqlite:///{default_db_path()}"
    if "://" not in value:
        return f"sqlite:///{Path(value).expanduser().resolve()}"
    return value


def plain_sqlite_file(url: str) -> str | None:
    """The file of a ``sqlite:///PATH`` URL with no driver or options, else None (anything
    else goes through SQLAlchemy)."""
    prefix = "sqlite:///"
    if not url.startswith(prefix) or "?" in url:
        return None
    path = unquote(url[len(prefix) :])
    if not path or path == ":memory:" or path.startswith("file:"):
        return None
    return path


def known_revisions() -> list[str]:
    versions = Path(__file__).with_name("migrations") / "versions"
    return sorted(p.name.split("_", 1)[0] for p in versions.glob("[0-9]*_*.py"))


def schema_error(revision: str | None, shown_url: str) -> DatabaseError | None:
    """Why a database at ``revision`` cannot be used by this program (None: it can)."""
    if revision == SCHEMA_REVISION:
        return None
    if revision is None:
        return DatabaseError(
            _("database {url} is empty: run `tracker init` to load a plan").format(url=shown_url)
        )
    if revision in known_revisions():
        return DatabaseError(
            _(
                "database {url} has an older schema ({found}; this program needs {needed}): "
                "run `tracker db upgrade`"
            ).format(url=shown_url, found=revision, needed=SCHEMA_REVISION)
        )
    return DatabaseError(
        _(
            "database {url} has schema {found}, newer than this program knows ({needed}): "
            "upgrade the tracker"
        ).format(url=shown_url, found=revision, needed=SCHEMA_REVISION)
    )


def missing_file_error(path: str) -> DatabaseError:
    return DatabaseError(
        _("no database at {path}: run `tracker init` to create it").format(path=path)
    )
