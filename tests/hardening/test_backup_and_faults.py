"""Backups restore every row; a read-only database or a full disk writes nothing."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import event
from sqlalchemy.orm import sessionmaker

from tests.conftest import PLAN, ROOT
from tests.db.helpers import fresh_db
from tracker.plan.load import load_plan
from tracker.store.engine import DatabaseError, make_engine
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_item_status

TABLES = ("plans", "items", "deliverables", "changes", "comm_activities", "alembic_version")


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    with sqlite3.connect(path) as conn:
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in TABLES}


def tracker(*args: str, db: Path, stdin: str | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_LANG": "en", "TRACKER_USER": "ana"}
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        input=stdin,
    )


@pytest.fixture()
def db(tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    fresh_db(f"sqlite:///{path}", load_plan(str(PLAN)))
    return path


def test_backup_then_restore_brings_back_every_row(db: Path, tmp_path: Path) -> None:
    tracker("set", "1.1.1", "en_curso", "--date", "2018-01-03", "--note", "inicio", db=db)
    tracker(
        "comms",
        "add",
        "--date",
        "2018-01-10",
        "--channel",
        "web",
        "--target",
        "web-publicaciones",
        "--title",
        "Inicio de la fase",
        db=db,
    )
    backup = tmp_path / "copia.db"
    result = tracker("db", "backup", str(backup), db=db)
    assert result.returncode == 0, result.stderr
    at_backup = dump(db)
    assert dump(backup) == at_backup
    tracker("set", "1.1.1", "completada", "--date", "2018-01-20", db=db)
    tracker("set", "2.1.1", "en_curso", "--date", "2018-01-21", db=db)
    assert dump(db) != at_backup
    refused = tracker("db", "restore", str(backup), db=db, stdin="")
    assert refused.returncode == 2 and "nothing was changed" in refused.stderr
    assert dump(db) != at_backup
    result = tracker("db", "restore", str(backup), "--yes", db=db)
    assert result.returncode == 0, result.stderr
    assert dump(db) == at_backup
    safety = next(tmp_path.glob("team.before-restore-*.db"))
    assert len(dump(safety)["changes"]) == len(at_backup["changes"]) + 2  # nothing lost


def test_bad_backups_are_refused_and_change_nothing(db: Path, tmp_path: Path) -> None:
    before = dump(db)
    garbage = tmp_path / "garbage.db"
    garbage.write_bytes(b"not a database at all" * 100)
    result = tracker("db", "restore", str(garbage), "--yes", db=db)
    assert result.returncode == 2 and "not a tracker database" in result.stderr
    existing = tmp_path / "exists.db"
    existing.write_text("x")
    result = tracker("db", "backup", str(existing), db=db)
    assert result.returncode == 2 and "already exists" in result.stderr
    assert dump(db) == before


def test_postgresql_backup_points_to_pg_dump(db: Path) -> None:
    result = tracker("db", "backup", "--db", "postgresql+psycopg://u:secreto@127.0.0.1:1/x", db=db)
    assert result.returncode == 2 and "pg_dump" in result.stderr
    assert "secreto" not in result.stderr


def test_a_read_only_database_says_so_and_writes_nothing(db: Path) -> None:
    before = dump(db)
    read_only = f"sqlite:///file:{db}?mode=ro&uri=true"
    result = tracker("set", "1.1.1", "en_curso", "--db", read_only, db=db)
    assert result.returncode == 2
    assert "read-only" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert dump(db) == before


def test_a_full_disk_says_so_and_writes_nothing(db: Path) -> None:
    """SQLite reports a full disk and a page limit reached with the same error; the limit
    lets the test fill the 'disk' without filling the machine's."""
    before = dump(db)
    engine = make_engine(f"sqlite:///{db}")

    @event.listens_for(engine, "connect")
    def _full(dbapi_connection: object, _record: object) -> None:
        cursor = dbapi_connection.cursor()  # type: ignore[attr-defined]
        pages = cursor.execute("PRAGMA page_count").fetchone()[0]
        cursor.execute(f"PRAGMA max_page_count = {pages}")
        cursor.close()

    sessions = sessionmaker(engine, expire_on_commit=False)
    with pytest.raises(DatabaseError, match="disk is full"):
        transaction(
            sessions,
            lambda s: [
                set_item_status(
                    s,
                    find_plan(s),
                    key,
                    "en_curso",
                    on=date(2018, 1, 3),
                    author="ana",
                    note="x" * 5000,
                )
                for key in ("1.1.1", "1.2.1", "1.3.1", "1.3.2", "1.4.1")
            ],
        )
    engine.dispose()
    assert dump(db) == before
