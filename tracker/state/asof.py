"""What "as of a day" means, defined once for every view.

The state as of day D is the state at the END of D, in the team's local time: every change
effective on D or before counts. "As known on K" (``--as-known``) further keeps only what had
been recorded by the end of K, so a past report can be reproduced exactly as it was written.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta


def local_today() -> date:
    """Today in the machine's local time (the team's day, not UTC's)."""
    return datetime.now().astimezone().date()


def recorded_day(at: datetime) -> date:
    """The local day of a recorded timestamp."""
    return (at if at.tzinfo is not None else at.replace(tzinfo=UTC)).astimezone().date()


def end_of_day(day: date) -> datetime:
    """The first instant after ``day`` in local time, as an aware UTC datetime: a change
    recorded strictly before it was known by the end of ``day``."""
    local = datetime.combine(day + timedelta(days=1), time()).astimezone()
    return local.astimezone(UTC)


def known_by(at: datetime, as_known: date | None) -> bool:
    """Whether a change recorded at ``at`` had been recorded by the end of ``as_known``
    (always, when ``as_known`` is None)."""
    if as_known is None:
        return True
    stamp = at if at.tzinfo is not None else at.replace(tzinfo=UTC)
    return stamp < end_of_day(as_known)
