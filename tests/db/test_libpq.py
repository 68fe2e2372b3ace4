"""The store's reads through libpq give what psycopg gives, value for value."""

from __future__ import annotations

import subprocess
import sys
import threading
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import create_engine, text

from tracker.store.libpq import PgConnection, PgError
from tracker.store.listen import listen
from tracker.store.location import pg_connect_params
from tracker.store.reader import as_date, as_datetime, as_json

ON_POSTGRESQL = pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)

# Values a note, a title or a document may hold: quotes, backslashes, tabs, newlines, accents.
AWKWARD = 'a "b" \\ c\td\ne ñ — ✓ %s :name $1'


@ON_POSTGRESQL
def test_values_arrive_as_psycopg_gives_them(db_url: str) -> None:
    sql = (
        "SELECT CAST(:n AS integer) AS n, CAST(:big AS bigint) AS n, :flag AS flag, "
        "CAST(:day AS date) AS day, CAST(:moment AS timestamptz) AS moment, "
        "CAST(:doc AS json) AS doc, CAST(NULL AS text) AS nothing, CAST(:txt AS text) AS txt "
        "UNION ALL SELECT 2, 3, false, NULL, NULL, NULL, 'x', '' ORDER BY 1"
    )
    params = {
        "n": 1,
        "big": 2**40,
        "flag": True,
        "day": date(2018, 3, 31),
        "moment": datetime(2018, 3, 31, 23, 59, 58, 123456, tzinfo=UTC),
        "doc": '{"nota": "' + AWKWARD.replace("\\", "\\\\").replace('"', '\\"').replace(
            "\t", "\\t").replace("\n", "\\n") + '", "lista": [1, 2.5, null, true]}',
        "txt": AWKWARD,
    }  # fmt: skip
    connection = PgConnection(pg_connect_params(db_url))
    try:
        ours = connection.rows(sql, params)
    finally:
        connection.close()
    engine = create_engine(db_url)
    with engine.connect() as conn:
        theirs = [tuple(r) for r in conn.execute(text(sql), params)]
    engine.dispose()
    assert len(ours) == len(theirs) == 2
    for mine, reference in zip(ours, theirs, strict=True):
        n, big, flag, day, moment, doc, nothing, txt = mine
        assert (n, big, flag, nothing, txt) == (
            reference[0],
            reference[1],
            reference[2],
            reference[6],
            reference[7],
        )
        assert as_date(day) == reference[3]
        assert as_datetime(moment) == reference[4]
        assert as_json(doc) == as_json(reference[5])
    assert ours[0][7] == AWKWARD
    assert as_json(ours[0][5])["nota"] == AWKWARD


@ON_POSTGRESQL
def test_no_rows_and_repeated_parameters(db_url: str) -> None:
    connection = PgConnection(pg_connect_params(db_url))
    try:
        assert connection.rows("SELECT 1 WHERE false") == []
        assert connection.rows("SELECT :a, :b, :a, 'x::y'", {"a": "uno", "b": 2}) == [
            ("uno", 2, "uno", "x::y")
        ]
    finally:
        connection.close()


@ON_POSTGRESQL
def test_a_failing_query_says_what_postgresql_said(db_url: str) -> None:
    connection = PgConnection(pg_connect_params(db_url))
    try:
        with pytest.raises(PgError) as raised:
            connection.rows("SELECT x FROM no_such_table")
        assert str(raised.value) == 'relation "no_such_table" does not exist'
        assert raised.value.sqlstate == "42P01"
        connection.command("ROLLBACK")
        assert connection.rows("SELECT 1") == [(1,)]  # still usable
    finally:
        connection.close()
    assert not connection.usable
    with pytest.raises(PgError, match="closed"):
        connection.rows("SELECT 1")


def test_a_refused_connection_is_one_line_from_libpq() -> None:
    with pytest.raises(PgError) as raised:
        PgConnection({"host": "127.0.0.1", "port": 1, "dbname": "x", "connect_timeout": 2})
    assert "\n" not in str(raised.value)
    assert "refused" in str(raised.value).lower()


@ON_POSTGRESQL
def test_the_listener_hears_others_and_not_itself(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import uuid

    from tracker.store import listen as listen_module

    # A channel of its own: the server's channels are per database, and another run of the
    # suite (or another tracker schema) in the same database announces on the usual one.
    channel = f"tracker_test_{uuid.uuid4().hex[:8]}"
    monkeypatch.setattr(listen_module, "CHANNEL", channel)
    heard: list[str] = []
    stop, ready = threading.Event(), threading.Event()
    own = "mine"

    def on_change() -> None:
        heard.append("change")

    thread = threading.Thread(
        target=listen,
        args=(db_url, on_change, stop),
        kwargs={"ready": ready.set, "own": lambda: own, "wait_seconds": 0.05},
    )
    thread.start()
    try:
        assert ready.wait(10)
        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": own})
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_notify(:c, :p)"), {"c": channel, "p": "someone"})
        engine.dispose()
        for _ in range(200):
            if heard:
                break
            threading.Event().wait(0.02)
        threading.Event().wait(0.2)  # time for a wrongly heard second one to arrive
        assert heard == ["change"]
    finally:
        stop.set()
        thread.join(5)
    assert not thread.is_alive()


@ON_POSTGRESQL
def test_reading_imports_neither_psycopg_nor_sqlalchemy(db_url: str) -> None:
    from tracker.cli import main

    assert main(["init", "--db", db_url]) == 0
    code = (
        "import sys\n"
        "from tracker.cli import main\n"
        f"assert main(['status', '--as-of', '2018-03-31', '--db', {db_url!r}]) == 0\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('psycopg', 'sqlalchemy')))\n"
    )
    found = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=False
    )
    assert found.returncode == 0, found.stderr
    assert found.stdout.strip().splitlines()[-1] == "[]"


@ON_POSTGRESQL
def test_a_pooled_connection_the_server_dropped_is_replaced(db_url: str) -> None:
    from tracker.cli import main
    from tracker.store import pgread
    from tracker.store.store import Store, dispose_engines

    assert main(["init", "--db", db_url]) == 0
    store = Store(db_url)
    try:
        assert store.state(date(2018, 3, 31)).items["1.1.1"].status == "pendiente"
        (pooled,) = pgread._POOLS[db_url].idle
        ((pid,),) = pooled.rows("SELECT pg_backend_pid()")
        engine = create_engine(db_url)
        with engine.begin() as conn:
            assert conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid}).scalar()
        engine.dispose()
        assert store.state(date(2018, 3, 31)).items["1.1.1"].status == "pendiente"
        (replacement,) = pgread._POOLS[db_url].idle
        assert replacement is not pooled
        assert replacement.rows("SELECT pg_backend_pid()") != [(pid,)]
    finally:
        dispose_engines()


def test_without_libpq_the_message_says_so(monkeypatch: pytest.MonkeyPatch) -> None:
    import psycopg.pq.misc

    from tracker.store import libpq

    monkeypatch.setattr(libpq, "_LIBRARY", None)
    monkeypatch.setattr(libpq, "_candidates", list)
    monkeypatch.setattr(psycopg.pq.misc, "find_libpq_full_path", lambda: None)
    with pytest.raises(PgError, match="libpq, PostgreSQL's client library, was not found"):
        PgConnection({"host": "127.0.0.1"})


@ON_POSTGRESQL
def test_each_store_query_is_as_wide_as_its_reader_counts(db_url: str) -> None:
    """Rows arrive as arrays of as many columns as the select list counts: a count too
    small would drop columns silently, so it is checked against the server's, query by
    query."""
    from tracker.cli import main
    from tracker.store import queries
    from tracker.store.libpq import _numbered, select_width

    assert main(["init", "--db", db_url]) == 0
    values = {"as_of": date(2018, 3, 31), "limit": 5, "plan": 1, "id": 1}
    engine = create_engine(db_url)
    with engine.connect() as conn:
        for template in (*queries.ALL_QUERIES, queries.PG_SCHEMA_TABLES, queries.SCHEMA_VERSION):
            sql = template.format(archived="", keys=":k0", closed=":c0", details="details")
            names = _numbered(sql)[1]
            result = conn.execute(text(sql), {n: values.get(n, "x") for n in names})
            assert select_width(sql) == len(result.keys()), sql
            connection = PgConnection(pg_connect_params(db_url))
            try:
                rows = connection.rows(sql, {n: values.get(n, "x") for n in names})
            finally:
                connection.close()
            assert all(len(row) == len(result.keys()) for row in rows)
    engine.dispose()


def test_the_width_count_refuses_what_it_cannot_count() -> None:
    from tracker.store.libpq import select_width

    assert select_width("SELECT a, f(b, c), 'd, e' AS x, (SELECT 1, 2) FROM t") == 4
    assert select_width("SELECT a, b\nFROM t") == 2
    assert select_width("SELECT 1, 2 UNION ALL SELECT 3, 4") == 2
    with pytest.raises(ValueError, match="name the columns"):
        select_width("SELECT * FROM items")
    with pytest.raises(ValueError, match="not a SELECT"):
        select_width("UPDATE items SET status = 'x'")


@ON_POSTGRESQL
def test_the_servers_notices_stay_off_the_screen(
    db_url: str, capfd: pytest.CaptureFixture[str]
) -> None:
    """libpq would print them on stderr, which is where the app draws."""
    connection = PgConnection(pg_connect_params(db_url))
    try:
        connection.command("DO $$BEGIN RAISE WARNING 'hola desde el servidor'; END$$")
        ((pid,),) = connection.rows("SELECT pg_backend_pid()")
        engine = create_engine(db_url)
        with engine.begin() as conn:
            conn.execute(text("SELECT pg_terminate_backend(:p)"), {"p": pid})
        engine.dispose()
        with pytest.raises(PgError):
            for _ in range(50):  # the end arrives as an error of the next wait
                connection.notifications(0.05)
    finally:
        connection.close()
    captured = capfd.readouterr()
    assert "hola" not in captured.err and "FATAL" not in captured.err
    assert captured.err == ""


@ON_POSTGRESQL
def test_ctrl_c_stops_a_long_read_at_once_and_cancels_it_on_the_server(db_url: str) -> None:
    import signal
    import time

    code = (
        "import sys\n"
        "from tracker.store.libpq import PgConnection\n"
        "from tracker.store.location import pg_connect_params\n"
        f"connection = PgConnection(pg_connect_params({db_url!r}))\n"
        "print('ready', flush=True)\n"
        "try:\n"
        "    connection.rows(\"SELECT pg_sleep(20), 'tracker-sleeps'\")\n"
        "except KeyboardInterrupt:\n"
        "    print('interrupted', connection.usable, flush=True)\n"
    )
    child = subprocess.Popen(
        [sys.executable, "-c", code], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )
    assert child.stdout is not None
    assert child.stdout.readline().strip() == "ready"
    time.sleep(1.0)  # the query is running on the server
    started = time.monotonic()
    child.send_signal(signal.SIGINT)
    out, err = child.communicate(timeout=10)
    assert time.monotonic() - started < 3, "Ctrl-C waited for the query"
    assert out.strip() == "interrupted False", err
    engine = create_engine(db_url)
    with engine.connect() as conn:
        running = conn.execute(
            text(
                "SELECT count(*) FROM pg_stat_activity WHERE query LIKE '%tracker-sleeps%' "
                "AND state = 'active' AND pid <> pg_backend_pid()"
            )
        ).scalar()
    engine.dispose()
    assert running == 0
