"""A revised plan syncs without losing status or a single history row."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from sqlalchemy import func, select

from tracker.store.models import ChangeRow, ItemRow
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_item_status
from tracker.tracking.sync import rebaseline, sync_plan

from .helpers import SMALL, change_count, fresh_db, run, small_plan

REVISED = SMALL.replace("      - {id: C, title: Tarea C, duration: 2}\n", "").replace(
    "{id: B, title: Tarea B, duration: 3, depends_on: [A-P1]}",
    "{id: B, title: Tarea B revisada, duration: 6, depends_on: [A-P1]}\n"
    "      - {id: D, title: Tarea D nueva, duration: 1, depends_on: [B]}",
)


def items(sessions: object) -> dict[str, ItemRow]:
    return transaction(sessions, lambda s: {r.key: r for r in s.scalars(select(ItemRow))})  # type: ignore[arg-type]


def test_sync_shows_then_applies_changes_keeping_status_and_history(
    db_url: str, tmp_path: Path
) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    run(sessions, set_item_status, "B", "en_curso", on=date(2018, 1, 10), author="ana", percent=10)
    run(sessions, set_item_status, "C", "en_curso", on=date(2018, 1, 3), author="ana")
    history_before = change_count(sessions)
    baseline_b = items(sessions)["B"].baseline_finish
    path = tmp_path / "revised.yaml"
    path.write_text(REVISED, encoding="utf-8")
    from tracker.plan.load import load_plan

    plan = load_plan(str(path))
    dry = transaction(sessions, lambda s: sync_plan(s, plan, "luis", dry_run=True))
    summary = {(c.key, c.kind) for c in dry.changes}
    assert summary == {("B", "changed"), ("C", "removed"), ("D", "added")}
    b_change = next(c for c in dry.changes if c.key == "B")
    assert b_change.fields["duration"] == (3, 6) and "title" in b_change.fields
    assert change_count(sessions) == history_before  # a dry run writes nothing

    transaction(sessions, lambda s: sync_plan(s, plan, "luis", dry_run=False))
    rows = items(sessions)
    assert (rows["B"].status, rows["B"].percent, rows["B"].duration) == ("en_curso", 10, 6)
    assert rows["B"].baseline_finish == baseline_b  # baseline moves only when asked
    assert rows["C"].archived and rows["C"].status == "en_curso"
    assert rows["D"].baseline_start > rows["B"].baseline_finish
    assert change_count(sessions) > history_before
    c_history = transaction(
        sessions,
        lambda s: s.scalar(select(func.count(ChangeRow.id)).where(ChangeRow.entity_key == "C")),
    )
    assert c_history == 2  # its status change and its archiving

    # The original file brings C back from the archive, status and all.
    transaction(sessions, lambda s: sync_plan(s, small_plan(tmp_path), "luis", dry_run=False))
    rows = items(sessions)
    assert not rows["C"].archived and rows["C"].status == "en_curso" and rows["D"].archived


def test_rebaseline_freezes_the_forecast_and_is_recorded(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    moved = transaction(
        sessions,
        lambda s: rebaseline(s, find_plan(s), "ana", date(2018, 1, 15), "retraso aprobado"),
    )
    assert moved == 3
    rows = items(sessions)
    assert rows["C"].baseline_start == date(2018, 1, 15)
    last = transaction(
        sessions, lambda s: s.scalars(select(ChangeRow).order_by(ChangeRow.id.desc())).first()
    )
    assert last.action == "rebaseline" and last.note == "retraso aprobado"
    assert last.before["C"] == ["2018-01-02", "2018-01-03"]
