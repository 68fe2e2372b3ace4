"""A status change written through sqlite3 (`tracker set` on the embedded database) leaves
exactly the rows the ORM leaves for the same change, refuses what the ORM refuses with the
same message, and the ORM reads those rows back (``tracker.store.litewrite``)."""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from tests.conftest import PLAN
from tracker.errors import TrackerError
from tracker.plan.load import load_plan
from tracker.store.litewrite import LiteStatusWriter
from tracker.store.planstore import find_plan
from tracker.store.store import Store, dispose_engines
from tracker.tracking.status import OrmStatusWriter, get_item
from tracker.tracking.transition import (
    Outcome,
    StatusWriter,
    change_deliverable_status,
    change_item_status,
)

from .helpers import fresh_db

TODAY = date(2018, 6, 1)
# (kind, key, status, options): a day's work, the refusals included.
STEPS: list[tuple[str, str, str, dict[str, Any]]] = [
    ("item", "1.1.1", "en_curso", {"on": date(2018, 1, 3), "percent": 30}),
    ("item", "1.1.1", "en_curso", {"on": date(2018, 1, 10)}),
    ("item", "1.5.2", "completada", {"on": date(2018, 2, 1)}),  # prerequisites still open
    ("item", "2.1.1", "bloqueada", {"on": date(2018, 2, 2), "note": "  sin datos  "}),
    ("item", "2.1.1", "bloqueada", {"on": date(2018, 2, 2)}),  # refused: no reason
    (
        "item",
        "2.1.2",
        "en_curso",
        {"on": None, "start": date(2018, 1, 15), "finish": date(2018, 1, 10)},
    ),
    ("item", "2.2.1", "en_curso", {"on": date(2016, 3, 1)}),  # refused: out of range
    ("item", "9.9.9", "en_curso", {"on": date(2018, 1, 3)}),  # refused: unknown
    ("item", "1.1.1", "completada", {"on": None, "finish": date(2018, 1, 30)}),
    ("item", "1.1.1", "en_curso", {"on": date(2018, 2, 5), "expected_version": 1}),  # stale
    ("item", "1.1.1", "pendiente", {"on": date(2018, 2, 6), "percent": 0}),
    ("item", "3.1.1", "diferida", {"on": date(2018, 3, 1), "note": "sin fondos"}),
    ("item", "2.1.1", "en_curso", {"percent": 150, "on": date(2018, 3, 1)}),  # refused
    ("deliverable", "1.1.1-P1", "en_revision", {"on": date(2018, 2, 1), "evidence": " x.pdf "}),
    ("deliverable", "1.1.1-P1", "validado", {"on": date(2018, 2, 9), "note": "Mesa"}),
    ("deliverable", "1.1.1-P1", "publicado", {"on": date(2018, 2, 9)}),  # refused: status
    ("deliverable", "1.1.1-P1", "entregado", {"on": date(2018, 2, 9), "expected_version": 1}),
]


def _apply(
    run: Callable[[Callable[[StatusWriter], Outcome]], Outcome],
) -> list[tuple[Any, ...]]:
    results: list[tuple[Any, ...]] = []
    for kind, key, status, options in STEPS:
        change = change_item_status if kind == "item" else change_deliverable_status

        def work(writer: StatusWriter, c: Any = change, k: str = key, s: str = status,
                 o: dict[str, Any] = options) -> Outcome:  # fmt: skip
            return c(writer, k, s, author="ana", today=TODAY, **o)  # type: ignore[no-any-return]

        try:
            outcome = run(work)
            results.append(("ok", outcome.before, outcome.after, outcome.warnings))
        except TrackerError as err:
            results.append((type(err).__name__, str(err)))
    return results


def _rows(path: Path) -> dict[str, list[tuple[Any, ...]]]:
    connection = sqlite3.connect(path)
    out = {
        "items": connection.execute(
            "SELECT key, status, percent, reason, actual_start, actual_finish, updated_by, "
            "version FROM items ORDER BY id"
        ).fetchall(),
        "deliverables": connection.execute(
            "SELECT key, status, evidence, status_date, updated_by, version FROM deliverables "
            "ORDER BY id"
        ).fetchall(),
        "changes": connection.execute(
            "SELECT effective, author, entity, entity_key, action, before, after, note, "
            "undoes, undone FROM changes ORDER BY id"
        ).fetchall(),
        "stamps": connection.execute(
            "SELECT at FROM changes UNION ALL SELECT updated_at FROM items "
            "WHERE updated_at IS NOT NULL"
        ).fetchall(),
    }
    connection.close()
    return out


def test_sqlite3_and_the_orm_write_the_same_rows(tmp_path: Path) -> None:
    plan = load_plan(str(PLAN))
    lite_path, orm_path = tmp_path / "lite.db", tmp_path / "orm.db"
    fresh_db(f"sqlite:///{lite_path}", plan)
    fresh_db(f"sqlite:///{orm_path}", plan)
    lite, orm = Store(str(lite_path)), Store(str(orm_path))
    assert lite.embedded_file is not None
    try:
        by_lite = _apply(lambda work: lite.write_plain(lambda c: work(LiteStatusWriter(c, None))))
        by_orm = _apply(lambda work: orm.write(lambda s: work(OrmStatusWriter(s, find_plan(s)))))
        assert by_lite == by_orm
        kinds = [r[0] for r in by_lite]
        assert kinds.count("ok") == 9 and "ConflictError" in kinds and "InputError" in kinds
        assert "UnknownItemError" in kinds
        assert any(r[0] == "ok" and r[3] for r in by_lite)  # a warning was given
        lite_rows, orm_rows = _rows(lite_path), _rows(orm_path)
        assert {k: v for k, v in lite_rows.items() if k != "stamps"} == {
            k: v for k, v in orm_rows.items() if k != "stamps"
        }
        stamp = re.compile(r"^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6}$")
        assert all(stamp.match(s) for (s,) in lite_rows["stamps"] + orm_rows["stamps"])
        # The ORM reads what sqlite3 wrote, and the state reads both the same way.
        item = lite.write(lambda s: get_item(s, find_plan(s), "1.1.1"))
        assert (item.status, item.version) == ("pendiente", 5)
        assert lite.state(TODAY).items["2.1.1"].reason == "sin datos"
    finally:
        dispose_engines()


def test_a_command_on_the_embedded_database_writes_without_sqlalchemy(tmp_path: Path) -> None:
    import subprocess
    import sys

    path = tmp_path / "t.db"
    fresh_db(f"sqlite:///{path}", load_plan(str(PLAN)))
    dispose_engines()
    code = (
        "import sys; from tracker.cli import main; "
        "rc = main(['set', '1.1.1', 'en_curso', '--date', '2018-01-03', '--db', sys.argv[1]]); "
        "print(rc, 'sqlalchemy' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, str(path)], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip().splitlines()[-1] == "0 False"


@pytest.mark.parametrize("bad", ["missing", "text"])
def test_a_write_to_a_bad_file_is_one_line_and_touches_nothing(tmp_path: Path, bad: str) -> None:
    from tracker.store.location import DatabaseError
    from tracker.tracking.actions import set_item

    path = tmp_path / "t.db"
    if bad == "text":
        path.write_text("not a database\n", encoding="utf-8")
    with pytest.raises(DatabaseError) as err:
        set_item(Store(str(path)), "1.1.1", "en_curso", author="ana", on=date(2018, 1, 3))
    assert "\n" not in str(err.value)
    assert (
        (path.read_text(encoding="utf-8") == "not a database\n")
        if bad == "text"
        else (not path.exists())
    )
