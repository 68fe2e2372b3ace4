"""Reads on PostgreSQL (psycopg directly) and writes (SQLAlchemy) read one URL the same way."""

from __future__ import annotations

import pytest
from sqlalchemy.engine import make_url

from tracker.store.location import DatabaseError, pg_connect_params
from tracker.store.pgread import is_direct_url

URLS = [
    "postgresql+psycopg://postgres@127.0.0.1:5432/test?options=-csearch_path%3Dx",
    "postgresql://ana:a#b/c@db.example:5433/resiliencia",
    "postgresql://ana:p%40ss@db/resiliencia?application_name=a+b&sslmode=require",
    "postgresql://h/db?options=-csearch_path%3Dx&options=-c%20statement_timeout%3D1000",
    "postgresql://[::1]:5432/db?connect_timeout=9",
    "postgresql+psycopg:///db",
]


@pytest.mark.parametrize("url", URLS)
def test_the_parts_are_sqlalchemys(url: str) -> None:
    ours = pg_connect_params(url)
    theirs = make_url(url)
    assert ours.get("user") == theirs.username
    assert ours.get("password") == theirs.password
    assert ours.get("host") == theirs.host
    assert ours.get("port") == theirs.port
    assert ours.get("dbname") == theirs.database
    for key, value in theirs.query.items():
        if key == "options":
            given = " ".join(value) if isinstance(value, tuple) else value
            assert ours["options"].startswith(given)
        else:
            assert str(ours[key]) == (value if isinstance(value, str) else value[-1])


def test_the_timeouts_are_added_unless_the_url_sets_them() -> None:
    plain = pg_connect_params("postgresql://h/db")
    assert "lock_timeout" in plain["options"] and plain["connect_timeout"] >= 2
    own = pg_connect_params(
        "postgresql://h/db?connect_timeout=9&options=-c%20lock_timeout%3D1%20-c%20statement_timeout%3D2"
    )
    assert own["connect_timeout"] == "9"
    assert own["options"] == "-c lock_timeout=1 -c statement_timeout=2"


def test_a_bad_port_is_one_line_without_the_password() -> None:
    with pytest.raises(DatabaseError) as err:
        pg_connect_params("postgresql://ana:s3cret@h:port/db")
    assert "s3cret" not in str(err.value) and "\n" not in str(err.value)


def test_only_what_the_engine_also_reads_goes_direct() -> None:
    assert is_direct_url("postgresql+psycopg://h/db") and is_direct_url("postgresql://h/db")
    assert not is_direct_url("postgres://h/db")  # SQLAlchemy refuses it: reads must too
    assert not is_direct_url("postgresql+psycopg2://h/db")
