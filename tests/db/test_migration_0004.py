"""A database of the previous release (schema 0003) upgrades with nothing lost, and its
changes get the day they took effect from what they recorded."""

from __future__ import annotations

from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from io import StringIO
from typing import Any

import pytest
from sqlalchemy import inspect, text

from tests.conftest import PLAN
from tracker.cli import main
from tracker.store.engine import make_engine, schema_revision, upgrade
from tracker.store.location import SCHEMA_REVISION
from tracker.store.store import dispose_engines

from .helpers import downgrade


def run(url: str, *argv: str) -> int:
    with redirect_stdout(StringIO()), redirect_stderr(StringIO()):
        return main([*argv, "--db", url])


def dump(url: str) -> dict[str, list[Any]]:
    engine = make_engine(url)
    out = {}
    with engine.connect().execution_options(tracker_read=True) as conn:
        for table in ("plans", "items", "deliverables", "comm_activities", "changes"):
            columns = [
                c["name"] for c in inspect(conn).get_columns(table) if c["name"] != "effective"
            ]
            rows = conn.execute(text(f"SELECT {', '.join(columns)} FROM {table} ORDER BY id"))
            out[table] = [tuple(r) for r in rows]
    engine.dispose()
    return out


def test_a_0003_database_upgrades_with_nothing_lost(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRACKER_USER", "ana")
    assert run(db_url, "init", "--plan", str(PLAN)) == 0
    assert run(db_url, "set", "1.1.1", "en_curso", "--date", "2018-01-03") == 0
    assert run(db_url, "set", "1.1.1", "completada", "--date", "2018-01-30") == 0
    assert run(db_url, "set", "2.1.1", "bloqueada", "--note", "sin datos") == 0
    assert run(db_url, "deliverable", "set", "1.1.1-P1", "validado", "--date", "2018-02-05") == 0
    assert (
        run(
            db_url,
            "comms", "add", "--date", "2018-02-02", "--channel", "web",
            "--target", "web-publicaciones", "--title", "Nota",
        )
        == 0
    )  # fmt: skip
    dispose_engines()
    # Back to the previous release's schema: what that release left on disk.
    engine = make_engine(db_url)
    downgrade(engine, "0003")
    assert schema_revision(engine) == "0003"
    before = dump(db_url)
    assert run(db_url, "status") == 2  # refused until upgraded, touching nothing

    assert upgrade(engine) == ("0003", SCHEMA_REVISION)
    assert dump(db_url) == before
    with engine.connect().execution_options(tracker_read=True) as conn:
        rows = [
            (entity, key, date.fromisoformat(str(day)[:10]))
            for entity, key, day in conn.execute(
                text("SELECT entity, entity_key, effective FROM changes ORDER BY id")
            )
        ]
    engine.dispose()
    days = {
        (entity, key): [d for e, k, d in rows if (e, k) == (entity, key)]
        for entity, key, _d in rows
    }
    assert days[("item", "1.1.1")] == [date(2018, 1, 3), date(2018, 1, 30)]  # actual dates
    assert days[("deliverable", "1.1.1-P1")] == [date(2018, 2, 5)]  # its status date
    assert days[("comms", "1")] == [date(2018, 2, 2)]  # the activity's day
    # 2.1.1 recorded no date of its own: the day it was recorded.
    assert days[("item", "2.1.1")][0] >= date(2026, 1, 1)
    assert run(db_url, "tasks", "--as-of", "2018-01-15") == 0
    dispose_engines()
