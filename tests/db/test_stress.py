"""Stress: 8 processes × 200 writes (status changes and communication log entries) at once.

Afterwards every change is in the history, no update was lost (each item's version is one
more than its changes), and replaying the history gives the final state.
"""

from __future__ import annotations

import multiprocessing
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from tests.conftest import PLAN
from tracker.plan.load import load_plan
from tracker.store.engine import make_engine
from tracker.store.models import ChangeRow, CommActivityRow, ItemRow
from tracker.store.planstore import find_plan, stored_plan
from tracker.store.session import transaction
from tracker.tracking.commlog import ActivityInput, add_activity
from tracker.tracking.status import set_item_status

from .helpers import fresh_db

WORKERS = 8
WRITES = 200
KEYS = ("1.1.1", "1.2.1", "2.1.1", "3.1.1", "4.3.1")
STATUSES = ("en_curso", "bloqueada", "pendiente", "completada")


def _worker(url: str, worker: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    plan = transaction(sessions, lambda s: stored_plan(s, find_plan(s)))
    for i in range(WRITES):
        if i % 4 == 3:
            data = ActivityInput(
                date(2018, 1 + i % 7, 1 + worker), "facebook", ["redes-posts"], f"w{worker}-{i}"
            )
            transaction(
                sessions, lambda s, d=data: add_activity(s, find_plan(s), plan, d, f"w{worker}")
            )
        else:
            key = KEYS[(worker + i) % len(KEYS)]
            status = STATUSES[(worker * 3 + i) % len(STATUSES)]
            transaction(
                sessions,
                lambda s, k=key, st=status, i=i: set_item_status(
                    s,
                    find_plan(s),
                    k,
                    st,
                    on=date(2018, 2, 1),
                    author=f"w{worker}",
                    note=f"w{worker}-{i}",
                    percent=None if st == "completada" else i % 100,
                ),
            )
    out.put(WRITES)


def test_eight_writers_two_hundred_writes_each(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_worker, args=(db_url, w, out)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(300)
        assert p.exitcode == 0
    assert sum(out.get(timeout=5) for _ in procs) == WORKERS * WRITES

    def check(session: object) -> None:
        changes = session.scalars(
            select(ChangeRow)
            .where(  # type: ignore[attr-defined]
                ChangeRow.action.in_(("status", "add"))
            )
            .order_by(ChangeRow.id)
        ).all()
        assert len(changes) == WORKERS * WRITES  # every write is in the history
        items = {r.key: r for r in session.scalars(select(ItemRow))}  # type: ignore[attr-defined]
        for key in KEYS:
            mine = [c for c in changes if c.entity == "item" and c.entity_key == key]
            assert items[key].version == 1 + len(mine)  # no lost update
            state = {"status": "pendiente", "percent": 0}
            for change in mine:  # replaying the history ...
                assert change.before["status"] == state["status"]
                state = {"status": change.after["status"], "percent": change.after["percent"]}
            # ... ends where the database is
            assert state == {"status": items[key].status, "percent": items[key].percent}
        logged = session.scalars(select(CommActivityRow)).all()  # type: ignore[attr-defined]
        adds = {c.entity_key: c.after for c in changes if c.action == "add"}
        assert len(logged) == len(adds) == WORKERS * WRITES // 4
        for row in logged:
            assert adds[str(row.id)]["title"] == row.title

    transaction(sessions, check)
