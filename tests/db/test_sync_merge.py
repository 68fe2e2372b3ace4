"""A database kept with the plan as it was before issue 15 (a shared row's products copied
to each of its tasks, 3.1.2's report split in four) syncs to the revised plan: the copies merge
into the one product, and no status or history row is lost."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tracker.demo.generate import build_demo
from tracker.plan.load import load_plan
from tracker.store.engine import make_engine, upgrade
from tracker.store.models import ChangeRow, DeliverableRow, ItemRow
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_deliverable_status
from tracker.tracking.sync import sync_plan

from ..conftest import PLAN, ROOT

# data/plan_fase2.yaml as it was when issue 15 was filed (commit 81ddb55).
BEFORE = ROOT / "tests" / "plans" / "plan_fase2_before_issue15.yaml"


def _state(session: Session) -> dict[str, Any]:
    return {
        "items": {
            r.key: (r.status, r.percent, r.actual_start, r.actual_finish, r.reason)
            for r in session.scalars(select(ItemRow))
        },
        "deliverables": {
            r.key: (r.status, r.status_date, r.evidence, r.archived)
            for r in session.scalars(select(DeliverableRow))
        },
        "changes": {
            c.id: (c.entity_key, c.action, c.before, c.after)
            for c in session.scalars(select(ChangeRow))
        },
    }


def test_the_demo_database_syncs_to_the_revised_plan(db_url: str, tmp_path: Path) -> None:
    engine = make_engine(db_url)
    upgrade(engine)
    sessions: sessionmaker[Session] = sessionmaker(engine, expire_on_commit=False)
    build_demo(sessions, load_plan(str(BEFORE)))

    # A copy recorded after its product: the merged product must take the copy's status.
    def later(session: Session) -> None:
        plan_row = find_plan(session)
        set_deliverable_status(
            session,
            plan_row,
            "4.2.3-P5",
            "validado",
            on=date(2018, 4, 20),
            author="ana",
            evidence="acta del grupo de trabajo",
        )

    transaction(sessions, later)
    before = transaction(sessions, _state)
    copies_with_status = {
        k
        for k, v in before["deliverables"].items()
        if k.startswith(("3.2.2-", "4.2.2-")) and v[0] != "pendiente"
    }
    assert copies_with_status  # the demo recorded work on the copies

    revised = load_plan(str(PLAN))
    report = transaction(sessions, lambda s: sync_plan(s, revised, "luis", dry_run=False))
    after = transaction(sessions, _state)

    # Nothing recorded is lost: every history row is still there, unchanged.
    assert {k: v for k, v in after["changes"].items() if k in before["changes"]} == before[
        "changes"
    ]
    # Items keep their status and progress.
    assert {k: after["items"][k] for k in before["items"]} == before["items"]
    # Every deliverable the old database had is still there, with its status.
    assert set(before["deliverables"]) <= set(after["deliverables"])
    merges = {m.key: m for m in report.merges}
    merged_copies = {copy for m in report.merges for copy in m.merged}
    for key, (status, on, evidence, _archived) in before["deliverables"].items():
        now = after["deliverables"][key]
        if key in merged_copies:
            assert now[:3] == (status, on, evidence) and now[3]  # archived as it was
        elif key not in merges:
            assert now[:2] == (status, on)

    # The sync report says what merged.
    assert merges["4.2.1-P5"].merged == ["4.2.2-P5", "4.2.3-P5"]
    assert merges["3.1.2-P1"].merged == ["3.1.2-P2", "3.1.2-P3", "3.1.2-P4"]
    assert len(merged_copies) == 23  # 20 copies of shared rows and 3 parts of one report
    # The one product takes the status recorded last, and every evidence.
    compiled = after["deliverables"]["4.2.1-P5"]
    assert (compiled[0], compiled[1]) == ("validado", date(2018, 4, 20))
    assert "acta del grupo de trabajo" in compiled[2]
    # Each merge is a change of its own that keeps what each copy held.
    merged = [c for c in after["changes"].values() if c[1] == "sync-merged"]
    assert {c[0] for c in merged} == set(merges)
    four = next(c for c in merged if c[0] == "4.2.1-P5")
    assert four[2]["copies"]["4.2.3-P5"]["status"] == "validado"
    assert four[3]["merged_from"] == ["4.2.2-P5", "4.2.3-P5"]

    # The state of the plan for a date agrees: the merged status counts from its day on.
    from tracker.store.store import Store

    store = Store(db_url)
    assert store.state(date(2018, 4, 20)).deliverables["4.2.1-P5"].status == "validado"
    own = [c for c in before["changes"].values() if c[0] == "4.2.1-P5"]
    earlier = store.state(date(2018, 4, 19)).deliverables["4.2.1-P5"].status
    assert earlier == (own[-1][3]["status"] if own else "pendiente")

    # Syncing again changes nothing.
    again = transaction(sessions, lambda s: sync_plan(s, revised, "luis", dry_run=True))
    assert again.empty and not again.merges
