"""The team database: plans, their items and deliverables with status, and the change history."""

from __future__ import annotations

from datetime import date, datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

NAMING = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING)
    type_annotation_map: ClassVar[dict[Any, Any]] = {dict[str, Any]: JSON, list[Any]: JSON}


class PlanRow(Base):
    """One plan loaded into the database (a database can hold several)."""

    __tablename__ = "plans"

    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(200), unique=True)
    title: Mapped[str] = mapped_column(Text)
    source_path: Mapped[str] = mapped_column(Text)
    period_start: Mapped[date] = mapped_column(Date)
    period_end: Mapped[date] = mapped_column(Date)
    calendar_country: Mapped[str] = mapped_column(String(8), default="")
    extra_holidays: Mapped[list[Any]] = mapped_column(default=list)  # [[iso date, name]]
    # {year: [[iso date, name]]}: the country's holidays as the plan was loaded or synced.
    country_holidays: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    content_hash: Mapped[str] = mapped_column(String(64))
    document: Mapped[dict[str, Any]] = mapped_column(default=dict)  # areas, stages, texts...
    baseline_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    version: Mapped[int] = mapped_column(Integer, default=1)

    items: Mapped[list[ItemRow]] = relationship(back_populates="plan", order_by="ItemRow.position")
    deliverables: Mapped[list[DeliverableRow]] = relationship(
        back_populates="plan", order_by="DeliverableRow.position"
    )

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class ItemRow(Base):
    """A schedulable item with its tracked state and baseline."""

    __tablename__ = "items"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    kind: Mapped[str] = mapped_column(String(20))
    group_key: Mapped[str] = mapped_column(String(200), default="")
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    duration: Mapped[int] = mapped_column(Integer)
    not_before: Mapped[date | None] = mapped_column(Date)
    deadline: Mapped[date | None] = mapped_column(Date)
    depends_on: Mapped[list[Any]] = mapped_column(default=list)  # [[key, lag, source]]
    leads: Mapped[str] = mapped_column(Text, default="")
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)  # methodology, roles ...
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    status: Mapped[str] = mapped_column(String(20), default="pendiente")
    percent: Mapped[int] = mapped_column(Integer, default=0)
    actual_start: Mapped[date | None] = mapped_column(Date)
    actual_finish: Mapped[date | None] = mapped_column(Date)
    reason: Mapped[str] = mapped_column(Text, default="")
    baseline_start: Mapped[date] = mapped_column(Date)
    baseline_finish: Mapped[date] = mapped_column(Date)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[PlanRow] = relationship(back_populates="items")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class DeliverableRow(Base):
    """A product or stage deliverable with its own review status."""

    __tablename__ = "deliverables"
    __table_args__ = (UniqueConstraint("plan_id", "key"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    key: Mapped[str] = mapped_column(String(200))
    producer_key: Mapped[str] = mapped_column(String(200))
    title: Mapped[str] = mapped_column(Text)
    position: Mapped[int] = mapped_column(Integer)
    details: Mapped[dict[str, Any]] = mapped_column(default=dict)
    archived: Mapped[bool] = mapped_column(Boolean, default=False)

    status: Mapped[str] = mapped_column(String(20), default="pendiente")
    evidence: Mapped[str] = mapped_column(Text, default="")
    status_date: Mapped[date | None] = mapped_column(Date)
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_by: Mapped[str] = mapped_column(String(200), default="")
    version: Mapped[int] = mapped_column(Integer, default=1)

    plan: Mapped[PlanRow] = relationship(back_populates="deliverables")

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it


class ChangeRow(Base):
    """One recorded change: who, when, what from what to what, and why."""

    __tablename__ = "changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), index=True)
    # The day the change took effect (``--date``, a row's date ...): the state on a past date
    # is computed from the changes effective by then. ``at`` is when it was typed.
    effective: Mapped[date] = mapped_column(Date, index=True)
    author: Mapped[str] = mapped_column(String(200), index=True)
    entity: Mapped[str] = mapped_column(String(20))  # item | deliverable | plan
    entity_key: Mapped[str] = mapped_column(String(200), index=True)
    action: Mapped[str] = mapped_column(String(40))
    before: Mapped[dict[str, Any]] = mapped_column(default=dict)
    after: Mapped[dict[str, Any]] = mapped_column(default=dict)
    note: Mapped[str] = mapped_column(Text, default="")
    undoes: Mapped[int | None] = mapped_column(ForeignKey("changes.id"))
    undone: Mapped[bool] = mapped_column(Boolean, default=False)

    # The state on a past date: each key's changes on either side of the date, from the
    # index alone (migration 0005).
    __table_args__ = (
        Index("ix_changes_replay", "plan_id", "entity", "entity_key", "effective", "id"),
    )


class CommActivityRow(Base):
    """A logged communication activity: it counts toward one or several targets."""

    __tablename__ = "comm_activities"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("plans.id", ondelete="CASCADE"), index=True)
    day: Mapped[date] = mapped_column(Date, index=True)
    channel: Mapped[str] = mapped_column(String(60))
    targets: Mapped[list[Any]] = mapped_column(default=list)  # target ids of the plan
    title: Mapped[str] = mapped_column(Text)
    quantity: Mapped[int] = mapped_column(Integer, default=1)
    link: Mapped[str] = mapped_column(Text, default="")
    note: Mapped[str] = mapped_column(Text, default="")
    author: Mapped[str] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    deleted: Mapped[bool] = mapped_column(Boolean, default=False)
    version: Mapped[int] = mapped_column(Integer, default=1)

    __mapper_args__ = {"version_id_col": version}  # noqa: RUF012 - SQLAlchemy reads it
