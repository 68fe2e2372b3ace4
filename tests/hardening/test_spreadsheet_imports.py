"""Good spreadsheets from every program land whole; re-imports add nothing; an import is one
undoable action even when it commits in batches while others keep writing."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import func, select

from tests.conftest import PLAN
from tests.db.conftest import db_url  # noqa: F401 - the fixture: SQLite and PostgreSQL
from tests.db.helpers import fresh_db, run
from tests.hardening.test_hostile_csv import (
    db,  # noqa: F401 - fixture
    dump,
    excel_mac,
    excel_unicode,
    excel_windows,
    google_sheets,
    libreoffice,
    template,  # noqa: F401 - fixture
    tracker,
)
from tracker.errors import ConflictError, RowErrors
from tracker.plan.load import load_plan
from tracker.store.models import ChangeRow, CommActivityRow, ItemRow
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking import importlog
from tracker.tracking.commlog import import_activities_file
from tracker.tracking.csvread import parse_table
from tracker.tracking.status import set_item_status, undo_last
from tracker.tracking.statusimport import import_status_file

STATUS_FILE = (
    "id;estado;fecha;nota\n"
    "1.1.1;bloqueada;15/01/2018;Falta señal del MEF, según acta\n"
    "1.2.1;en_curso;02/01/2018;\n"
)


@pytest.mark.parametrize(
    ("save", "notice"),
    [
        (excel_windows, "not UTF-8; read as Windows-1252 (cp1252)"),
        (excel_mac, "not UTF-8; read as Mac Roman"),
        (excel_unicode, "not UTF-8; read as UTF-16"),
        (libreoffice, None),
        (google_sheets, None),
    ],
)
def test_every_program_s_csv_lands_as_written(
    save: Any,
    notice: str | None,
    db: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    text = STATUS_FILE.replace(";", "\t") if save is excel_unicode else STATUS_FILE
    path = tmp_path / "avance.csv"
    path.write_bytes(save(text))
    code, out, err = tracker(capsys, db, "import", "csv", str(path))
    assert code == 0, err
    assert out.splitlines()[-1] == f"2 items changed from {path} (0 rows without changes)"
    assert (f"{path}: {notice}" in out) if notice else "UTF-8" not in out
    items = dict(
        transaction(
            fresh_db_sessions(db),
            lambda s: [(r.key, r) for r in s.scalars(select(ItemRow))],
        )
    )
    # 15/01 settles day-first for the whole file: 02/01 is January 2, not February 1.
    assert items["1.2.1"].actual_start == date(2018, 1, 2)
    assert items["1.1.1"].reason == "Falta señal del MEF, según acta"


def fresh_db_sessions(path: Path) -> Any:
    from sqlalchemy.orm import sessionmaker

    from tracker.store.engine import make_engine

    return sessionmaker(make_engine(f"sqlite:///{path}"), expire_on_commit=False)


def test_a_comma_in_a_title_of_a_semicolon_file_is_kept(
    db: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "bitacora.csv"
    path.write_bytes(
        excel_windows(
            "fecha;canal;meta;título\n16/01/2018;facebook;redes-posts;Hola, mundo, y más\n"
        )
    )
    code, _out, err = tracker(capsys, db, "comms", "import", str(path))
    assert code == 0, err
    titles = transaction(
        fresh_db_sessions(db), lambda s: list(s.scalars(select(CommActivityRow.title)))
    )
    assert titles == ["Hola, mundo, y más"]


def test_importing_the_same_log_twice_adds_nothing_the_second_time(
    db: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = tmp_path / "bitacora.csv"
    path.write_bytes(
        google_sheets(
            "date,channel,target,title\n"
            "2018-01-16,facebook,redes-posts,Inicio de la Fase II\n"
            "2018-01-16,twitter,redes-posts,Inicio de la Fase II\n"
            "2018-01-25,facebook,redes-posts,Taller de movilidad\n"
        )
    )
    assert tracker(capsys, db, "comms", "import", str(path))[0] == 0
    checked = tracker(capsys, db, "comms", "check", "--as-of", "2018-01-31", "--json")[1]
    before = dump(db)
    code, out, err = tracker(capsys, db, "comms", "import", str(path))
    assert code == 0, err
    assert out.splitlines() == [
        f"imported 0 activities from {path}",
        "3 rows already in the log were not added again (lines 2, 3, 4); "
        "--allow-duplicates adds them",
    ]
    assert dump(db) == before
    assert tracker(capsys, db, "comms", "check", "--as-of", "2018-01-31", "--json")[1] == checked
    # Same activity, other spelling of the title: still the same activity.
    path.write_bytes(
        google_sheets(
            "date,channel,target,title\n2018-01-16,facebook,redes-posts,inicio de la  FASE II\n"
        )
    )
    assert "1 rows already in the log" in tracker(capsys, db, "comms", "import", str(path))[1]
    code, out, err = tracker(capsys, db, "comms", "import", str(path), "--allow-duplicates")
    assert (code, out) == (0, f"imported 1 activities from {path}\n"), err


def test_undo_takes_back_a_whole_import(
    db: Path,  # noqa: F811
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_USER", "ana")
    assert tracker(capsys, db, "set", "3.1.1", "en_curso", "--date", "2018-01-08")[0] == 0
    sessions = fresh_db_sessions(db)
    before = _status_rows(sessions)
    path = tmp_path / "avance.csv"
    path.write_bytes(
        libreoffice("id,status,date\n1.1.1,en_curso,2018-01-02\n1.2.1,completada,2018-01-20\n")
    )
    assert tracker(capsys, db, "import", "csv", str(path))[0] == 0
    assert _status_rows(sessions) != before
    code, out, err = tracker(capsys, db, "undo")
    assert code == 0, err
    assert out.startswith(f"undone the import of {path} (")
    assert _status_rows(sessions) == before  # both rows back; the earlier `set` stays
    assert tracker(capsys, db, "undo")[0] == 0  # next: that `set`
    assert _status_rows(sessions)["3.1.1"][0] == "pendiente"


def _status_rows(sessions: Any) -> dict[str, tuple[Any, ...]]:
    return transaction(
        sessions,
        lambda s: {
            r.key: (r.status, r.percent, r.actual_start, r.actual_finish, r.reason)
            for r in s.scalars(select(ItemRow))
        },
    )


def test_a_large_import_commits_in_batches_others_write_between_and_undo_takes_all(
    db_url: str,  # noqa: F811
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    monkeypatch.setattr(importlog, "BATCH_ROWS", 3)
    text = "date,channel,target,title\n" + "".join(
        f"2018-01-{day:02d},facebook,redes-posts,Post {day}\n" for day in range(1, 11)
    )
    table = parse_table("bitacora.csv", text)
    real = importlog.transaction
    batches: list[int] = []

    def between(makers: Any, work: Any) -> Any:
        # Between two batches another user saves: the import holds no lock across them.
        if batches:
            run(
                sessions,
                set_item_status,
                "1.1.1",
                "en_curso",
                on=date(2018, 1, len(batches)),
                author="luis",
            )
        batches.append(1)
        return real(makers, work)

    monkeypatch.setattr(importlog, "transaction", between)
    result = import_activities_file(sessions, None, table, author="ana")
    assert result.added == 10 and len(batches) == 4
    count = transaction(
        sessions,
        lambda s: s.scalar(
            select(func.count(CommActivityRow.id)).where(CommActivityRow.deleted.is_(False))
        ),
    )
    assert count == 10
    undone, _undo = transaction(sessions, lambda s: undo_last(s, find_plan(s), "ana"))
    assert (undone.entity, undone.action, undone.entity_key) == ("import", "import", "bitacora.csv")
    left = transaction(
        sessions,
        lambda s: s.scalar(
            select(func.count(CommActivityRow.id)).where(CommActivityRow.deleted.is_(False))
        ),
    )
    assert left == 0
    assert _status_rows(sessions)["1.1.1"][0] == "en_curso"  # luis's saves stay
    undo_rows = transaction(
        sessions,
        lambda s: s.scalar(
            select(func.count(ChangeRow.id)).where(
                ChangeRow.action == "undo", ChangeRow.undoes.is_not(None)
            )
        ),
    )
    assert undo_rows == 11  # each activity, and the import itself


def test_a_batch_refused_by_the_database_takes_back_the_batches_before_it(
    db_url: str,  # noqa: F811
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    run(sessions, set_item_status, "3.1.1", "en_curso", on=date(2018, 2, 10), author="ana")
    before = _status_rows(sessions)
    monkeypatch.setattr(importlog, "BATCH_ROWS", 2)
    table = parse_table(
        "avance.csv",
        "id,status,date\n1.1.1,en_curso,2018-01-02\n1.2.1,en_curso,2018-01-03\n"
        "2.1.1,en_curso,2018-01-04\n3.1.1,completada,2018-02-05\n",
    )
    with pytest.raises(RowErrors) as caught:
        import_status_file(sessions, None, table, author="eva", today=date(2018, 3, 1))
    assert caught.value.errors[0].startswith("avance.csv:5: date: 3.1.1: ")
    assert _status_rows(sessions) == before


def test_undo_of_an_import_refuses_when_someone_changed_one_of_its_rows_since(
    db_url: str,  # noqa: F811
) -> None:
    sessions = fresh_db(db_url, load_plan(str(PLAN)))
    table = parse_table(
        "avance.csv", "id,status,date\n1.1.1,en_curso,2018-01-02\n1.2.1,en_curso,2018-01-03\n"
    )
    import_status_file(sessions, None, table, author="eva", today=date(2018, 3, 1))
    run(sessions, set_item_status, "1.2.1", "completada", on=date(2018, 1, 20), author="luis")
    after = _status_rows(sessions)
    with pytest.raises(
        ConflictError, match=r"1\.2\.1 was changed again after the import of avance"
    ):
        transaction(sessions, lambda s: undo_last(s, find_plan(s), "eva"))
    assert _status_rows(sessions) == after
