"""Revise a loaded plan from its edited file: show what changes, then apply it.

Status and history are never lost: an item removed from the file is archived with its
history (and comes back with it if the file restores it); existing items keep their baseline
(re-baselining is a separate, explicit command); new items get the baseline the revised plan
gives them.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from sqlalchemy import select, update
from sqlalchemy.orm import Session

from tracker.errors import TrackerError
from tracker.i18n import _
from tracker.plan.model import Plan
from tracker.schedule.passes import compute_schedule
from tracker.store.history import record
from tracker.store.models import DeliverableRow, ItemRow, PlanRow
from tracker.store.planstore import (
    _deliverable_record,
    _item_record,
    content_hash,
    now,
    plan_document,
    stored_holidays,
)

ITEM_COMPARED = (
    "kind",
    "group_key",
    "title",
    "duration",
    "not_before",
    "deadline",
    "depends_on",
    "leads",
    "details",
)
DELIVERABLE_COMPARED = ("producer_key", "title", "details")


@dataclass(slots=True)
class Change:
    entity: str  # item | deliverable
    key: str
    kind: str  # added | removed | changed | restored
    fields: dict[str, tuple[Any, Any]] = field(default_factory=dict)


@dataclass(slots=True)
class SyncReport:
    plan_key: str
    changes: list[Change]
    document_changed: bool

    @property
    def empty(self) -> bool:
        return not self.changes and not self.document_changed


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date) else value


def sync_plan(session: Session, plan: Plan, author: str, *, dry_run: bool) -> SyncReport:
    """Compare ``plan`` with the stored plan of the same id; apply unless ``dry_run``."""
    row = session.scalar(select(PlanRow).where(PlanRow.key == plan.meta.id))
    if row is None:
        raise TrackerError(
            _("plan {key} is not in the database: load it with `tracker init`").format(
                key=plan.meta.id
            )
        )
    items = {r.key: r for r in session.scalars(select(ItemRow).where(ItemRow.plan_id == row.id))}
    deliverables = {
        r.key: r
        for r in session.scalars(select(DeliverableRow).where(DeliverableRow.plan_id == row.id))
    }
    changes: list[Change] = []
    new_items = {i.id: _item_record(i) for i in plan.items.values()}
    new_deliverables = {d.id: _deliverable_record(d) for d in plan.deliverables.values()}
    _diff("item", items, new_items, ITEM_COMPARED, changes)
    _diff("deliverable", deliverables, new_deliverables, DELIVERABLE_COMPARED, changes)
    document = plan_document(plan)
    report = SyncReport(plan.meta.id, changes, document != row.document)
    if dry_run or report.empty:
        return report

    schedule = compute_schedule(plan)
    stamp = now()
    # Only items and deliverables the report names are written through the ORM, so their
    # version rises exactly once per recorded change; document order moves with plain
    # UPDATEs, which are not a change anyone could conflict with.
    touched = {(c.entity, c.key) for c in changes if c.kind in ("changed", "restored")}
    for position, key in enumerate(plan.items):
        values = new_items[key]
        existing = items.get(key)
        if existing is None:
            planned = schedule.items[key]
            session.add(
                ItemRow(
                    plan_id=row.id,
                    position=position,
                    baseline_start=planned.start,
                    baseline_finish=planned.finish,
                    **values,
                )
            )
            continue
        if ("item", key) in touched:
            for name in ITEM_COMPARED:
                if _plain(getattr(existing, name)) != _plain(values[name]):
                    setattr(existing, name, values[name])
            existing.archived = False
        if existing.position != position:
            session.execute(
                update(ItemRow)
                .where(ItemRow.id == existing.id)
                .values(position=position)
                .execution_options(synchronize_session=False)
            )
    for position, key in enumerate(plan.deliverables):
        values = new_deliverables[key]
        existing_d = deliverables.get(key)
        if existing_d is None:
            session.add(DeliverableRow(plan_id=row.id, position=position, **values))
            continue
        if ("deliverable", key) in touched:
            for name in DELIVERABLE_COMPARED:
                if _plain(getattr(existing_d, name)) != _plain(values[name]):
                    setattr(existing_d, name, values[name])
            existing_d.archived = False
        if existing_d.position != position:
            session.execute(
                update(DeliverableRow)
                .where(DeliverableRow.id == existing_d.id)
                .values(position=position)
                .execution_options(synchronize_session=False)
            )
    for change in changes:
        if change.kind == "removed":
            target: Any = items[change.key] if change.entity == "item" else deliverables[change.key]
            target.archived = True
        record(
            session,
            row,
            author,
            change.entity,
            change.key,
            f"sync-{change.kind}",
            {k: _plain(v[0]) for k, v in change.fields.items()},
            {k: _plain(v[1]) for k, v in change.fields.items()},
            "",
        )
    row.document = document
    row.country_holidays = stored_holidays(plan)
    row.content_hash = content_hash(plan, document)
    row.source_path = plan.path
    row.title = plan.meta.title
    row.period_start, row.period_end = plan.meta.period.start, plan.meta.period.end
    row.calendar_country = plan.calendar_country
    row.extra_holidays = [[h.day.isoformat(), h.name] for h in plan.extra_holidays]
    record(
        session,
        row,
        author,
        "plan",
        row.key,
        "sync",
        {},
        {
            "added": sum(c.kind in ("added", "restored") for c in changes),
            "changed": sum(c.kind == "changed" for c in changes),
            "removed": sum(c.kind == "removed" for c in changes),
            "at": stamp.isoformat(),
        },
        "",
    )
    return report


def _diff(
    entity: str,
    stored: dict[str, Any],
    wanted: dict[str, dict[str, Any]],
    compared: tuple[str, ...],
    out: list[Change],
) -> None:
    for key, values in wanted.items():
        row = stored.get(key)
        if row is None:
            out.append(Change(entity, key, "added", {"title": (None, values["title"])}))
            continue
        fields = {
            name: (getattr(row, name), values[name])
            for name in compared
            if _plain(getattr(row, name)) != _plain(values[name])
        }
        if row.archived:
            out.append(Change(entity, key, "restored", fields))
        elif fields:
            out.append(Change(entity, key, "changed", fields))
    for key, row in stored.items():
        if key not in wanted and not row.archived:
            out.append(Change(entity, key, "removed", {"title": (row.title, None)}))


def rebaseline(session: Session, plan_row: PlanRow, author: str, as_of: date, note: str) -> int:
    """Freeze the current forecast as the new baseline; recorded with the old one."""
    from tracker.store.store import session_state

    forecast = session_state(session, plan_row.key, as_of).forecast
    rows = {
        r.key: r
        for r in session.scalars(
            select(ItemRow).where(ItemRow.plan_id == plan_row.id, ItemRow.archived.is_(False))
        )
    }
    before, after = {}, {}
    for item in forecast.items:
        row = rows[item.key]
        old = (row.baseline_start, row.baseline_finish)
        new = (item.forecast_start, item.forecast_finish)
        if old != new:
            before[item.key] = [d.isoformat() for d in old]
            after[item.key] = [d.isoformat() for d in new]
            row.baseline_start, row.baseline_finish = new
    plan_row.baseline_at = now()
    record(session, plan_row, author, "plan", plan_row.key, "rebaseline", before, after, note)
    return len(after)
