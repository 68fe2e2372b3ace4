"""Export → edit in a spreadsheet → import: the item columns `tracker export csv|xlsx` writes
are the columns `tracker import csv` reads, so only the edited cells change anything."""

from __future__ import annotations

import csv
from datetime import date, datetime
from pathlib import Path

import pytest
from openpyxl import load_workbook

from tests.db.helpers import fresh_db, small_plan
from tracker.cli import main
from tracker.exporters.sheets import COLUMNS, columns
from tracker.i18n import _, set_language
from tracker.store.store import Store
from tracker.tracking.statusimport import HEADERS, fold

AS_OF = "2018-01-15"
# The item fields a status import applies: the rest of an export is for reading.
EDITABLE = {"id": "key", "status": "status", "percent": "percent", "note": "note",
            "actual_start": "start", "actual_finish": "finish"}  # fmt: skip


@pytest.mark.parametrize("lang", ["en", "es"])
def test_the_export_columns_the_import_reads_are_the_editable_ones(lang: str) -> None:
    set_language(lang)
    read = {c.key: HEADERS.get(fold(c.header)) for c in columns(_)}
    assert {k: v for k, v in read.items() if v} == EDITABLE


def rows(path: Path) -> list[list[str]]:
    with path.open(encoding="utf-8-sig", newline="") as fh:
        return list(csv.reader(fh))


def write_rows(path: Path, table: list[list[str]]) -> None:
    with path.open("w", encoding="utf-8", newline="") as fh:
        csv.writer(fh).writerows(table)


def test_export_edit_import_changes_only_the_edited_cells(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    url = f"sqlite:///{tmp_path / 't.db'}"
    fresh_db(url, small_plan(tmp_path))
    db = ["--db", url]
    assert main(["set", "A", "completada", "--start", "2018-01-02", "--finish", "2018-01-08",
                 "--date", "2018-01-08", *db]) == 0  # fmt: skip
    assert main(["set", "B", "en_curso", "--percent", "40", "--date", "2018-01-10", *db]) == 0
    exported = tmp_path / "items.csv"
    assert main(["export", "csv", "--as-of", AS_OF, "-o", str(exported), *db]) == 0
    capsys.readouterr()

    # Imported as exported: nothing changes.
    assert main(["import", "csv", str(exported), *db]) == 0
    assert "0 items changed" in capsys.readouterr().out

    # The same file from the workbook, saved as CSV the way a spreadsheet shows its cells.
    book = tmp_path / "items.xlsx"
    assert main(["export", "xlsx", "--as-of", AS_OF, "-o", str(book), *db]) == 0
    sheet = load_workbook(book)[load_workbook(book).sheetnames[-1]]  # "Datos para importar"
    saved = [
        ["" if v is None else v.date().isoformat() if isinstance(v, datetime) else str(v)
         for v in row]
        for row in sheet.iter_rows(values_only=True)
    ]  # fmt: skip
    header = saved[0]
    assert header == [c.header for c in COLUMNS]
    from_book = tmp_path / "from-book.csv"
    write_rows(from_book, [r for r in saved if r[0]])
    capsys.readouterr()
    assert main(["import", "csv", str(from_book), *db]) == 0
    assert "0 items changed" in capsys.readouterr().out

    # Edit two cells: B's percent, C's status. Only those change.
    table = rows(exported)
    col = {name: table[0].index(name) for name in table[0]}
    for row in table[1:]:
        if row[0] == "B":
            row[col["Percent"]] = "70"
        if row[0] == "C":
            row[col["Status"]] = "en_curso"
            row[col["Actual start"]] = "2018-01-12"
    edited = tmp_path / "edited.csv"
    write_rows(edited, table)
    capsys.readouterr()
    assert main(["import", "csv", str(edited), *db]) == 0
    assert "2 items changed" in capsys.readouterr().out
    data = Store(url).state(date(2018, 1, 15))
    state = {
        i.key: (i.status, i.percent, i.actual_start, i.actual_finish) for i in data.forecast.items
    }
    assert state == {
        "A": ("completada", 100, date(2018, 1, 2), date(2018, 1, 8)),
        "B": ("en_curso", 70, date(2018, 1, 10), None),
        "C": ("en_curso", 0, date(2018, 1, 12), None),
    }
