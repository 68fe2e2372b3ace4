"""Put a validated plan into the team database, and read it back as a typed Plan.

After ``init`` the database is the source of truth: its items keep their status and history,
and the schedule and forecast are computed from what it holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict, fields, is_dataclass
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.i18n import _
from tracker.plan.model import Deliverable, Item, Plan
from tracker.schedule.calendar import holiday_table
from tracker.schedule.passes import compute_schedule
from tracker.store.models import DeliverableRow, ItemRow, PlanRow
from tracker.store.planread import DETAIL_FIELDS, PlanHeader, find_plan_id, read_plan
from tracker.store.reader import SessionReader

HOLIDAY_YEARS_AHEAD = 5


def now() -> datetime:
    return datetime.now(UTC)


def content_hash(
    plan: Plan,
    document: dict[str, Any] | None = None,
    items: list[dict[str, Any]] | None = None,
    deliverables: list[dict[str, Any]] | None = None,
) -> str:
    """A fingerprint of everything sync compares, to tell whether a plan file changed (the
    parts already computed by the caller may be passed in)."""
    payload = json.dumps(
        [
            plan_document(plan) if document is None else document,
            [_item_record(i) for i in plan.items.values()] if items is None else items,
            [_deliverable_record(d) for d in plan.deliverables.values()]
            if deliverables is None
            else deliverables,
        ],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


# Plan fields kept elsewhere than in its JSON document.
_NOT_IN_DOCUMENT = frozenset(
    ("items", "deliverables", "path", "extra_holidays", "calendar_country", "country_holidays")
)


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan's non-item content (areas, stages, texts, communication) as JSON."""
    # Field by field: asdict(plan) would deep-copy every item only for them to be dropped.
    doc = {
        f.name: _plain(getattr(plan, f.name))
        for f in fields(plan)
        if f.name not in _NOT_IN_DOCUMENT
    }
    result: dict[str, Any] = json.loads(json.dumps(doc, default=str))
    return result


def _plain(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return asdict(value)
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _item_record(item: Item) -> dict[str, Any]:
    details = {name: getattr(item, name) for name in DETAIL_FIELDS}
    details["roles"] = [asdict(r) for r in item.roles]
    return {
        "key": item.id,
        "kind": item.kind.value,
        "group_key": item.group,
        "title": item.title,
        "duration": item.duration,
        "not_before": item.not_before,
        "deadline": item.deadline,
        "depends_on": [[d.id, d.lag, d.source, d.note] for d in item.depends_on],
        "leads": ", ".join(item.leads),
        "details": details,
    }


def _deliverable_record(deliverable: Deliverable) -> dict[str, Any]:
    return {
        "key": deliverable.id,
        "producer_key": deliverable.producer,
        "title": deliverable.title,
        "details": {
            "pages": deliverable.pages,
            "note": deliverable.note,
            "number": deliverable.number,
            "producer_source": deliverable.producer_source,
            "roles": [asdict(r) for r in deliverable.roles],
        },
    }


def find_plan(session: Session, key: str | None = None) -> PlanRow:
    """The plan ``key``, or the database's only plan when ``key`` is None."""
    row = session.get(PlanRow, find_plan_id(SessionReader(session), key))
    assert row is not None  # found by its id in this same transaction
    return row


def plan_keys(session: Session) -> list[str]:
    return list(session.scalars(select(PlanRow.key).order_by(PlanRow.id)))


def init_plan(session: Session, plan: Plan, author: str) -> tuple[PlanRow, bool]:
    """Load ``plan`` with its baseline; returns (row, created). Loading the same plan again
    changes nothing; a different plan under the same id must go through sync."""
    from tracker.store.history import record

    document = plan_document(plan)
    item_records = [_item_record(i) for i in plan.items.values()]
    deliverable_records = [_deliverable_record(d) for d in plan.deliverables.values()]
    digest = content_hash(plan, document, item_records, deliverable_records)
    existing = session.scalar(select(PlanRow).where(PlanRow.key == plan.meta.id))
    if existing is not None:
        if existing.content_hash != digest:
            raise TrackerError(
                _(
                    "plan {key} is already in the database and the file differs: "
                    "run `tracker sync` to apply the changes"
                ).format(key=plan.meta.id)
            )
        return existing, False
    schedule = compute_schedule(plan)
    at = now()
    row = PlanRow(
        key=plan.meta.id,
        title=plan.meta.title,
        source_path=plan.path,
        period_start=plan.meta.period.start,
        period_end=plan.meta.period.end,
        calendar_country=plan.calendar_country,
        extra_holidays=[[h.day.isoformat(), h.name] for h in plan.extra_holidays],
        country_holidays=stored_holidays(plan),
        content_hash=digest,
        document=document,
        baseline_at=at,
    )
    session.add(row)
    session.flush()
    items = []
    for position, (item, record_) in enumerate(zip(plan.items.values(), item_records, strict=True)):
        planned = schedule.items[item.id]
        items.append(
            {
                **record_,
                "plan_id": row.id,
                "position": position,
                "baseline_start": planned.start,
                "baseline_finish": planned.finish,
                "status": "pendiente",
                "percent": 0,
                "reason": "",
                "updated_by": "",
                "archived": False,
                "version": 1,
            }
        )
    # Bulk inserts through Core: a large plan loads in seconds where one ORM object per row
    # would not (and Core's executemany is a third faster than the ORM's bulk insert).
    connection = session.connection()
    connection.execute(insert(ItemRow.metadata.tables["items"]), items)
    deliverables = [
        {
            **record_,
            "plan_id": row.id,
            "position": position,
            "status": "pendiente",
            "evidence": "",
            "updated_by": "",
            "archived": False,
            "version": 1,
        }
        for position, record_ in enumerate(deliverable_records)
    ]
    if deliverables:
        connection.execute(insert(DeliverableRow.metadata.tables["deliverables"]), deliverables)
    record(
        session,
        row,
        author,
        "plan",
        row.key,
        "init",
        {},
        {
            "items": len(items),
            "deliverables": len(deliverables),
            "source": plan.path,
            "baseline_finish": schedule.finish.isoformat(),
        },
        "",
    )
    return row, True


def plan_header(row: PlanRow) -> PlanHeader:
    return PlanHeader(
        id=row.id,
        key=row.key,
        title=row.title,
        source_path=row.source_path,
        period_start=row.period_start,
        period_end=row.period_end,
        calendar_country=row.calendar_country,
        extra_holidays=row.extra_holidays,
        country_holidays=row.country_holidays or {},
        document=row.document,
        version=row.version,
    )


def stored_plan(session: Session, row: PlanRow, *, include_archived: bool = False) -> Plan:
    """The typed Plan the database holds (current items only, unless asked)."""
    plan, _states, _deliverables = read_plan(
        SessionReader(session), plan_header(row), include_archived=include_archived
    )
    return plan


def stored_holidays(plan: Plan) -> dict[str, list[list[str]]]:
    """The country holidays to store with ``plan``: from the year before it starts to five
    years past its end or past today, whichever is later (a plan is often followed, and
    reported on, after its own period)."""
    start, end = plan.meta.period.start.year, plan.meta.period.end.year
    last = max(end, date.today().year) + HOLIDAY_YEARS_AHEAD
    table = holiday_table(plan.calendar_country, start - 1, last)
    return {
        str(year): [[day.isoformat(), name] for day, name in sorted(days.items())]
        for year, days in table.items()
    }
