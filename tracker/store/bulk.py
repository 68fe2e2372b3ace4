"""Many rows written in a few statements: what an import of 100,000 rows and its undo need.

SQLAlchemy writes an INSERT ... RETURNING of many rows as one statement per thousand rows
with a parameter per value, and psycopg parses such a statement in Python, page by page:
on PostgreSQL that parsing was 2/3 of a large import. The ids are therefore taken first, in
one query, and the rows written with them by a plain executemany, which psycopg sends in
one pipeline and SQLite runs in a C loop. Updates go the same way, one statement executed
for many rows, never an ORM object per row.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from sqlalchemy import RowMapping, Table, bindparam, func, insert, select, text, update
from sqlalchemy.orm import Session

from tracker.errors import ConflictError
from tracker.i18n import _

CHUNK = 500  # values in one IN (...) list


def new_ids(session: Session, table: Table, n: int) -> list[int]:
    """``n`` ids of ``table`` no other row has or will be given, ascending."""
    if n <= 0:
        return []
    connection = session.connection()
    if connection.dialect.name == "postgresql":
        taken = connection.execute(
            text(
                "SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"
            ),
            {"table": table.name, "n": n},
        )
        return sorted(taken.scalars())
    # SQLite gives a new row the highest id plus one; a writing transaction holds the
    # database's write lock (BEGIN IMMEDIATE), so nobody else can take these meanwhile.
    top = connection.execute(select(func.max(table.c.id))).scalar() or 0
    return list(range(top + 1, top + n + 1))


def rows_by_id(
    session: Session, table: Table, columns: Sequence[str], ids: Sequence[int], *, lock: bool
) -> list[RowMapping]:
    """``columns`` of the rows of ``table`` with these ids, in no particular order, locked
    (FOR UPDATE) when ``lock``. The ids alone select them, by chunks: right after a large
    import PostgreSQL may not know yet that every row has the same plan, and given the plan
    too it combined the plan's index with the key's, reading every row of the plan for each
    chunk (0.1 s a chunk at 100,000 rows). The caller checks the plan."""
    found: list[RowMapping] = []
    wanted = sorted(set(ids))
    for i in range(0, len(wanted), CHUNK):
        query = select(*(table.c[name] for name in columns)).where(
            table.c.id.in_(wanted[i : i + CHUNK])
        )
        found += session.execute(query.with_for_update() if lock else query).mappings()
    return found


def insert_rows(session: Session, table: Table, rows: Sequence[dict[str, Any]]) -> None:
    """Insert ``rows`` (each with its id, from new_ids) in one executemany."""
    if rows:
        session.connection().execute(insert(table), list(rows))


def update_rows(
    session: Session, table: Table, rows: Sequence[dict[str, Any]], *, versioned: bool
) -> None:
    """Update each row by ``id`` to the values of the other keys of its dict (every dict
    names the same columns) in one executemany. ``versioned``: each dict also holds the
    ``version`` it was read at, the row's version goes up by one, and a row changed since
    by someone else is a ConflictError (as the ORM's version check would say)."""
    if not rows:
        return
    names = [name for name in rows[0] if name not in ("id", "version")]
    values: dict[str, Any] = {name: bindparam(f"new_{name}") for name in names}
    statement = update(table).where(table.c.id == bindparam("row_id"))
    if versioned:
        statement = statement.where(table.c.version == bindparam("row_version"))
        values["version"] = table.c.version + 1
    params = [
        {
            "row_id": row["id"],
            **({"row_version": row["version"]} if versioned else {}),
            **{f"new_{name}": row[name] for name in names},
        }
        for row in rows
    ]
    done = session.connection().execute(statement.values(values), params)
    if versioned and done.rowcount != len(rows):
        raise ConflictError(
            _("someone else changed this record at the same time; nothing was saved: try again")
        )
