"""Spreadsheets as Excel (Windows, Mac), LibreOffice and Google Sheets save them: read right or
refused in one line naming the file and line, with every table of the database unchanged."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.conftest import PLAN
from tests.db.helpers import fresh_db
from tracker.plan.load import load_plan

TABLES = ("plans", "items", "deliverables", "changes", "comm_activities", "alembic_version")


def dump(path: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (those of today's schema and any added later)."""
    with sqlite3.connect(path) as conn:
        names = [r[0] for r in conn.execute("SELECT name FROM sqlite_master WHERE type='table'")]
        assert set(TABLES) <= set(names)
        return {t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall() for t in names}


# How each program saves "CSV" on the machines the team uses.
def excel_windows(text: str) -> bytes:  # Windows-1252, ";" in a Spanish locale, CRLF
    return text.replace("\n", "\r\n").encode("cp1252")


def excel_mac(text: str) -> bytes:  # Mac Roman, CR alone
    return text.replace("\n", "\r").encode("mac_roman")


def excel_unicode(text: str) -> bytes:  # "Unicode text": UTF-16 with BOM, tabs, CRLF
    return text.replace("\n", "\r\n").encode("utf-16")


def libreoffice(text: str) -> bytes:  # UTF-8, LF
    return text.encode("utf-8")


def google_sheets(text: str) -> bytes:  # UTF-8, ",", CRLF
    return text.replace("\n", "\r\n").encode("utf-8")


@dataclass(frozen=True)
class Case:
    name: str
    command: str  # status | comms
    save: Callable[[str], bytes]
    text: str
    line: int
    says: str
    args: tuple[str, ...] = ()


STATUS = ("import", "csv")
COMMS = ("comms", "import")
CASES = [
    Case(
        "win-ambiguous-dates",
        "status",
        excel_windows,
        "id;estado;fecha\n1.1.1;en_curso;03/04/2018\n1.2.1;en_curso;05/06/2018\n",
        2,
        "fecha: the dates 03/04/2018 (line 2), 05/06/2018 (line 3) read as day/month or as "
        "month/day and no date of the file settles which: add --date-format DD/MM/YYYY",
    ),
    Case(
        "win-quote-left-open",
        "status",
        excel_windows,
        'id;estado;nota\n1.1.1;bloqueada;"Falta la firma\n1.2.1;en_curso;\n2.1.1;en_curso;\n',
        2,
        "a quote opened in this row is never closed",
    ),
    Case(
        "win-stray-quote-closing-rows-later",
        "status",
        excel_windows,
        'id;estado;nota\n1.1.1;bloqueada;"Falta firma\n1.2.1;en_curso;bien"\n',
        2,
        "runs over a line that looks like a row of its own ('1.2.1;en_curso;bien')",
    ),
    Case(
        "win-comms-ambiguous-date",
        "comms",
        excel_windows,
        "fecha;canal;meta;título\n03/04/2018;facebook;redes-posts;Taller de movilidad\n",
        2,
        "date: the dates 03/04/2018 (line 2) read as day/month or as month/day",
    ),
    Case(
        "win-tab-blocked-without-reason",
        "status",
        excel_windows,
        "id\testado\tnota\n1.1.1\tbloqueada\t\n",
        2,
        "nota: a blocked item needs a reason in the note column",
    ),
    Case(
        "win-date-years-before-the-plan",
        "status",
        excel_windows,
        "id;estado;fecha\n2.1.1;en_curso;2016-03-01\n",
        2,
        "fecha: 2.1.1: fecha 2016-03-01 is outside the allowed range 2017-01-01 – ",
    ),
    Case(
        "win-date-typo-a-century-ahead",
        "status",
        excel_windows,
        "id;estado;fecha\n2.1.1;en_curso;25/03/2108\n",
        2,
        "fecha: 2.1.1: fecha 2108-03-25 is outside the allowed range",
    ),
    Case(
        "win-unquoted-separator-in-a-note",
        "status",
        excel_windows,
        "id;estado;nota\n1.1.1;bloqueada;sin fondos; ni firma\n",
        2,
        "4 values for 3 columns: quote any value that contains the separator ';'",
    ),
    Case(
        "mac-cr-only-ambiguous-date",
        "status",
        excel_mac,
        "id;estado;fecha\n1.1.1;en_curso;03/04/2018\n",
        2,
        "the dates 03/04/2018 (line 2)",
    ),
    Case(
        "mac-cr-only-id-twice",
        "status",
        excel_mac,
        "id;estado\n1.1.1;en_curso\n1.2.1;en_curso\n1.1.1;completada\n",
        4,
        "id: 1.1.1 is also on line 2: one row per item",
    ),
    Case(
        "mac-roman-status-name",
        "status",
        excel_mac,
        "id;estado\n1.1.1;Señalada\n",
        2,
        "estado: unknown status 'Señalada'",
    ),
    Case(
        "mac-comms-unquoted-comma",
        "comms",
        excel_mac,
        "date,channel,target,title\n2018-01-16,facebook,redes-posts,Hola, mundo\n",
        2,
        "5 values for 4 columns: quote any value that contains the separator ','",
    ),
    Case(
        "libreoffice-day-first-and-month-first",
        "status",
        libreoffice,
        "id,status,date\n1.1.1,en_curso,25/03/2018\n1.2.1,en_curso,03/25/2018\n",
        3,
        "date: 03/25/2018 is month-first but line 2 has 25/03/2018, day-first",
    ),
    Case(
        "libreoffice-quote-inside-a-quoted-cell",
        "status",
        libreoffice,
        'id,status,note\n1.1.1,en_curso,"dice "hola" ahí"\n',
        2,
        'a quoted cell goes on after its closing quote (\'"dice "hola" ahí"\')',
    ),
    Case(
        "libreoffice-workbook-saved-as-csv",
        "status",
        lambda text: b"PK\x03\x04\x14\x00\x06\x00\x08\x00\x00\x00!\x00" + text.encode(),
        "[Content_Types].xml",
        1,
        "this is not a text file (it holds NUL bytes); save it as CSV",
    ),
    Case(
        "libreoffice-comms-iso-asked-day-first-found",
        "comms",
        libreoffice,
        "date,channel,target,title\n25/01/2018,web,web-publicaciones,Nota\n",
        2,
        "date: invalid date '25/01/2018' (expected YYYY-MM-DD)",
        ("--date-format", "iso"),
    ),
    Case(
        "sheets-two-digit-year",
        "status",
        google_sheets,
        "id,status,date\n1.1.1,en_curso,3/4/18\n",
        2,
        "date: invalid date '3/4/18': write the year with four digits",
    ),
    Case(
        "sheets-cell-over-the-limit",
        "status",
        google_sheets,
        "id,status,note\n1.1.1,bloqueada," + "x" * 1_000_001 + "\n",
        2,
        "a cell of 1000001 characters is larger than the limit of 1000000 characters",
    ),
    Case(
        "sheets-comms-quote-left-open",
        "comms",
        google_sheets,
        'date,channel,target,title\n2018-01-16,facebook,redes-posts,"Inicio\n'
        "2018-01-17,web,web-publicaciones,Nota\n",
        2,
        "a quote opened in this row is never closed",
    ),
    Case(
        "sheets-month-first-asked-day-first-found",
        "status",
        google_sheets,
        "id,status,date\n1.1.1,en_curso,25/03/2018\n",
        2,
        "date: invalid date '25/03/2018' (expected YYYY-MM-DD or MM/DD/YYYY)",
        ("--date-format", "MM/DD/YYYY"),
    ),
    Case(
        "unicode-text-id-twice",
        "status",
        excel_unicode,
        "id\testado\n3.1.1\ten_curso\n3.1.1\tcompletada\n",
        3,
        "id: 3.1.1 is also on line 2",
    ),
    Case("sheets-comms-bom-only", "comms", google_sheets, "\ufeff", 1, "the file is empty"),
    Case(
        "hand-edited-quote-in-a-bare-cell",
        "status",
        libreoffice,
        'id,status,note\n1.1.1,bloqueada,tubo de 5" roto\n',
        2,
        "a quote inside a cell that is not quoted ('tubo de 5\" roto')",
    ),
    Case(
        "sheets-misspelt-header",
        "status",
        google_sheets,
        "id,estatus\n1.1.1,en_curso\n",
        1,
        "unknown: estatus; missing: status",
    ),
    Case(
        "win-comms-two-date-orders",
        "comms",
        excel_windows,
        "fecha;canal;meta;título\n13/01/2018;facebook;redes-posts;A\n01/13/2018;web;"
        "web-publicaciones;B\n",
        3,
        "01/13/2018 is month-first but line 2 has 13/01/2018, day-first",
    ),
]


@pytest.fixture(scope="module")
def template(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("template") / "team.db"
    fresh_db(f"sqlite:///{path}", load_plan(str(PLAN)))
    return path


@pytest.fixture()
def db(template: Path, tmp_path: Path) -> Path:
    path = tmp_path / "team.db"
    with sqlite3.connect(template) as source, sqlite3.connect(path) as target:
        source.backup(target)  # the template may still hold its rows in its WAL file
    return path


def tracker(
    capsys: pytest.CaptureFixture[str], db: Path, *argv: str, lang: str = "en"
) -> tuple[int, str, str]:
    from tracker.cli import main

    code = main(["--lang", lang, *argv, "--db", str(db)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_hostile_spreadsheet_is_one_line_exit_2_and_changes_nothing(
    case: Case,
    db: Path,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("TRACKER_USER", "ana")
    path = tmp_path / f"{case.name}.csv"
    path.write_bytes(case.save(case.text))
    before = dump(db)
    command = STATUS if case.command == "status" else COMMS
    code, out, err = tracker(capsys, db, *command, str(path), *case.args)
    assert (code, out) == (2, ""), err
    assert err.count("\n") == 1, err
    assert err.startswith(f"{path}:{case.line}: "), err
    assert case.says in err
    assert dump(db) == before


def test_there_are_at_least_twenty_hostile_cases() -> None:
    assert len(CASES) >= 20
    assert {c.save for c in CASES} >= {excel_windows, excel_mac, libreoffice, google_sheets}
