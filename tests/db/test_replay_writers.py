"""The state the store reads for a past date (each key's last counted change standing for its
history where it can: ``tracker.store.queries.REPLAY_LAST``) equals a replay of the whole
history, with every writer mixed in at random: status changes through the ORM and through
sqlite3, changes of several items at once, undos, CSV imports, and plan syncs that rename
items (changes of a tracked key without its tracked fields). Written by a reviewer to try
to break the shortcut."""

from __future__ import annotations

import random
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PLAN
from tests.db.helpers import fresh_db
from tests.db.test_state_replay import _essence, _stored_with_history
from tracker.errors import TrackerError
from tracker.plan.load import load_plan, parse_plan
from tracker.state.plan_state import plan_state
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.store.store import Store, dispose_engines
from tracker.tracking import actions
from tracker.tracking.csvread import parse_table
from tracker.tracking.status import (
    set_item_status,
    set_items_status,
    undo_last,
)
from tracker.tracking.statusimport import import_status_file
from tracker.tracking.sync import sync_plan

ITEMS = ["1.1.1", "1.2.1", "2.1.1", "2.2.1", "3.1.1", "3.2.1", "4.1.1", "5.1.1"]


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_every_writer_mixed_reads_as_a_full_replay(tmp_path: Path, seed: int) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    plan = load_plan(str(PLAN))
    text = Path(PLAN).read_text(encoding="utf-8")
    sessions = fresh_db(url, plan)
    store = Store(url)
    rng = random.Random(seed)
    products = [d.id for d in plan.deliverables.values() if d.producer in ITEMS][:6]
    first = plan.meta.period.start
    ok = 0
    done: dict[int, int] = {}
    for n in range(220):
        day = first + timedelta(days=rng.randrange(0, 150))
        op = rng.randrange(10)
        who = rng.choice(["ana", "luis"])
        status = rng.choice(["en_curso", "en_curso", "completada", "bloqueada", "pendiente"])
        opts: dict[str, Any] = {
            "percent": rng.randrange(0, 100, 10) if status == "en_curso" else None,
            "note": "espera" if status == "bloqueada" else "",
        }
        try:
            if op == 0:
                transaction(sessions, lambda s: undo_last(s, find_plan(s), who))  # noqa: B023 - runs at once
            elif op == 1:
                actions.set_item(store, rng.choice(ITEMS), status, author=who, on=day, **opts)
            elif op == 2 and products:
                actions.set_deliverable(
                    store, rng.choice(products),
                    rng.choice(["en_revision", "validado", "borrador", "entregado"]),
                    author=who, on=day, evidence=rng.choice([None, "x.pdf", ""]),
                )  # fmt: skip
            elif op == 3:
                keys = rng.sample(ITEMS, 2)
                transaction(
                    sessions,
                    lambda s, k=keys, st=status, d=day, w=who, o=opts: set_items_status(
                        s, find_plan(s), k, st, on=d, author=w, **o
                    ),
                )
            elif op == 4:
                rows = rng.sample(ITEMS, 3)
                body = "".join(
                    f"{k},{rng.choice(['en_curso', 'completada', 'pendiente'])},"
                    f"{(first + timedelta(days=rng.randrange(0, 150))).isoformat()}\n"
                    for k in rows
                )
                table = parse_table(f"f{n}.csv", "id,status,date\n" + body)
                import_status_file(sessions, None, table, author=who, today=date(2019, 1, 1))
            elif op == 5:
                # a sync that renames one item (a tracked key's change without tracked fields)
                key = rng.choice(ITEMS)
                p = parse_plan(str(PLAN), text)
                p.items[key].title = f"{p.items[key].title} r{n}"
                transaction(sessions, lambda s: sync_plan(s, p, who, dry_run=False))  # noqa: B023 - runs at once
            else:
                transaction(
                    sessions,
                    lambda s, st=status, d=day, w=who, o=opts: set_item_status(
                        s, find_plan(s), rng.choice(ITEMS), st, on=d, author=w, **o
                    ),
                )
            ok += 1
            done[op] = done.get(op, 0) + 1
        except TrackerError:
            pass
    assert ok > 100
    assert set(done) == set(range(10))  # every kind of write landed at least once
    try:
        stored = store.read(_stored_with_history)
        for offset in range(-2, 160, 2):
            day = first + timedelta(days=offset)
            stored.latest_effective = date(9999, 1, 1)
            whole = plan_state(stored, day)
            assert _essence(store.state(day)) == _essence(whole), day
            got = store.state(day)
            assert {k: d.updated_by for k, d in got.deliverables.items()} == {
                k: d.updated_by for k, d in whole.deliverables.items()
            }, day
    finally:
        dispose_engines()
