"""The state of the plan on a past date is exactly what stood then (issue: one true state).

The scenario is the issue's own, typed through the public commands (in-process), on SQLite
and PostgreSQL.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from contextlib import redirect_stderr, redirect_stdout
from datetime import date
from io import StringIO
from typing import Any

import pytest

from tests.conftest import PLAN
from tracker.cli import main
from tracker.schedule.passes import plan_calendar
from tracker.store.store import Store, dispose_engines

Run = Callable[..., tuple[int, str, str]]


@pytest.fixture()
def cli(db_url: str, monkeypatch: pytest.MonkeyPatch) -> Run:
    monkeypatch.setenv("TRACKER_USER", "ana")

    def run(*argv: str) -> tuple[int, str, str]:
        out, err = StringIO(), StringIO()
        with redirect_stdout(out), redirect_stderr(err):
            code = main([*argv, "--db", db_url])
        return code, out.getvalue(), err.getvalue()

    assert run("init", "--plan", str(PLAN))[0] == 0
    yield run  # type: ignore[misc]
    dispose_engines()


SCENARIO = [
    ("set", "1.1.1", "en_curso", "--date", "2018-01-03"),
    ("set", "1.1.1", "completada", "--date", "2018-01-30"),
    ("set", "2.1.1", "en_curso", "--percent", "30", "--date", "2018-02-01"),
    ("set", "2.1.1", "en_curso", "--percent", "70", "--date", "2018-03-15"),
    ("set", "2.1.1", "completada", "--date", "2018-04-02"),
    ("deliverable", "set", "1.1.1-P1", "validado", "--date", "2018-04-02"),
]


def tasks(cli: Run, *extra: str) -> dict[str, dict[str, Any]]:
    code, out, err = cli("tasks", "--json", *extra)
    assert code == 0, err
    return {row["id"]: row for row in json.loads(out)}


def deliverables(cli: Run, *extra: str) -> dict[str, dict[str, Any]]:
    code, out, err = cli("deliverable", "list", "--json", *extra)
    assert code == 0, err
    return {row["id"]: row for row in json.loads(out)}


def test_the_scenario_shows_exactly_what_stood_on_each_date(cli: Run) -> None:
    for command in SCENARIO:
        code, _out, err = cli(*command)
        assert code == 0, err

    jan2 = tasks(cli, "--as-of", "2018-01-02")
    assert (jan2["1.1.1"]["status"], jan2["1.1.1"]["actual_finish"]) == ("pendiente", None)
    assert jan2["2.1.1"]["status"] == "pendiente"

    feb15 = tasks(cli, "--as-of", "2018-02-15")
    one, two = feb15["1.1.1"], feb15["2.1.1"]
    assert (one["status"], one["actual_start"], one["actual_finish"]) == (
        "completada",
        "2018-01-03",
        "2018-01-30",
    )
    assert (two["status"], two["percent"], two["actual_start"]) == ("en_curso", 30, "2018-02-01")

    mar31 = tasks(cli, "--as-of", "2018-03-31")
    two = mar31["2.1.1"]
    assert (two["status"], two["percent"], two["actual_finish"]) == ("en_curso", 70, None)
    assert deliverables(cli, "--as-of", "2018-03-31")["1.1.1-P1"]["status"] == "pendiente"
    assert deliverables(cli, "--as-of", "2018-04-02")["1.1.1-P1"]["status"] == "validado"

    apr2 = tasks(cli, "--as-of", "2018-04-02")["2.1.1"]
    assert (apr2["status"], apr2["percent"], apr2["actual_finish"]) == (
        "completada",
        100,
        "2018-04-02",
    )


def test_a_back_dated_correction_counts_from_its_day_and_as_known_shows_the_past(
    cli: Run,
) -> None:
    for command in SCENARIO[:2]:
        assert cli(*command)[0] == 0
    # Recorded later, effective earlier: the finish was really on January 26.
    assert cli("set", "1.1.1", "completada", "--finish", "2018-01-26")[0] == 0
    row = tasks(cli, "--as-of", "2018-01-27")["1.1.1"]
    assert (row["status"], row["actual_finish"]) == ("completada", "2018-01-26")
    # As of the end of January the correction stands over the earlier entry.
    assert tasks(cli, "--as-of", "2018-01-31")["1.1.1"]["actual_finish"] == "2018-01-26"
    # What had been recorded by yesterday knows nothing of today's correction.
    store_rows = tasks(cli, "--as-of", "2018-01-31", "--as-known", "2000-01-01")
    assert store_rows["1.1.1"]["status"] == "pendiente"


def test_headline_slippage_is_the_gap_between_the_dates_it_names(cli: Run, db_url: str) -> None:
    for command in SCENARIO:
        assert cli(*command)[0] == 0
    assert cli("set", "3.1.1", "bloqueada", "--date", "2018-01-10", "--note", "sin fondos")[0] == 0
    for day in ("2018-01-31", "2018-03-15", "2018-05-02"):
        code, out, err = cli("status", "--json", "--as-of", day)
        assert code == 0, err
        status = json.loads(out)
        state = Store(db_url).state(date.fromisoformat(day))
        calendar = plan_calendar(state.plan)
        for summary in [status["overall"], *status["groups"]]:
            base = date.fromisoformat(summary["baseline_finish"])
            fore = date.fromisoformat(summary["forecast_finish"])
            assert summary["slip_days"] == calendar.working_days_between(base, fore), summary


def test_deferred_items_never_get_dates_before_the_plan_or_their_own_start(cli: Run) -> None:
    assert cli("set", "3.4.1", "en_curso", "--date", "2018-02-05")[0] == 0
    assert cli("set", "3.4.1", "diferida", "--date", "2018-03-01", "--note", "fase 3")[0] == 0
    assert cli("set", "1.2.1", "cancelada", "--date", "2018-01-15", "--note", "sin fondos")[0] == 0
    rows = tasks(cli, "--as-of", "2018-04-16")
    deferred, cancelled = rows["3.4.1"], rows["1.2.1"]
    assert deferred["forecast_start"] >= "2018-02-05"
    assert deferred["forecast_finish"] >= deferred["forecast_start"]
    assert cancelled["forecast_start"] >= "2018-01-02"
    assert cancelled["slip_days"] == 0


def test_reads_never_fail_because_of_one_stored_row(cli: Run, db_url: str) -> None:
    """A date far outside the plan (recorded by an older release, or by hand) is flagged on
    its item; every other item and every command still answers."""
    from sqlalchemy import update

    from tracker.store.models import ItemRow

    store = Store(db_url)
    store.write(
        lambda s: s.execute(
            update(ItemRow).where(ItemRow.key == "2.1.1").values(actual_start=date(1900, 3, 1))
        )
    )
    code, out, err = cli("tasks", "--json", "--as-of", "2018-03-01")
    assert code == 0, err
    rows = {r["id"]: r for r in json.loads(out)}
    assert "1900-03-01" in rows["2.1.1"]["problem"]
    assert rows["1.1.1"]["problem"] == ""
    assert cli("status", "--as-of", "2018-03-01")[0] == 0
