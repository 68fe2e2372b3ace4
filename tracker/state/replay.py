"""Tracked values as they stood on a date, replayed from the change history.

Every item and deliverable starts as ``init`` leaves it (pendiente, nothing done). A change
counts for day D when it took effect on D or before (and, with ``as_known``, had been
recorded by the end of that day). Each field then holds the value given by the latest
recorded of those changes that changed it or stated it (a status command always states the
status: see ``_stated``). Applying the counted changes in recorded order
gives exactly that, and it is what makes

- the state on the last day equal the rows as stored (they are the same changes, applied in
  the same order), and
- a back-dated correction (recorded later, effective earlier) count from its effective day
  on, without being undone by an older entry that happens to take effect later.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import replace
from datetime import date
from typing import Any

from tracker.state.asof import known_by
from tracker.state.records import COMMS_FIELDS, Change, DeliverableRecord, ItemState

ITEM_INITIAL: dict[str, Any] = {
    "status": "pendiente",
    "percent": 0,
    "actual_start": None,
    "actual_finish": None,
    "reason": "",
}
DELIVERABLE_INITIAL: dict[str, Any] = {"status": "pendiente", "evidence": "", "status_date": None}
_DATES = frozenset({"actual_start", "actual_finish", "status_date", "day"})


def counts(change: Change, as_of: date, as_known: date | None) -> bool:
    """Whether ``change`` is part of the state as of ``as_of`` (as known on ``as_known``)."""
    return change.effective <= as_of and known_by(change.at, as_known)


def _value(name: str, value: Any) -> Any:
    if name in _DATES and isinstance(value, str):
        return date.fromisoformat(value)
    return value


def replay_fields(
    changes: Iterable[Change],
    entity: str,
    initial: dict[str, Any],
    as_of: date,
    as_known: date | None,
    base: dict[tuple[str, str], tuple[dict[str, Any], str]] | None = None,
) -> dict[str, tuple[dict[str, Any], str]]:
    """Per key of ``entity``: its tracked fields as of the date, and who made the last
    change that counted (changes are taken in recorded order). A key in ``base`` starts
    from the fields given there (what the changes before ``changes`` left) instead of
    ``initial``."""
    states: dict[str, tuple[dict[str, Any], str]] = {
        key: ({**initial, **{k: _value(k, v) for k, v in fields.items() if k in initial}}, who)
        for (kind, key), (fields, who) in (base or {}).items()
        if kind == entity
    }
    for change in changes:
        if change.entity != entity or not counts(change, as_of, as_known):
            continue
        fields, _author = states.get(change.key) or (dict(initial), "")
        before, stated = change.before, _stated(change)
        for name, value in change.after.items():
            if name in initial and (name in stated or before.get(name, _MISSING) != value):
                fields[name] = _value(name, value)
        states[change.key] = (fields, change.author)
    return states


_MISSING = object()


def _stated(change: Change) -> frozenset[str]:
    """The fields a change asserts even where they did not change: a status command always
    states the status (and its day, for a deliverable; percent and finish, for a
    completion), so a back-dated correction says what the item was from its day on."""
    if change.action != "status":
        return frozenset()
    if change.entity == "deliverable":
        return frozenset({"status", "status_date"})
    if change.after.get("status") == "completada":
        return frozenset({"status", "percent", "actual_finish"})
    return frozenset({"status"})


def items_as_of(
    stored: dict[str, ItemState],
    changes: list[Change],
    as_of: date,
    as_known: date | None,
    only: frozenset[tuple[str, str]] | None = None,
    base: dict[tuple[str, str], tuple[dict[str, Any], str]] | None = None,
) -> dict[str, ItemState]:
    """Each item's tracked state as of ``as_of``; baselines and versions stay as stored.
    With ``only``, the items not in it stand as stored; ``base``: see ``replay_fields``."""
    replayed = replay_fields(changes, "item", ITEM_INITIAL, as_of, as_known, base)
    result: dict[str, ItemState] = {}
    for key, row in stored.items():
        if only is not None and ("item", key) not in only:
            result[key] = row
            continue
        fields, author = replayed.get(key) or (ITEM_INITIAL, "")
        result[key] = ItemState(  # by position: ten times cheaper than dataclasses.replace
            row.key,
            row.kind,
            row.group,
            row.title,
            row.leads,
            row.duration,
            fields["status"],
            fields["percent"],
            fields["reason"],
            fields["actual_start"],
            fields["actual_finish"],
            row.baseline_start,
            row.baseline_finish,
            row.version,
            author,
        )
    return result


def deliverables_as_of(
    stored: list[DeliverableRecord],
    changes: list[Change],
    as_of: date,
    as_known: date | None,
    only: frozenset[tuple[str, str]] | None = None,
    base: dict[tuple[str, str], tuple[dict[str, Any], str]] | None = None,
) -> list[DeliverableRecord]:
    replayed = replay_fields(changes, "deliverable", DELIVERABLE_INITIAL, as_of, as_known, base)
    result = []
    for row in stored:
        if only is not None and ("deliverable", row.key) not in only:
            result.append(row)
            continue
        fields, author = replayed.get(row.key) or (DELIVERABLE_INITIAL, "")
        result.append(replace(row, updated_by=author, **fields))
    return result


def activities_as_known(
    stored: list[dict[str, Any]], changes: list[Change], as_known: date
) -> list[dict[str, Any]]:
    """The communication log as it had been recorded by the end of ``as_known`` (additions,
    edits and deletions recorded later are left out)."""
    by_id = {str(a["id"]): a for a in stored}
    log: dict[str, dict[str, Any]] = {}
    for change in changes:
        if change.entity != "comms" or not known_by(change.at, as_known):
            continue
        entry = log.get(change.key)
        if entry is None:
            base = by_id.get(change.key, {})
            entry = {**base, "id": int(change.key), "author": change.author}
            log[change.key] = entry
        entry.update({k: v for k, v in change.after.items() if k in COMMS_FIELDS})
    return sorted(
        (a for a in log.values() if not a.get("deleted")),
        key=lambda a: (str(a["day"]), a["id"]),
    )
