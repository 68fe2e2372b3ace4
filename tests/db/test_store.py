"""Init, status changes, history, undo and optimistic locking, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select, text

from tracker.errors import ConflictError, InputError, TrackerError, UnknownItemError
from tracker.plan.load import load_plan
from tracker.schedule.passes import compute_schedule
from tracker.store.engine import (
    SCHEMA_REVISION,
    DatabaseError,
    check_schema,
    known_revisions,
    make_engine,
)
from tracker.store.models import ChangeRow, ItemRow
from tracker.store.planstore import find_plan, init_plan, stored_plan
from tracker.store.session import transaction
from tracker.tracking.status import (
    get_item,
    set_deliverable_status,
    set_item_status,
    set_items_status,
    undo_last,
)

from ..conftest import PLAN
from .helpers import change_count, fresh_db, run, small_plan


def test_schema_revision_constant_is_alembics_head() -> None:
    from alembic.config import Config
    from alembic.script import ScriptDirectory

    from tracker.store import engine as engine_module

    config = Config()
    config.set_main_option(
        "script_location", str(Path(engine_module.__file__).with_name("migrations"))
    )
    assert ScriptDirectory.from_config(config).get_current_head() == SCHEMA_REVISION
    assert known_revisions()[-1] == SCHEMA_REVISION


def test_init_loads_the_bundled_plan_with_its_baseline_once(db_url: str) -> None:
    plan = load_plan(str(PLAN))
    sessions = fresh_db(db_url, plan)
    schedule = compute_schedule(plan)

    def check(session: object) -> None:
        row = find_plan(session)  # type: ignore[arg-type]
        items = session.scalars(select(ItemRow).where(ItemRow.plan_id == row.id)).all()  # type: ignore[attr-defined]
        assert len(items) == 51
        for item in items:
            assert (item.baseline_start, item.baseline_finish) == (
                schedule.items[item.key].start,
                schedule.items[item.key].finish,
            )
        again = stored_plan(session, row)  # type: ignore[arg-type]
        assert list(again.items) == list(plan.items)
        assert again.items["3.5.2"].depends_on == plan.items["3.5.2"].depends_on
        assert again.items["2.2.1"].observations == plan.items["2.2.1"].observations

    transaction(sessions, check)
    before = change_count(sessions)
    _row, created = transaction(sessions, lambda s: init_plan(s, plan, "luis"))
    assert created is False and change_count(sessions) == before


def test_several_plans_in_one_database(db_url: str, tmp_path: Path) -> None:
    from ..conftest import MERCOCIUDADES

    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    transaction(sessions, lambda s: init_plan(s, load_plan(str(MERCOCIUDADES)), "ana"))
    with pytest.raises(TrackerError, match="several plans"):
        transaction(sessions, lambda s: find_plan(s))
    assert (
        transaction(sessions, lambda s: find_plan(s, "mercociudades-2017").key)
        == "mercociudades-2017"
    )


def test_transitions_set_dates_and_are_recorded(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    out = run(
        sessions,
        set_item_status,
        "A",
        "en_curso",
        on=date(2018, 1, 3),
        author="ana",
        percent=40,
        note="arranque",
    )
    assert out.after["actual_start"] == "2018-01-03" and out.after["percent"] == 40
    out = run(sessions, set_item_status, "A", "completada", on=date(2018, 1, 10), author="luis")
    assert (out.after["actual_start"], out.after["actual_finish"], out.after["percent"]) == (
        "2018-01-03",
        "2018-01-10",
        100,
    )
    out = run(
        sessions,
        set_item_status,
        "B",
        "bloqueada",
        on=date(2018, 1, 11),
        author="ana",
        note="falta el informe",
    )
    assert out.after["reason"] == "falta el informe"
    changes = transaction(
        sessions,
        lambda s: s.scalars(
            select(ChangeRow).where(ChangeRow.action == "status").order_by(ChangeRow.id)
        ).all(),
    )
    assert [(c.author, c.entity_key, c.after["status"]) for c in changes] == [
        ("ana", "A", "en_curso"),
        ("luis", "A", "completada"),
        ("ana", "B", "bloqueada"),
    ]
    assert changes[1].before["status"] == "en_curso" and changes[0].note == "arranque"
    # Saved again as done later (a note): it still finished on the 10th, unless a finish is
    # given.
    out = run(
        sessions, set_item_status, "A", "completada", on=date(2018, 1, 20), author="ana", note="ok"
    )
    assert out.after["actual_finish"] == "2018-01-10" and out.before == out.after
    out = run(
        sessions,
        set_item_status,
        "A",
        "completada",
        on=date(2018, 1, 20),
        author="ana",
        finish=date(2018, 1, 12),
    )
    assert out.after["actual_finish"] == "2018-01-12"


@pytest.mark.parametrize(
    ("args", "kwargs", "error", "match"),
    [
        (("A", "hecha"), {}, InputError, "unknown status 'hecha'"),
        (("Z", "en_curso"), {}, UnknownItemError, "unknown item Z"),
        (("A", "en_curso"), {"percent": 101}, InputError, "between 0 and 100"),
        (("A", "bloqueada"), {}, InputError, "needs a reason"),
        (
            ("A", "completada"),
            {"start": date(2018, 1, 9), "finish": date(2018, 1, 8)},
            InputError,
            "before the start date",
        ),
    ],
)
def test_bad_input_writes_nothing(
    db_url: str,
    tmp_path: Path,
    args: tuple[str, str],
    kwargs: dict[str, object],
    error: type[Exception],
    match: str,
) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    before = change_count(sessions)
    with pytest.raises(error, match=match):
        run(sessions, set_item_status, *args, on=date(2018, 1, 3), author="ana", **kwargs)
    assert change_count(sessions) == before
    assert transaction(sessions, lambda s: get_item(s, find_plan(s), "A").status) == "pendiente"


def test_completing_with_an_open_prerequisite_is_allowed_but_warned(
    db_url: str, tmp_path: Path
) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    out = run(sessions, set_item_status, "B", "completada", on=date(2018, 1, 5), author="ana")
    assert out.after["status"] == "completada"
    assert out.warnings and "A" in out.warnings[0]


def test_stale_version_is_refused_naming_who_changed_it(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    seen = transaction(sessions, lambda s: get_item(s, find_plan(s), "A").version)
    run(sessions, set_item_status, "A", "en_curso", on=date(2018, 1, 3), author="luis")
    with pytest.raises(ConflictError, match="changed by luis"):
        run(
            sessions,
            set_item_status,
            "A",
            "completada",
            on=date(2018, 1, 4),
            author="ana",
            expected_version=seen,
        )
    assert transaction(sessions, lambda s: get_item(s, find_plan(s), "A").status) == "en_curso"


def test_a_change_of_several_items_names_every_one_changed_since_and_writes_none(
    db_url: str, tmp_path: Path
) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    seen = transaction(
        sessions, lambda s: {k: get_item(s, find_plan(s), k).version for k in ("A", "B", "C")}
    )
    run(sessions, set_item_status, "A", "en_curso", on=date(2018, 1, 3), author="luis")
    run(sessions, set_item_status, "C", "en_curso", on=date(2018, 1, 3), author="eva")
    before = change_count(sessions)

    def bulk(expected: dict[str, int]) -> object:
        return run(
            sessions,
            set_items_status,
            ["A", "B", "C"],
            "bloqueada",
            on=date(2018, 1, 4),
            author="ana",
            note="sin datos",
            expected_versions=expected,
        )

    with pytest.raises(ConflictError, match="2 of the items") as refused:
        bulk(seen)
    assert refused.value.changed == ["A", "C"]
    assert "A by luis" in str(refused.value) and "C by eva" in str(refused.value)
    assert change_count(sessions) == before
    statuses = transaction(
        sessions, lambda s: [get_item(s, find_plan(s), k).status for k in ("A", "B", "C")]
    )
    assert statuses == ["en_curso", "pendiente", "en_curso"]
    # One changed: the single record's message. On top of the versions now stored: saved.
    with pytest.raises(ConflictError, match="A was changed by luis") as refused:
        bulk({**seen, "C": seen["C"] + 1})
    assert refused.value.changed == ["A"]
    bulk({**seen, "A": seen["A"] + 1, "C": seen["C"] + 1})
    statuses = transaction(
        sessions, lambda s: [get_item(s, find_plan(s), k).status for k in ("A", "B", "C")]
    )
    assert statuses == ["bloqueada"] * 3


def test_a_change_is_visible_to_another_connection_at_once(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    other = fresh_db.__globals__["sessionmaker"](make_engine(db_url), expire_on_commit=False)
    assert transaction(other, lambda s: get_item(s, find_plan(s), "C").status) == "pendiente"
    run(sessions, set_item_status, "C", "en_curso", on=date(2018, 1, 3), author="ana")
    assert transaction(other, lambda s: get_item(s, find_plan(s), "C").status) == "en_curso"


def test_undo_reverts_the_authors_last_change_and_records_it(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    run(sessions, set_item_status, "A", "en_curso", on=date(2018, 1, 3), author="ana", percent=20)
    run(sessions, set_item_status, "C", "en_curso", on=date(2018, 1, 3), author="luis")
    run(sessions, set_item_status, "A", "completada", on=date(2018, 1, 9), author="ana")
    undone, undo = run(sessions, undo_last, "ana")
    assert undone.entity_key == "A" and undo.action == "undo" and undo.undoes == undone.id
    a = transaction(sessions, lambda s: get_item(s, find_plan(s), "A"))
    assert (a.status, a.percent, a.actual_finish) == ("en_curso", 20, None)
    # Luis changes A after Ana's next change: Ana's undo must not wipe Luis's work.
    run(sessions, set_item_status, "A", "completada", on=date(2018, 1, 9), author="ana")
    run(
        sessions,
        set_item_status,
        "A",
        "bloqueada",
        on=date(2018, 1, 10),
        author="luis",
        note="revisión",
    )
    with pytest.raises(ConflictError, match="luis"):
        run(sessions, undo_last, "ana")


def test_deliverable_status_with_evidence(db_url: str, tmp_path: Path) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    out = run(
        sessions,
        set_deliverable_status,
        "A-P1",
        "en_revision",
        on=date(2018, 1, 9),
        author="ana",
        evidence="https://example.org/informe-a.pdf",
    )
    assert out.after == {
        "status": "en_revision",
        "evidence": "https://example.org/informe-a.pdf",
        "status_date": "2018-01-09",
    }
    # The evidence added later keeps the day it went to review; a new status takes its day.
    out = run(
        sessions,
        set_deliverable_status,
        "A-P1",
        "en_revision",
        on=date(2018, 1, 15),
        author="ana",
        evidence="https://example.org/informe-a-v2.pdf",
    )
    assert out.after["status_date"] == "2018-01-09"
    assert out.after["evidence"] == "https://example.org/informe-a-v2.pdf"
    out = run(
        sessions, set_deliverable_status, "A-P1", "validado", on=date(2018, 1, 16), author="ana"
    )
    assert out.after["status_date"] == "2018-01-16"
    with pytest.raises(InputError, match="unknown deliverable status"):
        run(sessions, set_deliverable_status, "A-P1", "aprobado", on=date(2018, 1, 9), author="ana")


def test_schema_check_refuses_foreign_revisions_and_touches_nothing(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = fresh_db(db_url, small_plan(tmp_path))
    engine = make_engine(db_url)
    check_schema(engine, db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '9999'"))
    with pytest.raises(DatabaseError, match="which this program does not know"):
        check_schema(engine, db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0001'"))
    with pytest.raises(DatabaseError, match="run `tracker db upgrade`"):
        check_schema(engine, db_url)
    assert change_count(sessions) == 1  # only the init


def test_empty_database_says_to_init(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    with pytest.raises(DatabaseError, match="tracker init"):
        check_schema(make_engine(url), url)
