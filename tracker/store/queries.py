"""Every SELECT the views need, in one place, with the columns named.

The same text runs on sqlite3 and through SQLAlchemy (named ``:parameters`` work on both);
``tests/unit/test_store_queries.py`` checks every table and column named here against the
models' metadata, so a renamed column cannot slip past.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, date, datetime
from typing import Any

from tracker.state.records import DELIVERABLE_FIELDS, ITEM_FIELDS, Change, DeliverableRecord
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
PLAN_COUNT = "SELECT count(*) FROM plans"
ITEMS = (
    "SELECT key, kind, group_key, title, duration, not_before, deadline, depends_on, "
    "leads, {details}, status, percent, reason, actual_start, actual_finish, "
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
# The newest day a tracked change took effect (answered from the replay index) and, for an
# "as known" date only, the newest time one was recorded (that one reads every row).
LATEST_EFFECTIVE = (
    "SELECT max(effective) FROM changes WHERE plan_id = :plan "
    "AND entity IN ('item', 'deliverable', 'comms')"
)
LATEST_RECORDED = (
    "SELECT max(at) FROM changes WHERE plan_id = :plan "
    "AND entity IN ('item', 'deliverable', 'comms')"
)
LAST_CHANGE = "SELECT max(id) FROM changes"
# A past date needs replaying only for the items and deliverables changed after it. For one
# such key whose changes that count were all recorded before the ones that do not (the usual
# case: a history typed in the order it happened), the counted changes are a prefix of its
# history, and replaying a prefix gives what the row held after its last change: that
# change's ``after``, which the replay then starts from. This holds because each key's
# history is self-consistent: its row starts as init leaves it, every write of a tracked
# field is recorded with the fields before and after it (each ``before`` the previous
# ``after``), and an undo takes the day of the change it undoes. So one row per key is
# read. A change without the tracked fields (a plan sync's) cannot stand for its prefix, and
# keys whose history mixes the two (a back-dated correction recorded after a change that
# took effect later) are replayed from their counted changes.
REPLAY_LAST = (
    "SELECT k.entity, k.entity_key, c.id, c.author, c.after, "
    "CASE WHEN k.last_in IS NULL OR k.last_in < k.first_out THEN 1 ELSE 0 END FROM ("
    "SELECT entity, entity_key, "
    "max(CASE WHEN effective <= :as_of THEN id END) AS last_in, "
    "min(CASE WHEN effective > :as_of THEN id END) AS first_out "
    "FROM changes WHERE plan_id = :plan AND entity IN ('item', 'deliverable') "
    "GROUP BY entity, entity_key) k LEFT JOIN changes c ON c.id = k.last_in "
    "WHERE k.first_out IS NOT NULL"
)
REPLAY_CHANGES = (
    f"SELECT {CHANGE_COLUMNS} FROM changes WHERE plan_id = :plan "
    "AND entity = :entity AND effective <= :as_of AND entity_key IN ({keys}) ORDER BY id"
)
# What a status change reads of the row it changes (tracker.store.litewrite).
ITEM_ROW = (
    "SELECT id, key, version, archived, updated_by, updated_at, depends_on, status, percent, "
    "reason, actual_start, actual_finish FROM items WHERE plan_id = :plan AND key = :key"
)
DELIVERABLE_ROW = (
    "SELECT id, key, version, archived, updated_by, updated_at, status, evidence, status_date "
    "FROM deliverables WHERE plan_id = :plan AND key = :key"
)
LAST_CHANGE_OF = (
    "SELECT author, at FROM changes WHERE plan_id = :plan AND entity = :entity "
    "AND entity_key = :key ORDER BY id DESC LIMIT 1"
)
PRODUCERS_OF = (
    "SELECT key, producer_key FROM deliverables WHERE plan_id = :plan AND key IN ({keys})"
)
OPEN_ITEMS_OF = (
    "SELECT key, status FROM items WHERE plan_id = :plan AND key IN ({keys}) AND NOT archived "
    "AND status NOT IN ({closed})"
)
# The schema's revision on PostgreSQL (tables outside the models: not in ALL_QUERIES).
PG_SCHEMA_TABLES = (
    "SELECT to_regclass('alembic_version') IS NOT NULL AS has_versions, "
    "to_regclass('plans') IS NOT NULL AS has_plans"
)
SCHEMA_VERSION = "SELECT version_num FROM alembic_version"

ALL_QUERIES = (
    PLANS,
    PLAN_KEYS,
    PLAN_COUNT,
    ITEMS,
    DELIVERABLES,
    ACTIVITIES,
    ALL_ACTIVITIES,
    CHANGES,
    CHANGES_OF_KEYS,
    RECENT_CHANGES,
    LATEST_EFFECTIVE,
    LATEST_RECORDED,
    LAST_CHANGE,
    REPLAY_LAST,
    REPLAY_CHANGES,
    ITEM_ROW,
    DELIVERABLE_ROW,
    LAST_CHANGE_OF,
    PRODUCERS_OF,
    OPEN_ITEMS_OF,
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


def latest(reader: Reader, plan_id: int, *, recorded: bool) -> tuple[date | None, Any]:
    """The latest effective day of a plan's tracked changes, and (when ``recorded``) their
    latest recording time."""
    effective = as_date(reader.rows(LATEST_EFFECTIVE, {"plan": plan_id})[0][0])
    if not recorded:
        return effective, None
    return effective, as_datetime(reader.rows(LATEST_RECORDED, {"plan": plan_id})[0][0])


_TRACKED = {"item": frozenset(ITEM_FIELDS), "deliverable": frozenset(DELIVERABLE_FIELDS)}
_KEYS_PER_QUERY = 500


def replay_history(
    reader: Reader, plan_id: int, as_of: date
) -> tuple[
    frozenset[tuple[str, str]], dict[tuple[str, str], tuple[dict[str, Any], str]], list[Change]
]:
    """What a replay as of ``as_of`` needs (see ``REPLAY_LAST``): the (entity, key) pairs of
    the items and deliverables changed after the date; for each whose counted changes are a
    prefix of its history, the tracked fields its last counted change left and its author
    (the replay's base); for the others, all their counted changes."""
    params = {"plan": plan_id, "as_of": as_of}
    keys: set[tuple[str, str]] = set()
    base: dict[tuple[str, str], tuple[dict[str, Any], str]] = {}
    counted: list[Change] = []
    mixed: dict[str, list[str]] = {"item": [], "deliverable": []}
    rows = reader.rows(REPLAY_LAST, params)
    decoded = iter(as_json_list([r[4] for r in rows if r[2] is not None]))
    for entity, key, change_id, author, _after, prefix in rows:
        keys.add((entity, key))
        if change_id is None:  # nothing counts yet: the key stands as init left it
            continue
        fields = next(decoded) or {}
        # A change that leaves a tracked field out (a plan sync's) cannot stand for the
        # prefix: that key is replayed.
        if prefix and _TRACKED[entity] <= fields.keys():
            base[(entity, key)] = (fields, author)
        else:
            mixed[entity].append(key)
    for entity, names in mixed.items():
        for start in range(0, len(names), _KEYS_PER_QUERY):
            chunk = {f"k{i}": k for i, k in enumerate(names[start : start + _KEYS_PER_QUERY])}
            sql = REPLAY_CHANGES.format(keys=", ".join(f":{n}" for n in chunk))
            counted += changes(reader, sql, {**params, "entity": entity, **chunk}, parse_at=False)
    counted.sort(key=lambda c: c.id)
    return frozenset(keys), base, counted
