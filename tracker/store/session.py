"""One user action = one transaction, retried while SQLite is busy, never half-applied."""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TypeVar

from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from tracker.i18n import _
from tracker.store.engine import DatabaseError, _driver_message
from tracker.store.location import changed_meanwhile, is_busy, stayed_locked, write_failure
from tracker.store.notify import announce

T = TypeVar("T")
ATTEMPTS = 8


def transaction(sessions: sessionmaker[Session], work: Callable[[Session], T]) -> T:
    """Run ``work`` in one transaction; commit if it returns, roll back if it raises.

    A database that stays locked (another writer holds it past the busy timeout, on every
    attempt) or cannot be reached becomes a DatabaseError; nothing is written.
    """
    delay = 0.05
    for attempt in range(ATTEMPTS):
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
                if attempt < ATTEMPTS - 1:
                    time.sleep(delay)
                    delay = min(delay * 2, 1.0)
                    continue
                raise stayed_locked() from err
            # PostgreSQL's lock timeout has already waited: say so at once (see make_engine).
            raise DatabaseError(
                _("database error: {error}").format(error=_driver_message(err))
            ) from err
        except DBAPIError as err:
            raise DatabaseError(
                _("database error: {error}").format(error=_driver_message(err))
            ) from err
    raise AssertionError("unreachable")  # pragma: no cover
