"""`import csv` written in bulk: each row checked against the rows above it, each batch its
own transaction with others' saves between, the whole import undone as one."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from tests.conftest import PLAN
from tests.db.helpers import fresh_db, run, small_plan
from tracker.plan.load import load_plan
from tracker.store.models import ChangeRow, ItemRow
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking import importlog
from tracker.tracking.csvread import parse_table
from tracker.tracking.status import set_item_status, undo_last
from tracker.tracking.statusimport import import_status_file

TODAY = date(2018, 3, 1)


def _items(sessions: Any) -> dict[str, tuple[Any, ...]]:
    return transaction(
        sessions,
        lambda s: {
            r.key: (r.status, r.percent, r.actual_start, r.actual_finish, r.reason, r.version)
            for r in s.scalars(select(ItemRow))
        },
    )


def test_a_row_sees_what_the_rows_above_it_wrote(db_url: str, tmp_path: Path) -> None:
    # B waits for A's deliverable: completing B before A warns, after A does not.
    sessions = fresh_db(db_url, small_plan(tmp_path))
    first = import_status_file(
        sessions,
        None,
        parse_table("b.csv", "id,status,date\nB,completada,2018-01-05\nA,completada,2018-01-04\n"),
        author="eva",
        today=TODAY,
    )
    assert [(o.key, len(o.warnings)) for o in first.changed] == [("B", 1), ("A", 0)]
    assert "A" in first.changed[0].warnings[0]
    transaction(sessions, lambda s: undo_last(s, find_plan(s), "eva"))
    second = import_status_file(
        sessions,
        None,
        parse_table("a.csv", "id,status,date\nA,completada,2018-01-04\nB,completada,2018-01-05\n"),
        author="eva",
        today=TODAY,
    )
    assert [(o.key, o.warnings) for o in second.changed] == [("A", []), ("B", [])]


def test_a_status_import_in_batches_lets_others_save_between_and_undo_takes_it_whole(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    before = _items(sessions)
    monkeypatch.setattr(importlog, "BATCH_ROWS", 2)
    keys = ["1.1.1", "1.2.1", "1.3.1", "2.1.1", "3.1.1"]
    table = parse_table(
        "avance.csv",
        "id,status,percent,date,note\n"
        + "".join(
            f"{key},en_curso,{10 * n},2018-01-{n:02d},paso {n}\n" for n, key in enumerate(keys, 1)
        ),
    )
    real = importlog.transaction
    batches: list[int] = []

    def between(makers: Any, work: Any) -> Any:
        # Another user saves between two batches: the import holds no lock across them.
        if batches:
            run(
                sessions,
                set_item_status,
                "4.1.1",
                "en_curso",
                on=date(2018, 1, 10 + len(batches)),
                author="luis",
                percent=len(batches),
            )
        batches.append(1)
        return real(makers, work)

    monkeypatch.setattr(importlog, "transaction", between)
    result = import_status_file(sessions, None, table, author="eva", today=TODAY)
    assert len(batches) == 3 and [o.key for o in result.changed] == keys
    after = _items(sessions)
    for n, key in enumerate(keys, 1):
        status, percent, start, finish, reason, version = after[key]
        assert (status, percent, start, finish, reason) == (
            "en_curso",
            10 * n,
            date(2018, 1, n),
            None,
            "",
        )
        assert version == before[key][-1] + 1  # one write per row
    changes = transaction(
        sessions,
        lambda s: {
            c.entity_key: (c.id, c.note, c.effective, c.before["status"], c.after["percent"])
            for c in s.scalars(select(ChangeRow).where(ChangeRow.author == "eva"))
            if c.entity == "item"
        },
    )
    assert [changes[key][1:] for key in keys] == [
        (f"paso {n}", date(2018, 1, n), "pendiente", 10 * n) for n, _key in enumerate(keys, 1)
    ]
    assert sorted(o.change_id for o in result.changed) == sorted(c[0] for c in changes.values())
    assert after["4.1.1"][:2] == ("en_curso", 2)  # luis saved twice, between the batches

    monkeypatch.setattr(importlog, "transaction", real)
    undone, _undo = transaction(sessions, lambda s: undo_last(s, find_plan(s), "eva"))
    assert (undone.entity, undone.action, undone.entity_key) == ("import", "import", "avance.csv")
    reverted = _items(sessions)
    for key in keys:
        assert reverted[key][:-1] == before[key][:-1]
        assert reverted[key][-1] == before[key][-1] + 2  # the import's write, then the undo's
    assert reverted["4.1.1"] == after["4.1.1"]  # luis's saves stay
