"""Where the database is and whether its schema fits this program, without SQLAlchemy.

Read commands on the embedded database go through the standard library's sqlite3 (see
``tracker.store.reader``): importing SQLAlchemy alone takes longer than a whole `tracker status`
may. Everything those commands need to find and check a database lives here.
"""

from __future__ import annotations

import os
import re
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import parse_qsl, unquote

from tracker.errors import ConflictError, TrackerError
from tracker.i18n import _

T = TypeVar("T")

# The newest migration; tests check it equals Alembic's head, so a new migration cannot be
# forgotten here. Kept as a constant so ordinary commands need not import Alembic.
SCHEMA_REVISION = "0005"
# How long a SQLite writer waits for another one before trying again (TRACKER_BUSY_TIMEOUT).
BUSY_TIMEOUT_SECONDS = float(os.environ.get("TRACKER_BUSY_TIMEOUT", "30"))
# How long a PostgreSQL client waits for the server to answer a connection, and for a row
# another session holds (TRACKER_PG_TIMEOUT, seconds, default 4; the URL's own connect_timeout and
# options=-c lock_timeout=... win over it). A statement may run STATEMENT_FACTOR times longer.
PG_TIMEOUT_DEFAULT = 4.0
STATEMENT_FACTOR = 12


class DatabaseError(TrackerError):
    """The database cannot be reached, is locked for too long, or has the wrong schema."""


class NotSetUpError(DatabaseError):
    """The database is missing, empty or at another schema: what `tracker init` or
    `tracker db upgrade` address (a server that does not answer is not one of these)."""


def pg_timeout() -> float:
    """Seconds from TRACKER_PG_TIMEOUT (default 4); a value that is not a positive number is
    one line, not a silent default."""
    text = os.environ.get("TRACKER_PG_TIMEOUT", "").strip()
    if not text:
        return PG_TIMEOUT_DEFAULT
    try:
        seconds = float(text)
    except ValueError:
        seconds = 0.0
    if not 0 < seconds <= 3600:
        raise DatabaseError(
            _("TRACKER_PG_TIMEOUT={value} is not a number of seconds between 1 and 3600").format(
                value=text
            )
        )
    return seconds


def pg_connect_args(query: dict[str, Any]) -> dict[str, Any]:
    """libpq parameters for the timeouts the URL's ``query`` does not already set (SQLAlchemy
    lets these replace the URL's, so the URL's ``options`` are kept in front of ours)."""
    seconds = pg_timeout()
    args: dict[str, Any] = {}
    if "connect_timeout" not in query:
        args["connect_timeout"] = max(2, round(seconds))  # libpq's minimum is 2 s
    given = query.get("options", "")
    options = " ".join(given) if isinstance(given, tuple) else str(given)
    ours = []
    if "lock_timeout" not in options:
        ours.append(f"-c lock_timeout={int(seconds * 1000)}")
    if "statement_timeout" not in options:
        ours.append(f"-c statement_timeout={int(seconds * 1000 * STATEMENT_FACTOR)}")
    if ours:
        args["options"] = " ".join([options, *ours]).strip()
    return args


# A database URL as SQLAlchemy reads it (sqlalchemy.engine.url._parse_url): the reads that go
# to psycopg directly must reach the very database the writes reach.
_URL = re.compile(
    r"""(?P<name>[\w+]+)://
    (?:(?P<username>[^:/]*)(?::(?P<password>[^@]*))?@)?
    (?:(?:\[(?P<ipv6host>[^/?]+)\]|(?P<ipv4host>[^/:?]+))?(?::(?P<port>[^/?]*))?)?
    (?:/(?P<database>[^?]*))?
    (?:\?(?P<query>.*))?""",
    re.X,
)


def pg_connect_params(url: str) -> dict[str, Any]:
    """psycopg's connection parameters for a PostgreSQL URL: its parts as SQLAlchemy reads
    them (user, password and database unquoted, ``+`` in the query a space, a repeated
    ``options`` joined), with the timeouts of ``pg_connect_args``."""
    match = _URL.match(url)
    shown = mask_password(url)
    if match is None:
        raise DatabaseError(_("invalid database URL: {url}").format(url=shown))
    params: dict[str, Any] = {}
    for part, name in (("username", "user"), ("password", "password"), ("database", "dbname")):
        if match[part]:
            params[name] = unquote(match[part])
    if match["ipv4host"] or match["ipv6host"]:
        params["host"] = match["ipv4host"] or match["ipv6host"]
    if match["port"]:
        if not match["port"].isdigit():
            raise DatabaseError(_("invalid database URL: {url}").format(url=shown))
        params["port"] = int(match["port"])
    query: dict[str, Any] = {}
    for key, value in parse_qsl(match["query"] or ""):
        query[key] = (
            (*query[key], value)
            if isinstance(query.get(key), tuple)
            else ((query[key], value) if key in query else value)
        )
    for key, value in query.items():
        last = value if isinstance(value, str) else value[-1]
        params[key] = " ".join(value) if key == "options" and not isinstance(value, str) else last
    params.update(pg_connect_args(query))
    return params


# What the drivers say (libpq, sqlite3: English), and what the user reads, in their language.
# Checked in order; the first pattern that matches explains the error.
_DRIVER_PATTERNS: tuple[tuple[str, str], ...] = (
    (r"(?i)connection refused", "refused"),
    (r"(?i)timeout expired|timed out", "timeout"),
    (r"(?i)canceling statement due to lock timeout|lock_not_available", "lock"),
    (r"(?i)canceling statement due to statement timeout", "slow"),
    (r'(?i)role "(?P<name>[^"]*)" does not exist', "role"),
    (r'(?i)database "(?P<name>[^"]*)" does not exist', "nodb"),
    (r'(?i)password authentication failed for user "(?P<name>[^"]*)"', "password"),
    (r"(?i)no password supplied|fe_sendauth", "nopassword"),
    (r'(?i)could not translate host name "(?P<name>[^"]*)"', "host"),
    (r"(?i)server closed the connection unexpectedly|terminating connection", "closed"),
    (r"(?i)file is not a database", "notdb"),
    (r"(?i)database disk image is malformed", "damaged"),
    (r"(?i)unable to open database file", "cannotopen"),
    (r"(?i)readonly database|read-only", "readonly"),
    (r"(?i)database is locked|database table is locked", "locked"),
    (r"(?i)disk is full|no space left", "full"),
)


def explain_driver_error(message: str) -> str:
    """A driver's error message as one line in the user's language (the driver's own words
    when it is not one of the failures a user meets)."""
    text = " ".join(message.split())
    for pattern, kind in _DRIVER_PATTERNS:
        match = re.search(pattern, text)
        if match is None:
            continue
        name = match.groupdict().get("name") or ""
        reasons = {
            "refused": _("the server refused the connection: is the server running?"),
            "timeout": _(
                "the server did not answer in time: is it running and reachable? "
                "(TRACKER_PG_TIMEOUT sets how many seconds to wait)"
            ),
            "lock": _(
                "another user is changing the same record and kept it locked too long; "
                "nothing was saved: try again in a moment"
            ),
            "slow": _("the server took too long to answer; nothing was saved: try again"),
            "role": _("the server has no user {name}").format(name=name),
            "nodb": _("the server has no database {name}: create it first").format(name=name),
            "password": _("the server refused the password of user {name}").format(name=name),
            "nopassword": _("the server asks for a password and none was given"),
            "host": _("unknown host {name}").format(name=name),
            "closed": _("the server closed the connection: is it being restarted?"),
            "notdb": _("the file is not a tracker database (not an SQLite file)"),
            "damaged": _(
                "the database file is damaged or cut short: restore a backup (`tracker db restore`)"
            ),
            "cannotopen": _(
                "the database file cannot be opened or created here (missing or unwritable "
                "directory)"
            ),
            "readonly": _("the database is read-only here"),
            "locked": _("the database stayed locked by another writer"),
            "full": _("the disk is full"),
        }
        return reasons[kind]
    return text


def write_failure(raw: str) -> DatabaseError | None:
    """What a failed write tells the user, for the driver failures a user meets (None: a
    busy database, worth another try, or an error to show as the driver's)."""
    raw = " ".join(raw.split())
    if "readonly" in raw or "read-only" in raw:
        return DatabaseError(
            _("the database is read-only here ({error}); nothing was saved").format(error=raw)
        )
    if "disk is full" in raw or "No space left" in raw:
        return DatabaseError(
            _("the disk is full; nothing was saved: free some space and try again")
        )
    return None


def is_busy(raw: str) -> bool:
    return "locked" in raw or "busy" in raw


class BusyError(Exception):
    """Another writer held the database past the busy timeout: worth another try."""


WRITE_ATTEMPTS = 8


def retry_while_busy(attempt: Callable[[], T]) -> T:
    """``attempt()`` (one transaction), tried again after a growing pause while it raises
    BusyError; a database still locked after WRITE_ATTEMPTS tries is one line."""
    delay = 0.05
    for tries in range(1, WRITE_ATTEMPTS + 1):
        try:
            return attempt()
        except BusyError as err:
            if tries == WRITE_ATTEMPTS:
                raise DatabaseError(
                    _("the database stayed locked by another writer; nothing was saved: try again")
                ) from err.__cause__
            time.sleep(delay)
            delay = min(delay * 2, 1.0)
    raise AssertionError("unreachable")  # pragma: no cover


def changed_meanwhile() -> ConflictError:
    """Two writers changed one record at the same instant: the later one writes nothing."""
    return ConflictError(
        _("someone else changed this record at the same time; nothing was saved: try again")
    )


def mask_password(url: str) -> str:
    """``url`` with any password shown as ``***``."""
    return re.sub(r"(://[^:/@]*:)[^@]*@", r"\1***@", url)


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


def revision_of(has_version_table: bool, has_plans: bool, version: object) -> str | None:
    """The schema revision a database holds, from what it was found to have (each backend
    asks its own way): None for an empty database, "unknown" for tracker tables without
    a revision (no alembic_version, or one without a row)."""
    if has_version_table and version is not None:
        return str(version)
    return "unknown" if has_plans else None


def schema_error(revision: str | None, shown_url: str) -> NotSetUpError | None:
    """Why a database at ``revision`` cannot be used by this program (None: it can)."""
    if revision == SCHEMA_REVISION:
        return None
    if revision is None:
        return NotSetUpError(
            _("database {url} is empty: run `tracker init` to load a plan").format(url=shown_url)
        )
    if revision == "unknown":
        return NotSetUpError(
            _(
                "database {url} holds tracker tables but no schema revision (its "
                "alembic_version is missing or empty): it was not made by `tracker init`; "
                "nothing was done"
            ).format(url=shown_url)
        )
    if revision in known_revisions():
        return NotSetUpError(
            _(
                "database {url} has an older schema ({found}; this program needs {needed}): "
                "run `tracker db upgrade`"
            ).format(url=shown_url, found=revision, needed=SCHEMA_REVISION)
        )
    return unknown_revision_error(revision, shown_url)


def unknown_revision_error(revision: str, shown_url: str) -> NotSetUpError:
    return NotSetUpError(
        _(
            "database {url} has schema revision {found}, which this program does not know "
            "(it knows {known}): if a newer tracker made it, upgrade the tracker; "
            "nothing was done"
        ).format(url=shown_url, found=revision, known=", ".join(known_revisions()))
    )


def missing_file_error(path: str) -> NotSetUpError:
    return NotSetUpError(
        _("no database at {path}: run `tracker init` to create it").format(path=path)
    )
