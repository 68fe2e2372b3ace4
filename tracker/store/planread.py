"""Read a stored plan and its tracked state back with plain SQL (see ``tracker.store.reader``).

One SELECT per table, shared by everything that reads: the typed Plan, and each item's
tracked state for the forecast.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

from tracker.errors import TrackerError
from tracker.i18n import _
from tracker.plan.model import (
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
from tracker.state.records import ItemState
from tracker.store import queries
from tracker.store.reader import Reader, as_date, as_json, as_json_list

if TYPE_CHECKING:
    pass

# Item fields kept as a JSON document (shown in detail views, compared by sync).
DETAIL_FIELDS = (
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
    "window_source",
)


_DETAIL_KEYS = frozenset(DETAIL_FIELDS)


class PlanNotFoundError(TrackerError):
    """No such plan in the database."""


@dataclass(slots=True)
class PlanHeader:
    """A plan's own row: what the items hang from."""

    id: int
    key: str
    title: str
    source_path: str
    period_start: date
    period_end: date
    calendar_country: str
    extra_holidays: list[Any]
    country_holidays: dict[str, Any]
    document: dict[str, Any]
    version: int


def _header(row: Any) -> PlanHeader:
    return PlanHeader(
        id=row[0],
        key=row[1],
        title=row[2],
        source_path=row[3],
        period_start=_required_date(row[4]),
        period_end=_required_date(row[5]),
        calendar_country=row[6] or "",
        extra_holidays=as_json(row[7]) or [],
        country_holidays=as_json(row[8]) or {},
        document=as_json(row[9]) or {},
        version=row[10],
    )


def find_plan_id(reader: Reader, key: str | None = None) -> int:
    """The id of plan ``key``, or of the database's only plan when ``key`` is None."""
    plans = reader.rows(queries.PLAN_KEYS)
    if key:
        for plan_id, plan_key in plans:
            if plan_key == key:
                return int(plan_id)
        raise PlanNotFoundError(
            _("no plan {key} in the database (plans: {keys})").format(
                key=key, keys=", ".join(k for _id, k in plans) or "-"
            )
        )
    if not plans:
        raise PlanNotFoundError(_("the database holds no plan: run `tracker init`"))
    if len(plans) > 1:
        raise PlanNotFoundError(
            _("the database holds several plans; choose one with --plan-id ({keys})").format(
                keys=", ".join(k for _id, k in plans)
            )
        )
    return int(plans[0][0])


def find_plan_header(reader: Reader, key: str | None = None) -> PlanHeader:
    """The plan ``key``, or the database's only plan when ``key`` is None."""
    plan_id = find_plan_id(reader, key)
    rows = reader.rows(queries.PLANS, {"id": plan_id})
    return _header(rows[0])


def read_plan(
    reader: Reader, header: PlanHeader, *, include_archived: bool = False, with_details: bool = True
) -> tuple[Plan, dict[str, ItemState], list[Any]]:
    """The typed Plan the database holds (current items only, unless asked), and the
    tracked state of each of its items. Without details, items carry only what scheduling
    and the lists need: no methodology, roles, allies or texts."""
    plan = plan_shell(header)
    archived = "" if include_archived else " AND NOT archived"
    states: dict[str, ItemState] = {}
    # Unasked-for details are not even read: they are most of a row's bytes.
    details_column = "details" if with_details else "NULL"
    item_rows = reader.rows(
        queries.ITEMS.format(archived=archived, details=details_column), {"plan": header.id}
    )
    # The details' JSON (methodology, roles, texts) is the largest part of a row.
    details_all = (
        as_json_list([row[9] for row in item_rows]) if with_details else [{} for _ in item_rows]
    )
    depends_all = as_json_list([row[7] for row in item_rows])
    kinds = {kind.value: kind for kind in ItemKind}
    items = plan.items
    for row, details, depends_on in zip(item_rows, details_all, depends_all, strict=True):
        key, kind, group, title, duration, not_before, deadline = row[:7]
        roles = [Role(**r) for r in details.pop("roles", ())]
        if not details.keys() <= _DETAIL_KEYS:  # written by an older or newer tracker
            details = {k: v for k, v in details.items() if k in _DETAIL_KEYS}
        items[key] = Item(
            id=key,
            kind=kinds[kind],
            title=title,
            group=group,
            duration=duration,
            not_before=as_date(not_before),
            deadline=as_date(deadline),
            depends_on=[Dependency(*d) for d in depends_on],
            roles=roles,
            **details,
        )
        states[key] = ItemState(
            key,
            kind,
            group,
            title,
            row[8],
            duration,
            row[10],
            row[11],
            row[12],
            as_date(row[13]),
            as_date(row[14]),
            _required_date(row[15]),
            _required_date(row[16]),
            row[17],
            row[18],
        )
    deliverable_rows = reader.rows(
        queries.DELIVERABLES.format(archived=archived), {"plan": header.id}
    )
    for (key, title, producer, *_rest), details in zip(
        deliverable_rows, as_json_list([row[3] for row in deliverable_rows]), strict=True
    ):
        plan.deliverables[key] = Deliverable(
            key,
            title,
            producer,
            details.get("pages"),
            details.get("note", ""),
            details.get("number"),
            details.get("producer_source", "documento"),
            [Role(**r) for r in details.get("roles", [])],
            list(details.get("parts", ())),
            list(details.get("shared_by", ())),
            list(details.get("formerly", ())),
        )
        if producer in plan.items:
            plan.items[producer].deliverables.append(key)
    return plan, states, deliverable_rows


def plan_shell(header: PlanHeader) -> Plan:
    """The plan's own content (areas, stages, texts, communication), without its items."""
    doc = header.document
    meta_doc = doc.get("meta", {})
    meta = PlanMeta(
        id=header.key,
        title=header.title,
        period=Period(header.period_start, header.period_end),
        team=[str(m) for m in meta_doc.get("team", [])],
        **{
            k: meta_doc.get(k, "")
            for k in (
                "city",
                "country",
                "program",
                "phase",
                "organisation",
                "source_title",
                "source_file",
                "source_note",
                "description",
            )
        },
    )
    plan = Plan(
        path=header.source_path,
        meta=meta,
        calendar_country=header.calendar_country,
        extra_holidays=[Holiday(date.fromisoformat(d), n) for d, n in header.extra_holidays],
        country_holidays={
            int(year): {date.fromisoformat(d): n for d, n in days}
            for year, days in header.country_holidays.items()
        },
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
        Organisation(
            o["acronym"],
            o["name"],
            tuple(o.get("aliases", ())),
            o.get("kind", ""),
            o.get("capacity"),
            o.get("note", ""),
        )
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
    return plan


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


def read_activities(
    reader: Reader, plan_id: int, *, include_deleted: bool = False
) -> list[dict[str, Any]]:
    """The plan's logged communication activities (not deleted, unless asked), by day, as
    ``tracker.tracking.commlog.describe`` gives them."""
    sql = queries.ALL_ACTIVITIES if include_deleted else queries.ACTIVITIES
    rows = reader.rows(sql, {"plan": plan_id})
    return [
        {
            "day": str(as_date(r[1])),
            "channel": r[2],
            "targets": list(as_json(r[3])),
            "title": r[4],
            "quantity": r[5],
            "link": r[6],
            "note": r[7],
            "deleted": bool(r[10]),
            "id": r[0],
            "author": r[8],
            "version": r[9],
        }
        for r in rows
    ]


def _required_date(value: Any) -> date:
    result = as_date(value)
    if result is None:
        raise TrackerError(_("the database holds an item without a baseline date"))
    return result
