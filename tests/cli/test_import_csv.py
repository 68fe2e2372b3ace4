"""`tracker import csv FILE`: a spreadsheet of status changes lands whole or not at all."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import PLAN, ROOT
from tests.db.helpers import change_count, fresh_db, run
from tracker.errors import RowErrors
from tracker.plan.load import load_plan
from tracker.store.models import ChangeRow, ItemRow
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_item_status
from tracker.tracking.statusimport import import_status_csv, parse_day, parse_percent

Tracker = Callable[..., subprocess.CompletedProcess[str]]
TODAY = date(2018, 3, 1)


@pytest.fixture()
def db(tmp_path: Path) -> tuple[str, sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path / 't.db'}"
    return url, fresh_db(url, load_plan(str(PLAN)))


@pytest.fixture()
def tracker(db: tuple[str, sessionmaker[Session]], tmp_path: Path) -> Tracker:
    env = {**os.environ, "TRACKER_DB": db[0], "TRACKER_USER": "beatriz", "TRACKER_LANG": "en"}

    def call(*args: str, lang: str = "en") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env={**env, "TRACKER_LANG": lang},
            timeout=120,
        )

    return call


def items(sessions: sessionmaker[Session]) -> dict[str, ItemRow]:
    return transaction(sessions, lambda s: {r.key: r for r in s.scalars(select(ItemRow))})


def item_changes(sessions: sessionmaker[Session]) -> list[ChangeRow]:
    return transaction(
        sessions,
        lambda s: list(
            s.scalars(select(ChangeRow).where(ChangeRow.entity == "item").order_by(ChangeRow.id))
        ),
    )


GOOD = (
    "\ufeffid;estado;porcentaje;fecha;nota\n"
    "1.1.1;completada;;2018-01-26;Informe entregado\n"
    "1.2.1;en_curso;40;2018-01-15;\n"
    "2.1.1;bloqueada;;2018-02-01;Falta la firma del convenio, según acta\n"
    "\n"
    "3.1.1;En curso;25 %;05/02/2018;\n"
)


def test_good_file_updates_every_item_in_one_go(
    tracker: Tracker, db: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    path = tmp_path / "avance.csv"
    before = change_count(db[1])
    path.write_text(GOOD, encoding="utf-8")
    # 05/02/2018 reads as 5 February or as May 2: the file alone does not say which.
    refused = tracker("import", "csv", str(path))
    assert refused.returncode == 2 and refused.stderr.count("\n") == 1
    assert refused.stderr.startswith(f"{path}:6: fecha: the dates 05/02/2018 (line 6)")
    assert "--date-format DD/MM/YYYY" in refused.stderr
    assert change_count(db[1]) == before and not item_changes(db[1])
    result = tracker("import", "csv", str(path), "--date-format", "dd/mm/yyyy")
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == f"4 items changed from {path} (0 rows without changes)"
    rows = items(db[1])
    assert (rows["1.1.1"].status, rows["1.1.1"].actual_finish) == ("completada", date(2018, 1, 26))
    assert (rows["1.2.1"].status, rows["1.2.1"].percent) == ("en_curso", 40)
    assert rows["1.2.1"].actual_start == date(2018, 1, 15)
    assert rows["2.1.1"].reason == "Falta la firma del convenio, según acta"
    assert (rows["3.1.1"].status, rows["3.1.1"].percent) == ("en_curso", 25)
    assert rows["3.1.1"].actual_start == date(2018, 2, 5)  # DD/MM/YYYY, as Excel shows it
    changes = item_changes(db[1])
    assert [(c.entity_key, c.author) for c in changes] == [
        ("1.1.1", "beatriz"),
        ("1.2.1", "beatriz"),
        ("2.1.1", "beatriz"),
        ("3.1.1", "beatriz"),
    ]
    assert changes[0].note == "Informe entregado"
    history = json.loads(tracker("history", "--json").stdout)
    assert sum(1 for h in history if h["entity"] == "item" and h["author"] == "beatriz") == 4
    # The same file again changes nothing and records nothing.
    again = tracker("import", "csv", str(path), "--date-format", "DD/MM/YYYY")
    assert again.returncode == 0 and "0 items changed" in again.stdout
    assert "4 rows without changes" in again.stdout
    assert len(item_changes(db[1])) == 4


BAD = (
    "id,status,percent,date,note\n"
    "1.1.1,en_curso,30,2018-01-10,\n"  # 2: good
    "9.9.9,en_curso,,2018-01-10,\n"  # 3: unknown id
    "1.2.1,terminada,,2018-01-10,\n"  # 4: unknown status
    "2.1.1,en_curso,,2018-01-10,\n"  # 5: good
    "3.1.1,en_curso,150,2018-02-30,\n"  # 6: percent out of range and invalid date
    '"4.1.1",bloqueada,,2018-01-10,""\n'  # 7: blocked without a note
    "5.1.1,completada,100,2018-01-20,\n"  # 8: good
)


def test_bad_rows_are_all_reported_and_nothing_is_written(
    tracker: Tracker, db: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    before = change_count(db[1])
    path = tmp_path / "avance.csv"
    path.write_text(BAD, encoding="utf-8")
    result = tracker("import", "csv", str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        f"{path}:3: id: unknown item 9.9.9",
        f"{path}:4: status: unknown status 'terminada'; use one of: pendiente, en_curso, "
        "completada, bloqueada, diferida, cancelada",
        f"{path}:6: percent: percent must be between 0 and 100, not 150",
        f"{path}:6: date: invalid date '2018-02-30' (expected YYYY-MM-DD or DD/MM/YYYY)",
        f"{path}:7: note: a blocked item needs a reason in the note column",
    ]
    assert change_count(db[1]) == before
    assert {r.status for r in items(db[1]).values()} == {"pendiente"}


def test_a_row_refused_against_the_database_rolls_back_the_others(
    tracker: Tracker, db: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    # 1.3.1 started on Feb 10: completing it on Feb 5 puts its finish before its start, which
    # only the item's stored dates reveal. Rows 2 and 4 are fine, and must not land either.
    run(db[1], set_item_status, "1.3.1", "en_curso", on=date(2018, 2, 10), author="ana")
    before = change_count(db[1])
    path = tmp_path / "avance.csv"
    path.write_text(
        "id;estado;fecha;inicio;fin\n"
        "1.1.1;completada;2018-01-26;;\n"
        "1.3.1;completada;2018-02-05;;\n"
        "1.2.1;en_curso;2018-01-15;;\n"
        "2.1.1;completada;;2018-02-10;2018-02-01\n",
        encoding="utf-8",
    )
    result = tracker("import", "csv", str(path), lang="es")
    assert result.returncode == 2
    assert result.stderr.splitlines() == [
        f"{path}:5: fin: la fecha de fin 2018-02-01 es anterior a la de inicio 2018-02-10",
    ]
    path.write_text(path.read_text(encoding="utf-8").rsplit("2.1.1", 1)[0], encoding="utf-8")
    result = tracker("import", "csv", str(path), lang="es")
    assert result.returncode == 2
    lines = result.stderr.splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"{path}:3: fecha: 1.3.1: ")
    assert change_count(db[1]) == before
    rows = items(db[1])
    assert rows["1.1.1"].status == "pendiente" and rows["1.3.1"].status == "en_curso"


def test_header_problems_are_reported_on_line_one(tracker: Tracker, tmp_path: Path) -> None:
    path = tmp_path / "avance.csv"
    path.write_text("id,estatus,porcentage\n1.1.1,en_curso,10\n", encoding="utf-8")
    result = tracker("import", "csv", str(path))
    assert result.returncode == 2
    assert result.stderr.startswith(f"{path}:1: the header must name the columns id and status")
    assert "unknown: estatus, porcentage; missing: status" in result.stderr
    path.write_text("", encoding="utf-8")
    assert tracker("import", "csv", str(path)).stderr == f"{path}:1: the file is empty\n"
    missing = tracker("import", "csv", str(tmp_path / "nope.csv"))
    assert missing.returncode == 2 and missing.stderr.startswith("error: cannot read")


def test_an_export_round_trips(
    tracker: Tracker, db: tuple[str, sessionmaker[Session]], tmp_path: Path
) -> None:
    """Export, edit a row in the spreadsheet, import: only that row changes."""
    run(db[1], set_item_status, "1.1.1", "en_curso", on=date(2018, 1, 3), author="ana", percent=20)
    run(
        db[1],
        set_item_status,
        "2.1.1",
        "bloqueada",
        on=date(2018, 1, 5),
        author="ana",
        note="-sin fondos",
    )  # neutralised as '-sin fondos in the CSV
    run(db[1], set_item_status, "3.1.1", "completada", on=date(2018, 1, 19), author="ana")
    before = change_count(db[1])
    path = tmp_path / "seguimiento.csv"
    for lang in ("es", "en"):
        exported = tracker(
            "export", "csv", "-o", str(path), "--as-of", "2018-02-01", "--force", lang=lang
        )
        assert exported.returncode == 0, exported.stderr
        result = tracker("import", "csv", str(path), lang=lang)
        assert result.returncode == 0, result.stderr
        assert result.stdout.startswith("0 ") and change_count(db[1]) == before
    text = path.read_text(encoding="utf-8-sig")
    assert text.count(",en_curso,20,") == 1
    path.write_text(text.replace(",en_curso,20,", ",en_curso,60,"), encoding="utf-8-sig")
    result = tracker("import", "csv", str(path))
    assert result.returncode == 0 and result.stdout.startswith("1 items changed"), result.stderr
    assert items(db[1])["1.1.1"].percent == 60
    assert items(db[1])["2.1.1"].reason == "-sin fondos"


def test_direct_call_applies_rows_in_order(db: tuple[str, sessionmaker[Session]]) -> None:
    sessions = db[1]
    text = (
        "id,status,percent,date,note\n"
        "1.1.1,en_curso,10,2018-01-02,\n"
        '1.2.1,en_curso,50,2018-01-10,"a note, with a comma"\n'
        "1.3.1,completada,,2018-01-22,\n"
    )
    result = transaction(
        sessions,
        lambda s: import_status_csv(s, find_plan(s), "f.csv", text, author="eva", today=TODAY),
    )
    assert [(o.key, o.after["percent"]) for o in result.changed] == [
        ("1.1.1", 10),
        ("1.2.1", 50),
        ("1.3.1", 100),
    ]
    row = items(sessions)["1.3.1"]
    assert (row.actual_start, row.actual_finish) == (date(2018, 1, 22), date(2018, 1, 22))
    assert [c.note for c in item_changes(sessions)] == ["", "a note, with a comma", ""]
    # One id twice: which row should win is not ours to guess; both lines are named.
    twice = text.replace("1.3.1", "1.1.1").replace("2018-01-22", "2018-01-23")
    with pytest.raises(RowErrors) as err:
        transaction(
            sessions,
            lambda s: import_status_csv(s, find_plan(s), "t.csv", twice, author="eva", today=TODAY),
        )
    assert err.value.errors == ["t.csv:4: id: 1.1.1 is also on line 2: one row per item"]
    with pytest.raises(RowErrors) as err:
        transaction(
            sessions,
            lambda s: import_status_csv(
                s,
                find_plan(s),
                "g.csv",
                "id;status\n1.1.1;pendiente\nx;y;z\n",
                author="eva",
                today=TODAY,
            ),
        )
    assert err.value.errors[0].startswith("g.csv:3: 3 values for 2 columns")
    assert items(sessions)["1.1.1"].status == "en_curso"


def test_value_parsers() -> None:
    assert parse_day("2018-02-05") == parse_day("05/02/2018") == parse_day("5/2/2018")
    assert parse_day("02/05/2018", "MM/DD/YYYY") == parse_day("2018-02-05", "ISO")
    for bad in ("2018-2-5", "31/02/2018", "2018/02/05", "ayer", "05/02/18"):
        with pytest.raises(ValueError):
            parse_day(bad)
    assert parse_percent("40") == parse_percent("40%") == parse_percent("40,0") == 40
    for bad in ("40.5", "cuarenta", ""):
        with pytest.raises(ValueError):
            parse_percent(bad)
