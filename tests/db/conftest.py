"""Database fixtures: every test runs on SQLite and, where a server is configured, PostgreSQL.

PostgreSQL comes from TRACKER_TEST_PG_URL, else the CI server at 127.0.0.1:5432 (user
postgres, database test). Each test gets a fresh schema there, dropped afterwards.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

DEFAULT_PG = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def pg_base_url() -> str | None:
    url = os.environ.get("TRACKER_TEST_PG_URL", DEFAULT_PG)
    try:
        engine = create_engine(url, connect_args={"connect_timeout": 3})
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return url
    except Exception:
        return None


_PG = pg_base_url()


@pytest.fixture(params=["sqlite", "postgresql"])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'tracker.db'}"
        return
    if _PG is None:
        reason = "no PostgreSQL server (set TRACKER_TEST_PG_URL or run one on 127.0.0.1:5432)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_PG)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in _PG else "?"
    yield f"{_PG}{sep}options=-csearch_path%3D{schema}"
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
