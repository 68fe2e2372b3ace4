"""Changes announced on PostgreSQL (LISTEN/NOTIFY), so open screens follow at once.

Every write transaction on PostgreSQL sends ``NOTIFY tracker_changes`` (``announce``: the
server delivers it when the transaction commits, never for one rolled back). A listener
(``tracker.store.listen``) holds one connection of its own, waits on it, and calls back for every
notification from another process: a process's own writes are followed by the writer itself.
SQLite has no such thing: there, the app polls for the last change.
"""

from __future__ import annotations

import uuid

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import ORMExecuteState, Session

from tracker.store.listen import CHANNEL

# Who sent a notification: the writes through one engine carry its token, so the listener
# of the app that owns that engine can skip them (the app follows its own writes itself).
_PROCESS = uuid.uuid4().hex[:12]


def token(bind: object) -> str:
    """The token the writes through ``bind`` (an Engine) are announced with."""
    return f"{_PROCESS}-{id(bind)}"


def announces(url: str) -> bool:
    """Whether the database at ``url`` announces its changes (PostgreSQL does)."""
    return make_url(url).get_backend_name() == "postgresql"


def _flushed(session: Session, _context: object) -> None:
    session.info["wrote"] = True


def _executed(state: ORMExecuteState) -> None:
    if state.is_insert or state.is_update or state.is_delete:
        state.session.info["wrote"] = True


# Whether a transaction wrote anything: only those are announced (a read announced would
# make every other open app read again, and announce that read, and so on).
event.listen(Session, "after_flush", _flushed)
event.listen(Session, "do_orm_execute", _executed)


def announce(session: Session) -> None:
    """Queue a notification of this transaction's change, if it made one: the server sends
    it when (if) the transaction commits."""
    wrote = session.info.pop("wrote", False) or session.new or session.dirty or session.deleted
    if wrote and session.get_bind().dialect.name == "postgresql":
        session.execute(
            text("SELECT pg_notify(:channel, :token)"),
            {"channel": CHANNEL, "token": token(session.get_bind())},
        )
