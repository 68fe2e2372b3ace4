"""Who is making a change (kept apart from the history's writing: commands that write
through sqlite3 need the name without SQLAlchemy)."""

from __future__ import annotations

import getpass
import os


def current_author() -> str:
    """TRACKER_USER, else the operating-system user."""
    author = os.environ.get("TRACKER_USER", "").strip()
    if author:
        return author
    try:
        return getpass.getuser()
    except (OSError, KeyError):
        return "desconocido"
