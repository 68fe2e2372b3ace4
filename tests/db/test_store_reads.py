"""Reads never wait for writers, and the store keeps its connections in one pool."""

from __future__ import annotations

import sqlite3
import uuid
from contextlib import redirect_stderr, redirect_stdout
from io import StringIO
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from tests.conftest import PLAN
from tracker.cli import main
from tracker.store.store import Store, dispose_engines


def run(*argv: str) -> tuple[int, str, str]:
    out, err = StringIO(), StringIO()
    with redirect_stdout(out), redirect_stderr(err):
        code = main(list(argv))
    return code, out.getvalue(), err.getvalue()


def test_reads_answer_while_another_connection_holds_the_write_lock(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "t.db"
    monkeypatch.setenv("TRACKER_USER", "ana")
    monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "1")
    assert run("init", "--plan", str(PLAN), "--db", str(db))[0] == 0
    assert run("set", "1.1.1", "en_curso", "--date", "2018-01-03", "--db", str(db))[0] == 0
    writer = sqlite3.connect(db, isolation_level=None)
    writer.execute("BEGIN IMMEDIATE")  # someone else is writing, and keeps at it
    writer.execute("UPDATE items SET updated_by = 'otra' WHERE key = '1.2.1'")
    try:
        for argv in (
            ("history", "--json"),
            ("comms", "list", "--json"),
            ("status", "--as-of", "2018-02-01"),
            ("tasks", "--as-of", "2018-01-05", "--json"),
            ("export", "csv", "-o", str(tmp_path / "out.csv")),
        ):
            code, _out, err = run(*argv, "--db", str(db))
            assert code == 0, (argv, err)
        assert (tmp_path / "out.csv").stat().st_size > 0
        # Through SQLAlchemy too (a URL with options is not read by plain sqlite3).
        store = Store(f"sqlite:///{db}?timeout=1")
        assert store.history(["1.1.1"])[0].key == "1.1.1"
        assert store.state(__import__("datetime").date(2018, 1, 5)).items["1.1.1"].status == (
            "en_curso"
        )
    finally:
        writer.execute("ROLLBACK")
        writer.close()
        dispose_engines()


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_polling_keeps_at_most_the_pool_open_on_postgresql(db_url: str) -> None:
    """An hour of the app's 3-second polling, shortened: every poll and reload reuses the
    store's pool instead of leaving a connection behind."""
    from concurrent.futures import ThreadPoolExecutor
    from datetime import date

    from tracker.plan.load import load_plan

    from .helpers import fresh_db

    tag = f"tpoll{uuid.uuid4().hex[:10]}"
    url = f"{db_url}&application_name={tag}"
    fresh_db(url, load_plan(str(PLAN)))
    dispose_engines()
    store = Store(url)
    with ThreadPoolExecutor(max_workers=3) as pool:  # the app's worker threads
        for _ in range(400):  # 20 minutes of polls at 3 s
            pool.submit(store.last_change_id)
        for _ in range(20):
            pool.submit(store.state, date(2018, 3, 1))
    admin = create_engine(db_url.split("?")[0])
    with admin.connect() as conn:
        open_ = conn.execute(
            text("SELECT count(*) FROM pg_stat_activity WHERE application_name = :tag"),
            {"tag": tag},
        ).scalar()
    admin.dispose()
    dispose_engines()
    pool_size = 5  # SQLAlchemy's QueuePool default
    assert open_ is not None and 1 <= open_ <= pool_size


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_reads_and_writes_reach_the_same_database_from_an_awkward_url(db_url: str) -> None:
    """psycopg's reads parse the URL as SQLAlchemy's writes do: a password with '#' and '/'
    left unencoded, a second ``options``, a '+' in the query (the server trusts any
    password here, so the password itself is not checked)."""
    from datetime import date

    from tracker.plan.load import load_plan
    from tracker.tracking.actions import set_item

    from .helpers import fresh_db

    tag = f"t{uuid.uuid4().hex[:8]}"
    base, _sep, query = db_url.partition("?")
    awkward = base.replace("postgres@", "postgres:a#b/c@", 1)
    url = f"{awkward}?{query}&options=-c%20statement_timeout%3D30000&application_name={tag}+x"
    fresh_db(db_url, load_plan(str(PLAN)))
    dispose_engines()
    store = Store(url)
    try:
        set_item(store, "1.1.1", "en_curso", author="ana", on=date(2018, 1, 3))
        assert store.state(date(2018, 1, 31)).items["1.1.1"].status == "en_curso"
        admin = create_engine(db_url.split("?")[0])
        with admin.connect() as conn:
            names = conn.execute(
                text("SELECT DISTINCT application_name FROM pg_stat_activity "
                     "WHERE application_name LIKE :tag"),
                {"tag": f"{tag}%"},
            ).scalars().all()  # fmt: skip
        admin.dispose()
        assert names == [f"{tag} x"]
    finally:
        dispose_engines()
