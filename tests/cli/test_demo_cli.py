"""``tracker plan rebase`` and ``tracker demo`` as scripts use them: exit codes, one-line
errors. (The demo's UI itself is not started here: it would wait for a terminal.)"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest

from ..conftest import ROOT

Run = Callable[..., subprocess.CompletedProcess[str]]


@pytest.fixture()
def tracker(tmp_path: Path) -> Run:
    env = {
        **os.environ,
        "TRACKER_DB": str(tmp_path / "t.db"),
        "TRACKER_USER": "ana",
        "TRACKER_LANG": "en",
        "XDG_DATA_HOME": str(tmp_path / "data"),
    }

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )

    return run


def one_line_error(result: subprocess.CompletedProcess[str], text: str) -> bool:
    lines = result.stderr.strip().splitlines()
    return result.returncode == 2 and len(lines) == 1 and text in lines[0]


def test_plan_rebase_moves_the_baseline_and_is_recorded(tracker: Run) -> None:
    assert tracker("init").returncode == 0
    moved = tracker("plan", "rebase", "--start", "2020-01-06", "--note", "plantilla")
    assert moved.returncode == 0, moved.stderr
    assert "51 items" in moved.stdout and "2020-01-05" in moved.stdout
    tasks = json.loads(tracker("tasks", "--as-of", "2020-01-06", "--json").stdout)
    assert min(t["baseline_start"] for t in tasks) == "2020-01-06"
    assert all(t["slip_days"] == 0 for t in tasks)
    history = json.loads(tracker("history", "--json").stdout)
    assert history[0]["action"] == "rebase" and history[0]["note"] == "plantilla"
    again = tracker("plan", "rebase", "--start", "2020-01-06")
    assert again.returncode == 0 and "nothing to change" in again.stdout


def test_plan_rebase_refusals_are_one_line_and_write_nothing(tracker: Run) -> None:
    assert one_line_error(tracker("plan", "rebase", "--start", "2020-01-06"), "tracker init")
    tracker("init")
    assert one_line_error(tracker("plan", "rebase", "--start", "2020-13-01"), "invalid date")
    assert tracker("plan", "rebase").returncode == 2  # --start is required
    tracker("set", "1.1.1", "en_curso", "--date", "2018-01-03")
    before = tracker("history", "--json").stdout
    refused = tracker("plan", "rebase", "--start", "2020-01-06")
    assert one_line_error(refused, "work is recorded on 1.1.1")
    assert tracker("history", "--json").stdout == before


def test_demo_help_and_refusal_to_replace_a_team_database(tracker: Run, tmp_path: Path) -> None:
    helped = tracker("demo", "--help")
    assert helped.returncode == 0 and "--db" in helped.stdout
    assert "demo" in tracker("--help").stdout
    tracker("init")
    before = tracker("history", "--json").stdout
    refused = tracker("demo", "--db", str(tmp_path / "t.db"))
    assert refused.returncode == 2 and "not a demo" in refused.stderr
    assert tracker("history", "--json").stdout == before


def test_demo_keeps_the_previous_database_unless_reset(tmp_path: Path) -> None:
    """The demo says which database it opens before opening it, keeps the user's changes
    between runs, and rebuilds only on --reset (in-process: the UI itself is not started)."""
    from sqlalchemy.orm import sessionmaker

    from tracker.cli.demo import prepare_or_keep
    from tracker.store.engine import make_engine
    from tracker.store.planstore import find_plan
    from tracker.store.session import transaction
    from tracker.tracking.status import get_item, set_item_status

    url = f"sqlite:///{tmp_path / 'demo.db'}"
    said: list[str] = []
    prepare_or_keep(url, False, said.append)
    assert len(said) == 1 and "Building the demonstration database" in said[0]
    assert "demo.db" in said[0]
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    transaction(
        sessions,
        lambda s: set_item_status(
            s, find_plan(s), "E.9", "bloqueada", on=date(2018, 4, 16), author="yo", note="prueba"
        ),
    )

    def status() -> str:
        return transaction(sessions, lambda s: get_item(s, find_plan(s), "E.9").status)

    said.clear()
    notice = prepare_or_keep(url, False, said.append)
    assert "of last time, with your changes" in said[0] and "--reset" in said[0]
    assert "as you left it" in notice and status() == "bloqueada"
    said.clear()
    prepare_or_keep(url, True, said.append)
    assert "Deleting the previous demonstration database" in said[0]
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    assert status() != "bloqueada"
