"""Dates typed by hand: out of the plan's window, impossible, or in the wrong order.

Each refusal is one line naming what and where, exit 2, and every table as it was.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import text

from tests.conftest import PLAN
from tests.db.conftest import db_url  # noqa: F401 - the fixture, on SQLite and PostgreSQL
from tests.db.helpers import fresh_db, run
from tests.hardening.support import cli, dump
from tracker.errors import InputError
from tracker.plan.load import load_plan
from tracker.store.engine import make_engine
from tracker.tracking.commlog import ActivityInput, add_activity
from tracker.tracking.validate import allowed_range, check_actual_date

TODAY = date.today()
LATEST = TODAY + timedelta(days=7)
WEB = ("--channel", "web", "--target", "web-publicaciones", "--title", "Inicio")


@pytest.fixture()
def team(db_url: str, monkeypatch: pytest.MonkeyPatch) -> str:  # noqa: F811
    """The bundled plan (2018-01-01 – 2018-07-31) in a fresh database, named by TRACKER_DB."""
    fresh_db(db_url, load_plan(str(PLAN)))
    monkeypatch.setenv("TRACKER_DB", db_url)
    monkeypatch.setenv("TRACKER_USER", "ana")
    return db_url


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (
            ("set", "2.1.1", "en_curso", "--date", "2016-03-01"),
            ("2.1.1", "actual start", "2016-03-01", f"2017-01-01 – {LATEST}"),
        ),
        (
            ("set", "2.1.1", "en_curso", "--date", "2108-03-01"),
            ("2.1.1", "actual start", "2108-03-01", f"2017-01-01 – {LATEST}"),
        ),
        (
            (
                "set",
                "2.1.1",
                "completada",
                "--start",
                "2018-03-01",
                "--finish",
                str(TODAY + timedelta(days=30)),
            ),
            ("2.1.1", "actual finish", str(TODAY + timedelta(days=30))),
        ),
        (
            ("set", "2.1.1", "completada", "--start", "2018-03-01", "--finish", "2018-02-01"),
            ("2.1.1", "finish date 2018-02-01 is before the start date 2018-03-01"),
        ),
        (
            ("deliverable", "set", "3.5.2-P1", "validado", "--date", "2030-01-01"),
            ("3.5.2-P1", "status date", "2030-01-01", f"2017-01-01 – {LATEST}"),
        ),
        (
            ("deliverable", "set", "3.5.2-P1", "validado", "--date", "2016-12-31"),
            ("3.5.2-P1", "status date", "2016-12-31"),
        ),
        (
            ("set", "2.1.1", "pendiente", "--date", "2016-03-01"),
            ("2.1.1: date 2016-03-01 is outside the allowed range",),
        ),
        (("comms", "add", "--date", "2016-06-01", *WEB), ("--date", "2016-06-01", "outside")),
        (
            ("set", "2.1.1", "en_curso", "--date", "9999-12-31"),
            ("--date", "9999-12-31", "out of range", "1900-01-01", "2199-12-31"),
        ),
        (("comms", "add", "--date", "0001-01-01", *WEB), ("--date", "0001-01-01", "out of range")),
    ],
    ids=[
        "set-2016",
        "set-2108",
        "set-finish-next-month",
        "set-finish-before-start",
        "deliverable-2030",
        "deliverable-2016",
        "set-pending-2016",
        "comms-2016",
        "set-9999",
        "comms-0001",
    ],
)
def test_dates_out_of_range_are_refused_and_nothing_is_written(
    team: str, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragments: tuple[str]
) -> None:
    before = dump(team)
    result = cli(capsys, *args)
    assert result.refused(*fragments), result
    assert dump(team) == before


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("status", "--as-of", "9999-12-31"), ("--as-of", "9999-12-31", "out of range")),
        (("tasks", "--as-of", "0001-01-01"), ("--as-of", "0001-01-01", "out of range")),
        (("comms", "quarter", "--as-of", "0001-01-01"), ("--as-of", "out of range")),
        (("comms", "quarter", "--quarter", "9999Q4"), ("--quarter", "invalid quarter '9999Q4'")),
        (("comms", "check", "--month", "9999-12"), ("--month", "9999-12", "out of range")),
        (("report", "--month", "0001-01"), ("--month", "0001-01", "out of range")),
        (("gantt", "--from", "0001-01-01"), ("--from", "out of range")),
        (("brief", "--quarter", "9999Q4"), ("--quarter", "invalid quarter '9999Q4'")),
        (("brief", "--month", "0001-01"), ("--month", "0001-01", "out of range")),
    ],
    ids=[
        "status",
        "tasks",
        "quarter-as-of",
        "quarter",
        "check-month",
        "report",
        "gantt",
        "brief-quarter",
        "brief-month",
    ],
)
def test_impossible_dates_in_read_options_are_one_line(
    tmp_path: object,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    fragments: tuple[str],
) -> None:
    # Refused while the arguments are read: no database is needed, none is touched.
    result = cli(capsys, *args, "--db", "/nonexistent/never-opened.db")
    assert result.refused(*fragments), result


def test_the_window_and_its_edges() -> None:
    start, end, today = date(2018, 1, 1), date(2018, 7, 31), date(2018, 5, 2)
    assert allowed_range(start, end, today) == (date(2017, 1, 1), date(2018, 5, 9))
    check_actual_date(start, end, today, "1.1.1", "actual_start", date(2017, 1, 1))
    check_actual_date(start, end, today, "1.1.1", "actual_finish", date(2018, 5, 9))
    with pytest.raises(InputError, match=r"^1\.1\.1: actual start 2016-12-31 is outside"):
        check_actual_date(start, end, today, "1.1.1", "actual_start", date(2016, 12, 31))
    with pytest.raises(InputError, match="2018-05-10 is outside the allowed range"):
        check_actual_date(start, end, today, "1.1.1", "actual_finish", date(2018, 5, 10))
    # A plan starting on 29 February: a year before is the 28th.
    assert allowed_range(date(2024, 2, 29), date(2024, 12, 31), today)[0] == date(2023, 2, 28)


def test_a_communication_in_the_period_but_not_yet_happened_is_refused(team: str) -> None:
    from sqlalchemy.orm import sessionmaker

    from tracker.store.planstore import stored_plan

    sessions = sessionmaker(make_engine(team), expire_on_commit=False)
    before = dump(team)
    data = ActivityInput(date(2018, 4, 20), "web", ["web-publicaciones"], "Nota")
    with pytest.raises(InputError, match="2018-04-20 is outside the allowed range"):
        run(
            sessions,
            lambda s, row: add_activity(s, row, stored_plan(s, row), data, "ana", date(2018, 4, 1)),
        )
    assert dump(team) == before


def _poison(url: str) -> None:
    """Rows a user could store before the rule existed."""
    engine = make_engine(url)
    with engine.begin() as conn:
        conn.execute(
            text("UPDATE items SET status = 'en_curso', actual_start = :day WHERE key = '2.1.1'"),
            {"day": date(2016, 3, 1)},
        )
        conn.execute(
            text("UPDATE deliverables SET status_date = :day WHERE key = '3.5.2-P1'"),
            {"day": date(2108, 3, 1)},
        )
    engine.dispose()


def test_db_check_lists_stored_rows_the_rule_refuses(
    team: str, capsys: pytest.CaptureFixture[str]
) -> None:
    clean = cli(capsys, "db", "check")
    assert clean.code == 0 and "no stored value breaks the rules" in clean.out
    _poison(team)
    before = dump(team)
    found = cli(capsys, "db", "check")
    assert found.code == 1, found
    lines = found.out.splitlines()
    assert lines[0].startswith("2.1.1: actual start 2016-03-01 is outside the allowed range")
    assert lines[1].startswith("3.5.2-P1: status date 2108-03-01 is outside")
    assert lines[2].startswith("2 stored values would be refused today")
    assert dump(team) == before  # a check writes nothing
    # Correcting them through the ordinary commands clears the list.
    assert cli(capsys, "set", "2.1.1", "en_curso", "--start", "2018-03-01").code == 0
    fixed = cli(capsys, "deliverable", "set", "3.5.2-P1", "borrador", "--date", "2018-03-02")
    assert fixed.code == 0
    assert cli(capsys, "db", "check").code == 0


def test_a_stored_bad_date_does_not_block_a_change_that_keeps_it(
    team: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _poison(team)
    # The percent changes; the stored start is not written again, so it is not judged here
    # (`db check` keeps listing it).
    result = cli(capsys, "set", "2.1.1", "en_curso", "--percent", "40")
    assert result.code == 0, result
    assert "2.1.1" in cli(capsys, "db", "check").out
