"""Connections and schema: dead or silent servers, refused logins, files that are not databases,
rows held by someone else, unknown schema revisions, two `init` at once.

Every failure is one line (in the user's language) and exit 2, with every table unchanged.
"""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import psycopg
import pytest
from sqlalchemy import text
from sqlalchemy.engine import make_url

from tests.conftest import PLAN, ROOT
from tests.db.conftest import _PG, db_url  # noqa: F401 - the fixture
from tests.db.helpers import fresh_db
from tests.hardening.support import cli, closed_port, dump, silent_server
from tracker.plan.load import load_plan
from tracker.store.engine import make_engine, pg_connect_args

POSTGRES = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
SET = ("set", "1.1.1", "en_curso", "--date", "2018-01-05")


def pg(user: str = "postgres", database: str = "test", port: int = 5432) -> str:
    return f"postgresql://{user}@127.0.0.1:{port}/{database}"


@pytest.fixture()
def user(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_USER", "ana")


# ---------------------------------------------------------------------- servers and logins


@pytest.mark.parametrize(
    "args", [("status",), SET, ("init",), ("db", "upgrade"), ("export", "csv", "-o", "x.csv")]
)
def test_a_server_that_never_answers_is_one_line_within_seconds(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    user: None,
    args: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("TRACKER_PG_TIMEOUT", "2")
    with silent_server() as port:
        started = time.monotonic()
        result = cli(capsys, *args, "--db", pg(port=port))
        elapsed = time.monotonic() - started
    assert result.refused(f"127.0.0.1:{port}", "the server did not answer in time"), result
    assert elapsed < 8, elapsed
    assert list(tmp_path.iterdir()) == []


def test_the_default_timeout_is_a_few_seconds_and_spoken_in_spanish(
    capsys: pytest.CaptureFixture[str], user: None
) -> None:
    with silent_server() as port:
        started = time.monotonic()
        result = cli(capsys, "--lang", "es", "status", "--db", pg(port=port))
        elapsed = time.monotonic() - started
    assert result.refused("el servidor no respondió a tiempo: ¿está en marcha"), result
    assert elapsed < 10, elapsed


@pytest.mark.parametrize(
    ("lang", "words"), [("es", "¿está el servidor en marcha?"), ("en", "is the server running?")]
)
def test_a_closed_port_says_whether_the_server_runs_in_the_users_language(
    capsys: pytest.CaptureFixture[str], user: None, lang: str, words: str
) -> None:
    result = cli(capsys, "--lang", lang, "init", "--db", pg(port=closed_port()))
    assert result.refused(words), result


@pytest.mark.parametrize("args", [("init",), ("db", "upgrade"), ("status",), SET])
@pytest.mark.parametrize(
    ("url", "words"),
    [
        (pg(user="nosuchrole_i13"), "the server has no user nosuchrole_i13"),
        (pg(database="nosuchdb_i13"), "the server has no database nosuchdb_i13"),
    ],
    ids=["unknown-role", "missing-database"],
)
def test_a_refused_login_is_one_line(
    capsys: pytest.CaptureFixture[str], user: None, args: tuple[str, ...], url: str, words: str
) -> None:
    if _PG is None:
        pytest.fail("no PostgreSQL server at 127.0.0.1:5432")
    result = cli(capsys, *args, "--db", url)
    assert result.refused(words), result


def test_an_invalid_timeout_setting_is_one_line(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, user: None
) -> None:
    monkeypatch.setenv("TRACKER_PG_TIMEOUT", "soon")
    result = cli(capsys, "status", "--db", pg())
    assert result.refused("TRACKER_PG_TIMEOUT=soon is not a number of seconds"), result


def test_the_urls_own_settings_win_and_its_options_are_kept(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_PG_TIMEOUT", "3")
    assert pg_connect_args({}) == {
        "connect_timeout": 3,
        "options": "-c lock_timeout=3000 -c statement_timeout=36000",
    }
    given = {"connect_timeout": "9", "options": "-csearch_path=t1 -c lock_timeout=100"}
    assert pg_connect_args(given) == {
        "options": "-csearch_path=t1 -c lock_timeout=100 -c statement_timeout=36000"
    }


# --------------------------------------------------------------------------------- files


@pytest.mark.parametrize("args", [("init",), ("db", "upgrade"), SET, ("db", "backup", "b.db")])
@pytest.mark.parametrize(
    ("kind", "words"),
    [
        ("text", "the file is not a tracker database"),
        ("truncated", "the database file is damaged or cut short"),
    ],
)
def test_a_file_that_is_not_a_database_is_one_line_and_stays_as_it_was(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    user: None,
    args: tuple[str, ...],
    kind: str,
    words: str,
) -> None:
    monkeypatch.chdir(tmp_path)
    path = tmp_path / "team.db"
    if kind == "text":
        path.write_text("minutes of the Mesa Técnica\n" * 50, encoding="utf-8")
    else:
        whole = tmp_path / "whole.db"
        fresh_db(f"sqlite:///{whole}", load_plan(str(PLAN))).kw["bind"].dispose()
        path.write_bytes(whole.read_bytes()[:5000])
        whole.unlink()
    before = path.read_bytes()
    result = cli(capsys, *args, "--db", str(path))
    assert result.refused(words), result
    assert path.read_bytes() == before
    # (SQLite may add its -wal/-shm companions when it opens the file; nothing else appears)
    assert [p.name for p in tmp_path.iterdir() if not p.name.startswith("team.db")] == []


@pytest.mark.parametrize("args", [("init",), ("db", "upgrade")])
def test_a_database_in_an_unwritable_place_is_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, user: None, args: tuple[str, ...]
) -> None:
    blocker = tmp_path / "notes.txt"
    blocker.write_text("a file, not a directory\n", encoding="utf-8")
    result = cli(capsys, *args, "--db", str(blocker / "team.db"))
    assert result.refused("cannot create the directory of", str(blocker / "team.db")), result


# -------------------------------------------------------------------------------- schema


@pytest.mark.parametrize(
    "args",
    [
        ("status",),
        ("tasks",),
        SET,
        ("deliverable", "set", "3.5.2-P1", "borrador", "--date", "2018-01-05"),
        ("comms", "add", "--date", "2018-01-10", "--channel", "web"),
        ("init",),
        ("sync",),
        ("undo",),
        ("db", "check"),
        ("export", "csv", "-o", "x.csv"),
        ("db", "upgrade"),
    ],
    ids=lambda a: "-".join(a[:2]),
)
def test_an_unknown_schema_revision_refuses_every_command_and_upgrade_names_it(
    db_url: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    user: None,
    args: tuple[str, ...],
) -> None:
    monkeypatch.chdir(tmp_path)
    fresh_db(db_url, load_plan(str(PLAN))).kw["bind"].dispose()
    engine = make_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = 'zz99'"))
    engine.dispose()
    before = dump(db_url)
    if args[0] == "comms":
        args = (*args, "--target", "web-publicaciones", "--title", "Inicio")
    result = cli(capsys, *args, "--db", db_url)
    assert result.refused("schema revision zz99", "does not know"), result
    assert dump(db_url) == before
    assert not (tmp_path / "x.csv").exists()


@pytest.mark.parametrize("args", [("init",), ("db", "upgrade"), SET, ("status",)])
def test_tracker_tables_without_a_revision_are_refused(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, user: None, args: tuple[str, ...]
) -> None:
    url = f"sqlite:///{tmp_path / 'team.db'}"
    fresh_db(url, load_plan(str(PLAN))).kw["bind"].dispose()
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(text("DELETE FROM alembic_version"))
    engine.dispose()
    before = dump(url)
    result = cli(capsys, *args, "--db", url)
    assert result.refused("holds tracker tables but no schema revision"), result
    assert dump(url) == before


# ---------------------------------------------------------------- locks and concurrency


@POSTGRES
@pytest.mark.parametrize(
    ("args", "table", "key"),
    [
        (SET, "items", "1.1.1"),
        (
            ("deliverable", "set", "3.5.2-P1", "borrador", "--date", "2018-01-05"),
            "deliverables",
            "3.5.2-P1",
        ),
    ],
    ids=["set", "deliverable-set"],
)
def test_a_row_held_by_another_session_is_one_line_in_seconds_and_can_be_retried(
    db_url: str,  # noqa: F811
    capsys: pytest.CaptureFixture[str],
    user: None,
    args: tuple[str, ...],
    table: str,
    key: str,
) -> None:
    fresh_db(db_url, load_plan(str(PLAN))).kw["bind"].dispose()
    before = dump(db_url)
    url = make_url(db_url)
    holder = psycopg.connect(
        host=url.host,
        port=url.port or 5432,
        user=url.username,
        dbname=url.database,
        options=str(url.query["options"]).replace("%3D", "="),
    )
    try:
        holder.execute(f"SELECT * FROM {table} WHERE key = %s FOR UPDATE", (key,))
        started = time.monotonic()
        result = cli(capsys, *args, "--db", db_url)
        elapsed = time.monotonic() - started
        assert result.refused("another user is changing the same record", "try again"), result
        assert elapsed < 10, elapsed
        holder.rollback()  # the other user is done
        assert dump(db_url) == before
        retried = cli(capsys, *args, "--db", db_url)
        assert retried.code == 0, retried
    finally:
        holder.close()


@POSTGRES
def test_two_inits_at_once_load_the_plan_once_and_tell_the_other(
    db_url: str,  # noqa: F811
) -> None:
    env = {**__import__("os").environ, "TRACKER_USER": "ana", "TRACKER_LANG": "en"}
    runs = [
        subprocess.Popen(
            [sys.executable, "-m", "tracker", "init", "--db", db_url],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            cwd=ROOT,
            env=env,
        )
        for _ in range(3)
    ]
    outcomes = [(p.wait(timeout=120), *p.communicate()) for p in runs]
    assert [code for code, _out, _err in outcomes] == [0, 0, 0], outcomes
    loaded = [out for _code, out, _err in outcomes if "loaded plan panama-fase2" in out]
    told = [out for _code, out, _err in outcomes if "already loaded and unchanged" in out]
    assert len(loaded) == 1 and len(told) == 2, outcomes
    tables = dump(db_url)
    assert len(tables["plans"]) == 1 and len(tables["changes"]) == 1
