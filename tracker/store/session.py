"""One user action = one transaction, retried while SQLite is busy, never half-applied."""

from __future__ import annotations

from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from tracker.i18n import _
from tracker.store.engine import DatabaseError, _driver_message
from tracker.store.location import (
    BusyError,
    changed_meanwhile,
    is_busy,
    retry_while_busy,
    write_failure,
)
from tracker.store.notify import announce

T = TypeVar("T")


def transaction(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction; commit if it returns, roll back if it raises.

    A database that stays locked (another writer holds it past the busy timeout, on every
    attempt) or cannot be reached becomes a DatabaseError; nothing is written.
    """

    def attempt() -> T:
        try:
            with sessions.begin() as session:
                result = work(session)
                announce(session)  # PostgreSQL: open screens elsewhere follow at once
                return result
        except StaleDataError as err:
            raise changed_meanwhile() from err
        except OperationalError as err:
            raw = " ".join(str(getattr(err, "orig", err)).split())
            failure = write_failure(raw)
            if failure is not None:
                raise failure from err
            if is_busy(raw):
                raise BusyError from err
            # PostgreSQL's lock timeout has already waited: say so at once (see make_engine).
            raise DatabaseError(
                _("database error: {error}").format(error=_driver_message(err))
            ) from err
        except DBAPIError as err:
            raise DatabaseError(
                _("database error: {error}").format(error=_driver_message(err))
            ) from err

    return retry_while_busy(attempt)
