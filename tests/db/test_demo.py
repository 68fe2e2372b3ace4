"""The demo database: a plausible, reproducible history generated from the bundled plan."""

from __future__ import annotations

from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.demo.generate import AUTHORS, build_demo, create_demo_database, database_state
from tracker.errors import InputError, TrackerError
from tracker.plan.load import load_plan
from tracker.store.engine import make_engine, upgrade
from tracker.store.models import ChangeRow, CommActivityRow, DeliverableRow, ItemRow
from tracker.store.session import transaction
from tracker.store.store import session_state

from ..conftest import PLAN
from .helpers import change_count, fresh_db

AS_OF = date(2018, 4, 16)


def empty_db(url: str) -> sessionmaker[Session]:
    engine = make_engine(url)
    upgrade(engine)
    return sessionmaker(engine, expire_on_commit=False)


def utc(at: datetime) -> datetime:
    """PostgreSQL gives aware times in its session zone; SQLite the stored UTC ones."""
    return at.astimezone(UTC).replace(tzinfo=None) if at.tzinfo else at


def snapshot(session: Session) -> dict[str, Any]:
    """Everything the build wrote, minus database ids."""
    return {
        "items": [
            (r.key, r.status, r.percent, r.actual_start, r.actual_finish, r.reason, r.updated_by)
            for r in session.scalars(select(ItemRow).order_by(ItemRow.position))
        ],
        "deliverables": [
            (r.key, r.status, r.status_date, r.evidence, r.updated_by)
            for r in session.scalars(select(DeliverableRow).order_by(DeliverableRow.position))
        ],
        "activities": [
            (a.day, a.channel, a.targets, a.title, a.quantity, a.note, a.author)
            for a in session.scalars(select(CommActivityRow).order_by(CommActivityRow.id))
        ],
        "changes": [
            (utc(c.at), c.author, c.entity, c.action, c.note)
            for c in session.scalars(select(ChangeRow).order_by(ChangeRow.id))
        ],
    }


@pytest.fixture()
def demo(db_url: str) -> sessionmaker[Session]:
    sessions = empty_db(db_url)
    build_demo(sessions, load_plan(str(PLAN)))
    return sessions


def test_the_demo_tells_a_plausible_story(demo: sessionmaker[Session]) -> None:
    def check(session: Session) -> None:
        items = list(session.scalars(select(ItemRow)))
        by_status: dict[str, list[ItemRow]] = {}
        for row in items:
            by_status.setdefault(row.status, []).append(row)

        blocked = by_status["bloqueada"]
        assert len(blocked) == 1 and len(blocked[0].reason) > 20
        done = [r for r in by_status["completada"] if r.duration]
        assert any(r.actual_finish and r.actual_finish > r.baseline_finish for r in done)
        assert any(r.actual_finish == r.baseline_finish for r in done)
        assert any(r.actual_finish and r.actual_finish < r.baseline_finish for r in done)
        # Tasks planned to finish well before mid-April are mostly done.
        early = [r for r in items if r.kind == "task" and r.baseline_finish < date(2018, 3, 1)]
        finished = [r for r in early if r.status in ("completada", "diferida")]
        assert len(finished) >= 0.8 * len(early)
        at_work = by_status["en_curso"]
        assert at_work and all(0 < r.percent < 100 and r.actual_start for r in at_work)
        for row in by_status.get("diferida", []):
            assert "fase de implementación" in row.reason
        assert all(r.status == "pendiente" for r in items if r.baseline_start > AS_OF)

        statuses = {d.status for d in session.scalars(select(DeliverableRow))}
        assert {"borrador", "en_revision", "validado", "entregado", "pendiente"} <= statuses

        activities = list(session.scalars(select(CommActivityRow)))
        assert len(activities) >= 30
        months = {a.day.month for a in activities}
        assert len(months) >= 2 and months <= {1, 2, 3, 4}
        assert len({t for a in activities for t in a.targets}) >= 8
        assert any(a.quantity > 1 for a in activities)

        changes = list(session.scalars(select(ChangeRow)))
        assert {c.author for c in changes} == set(AUTHORS)
        # Every change went through the domain functions and was recorded.
        recorded = {(c.entity, c.entity_key) for c in changes}
        assert all(("item", r.key) in recorded for r in items if r.status != "pendiente")
        assert sum(c.entity == "comms" and c.action == "add" for c in changes) == len(activities)
        assert any(c.note and c.entity == "item" for c in changes)

        dates = [d for r in items for d in (r.actual_start, r.actual_finish) if d]
        dates += [d.status_date for d in session.scalars(select(DeliverableRow)) if d.status_date]
        dates += [a.day for a in activities]
        dates += [utc(c.at).date() for c in changes]
        assert dates and max(dates) <= AS_OF and min(dates) >= date(2017, 12, 1)

        forecast = session_state(session, None, AS_OF).forecast
        assert forecast.overall.late >= 2 and forecast.overall.at_risk >= 2

    transaction(demo, check)


def test_the_demo_is_reproducible(demo: sessionmaker[Session], tmp_path: Path) -> None:
    again = empty_db(f"sqlite:///{tmp_path / 'again.db'}")
    summary = build_demo(again, load_plan(str(PLAN)))
    assert transaction(demo, snapshot) == transaction(again, snapshot)
    assert summary.item_counts["bloqueada"] == 1 and summary.activities >= 30
    assert summary.authors == tuple(sorted(AUTHORS))
    other = empty_db(f"sqlite:///{tmp_path / 'other.db'}")
    build_demo(other, load_plan(str(PLAN)), seed=7)
    assert transaction(other, snapshot) != transaction(again, snapshot)


def test_the_demo_needs_a_database_of_its_own(db_url: str) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    before = change_count(sessions)
    with pytest.raises(TrackerError, match="database of its own"):
        build_demo(sessions, load_plan(str(PLAN)))
    assert change_count(sessions) == before


def test_only_a_demo_database_is_replaced(db_url: str, tmp_path: Path) -> None:
    plan = load_plan(str(PLAN))
    assert database_state(db_url) == "empty"
    first, replaced = create_demo_database(db_url, plan)
    assert not replaced and database_state(db_url) == "demo"
    second, replaced = create_demo_database(db_url, plan)
    assert replaced and second == first

    team = f"sqlite:///{tmp_path / 'team.db'}"
    sessions = fresh_db(team, plan)
    before = change_count(sessions)
    with pytest.raises(InputError, match="not a demo"):
        create_demo_database(team, plan)
    assert database_state(team) == "other" and change_count(sessions) == before
