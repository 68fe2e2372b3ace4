"""Put a validated plan into the team database, and read it back as a typed Plan.

After ``init`` the database is the source of truth: its items keep their status and history,
and the schedule and forecast are computed from what it holds.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import asdict
from datetime import UTC, date, datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from tracker.db.models import DeliverableRow, ItemRow, PlanRow
from tracker.errors import TrackerError
from tracker.i18n import _
from tracker.model import (
    Area,
    Channel,
    Committee,
    Communication,
    CommunicationTarget,
    Deliverable,
    Dependency,
    Holiday,
    Item,
    ItemKind,
    Organisation,
    Period,
    Plan,
    PlanMeta,
    Question,
    Role,
    Stage,
    TargetUnit,
)
from tracker.schedule import compute_schedule

# Item fields kept as a JSON document (shown in detail views, compared by sync).
_DETAIL_FIELDS = (
    "duration_source",
    "quarters",
    "title_source",
    "methodology",
    "questions",
    "questions_text",
    "roles",
    "working_group",
    "allies",
    "observations",
    "shared_row",
    "milestone_kind",
    "note",
    "source_ref",
)


class PlanNotFoundError(TrackerError):
    """No such plan in the database."""


def now() -> datetime:
    return datetime.now(UTC)


def content_hash(plan: Plan) -> str:
    """A fingerprint of everything sync compares, to tell whether a plan file changed."""
    payload = json.dumps(
        [
            plan_document(plan),
            [_item_record(i) for i in plan.items.values()],
            [_deliverable_record(d) for d in plan.deliverables.values()],
        ],
        sort_keys=True,
        default=str,
        ensure_ascii=False,
    )
    return hashlib.sha256(payload.encode()).hexdigest()


def plan_document(plan: Plan) -> dict[str, Any]:
    """The plan's non-item content (areas, stages, texts, communication) as JSON."""
    doc = asdict(plan)
    for key in ("items", "deliverables", "path", "extra_holidays", "calendar_country"):
        doc.pop(key)
    result: dict[str, Any] = json.loads(json.dumps(doc, default=str))
    return result


def _item_record(item: Item) -> dict[str, Any]:
    details = {name: getattr(item, name) for name in _DETAIL_FIELDS}
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
    if key:
        row = session.scalar(select(PlanRow).where(PlanRow.key == key))
        if row is None:
            raise PlanNotFoundError(
                _("no plan {key} in the database (plans: {keys})").format(
                    key=key, keys=", ".join(plan_keys(session)) or "-"
                )
            )
        return row
    rows = session.scalars(select(PlanRow).order_by(PlanRow.id)).all()
    if not rows:
        raise PlanNotFoundError(_("the database holds no plan: run `tracker init`"))
    if len(rows) > 1:
        raise PlanNotFoundError(
            _("the database holds several plans; choose one with --plan-id ({keys})").format(
                keys=", ".join(r.key for r in rows)
            )
        )
    return rows[0]


def plan_keys(session: Session) -> list[str]:
    return list(session.scalars(select(PlanRow.key).order_by(PlanRow.id)))


def init_plan(session: Session, plan: Plan, author: str) -> tuple[PlanRow, bool]:
    """Load ``plan`` with its baseline; returns (row, created). Loading the same plan again
    changes nothing; a different plan under the same id must go through sync."""
    from tracker.history import record

    digest = content_hash(plan)
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
        content_hash=digest,
        document=plan_document(plan),
        baseline_at=at,
    )
    session.add(row)
    session.flush()
    items = []
    for position, item in enumerate(plan.items.values()):
        record_ = _item_record(item)
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
    # Bulk inserts: a large plan loads in seconds where one ORM object per row would not.
    session.execute(insert(ItemRow), items)
    deliverables = [
        {
            **_deliverable_record(d),
            "plan_id": row.id,
            "position": position,
            "status": "pendiente",
            "evidence": "",
            "updated_by": "",
            "archived": False,
            "version": 1,
        }
        for position, d in enumerate(plan.deliverables.values())
    ]
    if deliverables:
        session.execute(insert(DeliverableRow), deliverables)
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


def stored_plan(session: Session, row: PlanRow, *, include_archived: bool = False) -> Plan:
    """The typed Plan the database holds (current items only, unless asked)."""
    doc = row.document
    meta_doc = doc.get("meta", {})
    meta = PlanMeta(
        id=row.key,
        title=row.title,
        period=Period(row.period_start, row.period_end),
        **{k: meta_doc.get(k, "") for k in ("city", "country", "program", "phase", "organisation")},
    )
    plan = Plan(
        path=row.source_path,
        meta=meta,
        calendar_country=row.calendar_country,
        extra_holidays=[Holiday(date.fromisoformat(d), n) for d, n in row.extra_holidays],
    )
    for area in doc.get("areas", []):
        plan.areas.append(
            Area(
                area["id"],
                area["title"],
                area.get("context", ""),
                area.get("objective", ""),
                [Question(q["id"], q["text"]) for q in area.get("questions", [])],
                area.get("exchange_cities", []),
                area.get("task_ids", []),
            )
        )
    for stage in doc.get("stages", []):
        plan.stages.append(
            Stage(
                stage["id"],
                stage["title"],
                stage.get("description", ""),
                stage.get("objective", ""),
                stage.get("activity_ids", []),
                stage.get("deliverable_ids", []),
            )
        )
    plan.organisations = [
        Organisation(o["acronym"], o["name"], tuple(o.get("aliases", ())))
        for o in doc.get("organisations", [])
    ]
    if doc.get("committee"):
        c = doc["committee"]
        plan.committee = Committee(
            c["name"],
            c.get("description", ""),
            list(c.get("internal_members", [])),
            list(c.get("expanded_members", [])),
            list(c.get("objectives", [])),
        )
    if doc.get("communication"):
        plan.communication = communication_from_document(doc["communication"])
    item_query = select(ItemRow).where(ItemRow.plan_id == row.id).order_by(ItemRow.position)
    deliverable_query = (
        select(DeliverableRow)
        .where(DeliverableRow.plan_id == row.id)
        .order_by(DeliverableRow.position)
    )
    if not include_archived:
        item_query = item_query.where(ItemRow.archived.is_(False))
        deliverable_query = deliverable_query.where(DeliverableRow.archived.is_(False))
    for item_row in session.scalars(item_query):
        plan.items[item_row.key] = item_from_row(item_row)
    for d in session.scalars(deliverable_query):
        details = d.details
        plan.deliverables[d.key] = Deliverable(
            d.key,
            d.title,
            d.producer_key,
            details.get("pages"),
            details.get("note", ""),
            details.get("number"),
            details.get("producer_source", "documento"),
            [Role(**r) for r in details.get("roles", [])],
        )
        if d.producer_key in plan.items:
            plan.items[d.producer_key].deliverables.append(d.key)
    return plan


def item_from_row(row: Any) -> Item:
    details = dict(row.details)
    roles = [Role(**r) for r in details.pop("roles", [])]
    return Item(
        id=row.key,
        kind=ItemKind(row.kind),
        title=row.title,
        group=row.group_key,
        duration=row.duration,
        not_before=row.not_before,
        deadline=row.deadline,
        depends_on=[Dependency(k, lag, source, note) for k, lag, source, note in row.depends_on],
        roles=roles,
        **{k: v for k, v in details.items() if k in _DETAIL_FIELDS},
    )


def communication_from_document(doc: dict[str, Any]) -> Communication:
    """The communication plan as stored in a plan's JSON document."""
    period = Period(
        date.fromisoformat(doc["period"]["start"]), date.fromisoformat(doc["period"]["end"])
    )
    comm = Communication(
        doc["title"],
        period,
        doc.get("description", ""),
        doc.get("internal_objectives", []),
        doc.get("external_objectives", []),
        doc.get("audience", ""),
    )
    comm.channels = [
        Channel(c["id"], c["name"], c.get("description", "")) for c in doc.get("channels", [])
    ]
    for t in doc.get("targets", []):
        comm.targets.append(
            CommunicationTarget(
                id=t["id"],
                objective=t.get("objective", ""),
                action=t["action"],
                text=t["text"],
                channels=list(t["channels"]),
                count=t["count"],
                unit=TargetUnit(t["unit"]),
                quarters=list(t.get("quarters", [])),
                per_channel=t.get("per_channel", False),
                stated_total=t.get("stated_total"),
                item=t.get("item", ""),
                at_least=t.get("at_least", False),
                note=t.get("note", ""),
            )
        )
    return comm
