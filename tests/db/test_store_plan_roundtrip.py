"""The plan read back from the store is the plan that was loaded: nothing a view needs is
dropped on the way (organisations with kind and capacity, the team, shared products)."""

from __future__ import annotations

from datetime import date

from tracker.plan.load import load_plan
from tracker.store.store import Store, dispose_engines

from ..conftest import PLAN
from .helpers import fresh_db


def test_the_stored_plan_keeps_what_the_file_says(db_url: str) -> None:
    plan = load_plan(str(PLAN))
    fresh_db(db_url, plan)
    try:
        stored = Store(db_url).state(date(2018, 3, 1)).plan
    finally:
        dispose_engines()
    assert stored.organisations == plan.organisations
    assert any(o.capacity for o in stored.organisations)  # the Dirección's three people
    assert stored.meta.team == plan.meta.team and stored.meta.team
    for key, deliverable in plan.deliverables.items():
        back = stored.deliverables[key]
        assert (back.parts, back.shared_by, back.formerly) == (
            deliverable.parts,
            deliverable.shared_by,
            deliverable.formerly,
        ), key
    assert any(d.parts for d in stored.deliverables.values())
    assert any(d.shared_by for d in stored.deliverables.values())
    for key, item in plan.items.items():
        assert stored.items[key].window_source == item.window_source, key
