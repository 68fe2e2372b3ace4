"""The state of any day equals what a database that had only that day's changes would hold.

The demo's generated history is replayed day by day: for every day of the plan period, the
state computed from the full database (changes effective later left out) must equal the
state of a fresh database into which only the changes effective by that day were recorded,
through the same functions the commands use. On SQLite and on PostgreSQL.
"""

from __future__ import annotations

from datetime import date, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from tracker.demo.generate import AS_OF, build_demo
from tracker.plan.load import load_plan
from tracker.state.asof import local_today
from tracker.state.plan_state import PlanState, plan_state
from tracker.state.records import Change
from tracker.store.engine import make_engine, upgrade
from tracker.store.planstore import find_plan, stored_plan
from tracker.store.session import transaction
from tracker.store.store import Store, dispose_engines
from tracker.tracking.commlog import ActivityInput, add_activity
from tracker.tracking.status import set_deliverable_status, set_item_status
from tracker.tracking.sync import sync_plan

from ..conftest import PLAN
from .helpers import SMALL, fresh_db, run, small_plan


def _fresh_url(url: str, tag: str) -> str:
    """A second database beside ``url``: another file, or another PostgreSQL schema."""
    if url.startswith("sqlite:///"):
        return url.replace(".db", f"-{tag}.db")
    from sqlalchemy import create_engine, text

    base, _sep, options = url.partition("?")
    schema = options.split("%3D", 1)[1] + tag
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    admin.dispose()
    return f"{base}?options=-csearch_path%3D{schema}"


def _record(sessions: sessionmaker[Session], change: Change) -> None:
    """Record ``change`` again through the function its command calls."""
    after, day = change.after, change.effective

    def iso(value: Any) -> date | None:
        return date.fromisoformat(value) if value else None

    def work(session: Session) -> None:
        plan_row = find_plan(session)
        if change.entity == "item":
            set_item_status(
                session,
                plan_row,
                change.key,
                after["status"],
                on=day,
                author=change.author,
                percent=after["percent"],
                note=after["reason"] or change.note,
                start=iso(after["actual_start"]),
                finish=iso(after["actual_finish"]),
            )
        elif change.entity == "deliverable":
            set_deliverable_status(
                session,
                plan_row,
                change.key,
                after["status"],
                on=day,
                author=change.author,
                evidence=after["evidence"],
                note=change.note,
            )
        elif change.entity == "comms":
            data = ActivityInput(
                day=iso(after["day"]),  # type: ignore[arg-type]
                channel=after["channel"],
                targets=list(after["targets"]),
                title=after["title"],
                quantity=after["quantity"],
                link=after["link"],
                note=after["note"],
            )
            add_activity(session, plan_row, stored_plan(session, plan_row), data, change.author)

    transaction(sessions, work)


def _essence(state: PlanState) -> dict[str, Any]:
    return {
        "items": [
            (
                i.key,
                i.status,
                i.percent,
                i.reason,
                i.actual_start,
                i.actual_finish,
                i.forecast_start,
                i.forecast_finish,
                i.slip_days,
                i.late,
                i.at_risk,
            )
            for i in state.forecast.items
        ],
        "groups": [
            (g.key, g.percent, g.slip_days, g.forecast_finish) for g in state.forecast.groups
        ],
        "overall": (state.forecast.overall.percent, state.forecast.overall.slip_days),
        "deliverables": [
            (d.key, d.status, d.evidence, d.status_date) for d in state.deliverables.values()
        ],
        "activities": [
            (a["day"], a["channel"], a["targets"], a["title"], a["quantity"])
            for a in state.activities
        ],
        "comms": [(c.target, c.channel, c.done, c.state) for c in state.comms],
    }


def test_every_day_of_the_demo_history_replays_to_what_stood_then(db_url: str) -> None:
    plan = load_plan(str(PLAN))
    engine = make_engine(db_url)
    upgrade(engine)
    build_demo(sessionmaker(engine, expire_on_commit=False), plan)
    full = Store(db_url)
    history = [
        c
        for c in full.state(AS_OF, with_changes=True).changes
        if c.entity in ("item", "deliverable", "comms")
    ]
    assert len(history) > 100
    # The demo records its history in effective order: so the fresh database can take the
    # changes of one day after another instead of being rebuilt for every day.
    assert [c.effective for c in history] == sorted(c.effective for c in history)
    assert all(c.action in ("status", "add") for c in history)

    fresh_url = _fresh_url(db_url, "fresh")
    fresh_sessions = fresh_db(fresh_url, plan)
    fresh = Store(fresh_url)
    pending = list(history)
    day, compared = plan.meta.period.start - timedelta(days=1), 0
    try:
        while day <= AS_OF + timedelta(days=3):
            while pending and pending[0].effective <= day:
                _record(fresh_sessions, pending.pop(0))
            expected = _essence(fresh.state(day))
            assert _essence(full.state(day)) == expected, day
            compared += 1
            day += timedelta(days=1)
    finally:
        dispose_engines()
    assert compared > 100 and not pending


def test_the_state_today_is_the_rows_as_stored(db_url: str) -> None:
    """Replaying the whole history gives exactly the stored rows (the fast path)."""
    plan = load_plan(str(PLAN))
    engine = make_engine(db_url)
    upgrade(engine)
    build_demo(sessionmaker(engine, expire_on_commit=False), plan)
    store = Store(db_url)
    try:
        rows = store.state(AS_OF)
        stored = store.read(_stored_with_history)
        stored.latest_effective = date(9999, 1, 1)  # force the replay
        assert _essence(plan_state(stored, AS_OF)) == _essence(rows)
    finally:
        dispose_engines()


def _stored_with_history(reader: Any) -> Any:
    from tracker.state.records import StoredPlan
    from tracker.store import queries
    from tracker.store.planread import find_plan_header, read_activities, read_plan

    header = find_plan_header(reader, None)
    plan, items, deliverable_rows = read_plan(reader, header)
    return StoredPlan(
        header.key,
        plan,
        items,
        queries.deliverable_records(deliverable_rows),
        read_activities(reader, header.id),
        queries.changes(reader, queries.CHANGES, {"plan": header.id}),
    )


def test_a_history_typed_out_of_order_reads_as_a_full_replay(db_url: str) -> None:
    """The store reads a past date from each key's last counted change when its counted
    changes were recorded first, and replays the others: the state must be exactly what a
    replay of the whole history gives, on every day, with back-dated corrections, undos and
    products mixed in (``tracker.store.queries.REPLAY_LAST``)."""
    import random

    from tracker.errors import TrackerError
    from tracker.state.plan_state import plan_state
    from tracker.tracking.status import undo_last

    plan = load_plan(str(PLAN))
    sessions = fresh_db(db_url, plan)
    rng = random.Random(12)
    items = ["1.1.1", "1.1.2", "2.1.1", "2.1.2", "3.1.1", "3.2.1", "4.1.1", "5.1.1"]
    products = [d.id for d in plan.deliverables.values() if d.producer in items][:6]
    first = plan.meta.period.start
    recorded = 0
    for n in range(160):
        day = first + timedelta(days=rng.randrange(0, 150))

        def work(session: Session, n: int = n, day: date = day) -> None:
            plan_row = find_plan(session)
            if n % 17 == 16:
                undo_last(session, plan_row, "ana")
            elif n % 5 == 4 and products:
                status = rng.choice(["en_revision", "validado", "borrador", "entregado"])
                set_deliverable_status(
                    session, plan_row, rng.choice(products), status, on=day, author="luis"
                )
            else:
                status = rng.choice(["en_curso", "en_curso", "completada", "bloqueada"])
                set_item_status(
                    session,
                    plan_row,
                    rng.choice(items),
                    status,
                    on=day,
                    author="ana",
                    percent=rng.randrange(0, 100, 10) if status == "en_curso" else None,
                    note="espera datos" if status == "bloqueada" else "",
                )

        try:
            transaction(sessions, work)
            recorded += 1
        except TrackerError:
            pass  # a change the rules refuse (finish before start ...): not recorded
    assert recorded > 100
    store = Store(db_url)
    try:
        stored = store.read(_stored_with_history)
        shortcut = mixed = 0
        for offset in range(-2, 160, 3):
            day = first + timedelta(days=offset)
            stored.latest_effective = date(9999, 1, 1)  # force the whole replay
            whole = plan_state(stored, day)
            assert _essence(store.state(day)) == _essence(whole), day
            # Both ways of reading were exercised.
            from tracker.store import queries

            _keys, base, read = store.read(
                lambda r, day=day: queries.replay_history(r, _plan_id(r), day)
            )
            shortcut += len(base)
            mixed += len({(c.entity, c.key) for c in read})
        assert shortcut > 20 and mixed > 20
    finally:
        dispose_engines()


def _plan_id(reader: Any) -> int:
    from tracker.store.planread import find_plan_id

    return find_plan_id(reader)


# Task C leaves the plan; task A gets a product whose id is C.
REVISED = SMALL.replace("      - {id: C, title: Tarea C, duration: 2}\n", "").replace(
    "products: [{id: A-P1, title: Informe A}]",
    "products: [{id: A-P1, title: Informe A}, {id: C, title: Informe C}]",
)


def test_a_deliverable_sharing_a_key_with_an_archived_item_keeps_its_status(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    sessions = fresh_db(url, small_plan(tmp_path))
    today = local_today()
    # Within the tolerance the rules allow (validate.FUTURE_TOLERANCE_DAYS = 7).
    run(sessions, set_item_status, "C", "en_curso", on=today + timedelta(days=3), author="ana")
    revised = small_plan(tmp_path, REVISED)
    transaction(sessions, lambda s: sync_plan(s, revised, "luis", dry_run=False))
    run(sessions, set_deliverable_status, "C", "entregado", on=date(2018, 3, 1), author="ana")

    store = Store(url)
    try:
        stored = store.read(_stored_with_history)
        stored.latest_effective = date(9999, 1, 1)  # force the whole replay
        whole = plan_state(stored, today).deliverables["C"]
        got = store.state(today).deliverables["C"]
        assert (whole.status, whole.status_date) == ("entregado", date(2018, 3, 1))
        assert (got.status, got.status_date, got.updated_by) == (
            whole.status,
            whole.status_date,
            whole.updated_by,
        )
    finally:
        dispose_engines()
