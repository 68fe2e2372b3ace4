"""Listening for the changes PostgreSQL announces (see ``tracker.store.notify``).

Kept apart from the announcing side, which hooks into SQLAlchemy's sessions: the app starts
listening while its first screen loads, and libpq alone is all a listener needs.
"""

from __future__ import annotations

import threading
from collections.abc import Callable

CHANNEL = "tracker_changes"


def listen(
    url: str,
    on_change: Callable[[], None],
    stop: threading.Event,
    *,
    ready: Callable[[], None] | None = None,
    own: Callable[[], str | None] = lambda: None,
    wait_seconds: float = 0.5,
) -> None:
    """Call ``on_change`` for every change committed elsewhere (not announced with the token
    ``own()`` returns), until ``stop`` is set (checked every ``wait_seconds``). Blocks: run
    it in a thread of its own."""
    from tracker.store.libpq import PgConnection
    from tracker.store.location import pg_connect_params

    # The same server and settings as the store's reads.
    connection = PgConnection(pg_connect_params(url))
    try:
        connection.command(f"LISTEN {CHANNEL}")
        if ready is not None:
            ready()
        while not stop.is_set():
            for payload in connection.notifications(wait_seconds):
                if payload != own():
                    on_change()  # at once: the app's loading worker coalesces a burst
    finally:
        connection.close()
