"""A database of the previous release (schema 0004) upgrades with nothing lost and gains the
index the state on a past date reads through."""

from __future__ import annotations

from typing import Any

import pytest
from sqlalchemy import inspect, text

from tests.conftest import PLAN
from tracker.store.engine import make_engine, schema_revision, upgrade
from tracker.store.location import SCHEMA_REVISION
from tracker.store.store import dispose_engines

from .helpers import downgrade
from .test_migration_0004 import run


def dump(url: str) -> dict[str, list[Any]]:
    engine = make_engine(url)
    out = {}
    with engine.connect().execution_options(tracker_read=True) as conn:
        for table in ("plans", "items", "deliverables", "comm_activities", "changes"):
            columns = [c["name"] for c in inspect(conn).get_columns(table)]
            rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"))
            out[table] = [tuple(r) for r in rows]
    engine.dispose()
    return out


def indexes(url: str) -> set[str]:
    engine = make_engine(url)
    with engine.connect().execution_options(tracker_read=True) as conn:
        names = {i["name"] for i in inspect(conn).get_indexes("changes")}
    engine.dispose()
    return {n for n in names if n}


def test_a_0004_database_upgrades_with_nothing_lost(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_USER", "ana")
    assert run(db_url, "init", "--plan", str(PLAN)) == 0
    assert run(db_url, "set", "1.1.1", "en_curso", "--date", "2018-01-03") == 0
    assert run(db_url, "set", "1.1.1", "completada", "--date", "2018-01-30") == 0
    assert run(db_url, "set", "2.1.1", "en_curso", "--date", "2018-01-10") == 0
    assert run(db_url, "deliverable", "set", "1.1.1-P1", "validado", "--date", "2018-02-05") == 0
    dispose_engines()
    assert "ix_changes_replay" in indexes(db_url)

    engine = make_engine(db_url)
    downgrade(engine, "0004")
    assert schema_revision(engine) == "0004"
    assert "ix_changes_replay" not in indexes(db_url)
    before = dump(db_url)
    assert run(db_url, "status") == 2  # refused until upgraded, touching nothing
    assert dump(db_url) == before

    assert upgrade(engine) == ("0004", SCHEMA_REVISION)
    engine.dispose()
    assert dump(db_url) == before
    assert "ix_changes_replay" in indexes(db_url)
    assert run(db_url, "tasks", "--as-of", "2018-01-15") == 0
    dispose_engines()
