"""Several processes writing at once: no lost update, every change in the history."""

from __future__ import annotations

import itertools
import multiprocessing
from datetime import date
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from tracker.store.engine import make_engine
from tracker.store.models import ChangeRow, ItemRow
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_item_status

from .helpers import fresh_db, small_plan

WORKERS = 4
CHANGES = 25
KEYS = ("A", "B", "C")
STATUSES = ("en_curso", "bloqueada", "pendiente", "completada")


def _worker(url: str, worker: int, out: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    done = 0
    for i in range(CHANGES):
        key = KEYS[(worker + i) % len(KEYS)]
        status = STATUSES[(worker * 7 + i) % len(STATUSES)]
        transaction(
            sessions,
            lambda s, key=key, status=status, i=i: set_item_status(
                s,
                find_plan(s),
                key,
                status,
                on=date(2018, 1, 2),
                author=f"w{worker}",
                percent=i if status != "completada" else None,
                note=f"w{worker}-{i}",
                finish=date(2018, 2, 1) if status == "completada" else None,
            ),
        )
        done += 1
    out.put(done)


def test_concurrent_writers_lose_nothing(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    ctx = multiprocessing.get_context("fork")
    out: multiprocessing.Queue = ctx.Queue()  # type: ignore[type-arg]
    procs = [ctx.Process(target=_worker, args=(db_url, w, out)) for w in range(WORKERS)]
    for p in procs:
        p.start()
    for p in procs:
        p.join(120)
        assert p.exitcode == 0
    assert sum(out.get(timeout=5) for _ in procs) == WORKERS * CHANGES

    def check(session: object) -> None:
        changes = session.scalars(
            select(ChangeRow)
            .where(  # type: ignore[attr-defined]
                ChangeRow.action == "status"
            )
            .order_by(ChangeRow.id)
        ).all()
        assert len(changes) == WORKERS * CHANGES
        assert {c.note for c in changes} == {
            f"w{w}-{i}" for w in range(WORKERS) for i in range(CHANGES)
        }
        rows = {r.key: r for r in session.scalars(select(ItemRow))}  # type: ignore[attr-defined]
        for key in KEYS:
            mine = [c for c in changes if c.entity_key == key]
            row = rows[key]
            # Each write bumped the version exactly once: no write overwrote another unseen.
            assert row.version == 1 + len(mine)
            # Replaying the history ends where the database is.
            assert {"status": row.status, "percent": row.percent} == {
                "status": mine[-1].after["status"],
                "percent": mine[-1].after["percent"],
            }
            for before, after in itertools.pairwise(mine):
                assert after.before == before.after

    transaction(sessions, check)
