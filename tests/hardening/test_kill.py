"""Processes killed (SIGKILL) in the middle of writing leave a consistent database.

A writer is killed at a random moment, many times: during status changes, and during syncs
of a revised plan. After every kill the database passes SQLite's integrity check, every
change is wholly there or wholly absent (an item's version is exactly one more than its
recorded changes; the active items match the last recorded sync), and the next command
works without repair.
"""

from __future__ import annotations

import os
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

from tests.conftest import PLAN, ROOT
from tests.db.helpers import fresh_db
from tracker.plan.load import load_plan

KILLS = 20
STATUS_WRITER = r"""
import random, sys
from datetime import date
from sqlalchemy.orm import sessionmaker
from tracker.store.engine import make_engine
from tracker.store.session import transaction
from tracker.store.planstore import find_plan
from tracker.tracking.status import set_item_status
sessions = sessionmaker(make_engine(sys.argv[1]), expire_on_commit=False)
rng = random.Random()
keys = ["1.1.1", "1.2.1", "2.1.1", "3.1.1", "4.3.1", "5.1.1"]
statuses = ["en_curso", "pendiente", "completada"]
n = 0
while True:
    n += 1
    key, status = rng.choice(keys), rng.choice(statuses)
    transaction(sessions, lambda s: set_item_status(
        s, find_plan(s), key, status, on=date(2018, 1, 20), author="kill",
        note=f"n{n}", percent=None if status == "completada" else n % 100))
"""
SYNC_WRITER = r"""
import sys
from sqlalchemy.orm import sessionmaker
from tracker.store.engine import make_engine
from tracker.store.session import transaction
from tracker.plan.load import load_plan
from tracker.tracking.sync import sync_plan
sessions = sessionmaker(make_engine(sys.argv[1]), expire_on_commit=False)
plans = [load_plan(sys.argv[2]), load_plan(sys.argv[3])]
i = 0
while True:
    i += 1
    transaction(sessions, lambda s: sync_plan(s, plans[i % 2], "kill", dry_run=False))
"""


def run_and_kill(code: str, args: list[str], rng: random.Random) -> None:
    proc = subprocess.Popen(
        [sys.executable, "-c", code, *args],
        cwd=ROOT,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    time.sleep(rng.uniform(0.6, 1.6))  # past start-up: in the middle of writing
    assert proc.poll() is None, proc.stderr.read().decode() if proc.stderr else ""
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait()


def check_consistent(db: Path) -> tuple[int, int]:
    with sqlite3.connect(db) as conn:
        assert conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
        versions = dict(conn.execute("SELECT key, version FROM items"))
        # Every write of an item is recorded: its version is one more than its changes
        # (an item added by a sync starts at 1 with its "sync-added" change).
        counts = dict(
            conn.execute(
                "SELECT entity_key, count(*) FROM changes WHERE entity = 'item' AND action != "
                "'sync-added' GROUP BY entity_key"
            )
        )
        for key, version in versions.items():
            assert version == 1 + counts.get(key, 0), key
        statuses = conn.execute("SELECT count(*) FROM changes WHERE action = 'status'")
        last = conn.execute(
            "SELECT action, after FROM changes WHERE entity = 'plan' ORDER BY id DESC LIMIT 1"
        ).fetchone()
        active = conn.execute("SELECT count(*) FROM items WHERE archived = 0").fetchone()[0]
        extra = conn.execute("SELECT archived FROM items WHERE key = 'X.1'").fetchone()
        if last[0] == "sync" and '"added": 1' in last[1]:
            assert (active, extra) == (52, (0,))
        else:
            assert active == 51 and extra in (None, (1,))
        return statuses.fetchone()[0], active


def test_killed_writers_leave_the_database_consistent(tmp_path: Path) -> None:
    db = tmp_path / "kill.db"
    url = f"sqlite:///{db}"
    fresh_db(url, load_plan(str(PLAN)))
    revised = tmp_path / "revised.yaml"
    text = PLAN.read_text(encoding="utf-8")
    marker = "\nmilestones:\n"
    assert marker in text
    revised.write_text(
        text.replace(marker, marker + '- {id: "X.1", title: Hito extra}\n', 1), encoding="utf-8"
    )
    rng = random.Random(8)
    writes = []
    for kill in range(KILLS):
        if kill % 2:
            run_and_kill(SYNC_WRITER, [url, str(revised), str(PLAN)], rng)
        else:
            run_and_kill(STATUS_WRITER, [url], rng)
        writes.append(check_consistent(db))
    assert writes[-1][0] > 0  # the status writers did get changes in between kills
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_LANG": "en"}
    result = subprocess.run(
        [sys.executable, "-m", "tracker", "status", "--as-of", "2018-04-16"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    )
    assert result.returncode == 0, result.stderr
    print(f"{KILLS} kills survived; {writes[-1][0]} status changes checked")
