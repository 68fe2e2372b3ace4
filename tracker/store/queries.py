"""Every SELECT the views need, in one place, with the columns named.

The same text runs on sqlite3 and through SQLAlchemy (named ``:parameters`` work on both);
``tests/unit/test_store_queries.py`` checks every table and column named here against the
models' metadata, so a renamed column cannot slip past.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from tracker.state.records import Change, DeliverableRecord
from tracker.store.reader import Reader, as_date, as_datetime, as_json_list

PLAN_COLUMNS = (
    "id",
    "key",
    "title",
    "source_path",
    "period_start",
    "period_end",
    "calendar_country",
    "extra_holidays",
    "country_holidays",
    "document",
    "version",
)
PLANS = f"SELECT {', '.join(PLAN_COLUMNS)} FROM plans WHERE id = :id"
PLAN_KEYS = "SELECT id, key FROM plans ORDER BY id"
ITEMS = (
    "SELECT key, kind, group_key, title, duration, not_before, deadline, depends_on, "
    "leads, details, status, percent, reason, actual_start, actual_finish, "
    "baseline_start, baseline_finish, version, updated_by "
    "FROM items WHERE plan_id = :plan{archived} ORDER BY position"
)
DELIVERABLES = (
    "SELECT key, title, producer_key, details, status, evidence, status_date, version, "
    "updated_by FROM deliverables WHERE plan_id = :plan{archived} ORDER BY position"
)
ACTIVITIES = (
    "SELECT id, day, channel, targets, title, quantity, link, note, author, version, deleted "
    "FROM comm_activities WHERE plan_id = :plan AND NOT deleted ORDER BY day, id"
)
ALL_ACTIVITIES = (
    "SELECT id, day, channel, targets, title, quantity, link, note, author, version, deleted "
    "FROM comm_activities WHERE plan_id = :plan ORDER BY day, id"
)
CHANGE_COLUMNS = (
    "id, at, effective, author, entity, entity_key, action, before, after, note, undoes, undone"
)
CHANGES = f"SELECT {CHANGE_COLUMNS} FROM changes WHERE plan_id = :plan ORDER BY id"
CHANGES_OF_KEYS = (
    f"SELECT {CHANGE_COLUMNS} FROM changes WHERE plan_id = :plan AND entity_key IN ({{keys}}) "
    "ORDER BY id DESC LIMIT :limit"
)
RECENT_CHANGES = (
    f"SELECT {CHANGE_COLUMNS} FROM changes WHERE plan_id = :plan ORDER BY id DESC LIMIT :limit"
)
CHANGES_LATEST = (
    "SELECT max(effective), max(at) FROM changes WHERE plan_id = :plan "
    "AND entity IN ('item', 'deliverable', 'comms')"
)
LAST_CHANGE = "SELECT max(id) FROM changes"
# A past date needs replaying only for the items and deliverables changed after it, and only
# their changes effective by then (the others stand as stored).
REPLAY_KEYS = (
    "SELECT DISTINCT entity_key FROM changes WHERE plan_id = :plan "
    "AND entity IN ('item', 'deliverable') AND effective > :as_of"
)
REPLAY_CHANGES = (
    f"SELECT {CHANGE_COLUMNS} FROM changes WHERE plan_id = :plan "
    "AND entity IN ('item', 'deliverable') AND effective <= :as_of AND entity_key IN "
    "(SELECT entity_key FROM changes WHERE plan_id = :plan "
    "AND entity IN ('item', 'deliverable') AND effective > :as_of) ORDER BY id"
)

ALL_QUERIES = (
    PLANS,
    PLAN_KEYS,
    ITEMS,
    DELIVERABLES,
    ACTIVITIES,
    ALL_ACTIVITIES,
    CHANGES,
    CHANGES_OF_KEYS,
    RECENT_CHANGES,
    CHANGES_LATEST,
    LAST_CHANGE,
    REPLAY_KEYS,
    REPLAY_CHANGES,
)


_UNPARSED = datetime(1970, 1, 1, tzinfo=UTC)
# The replay query keeps only changes effective by the date asked: their day is not needed.
_EFFECTIVE_FILTERED = date.min


def changes(
    reader: Reader, sql: str, params: Mapping[str, Any], *, parse_at: bool = True
) -> list[Change]:
    """Typed changes from one of the change queries. ``parse_at=False`` (the replay query,
    which filters on both in SQL) leaves the recording time and the effective day unparsed:
    100,000 of each cost about a second."""
    rows = reader.rows(sql, params)
    befores = as_json_list([r[7] for r in rows])
    afters = as_json_list([r[8] for r in rows])
    return [
        Change(
            int(r[0]),
            as_datetime(r[1]) if parse_at else _UNPARSED,  # type: ignore[arg-type]
            as_date(r[2]) if parse_at else _EFFECTIVE_FILTERED,  # type: ignore[arg-type]
            r[3],
            r[4],
            r[5],
            r[6],
            before or {},
            after or {},
            r[9] or "",
            r[10],
            bool(r[11]),
        )
        for r, before, after in zip(rows, befores, afters, strict=True)
    ]


def deliverable_records(rows: list[Any]) -> list[DeliverableRecord]:
    return [
        DeliverableRecord(r[0], r[2], r[1], r[4], r[5] or "", as_date(r[6]), r[7], r[8] or "")
        for r in rows
    ]


def latest(reader: Reader, plan_id: int) -> tuple[date | None, Any]:
    """The latest effective day and latest recording time of a plan's tracked changes."""
    row = reader.rows(CHANGES_LATEST, {"plan": plan_id})[0]
    return as_date(row[0]), as_datetime(row[1])
