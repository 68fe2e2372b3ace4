"""Properties of the CSV imports, checked on many generated files (Hypothesis):

- an export edited in a spreadsheet imports back to exactly the edits, whatever the date
  format, separator, line ending and encoding of the machine that saved it;
- the strict reader gives back exactly the rows written, or refuses the file: never a row
  merged into another or split in two, even with a stray quote;
- neither importer's reader ends in a traceback, whatever the file holds.
"""

from __future__ import annotations

import csv
import io
import re
import sqlite3
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select
from sqlalchemy.orm import sessionmaker

from tests.conftest import PLAN
from tests.db.helpers import fresh_db, run
from tracker.errors import RowErrors
from tracker.plan.load import load_plan
from tracker.store.engine import make_engine
from tracker.store.models import ChangeRow, ItemRow
from tracker.store.session import transaction
from tracker.tracking.commlog import parse_csv
from tracker.tracking.csvread import decode, parse_table
from tracker.tracking.status import set_item_status
from tracker.tracking.statusimport import parse_rows

# Actual dates of the seeded items: with a day above 12 (a file of them settles its own
# format) or all at most 12 (the format has to be said with --date-format).
SETTLING = [
    ("1.1.1", "completada", date(2018, 1, 3), date(2018, 1, 26)),
    ("1.2.1", "en_curso", date(2018, 2, 5), None),
    ("2.1.1", "bloqueada", date(2018, 1, 15), None),
    ("3.1.1", "en_curso", date(2018, 3, 1), None),
]
AMBIGUOUS = [
    ("1.1.1", "completada", date(2018, 1, 3), date(2018, 2, 9)),
    ("1.2.1", "en_curso", date(2018, 2, 5), None),
    ("2.1.1", "bloqueada", date(2018, 3, 10), None),
    ("3.1.1", "en_curso", date(2018, 4, 2), None),
]
SEEDS = {"settling": SETTLING, "ambiguous": AMBIGUOUS}
FIELDS = ("status", "percent", "actual_start", "actual_finish", "reason")
ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


@pytest.fixture(scope="module")
def templates(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    made = {}
    for name, seeds in SEEDS.items():
        path = tmp_path_factory.mktemp(name) / "team.db"
        sessions = fresh_db(f"sqlite:///{path}", load_plan(str(PLAN)))
        for key, status, start, finish in seeds:
            run(
                sessions,
                set_item_status,
                key,
                status,
                on=finish or start,
                author="ana",
                start=start,
                finish=finish,
                note="sin firma del convenio" if status == "bloqueada" else "",
            )
        made[name] = path
    return made


def copy_db(template: Path, directory: Path) -> Path:
    path = directory / "team.db"
    path.unlink(missing_ok=True)
    with sqlite3.connect(template) as source, sqlite3.connect(path) as target:
        source.backup(target)
    return path


def item_state(path: Path) -> dict[str, tuple[Any, ...]]:
    sessions = sessionmaker(make_engine(f"sqlite:///{path}"), expire_on_commit=False)
    return transaction(
        sessions,
        lambda s: {r.key: tuple(getattr(r, f) for f in FIELDS) for r in s.scalars(select(ItemRow))},
    )


def item_change_count(path: Path) -> int:
    with sqlite3.connect(path) as conn:
        return int(conn.execute("SELECT count(*) FROM changes WHERE entity = 'item'").fetchone()[0])


def tracker(capsys: pytest.CaptureFixture[str], db: Path, *argv: str) -> tuple[int, str, str]:
    from tracker.cli import main

    code = main(["--lang", "es", *argv, "--db", str(db)])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def as_machine_shows(cell: str, fmt: str, padded: bool) -> str:
    """An ISO date cell as a spreadsheet on a machine of ``fmt`` saves it."""
    match = ISO_DATE.fullmatch(cell)
    if match is None or fmt == "ISO":
        return cell
    year, month, day = match.groups()
    if not padded:
        month, day = str(int(month)), str(int(day))
    first, second = (day, month) if fmt == "DD/MM/YYYY" else (month, day)
    return f"{first}/{second}/{year}"


machines = st.fixed_dictionaries(
    {
        "format": st.sampled_from(["DD/MM/YYYY", "MM/DD/YYYY", "ISO"]),
        "padded": st.booleans(),
        "delimiter": st.sampled_from([",", ";", "\t"]),
        "newline": st.sampled_from(["\r\n", "\n", "\r"]),
        "encoding": st.sampled_from(["utf-8-sig", "utf-8", "cp1252", "utf-16"]),
    }
)


@settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    seeds=st.sampled_from(sorted(SEEDS)),
    machine=machines,
    edits=st.dictionaries(
        st.sampled_from(["1.2.1", "2.1.1", "3.1.1", "4.1.1", "5.1.1", "2.2.1"]),
        st.sampled_from(["diferida", "cancelada"]),
        max_size=4,
    ),
)
def test_an_export_edited_on_any_machine_imports_back_to_exactly_the_edits(
    templates: dict[str, Path],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    seeds: str,
    machine: dict[str, Any],
    edits: dict[str, str],
) -> None:
    db = copy_db(templates[seeds], tmp_path)
    exported = tmp_path / "seguimiento.csv"
    exported.unlink(missing_ok=True)
    code, _out, err = tracker(capsys, db, "export", "csv", "-o", str(exported))
    assert code == 0, err
    rows = list(csv.reader(io.StringIO(exported.read_text(encoding="utf-8-sig"), newline="")))
    header = rows[0]
    status_at = header.index("Estado")
    edits = {k: v for k, v in edits.items() if any(r[0] == k for r in rows[1:])}
    for row in rows[1:]:
        if row[0] in edits:
            row[status_at] = edits[row[0]]
    shown = [[as_machine_shows(c, machine["format"], machine["padded"]) for c in r] for r in rows]
    saved = written(shown[0], shown[1:], machine["delimiter"], machine["newline"])
    edited = tmp_path / "editado.csv"
    edited.write_bytes(saved.encode(machine["encoding"], errors="replace"))

    before = item_state(db)
    changes = item_change_count(db)
    expected = {
        key: (edits[key], *state[1:]) if key in edits else state for key, state in before.items()
    }
    code, _out, err = tracker(capsys, db, "import", "csv", str(edited))
    if code != 0:  # the file alone may not say day/month from month/day; then it says so
        assert machine["format"] != "ISO" and seeds == "ambiguous", err
        assert err.count("\n") == 1 and "--date-format DD/MM/YYYY" in err
        assert item_state(db) == before and item_change_count(db) == changes
        code, _out, err = tracker(
            capsys, db, "import", "csv", str(edited), "--date-format", machine["format"]
        )
    assert code == 0, err
    assert item_state(db) == expected
    assert item_change_count(db) == changes + len(edits)


# ----------------------------------------------------------------------- the reader itself

cell_text = st.lists(
    st.sampled_from([*"ab \"ñé,;\t\r\n'=x1/-", "\r\n", "€", "ü", "a;b;c", "\n1;2;3"]),
    max_size=8,
).map("".join)
header_name = st.text(alphabet="abcdefghij", min_size=1, max_size=6)


@st.composite
def tables(draw: st.DrawFn) -> tuple[list[str], list[list[str]], str, str]:
    width = draw(st.integers(min_value=2, max_value=5))
    header = draw(st.lists(header_name, min_size=width, max_size=width))
    rows = draw(st.lists(st.lists(cell_text, min_size=width, max_size=width), max_size=8))
    return (
        header,
        rows,
        draw(st.sampled_from([",", ";", "\t"])),
        draw(st.sampled_from(["\r\n", "\n", "\r"])),
    )


def written(header: list[str], rows: list[list[str]], delimiter: str, newline: str) -> str:
    """CSV as spreadsheets write it: a cell holding the separator, a quote or any line break
    quoted. (Python's csv.writer leaves a cell with "\n" bare when lines end in "\r".)"""

    def cell(text: str) -> str:
        if any(c in text for c in (delimiter, '"', "\r", "\n")):
            return '"' + text.replace('"', '""') + '"'
        return text

    return "".join(delimiter.join(cell(c) for c in row) + newline for row in [header, *rows])


@settings(max_examples=300, deadline=None)
@given(table=tables())
def test_the_reader_gives_back_exactly_the_rows_written_or_refuses(
    table: tuple[list[str], list[list[str]], str, str],
) -> None:
    header, rows, delimiter, newline = table
    text = written(header, rows, delimiter, newline)
    try:
        parsed = parse_table("f.csv", text)
    except RowErrors as err:
        assert all(e.startswith("f.csv:") and "\n" not in e.split(": ", 1)[0] for e in err.errors)
        return
    assert parsed.header == header
    assert [r.cells for r in parsed.rows] == [r for r in rows if any(c.strip() for c in r)]


@settings(max_examples=300, deadline=None)
@given(table=tables(), where=st.integers(min_value=0), data=st.data())
def test_a_stray_quote_never_merges_or_splits_rows(
    table: tuple[list[str], list[list[str]], str, str], where: int, data: st.DataObject
) -> None:
    header, rows, delimiter, newline = table
    rows = [r for r in rows if any(c.strip() for c in r)]
    text = written(header, rows, delimiter, newline)
    # A quote typed at the start of some cell, as a person does in a spreadsheet cell.
    starts = [0] + [i + 1 for i, c in enumerate(text) if c in (delimiter, "\n", "\r")]
    at = starts[where % len(starts)]
    hostile = text[:at] + '"' + text[at:]
    try:
        parsed = parse_table("f.csv", hostile)
    except RowErrors:
        return
    assert len(parsed.rows) == len([r for r in rows if any(c.strip() for c in r)]) or len(
        parsed.rows
    ) == len(rows)
    assert all(len(r.cells) == len(parsed.header) for r in parsed.rows)


hostile_text = st.lists(
    st.sampled_from(
        [
            "1.1.1",
            "9.9.9",
            "en_curso",
            "bloqueada",
            "completada",
            "2018-01-05",
            "03/04/2018",
            "25/03/2018",
            "03/25/2018",
            "3/4/18",
            "31/02/2018",
            "9999-12-31",
            "0001-01-01",
            "2018-13-01",
            "facebook",
            "redes-posts",
            "web-publicaciones|redes-posts",
            "50",
            "150",
            "-1",
            "x" * 300,
            '"',
            '""',
            ",",
            ";",
            "\t",
            "\r",
            "\n",
            "\r\n",
            "ñ",
            "\ufeff",
            "\x00",
            "=cmd",
            " ",
        ]
    ),
    max_size=60,
).map("".join)


@settings(max_examples=400, deadline=None)
@given(
    body=hostile_text,
    encoding=st.sampled_from(["utf-8", "utf-8-sig", "cp1252", "utf-16", "mac_roman"]),
    header=st.sampled_from(
        [
            "id,status,percent,date,note,start,finish\n",
            "id;estado;porcentaje;fecha;nota\r\n",
            "date,channel,target,title,qty,link,note\n",
            "fecha;canal;meta;titulo;cantidad\r",
            "",
        ]
    ),
    date_format=st.sampled_from([None, "ISO", "DD/MM/YYYY", "MM/DD/YYYY"]),
)
def test_neither_reader_ends_in_a_traceback(
    body: str, encoding: str, header: str, date_format: str | None
) -> None:
    data = (header + body).encode(encoding, errors="replace")
    text, _found = decode(data)
    plan = _plan()
    for read in (
        lambda: parse_rows("f.csv", text, {"1.1.1", "1.2.1"}, date_format=date_format),
        lambda: parse_csv(plan, "f.csv", text, date_format=date_format),
    ):
        try:
            result = read()
        except RowErrors as err:
            assert err.errors and all(e.startswith("f.csv:") for e in err.errors)
            continue
        lines = [row.line for row in (result.rows if hasattr(result, "rows") else result)]
        assert lines == sorted(set(lines))  # one entry per record, in order


_PLANS: list[Any] = []


def _plan() -> Any:
    if not _PLANS:
        _PLANS.append(load_plan(str(PLAN)))
    return _PLANS[0]


def test_change_rows_are_counted_by_entity(templates: dict[str, Path]) -> None:
    # The property above counts item changes: the seeded templates hold one per seeded item.
    assert item_change_count(templates["settling"]) == len(SETTLING)
    with sqlite3.connect(templates["settling"]) as conn:
        assert conn.execute("SELECT count(*) FROM changes").fetchone()[0] >= len(SETTLING)
    assert ChangeRow.__tablename__ == "changes"
