"""Every column the store's SQL names exists in the models (a rename cannot slip past)."""

from __future__ import annotations

import re

import pytest

from tracker.store import queries
from tracker.store.models import Base

SQL_WORDS = {
    "select", "from", "where", "and", "or", "not", "in", "order", "by", "desc", "asc",
    "limit", "max", "min", "count", "null", "is", "distinct", "case", "when", "then",
    "else", "end", "left", "join", "on", "group", "as",
}  # fmt: skip


def _names(sql: str) -> tuple[str, set[str]]:
    table = re.search(r"\bFROM\s+(\w+)", sql, re.I)
    assert table, sql
    text = re.sub(r"'[^']*'", "", sql)  # string literals
    text = re.sub(r":\w+", "", text)  # parameters
    text = re.sub(r"\{\w+\}", "", text)  # format slots
    # Names the query gives itself: column aliases, and subquery and table aliases.
    aliases = set(re.findall(r"\bAS\s+(\w+)", text, re.I))
    aliases |= set(re.findall(r"\)\s+(\w+)", text)) | set(
        re.findall(r"\b(?:FROM|JOIN)\s+\w+\s+(\w+)", text, re.I)
    )
    aliases = {a.lower() for a in aliases} - SQL_WORDS
    words = {w.lower() for w in re.findall(r"[A-Za-z_]\w*", text)}
    return table.group(1), words - SQL_WORDS - aliases - {table.group(1)}


@pytest.mark.parametrize("sql", queries.ALL_QUERIES)
def test_every_named_column_is_in_the_models(sql: str) -> None:
    table, columns = _names(sql.format(archived="", keys=":k0", closed=":c0", details="details"))
    known = Base.metadata.tables[table].columns.keys()
    assert columns <= set(known), (table, sorted(columns - set(known)))


def test_the_check_itself_catches_a_wrong_column() -> None:
    table, columns = _names("SELECT key, no_such_column FROM items WHERE plan_id = :plan")
    assert table == "items" and "no_such_column" in columns
    assert not columns <= set(Base.metadata.tables["items"].columns.keys())
    _table, aliased = _names(
        "SELECT k.n, c.key FROM (SELECT max(id) AS n FROM items) k "
        "JOIN items c ON c.id = k.n WHERE c.no_such_column = 1"
    )
    assert "no_such_column" in aliased and "n" not in aliased and "k" not in aliased


def test_no_sql_outside_the_store() -> None:
    """The CLI, the TUI and the exporters hold no SQL of their own."""
    from tests.conftest import ROOT

    offenders = []
    for folder in ("tracker/cli", "tracker/exporters", "tui"):
        for path in (ROOT / folder).rglob("*.py"):
            text = path.read_text(encoding="utf-8")
            if (
                re.search(r"\"(SELECT|INSERT|UPDATE|DELETE) ", text)
                or "sqlalchemy import select" in text
            ):
                offenders.append(str(path.relative_to(ROOT)))
    assert offenders == []
