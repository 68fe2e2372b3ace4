"""The database commands as scripts use them: exit codes, one-line errors, JSON shapes."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from ..conftest import ROOT


@pytest.fixture()
def tracker(tmp_path: Path):  # type: ignore[no-untyped-def]
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp_path / "t.db"),
        "TRACKER_USER": "ana",
        "TRACKER_LANG": "en",
    }

    def run(*args: str, user: str = "ana") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**env, "TRACKER_USER": user},
        )

    return run


def test_init_status_set_history_undo(tracker) -> None:  # type: ignore[no-untyped-def]
    first = tracker("init")
    assert first.returncode == 0 and "loaded plan panama-fase2 (51 items)" in first.stdout
    assert "already loaded" in tracker("init").stdout
    done = tracker("set", "1.1.1", "completada", "--date", "2018-01-24", "--note", "ok")
    assert done.returncode == 0 and "completada" in done.stdout
    tracker("set", "1.2.1", "en_curso", "--date", "2018-01-03", "--percent", "50", user="luis")
    # As of Feb 15: 1.4.1's baseline (Jan 31 – Feb 14) has passed; 1.2.1's (to Feb 28) not.
    tasks = json.loads(tracker("tasks", "--as-of", "2018-02-15", "--area", "1", "--json").stdout)
    required = {
        "id",
        "status",
        "percent",
        "baseline_start",
        "baseline_finish",
        "forecast_start",
        "forecast_finish",
        "actual_start",
        "actual_finish",
        "slip_days",
        "late",
    }
    assert required <= set(tasks[0])
    by_id = {t["id"]: t for t in tasks}
    assert by_id["1.1.1"]["actual_finish"] == "2018-01-24"
    assert by_id["1.1.1"]["slip_days"] == 1  # baseline finish Jan 23
    assert by_id["1.2.1"]["late"] is False and by_id["1.4.1"]["late"] is True
    status = json.loads(tracker("status", "--as-of", "2018-01-31", "--json").stdout)
    assert status["overall"]["counts"]["completada"] == 1
    from tracker.plan.load import load_plan
    from tracker.schedule.passes import compute_schedule

    planned = compute_schedule(load_plan(str(ROOT / "data" / "plan_fase2.yaml"))).finish
    assert status["overall"]["baseline_finish"] == planned.isoformat()
    history = json.loads(tracker("history", "1.1.1", "--json").stdout)
    assert history[0]["author"] == "ana" and history[0]["after"]["status"] == "completada"
    undo = tracker("undo")
    assert undo.returncode == 0 and "1.1.1" in undo.stdout
    tasks = json.loads(tracker("tasks", "--status", "completada", "--json").stdout)
    assert tasks == []
    late = json.loads(
        tracker("tasks", "--as-of", "2018-03-01", "--late", "--who", "SINAPROC", "--json").stdout
    )
    assert late and all(t["id"].startswith("4.") for t in late)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["set", "2.2.3", "en_curso"], "unknown item 2.2.3"),
        (["set", "1.1.1", "terminada"], "unknown status 'terminada'"),
        (["set", "1.1.1", "en_curso", "--percent", "150"], "between 0 and 100"),
        (["set", "1.1.1", "en_curso", "--date", "2018-02-30"], "invalid date '2018-02-30'"),
        (["set", "1.1.1", "bloqueada"], "needs a reason"),
        (
            ["set", "1.1.1", "completada", "--start", "2018-02-01", "--finish", "2018-01-15"],
            "before the start date",
        ),
        (["deliverable", "set", "1.1.1-P9", "validado"], "unknown deliverable 1.1.1-P9"),
        (["tasks", "--status", "hecha"], "unknown status 'hecha'"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_writes_nothing(
    tracker,
    args: list[str],  # type: ignore[no-untyped-def]
    message: str,
) -> None:
    tracker("init")
    before = tracker("history", "--json").stdout
    result = tracker(*args)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and message in lines[0]
    assert tracker("history", "--json").stdout == before


def test_commands_on_a_missing_or_foreign_database(tracker, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    result = tracker("status")
    assert result.returncode == 2 and "tracker init" in result.stderr
    bogus = tmp_path / "bogus.db"
    bogus.write_text("not a database")
    result = tracker("status", "--db", str(bogus))
    assert result.returncode == 2 and len(result.stderr.strip().splitlines()) == 1
    assert bogus.read_text() == "not a database"


def test_read_commands_on_the_embedded_database_skip_sqlalchemy_and_holidays(
    tracker, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """`status` and `tasks` read a SQLite file with the standard library and the holidays
    stored with the plan: importing SQLAlchemy or the holidays package would cost more than
    the whole command may take (issue 7: under 0.4 s cold)."""
    tracker("init")
    code = (
        "import sys; from tracker.cli import main;"
        "codes = [main(['status']), main(['tasks', '--json'])];"
        "bad = [m for m in ('sqlalchemy', 'holidays', 'networkx') if m in sys.modules];"
        "print('CHECK', codes, ','.join(bad), file=sys.stderr)"
    )
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "TRACKER_DB": str(tmp_path / "t.db"), "TRACKER_LANG": "en"},
    )
    assert "CHECK [0, 0] \n" in result.stderr, result.stderr


@pytest.mark.parametrize(
    ("revision", "message"),
    [
        ("0002", "run `tracker db upgrade`"),
        ("9999", "upgrade the tracker"),
    ],
)
def test_read_commands_refuse_another_schema_in_one_line(
    tracker, revision: str, message: str, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    tracker("init")
    with sqlite3.connect(tmp_path / "t.db") as conn:
        conn.execute("UPDATE alembic_version SET version_num = ?", (revision,))
    for command in ("status", "tasks"):
        result = tracker(command)
        lines = result.stderr.strip().splitlines()
        assert result.returncode == 2 and len(lines) == 1 and message in lines[0], lines


def test_db_upgrade_from_0002_keeps_everything_and_status_still_works(
    tracker, tmp_path: Path
) -> None:  # type: ignore[no-untyped-def]
    """A database made before the holidays were stored upgrades in place; its plan falls back
    to the holidays package and gives the same figures."""
    import sqlite3

    tracker("init")
    tracker("set", "3.1.1", "completada", "--date", "2018-01-25", "--start", "2018-01-02")
    before = tracker("status", "--as-of", "2018-03-01", "--json").stdout
    db = tmp_path / "t.db"
    with sqlite3.connect(db) as conn:
        conn.execute("ALTER TABLE plans DROP COLUMN country_holidays")
        conn.execute("DROP INDEX ix_changes_effective")
        conn.execute("DROP INDEX ix_changes_replay")
        conn.execute("ALTER TABLE changes DROP COLUMN effective")
        conn.execute("UPDATE alembic_version SET version_num = '0002'")
    assert tracker("status").returncode == 2
    result = tracker("db", "upgrade")
    assert result.returncode == 0, result.stderr
    assert tracker("status", "--as-of", "2018-03-01", "--json").stdout == before
    assert len(json.loads(tracker("history", "--json").stdout)) == 2


def test_db_upgrade_is_idempotent_and_password_is_masked(tracker) -> None:  # type: ignore[no-untyped-def]
    tracker("init")
    assert "up to date" in tracker("db", "upgrade").stdout
    result = tracker("status", "--db", "postgresql+psycopg://ana:s3cret@127.0.0.1:1/nada")
    assert result.returncode == 2 and "s3cret" not in result.stderr and "***" in result.stderr


def test_status_on_the_bundled_plan_matches_hand_figures(tracker) -> None:  # type: ignore[no-untyped-def]
    """Worked out by hand from the baseline (tracker plan schedule) and the Panama calendar.

    3.1.1 (baseline Jan 2–16) finished Jan 25: 7 working days late (17, 18, 19, 22, 23, 24,
    25). 3.1.2 (30 days, baseline Jan 31 – Mar 14) starts 10 working days after 3.1.1 (the
    contracting lag): Jan 26, 29, 30, 31, Feb 1, 2, 5, 6, 7, 8, so on Feb 9; its 30 days are
    Feb 9, 12, 14–16 (the 13th is Carnival), 19–23, 26–28, Mar 1–2, 5–9, 12–16, 19–23: it ends
    Mar 23, 7 working days after its baseline (Mar 15, 16, 19–23). Open items whose baseline
    finish has passed by Jan 26: 1.1.1, 2.1.1, 3.3.1 (Jan 23) and 5.1.1 (Jan 16).
    Area 3's task-days: 10 + 30 + 20 + 15 + 15 + 10 + 10 + 15 + 30 + 5 = 160.
    """
    tracker("init")
    tracker("set", "3.1.1", "en_curso", "--date", "2018-01-02")
    tracker("set", "3.1.1", "completada", "--date", "2018-01-25")
    items = {
        t["id"]: t for t in json.loads(tracker("tasks", "--as-of", "2018-01-26", "--json").stdout)
    }
    assert items["3.1.1"]["slip_days"] == 7
    assert (items["3.1.2"]["forecast_start"], items["3.1.2"]["forecast_finish"]) == (
        "2018-02-09",
        "2018-03-23",
    )
    assert items["3.1.2"]["slip_days"] == 7 and items["3.1.2"]["late"] is False
    status = json.loads(tracker("status", "--as-of", "2018-01-26", "--json").stdout)
    assert sorted(status["late"]) == ["1.1.1", "2.1.1", "3.3.1", "5.1.1"]
    area3 = next(g for g in status["groups"] if g["key"] == "3")
    assert area3["counts"]["completada"] == 1 and area3["counts"]["pendiente"] == 9
    # 3.1.1 is 10 of area 3's 160 task-days: 6.2 %.
    assert area3["percent"] == round(100 * 10 / 160, 1)


def test_a_database_locked_too_long_is_one_line_and_nothing_is_written(
    tracker, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:  # type: ignore[no-untyped-def]
    import sqlite3

    tracker("init")
    before = tracker("history", "--json").stdout
    holder = sqlite3.connect(tmp_path / "t.db", isolation_level=None)
    holder.execute("BEGIN IMMEDIATE")  # another writer holds the lock and does not let go
    try:
        monkeypatch.setenv("TRACKER_BUSY_TIMEOUT", "0.1")
        env = {**os.environ, "TRACKER_DB": str(tmp_path / "t.db"), "TRACKER_LANG": "en"}
        result = subprocess.run(
            [sys.executable, "-m", "tracker", "set", "1.1.1", "en_curso"],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=60,
        )
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert result.returncode == 2
    assert result.stderr.strip().count("\n") == 0 and "locked" in result.stderr
    assert tracker("history", "--json").stdout == before


def test_status_lists_what_falls_due(tracker) -> None:  # type: ignore[no-untyped-def]
    """Due soon is by the forecast. As of Sat Jan 20, 1.1.1 (15 days) started Jan 2 and is at
    90 %: its last 2 days (15 × 10 % rounded up) are Mon 22 and Tue 23, inside 5 days. The
    other two 15-day tasks due Jan 23 by the baseline (2.1.1, 3.3.1) have not started: they
    cannot start before Jan 22 and end in February, so they are at risk, not due."""
    tracker("init")
    tracker("set", "1.1.1", "en_curso", "--percent", "90", "--date", "2018-01-02")
    status = json.loads(
        tracker("status", "--as-of", "2018-01-20", "--due-days", "5", "--json").stdout
    )
    assert [(d["id"], d["forecast_finish"]) for d in status["due"]] == [("1.1.1", "2018-01-23")]
    assert {"2.1.1", "3.3.1"} <= set(status["at_risk"])
