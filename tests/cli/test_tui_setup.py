"""What `tracker tui` does with the database before the app opens: nothing to a database
that holds its plans (read without SQLAlchemy), set-up for a new one, a refusal for one it
cannot use."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import PLAN
from tracker.cli.tui import ensure_database
from tracker.plan.load import load_plan
from tracker.store.location import DatabaseError
from tracker.store.store import dispose_engines

from ..db.helpers import fresh_db


def test_a_database_with_its_plan_opens_as_it_is(tmp_path: Path) -> None:
    path = tmp_path / "t.db"
    fresh_db(f"sqlite:///{path}", load_plan(str(PLAN)))
    dispose_engines()
    code = (
        "import sys; from tracker.cli.tui import ensure_database; "
        "print(repr(ensure_database(sys.argv[1])), 'sqlalchemy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, f"sqlite:///{path}"], capture_output=True, text=True
    )
    assert done.stdout.strip() == "'' False", done.stderr


def test_a_new_database_is_created_with_the_bundled_plan(tmp_path: Path) -> None:
    notice = ensure_database(f"sqlite:///{tmp_path / 'new.db'}")
    dispose_engines()
    assert "new.db" in notice and "panama-fase2" in notice
    assert ensure_database(f"sqlite:///{tmp_path / 'new.db'}") == ""
    dispose_engines()


def test_a_database_of_another_program_is_refused(tmp_path: Path) -> None:
    import sqlite3

    path = tmp_path / "other.db"
    with sqlite3.connect(path) as conn:
        conn.execute("CREATE TABLE plans (id INTEGER PRIMARY KEY)")
        conn.execute("INSERT INTO plans VALUES (7)")

    def tables() -> list[object]:
        with sqlite3.connect(path) as conn:
            return [
                *conn.execute("SELECT sql FROM sqlite_master"),
                *conn.execute("SELECT * FROM plans"),
            ]

    before = tables()
    with pytest.raises(DatabaseError, match="no schema revision"):
        ensure_database(f"sqlite:///{path}")
    dispose_engines()
    assert tables() == before


def test_a_server_that_refuses_is_said_once(monkeypatch: pytest.MonkeyPatch) -> None:
    """No second try through the set-up path: one connection attempt, one line."""
    from tracker.cli import tui

    monkeypatch.setattr(tui, "_set_up", lambda url: pytest.fail("set-up tried"))
    with pytest.raises(DatabaseError) as err:
        ensure_database("postgresql+psycopg://ana:s3cret@127.0.0.1:1/nada")
    dispose_engines()
    assert "s3cret" not in str(err.value) and "\n" not in str(err.value)
