"""`tracker export xlsx|csv|ics`: every file re-read the way its reader would read it."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any

import pytest
from icalendar import Calendar
from openpyxl import load_workbook
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import PLAN, ROOT, require_tool
from tests.db.helpers import fresh_db, run
from tracker.exporters.common import ExportData, load_export_data
from tracker.exporters.ics import build_calendar, calendar_events, write_ics
from tracker.exporters.sheets import (
    COLUMNS,
    column_headers,
    neutralise,
    sheet_name,
    write_csv,
)
from tracker.exporters.workbook import write_workbook
from tracker.i18n import set_language
from tracker.plan.load import parse_plan
from tracker.store.store import Store
from tracker.tracking.status import set_item_status

AS_OF = date(2018, 2, 20)
EVIL_TITLE = '=HYPERLINK("http://evil","x")'
EVIL_NOTE = "+cmd|' /C calc'!A0"
FORBIDDEN = set("[]:*?/\\")


def hostile_plan(tmp_path: Path) -> Any:
    """The bundled plan with formula-like text where a careless export would obey it."""
    text = PLAN.read_text(encoding="utf-8")
    start = text.index('    - id: "3.1.1"\n')
    end = text.index("\n    - id:", start + 10)
    block = text[start:end]
    for old, new in (
        ('title: "Realizar 3-4 reuniones con actores"', "title: '" + EVIL_TITLE + "'"),
        ('        - "MI AMBIENTE"\n', '        - "@SUM(1+1)"\n'),
        ('        - "Vice Alcaldía."\n', '        - "-2+3"\n'),
    ):
        assert block.count(old) == 1, old
        block = block.replace(old, new)
    text = text[:start] + block + text[end:]
    old = 'title: "Revisión de los documentos y materiales producidos en el proyecto IH Cantabria"'
    assert text.count(old) == 1
    text = text.replace(old, 'title: "Revisión, parte 1; con actores"')
    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    return parse_plan(str(path), text)


@pytest.fixture()
def sessions(tmp_path: Path) -> sessionmaker[Session]:
    s = fresh_db(f"sqlite:///{tmp_path / 't.db'}", hostile_plan(tmp_path))
    # 1.1.1 (baseline Jan 2 – Jan 23) finished a working day early: slip −1.
    run(s, set_item_status, "1.1.1", "en_curso", on=date(2018, 1, 2), author="ana")
    run(s, set_item_status, "1.1.1", "completada", on=date(2018, 1, 22), author="ana")
    run(s, set_item_status, "3.1.1", "bloqueada", on=date(2018, 2, 1), author="ana", note=EVIL_NOTE)
    run(s, set_item_status, "2.1.1", "en_curso", on=date(2018, 1, 8), author="ana", percent=40)
    return s


def export_data(sessions: sessionmaker[Session], as_of: date = AS_OF) -> ExportData:
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)  # type: ignore[attr-defined]
    return load_export_data(Store(url), as_of)


@pytest.fixture()
def spanish() -> Iterator[None]:
    set_language("es")
    yield
    set_language("en")


# ------------------------------------------------------------------------------ XLSX


def table(sheet: Any) -> dict[str, dict[str, Any]]:
    """A sheet's rows by their first cell, each a dict by header."""
    rows = list(sheet.iter_rows(values_only=True))
    return {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:] if r[0] is not None}


def test_workbook_has_a_sheet_per_area_stage_and_milestones(
    sessions: sessionmaker[Session], tmp_path: Path, spanish: None
) -> None:
    data = export_data(sessions)
    path = tmp_path / "seguimiento.xlsx"
    names = write_workbook(data, path)
    book = load_workbook(path)
    assert book.sheetnames == names
    assert names[0] == "Resumen" and names[-5:] == [
        "Hitos",
        "Comunicación",
        "Detalle fechas",
        "Detalle roles",
        "Datos para importar",  # hidden: what `import csv` reads, for saving as CSV
    ]
    assert book["Datos para importar"].sheet_state == "hidden"
    assert [n.split()[0] for n in names[1:-5]] == ["1", "2", "3", "4", "5", "D", "E"]
    for name in names:
        assert 0 < len(name) <= 31 and not FORBIDDEN & set(name), name
    assert len({n.casefold() for n in names}) == len(names)
    # Metadata a file manager and a PDF printer show.
    assert (
        book.properties.title
        == "Plan de Trabajo – Fase II (Abordaje adaptado para la Ciudad de Panamá)"
    )
    assert book.properties.creator.startswith("Dirección de Resiliencia")
    assert book.properties.subject == "Estado del plan al 20/02/2018"

    by_group: dict[str, list[str]] = {}
    for item in data.forecast.items:
        by_group.setdefault(item.group, []).append(item.key)
    printed = [
        "ID", "Título", "Estado", "Porcentaje", "Inicio previsto", "Fin previsto",
        "Desvío (días hábiles)", "Marcas", "Lidera",
    ]  # fmt: skip
    for name, group in zip(names[1:-4], [*by_group], strict=True):
        sheet = book[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == printed, rows[0]
        assert [r[0] for r in rows[1:]] == by_group[group], name  # one row per item
        assert sheet.freeze_panes == "C2"
        assert sheet.auto_filter.ref == f"A1:I{len(rows)}"
        # Printed on carta, landscape, one page wide, the header row on every page.
        assert sheet.page_setup.orientation == "landscape"
        assert int(sheet.page_setup.paperSize) == 1  # Letter (carta)
        assert sheet.page_setup.fitToWidth == 1 and sheet.page_setup.fitToHeight == 0
        assert sheet.print_title_rows == "$1:$1"
        for row in sheet.iter_rows(min_row=2):
            for cell in row[4:6]:  # the forecast dates are always set
                assert cell.is_date and cell.number_format == "dd/mm/yyyy"
            assert isinstance(row[3].value, int) and row[3].data_type == "n"
            # A wrapped title makes its row taller.
            lines = -(-len(row[1].value) // 50)
            assert sheet.row_dimensions[row[0].row].height >= 15 * lines

    area1 = table(book[names[1]])
    done = area1["1.1.1"]
    assert done["Estado"] == "Completada" and done["Porcentaje"] == 100
    assert done["Lidera"] == "100CR SDU"
    assert done["Marcas"] is None
    assert table(book[names[2]])["2.1.1"]["Estado"] == "En curso"
    dates = table(book["Detalle fechas"])
    assert set(dates) == {i.key for i in data.forecast.items}
    assert dates["1.1.1"]["Fin real"] == datetime(2018, 1, 22)
    roles = table(book["Detalle roles"])
    assert roles["1.1.1"]["Apoya"] == "Dirección de Resiliencia MUPA (contactos)"
    assert "DGS" in roles["1.1.1"]["Grupo de trabajo"] and "OIM." in roles["1.1.1"]["Aliados"]

    summary = list(book["Resumen"].iter_rows(values_only=True))
    assert summary[0][:5] == ("Área", "Título", "Elementos", "Pendiente", "En curso")
    groups = [r for r in summary[1:] if r[0] is not None]
    assert [r[0] for r in groups[:8]] == ["1", "2", "3", "4", "5", "D", "E", "Hitos"]
    assert groups[8][0] == "Total" and groups[8][2] == len(data.forecast.items)
    assert groups[0][9] == next(g.percent for g in data.forecast.groups if g.key == "1")
    assert ("Fecha de corte", datetime(2018, 2, 20)) in [(r[0], r[1]) for r in summary]

    comms = list(book["Comunicación"].iter_rows(values_only=True))
    assert len(comms) == len(data.comms) + 1
    # The target by its action, never by its id; the state by name.
    assert comms[1][0] == data.comms[0].action and isinstance(comms[1][2], datetime)
    assert {r[6] for r in comms[1:]} <= {
        "Cumplida",
        "Incumplida",
        "En curso",
        "Atrasada",
        "Próxima",
    }


def test_neutralise_follows_owasp() -> None:
    for text in ("=1+1", "+1", "-1", "@A1", "\t=1", "\r=1", "\uff1d1"):
        assert neutralise(text) == "'" + text
    for text in ("Taller", "1.3.1", "", "'=quoted already", " =1"):
        assert neutralise(text) == text


def test_sheet_names_follow_excel_rules() -> None:
    used: set[str] = set()
    long = sheet_name("1 EQUIDAD Y ENTORNO: [TRANSPORTE] / ECONOMÍA * ¿COMPETITIVIDAD?", used)
    assert len(long) == 31 and not FORBIDDEN & set(long) and long.endswith("…")
    again = sheet_name("1 EQUIDAD Y ENTORNO: [TRANSPORTE] / ECONOMÍA * ¿COMPETITIVIDAD?", used)
    assert again != long and len(again) <= 31 and again.endswith("(2)")
    assert sheet_name("history", used) != "history"
    assert sheet_name("'quoted'", used) == "quoted"
    assert sheet_name("[]", used) == "-"
    assert sheet_name("Resumen", used) == "Resumen"
    assert sheet_name("RESUMEN", used) == "RESUMEN (2)"  # Excel names ignore case


def test_csv_has_every_item_with_bom(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    data = export_data(sessions)
    path = tmp_path / "s.csv"
    assert write_csv(data, path) == len(data.forecast.items)
    raw = path.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    with path.open(encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.reader(fh))
    assert len(rows) == len(data.forecast.items) + 1
    assert rows[0] == column_headers()
    assert {len(r) for r in rows} == {len(COLUMNS)}
    keys = [c.key for c in COLUMNS]
    by_id = {r[0]: dict(zip(keys, r, strict=True)) for r in rows[1:]}
    assert by_id["1.1.1"]["actual_finish"] == "2018-01-22"
    assert by_id["2.1.1"]["percent"] == "40"
    assert by_id["3.2.1"]["title"] == "Revisión, parte 1; con actores"  # quoted, not split


def test_cli_exports_in_spanish(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    env = {**os.environ, "TRACKER_DB": str(tmp_path / "t.db"), "TRACKER_LANG": "es"}

    def tracker(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "tracker", *args],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
            timeout=120,
        )

    xlsx, csv_path, ics = tmp_path / "a.xlsx", tmp_path / "a.csv", tmp_path / "a.ics"
    result = tracker("export", "xlsx", "-o", str(xlsx), "--as-of", "2018-02-20")
    assert result.returncode == 0, result.stderr
    assert "51 elementos en 13 hojas" in result.stdout
    assert load_workbook(xlsx).sheetnames[0] == "Resumen"
    result = tracker("export", "csv", "-o", str(csv_path), "--as-of", "2018-02-20")
    assert result.returncode == 0 and csv_path.read_bytes().startswith(b"\xef\xbb\xbf")
    result = tracker("export", "ics", "-o", str(ics), "--as-of", "2018-02-20")
    assert result.returncode == 0 and "eventos" in result.stdout
    assert Calendar.from_ical(ics.read_bytes()).walk("VEVENT")
    # An unwritable destination is one line on stderr and exit 2, not a traceback.
    result = tracker("export", "csv", "-o", str(xlsx / "x.csv"))  # xlsx is a file
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.startswith("error: no se puede escribir")


def test_xlsx_opens_in_libreoffice(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    path = tmp_path / "seguimiento.xlsx"
    write_workbook(export_data(sessions), path)
    out = tmp_path / "out"
    result = subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path / 'lo'}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(out),
            str(path),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    pdf = out / "seguimiento.pdf"
    # LibreOffice without Calc (libreoffice-writer-nogui alone) opens no spreadsheet: the
    # Debian package libreoffice-calc-nogui is needed (.ci/run installs it).
    assert result.returncode == 0 and pdf.exists(), result.stderr + result.stdout
    assert pdf.read_bytes().startswith(b"%PDF")
    # Printed: carta landscape pages, about one per sheet (detail sheets take a few), titled.
    pdfinfo = require_tool("pdfinfo", "poppler-utils")
    info = subprocess.run([pdfinfo, str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "792 x 612 pts (letter)" in info, info
    pages = int(next(line.split()[-1] for line in info.splitlines() if line.startswith("Pages:")))
    assert 12 <= pages <= 24, pages
    assert "Plan de Trabajo" in info and "Customized" not in info


# ------------------------------------------------------------------------------- ICS


def events_of(content: bytes) -> dict[str, Any]:
    calendar = Calendar.from_ical(content)
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


def test_calendar_events_and_properties(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    data = export_data(sessions)
    path = tmp_path / "c.ics"
    count = write_ics(data, path, now=datetime(2018, 2, 20, 12, 0, tzinfo=UTC))
    calendar = Calendar.from_ical(path.read_bytes())
    assert {"PRODID", "VERSION"} <= set(calendar) and calendar["VERSION"] == "2.0"
    events = {str(e["UID"]): e for e in calendar.walk("VEVENT")}
    assert len(events) == count  # UIDs are unique
    for uid, event in events.items():
        assert uid.startswith("panama-fase2-") and uid.endswith("@resiliencia-tracker")
        for prop in ("DTSTAMP", "DTSTART", "DTEND", "SUMMARY", "SEQUENCE", "LAST-MODIFIED"):
            assert prop in event, (uid, prop)
        start, end = event.decoded("DTSTART"), event.decoded("DTEND")
        assert type(start) is date and type(end) is date and end > start  # all-day
    # Every item has its date (the forecast finish); a workshop also has its day: one day,
    # assumed (the plan gives none) and said to be, inside the item's window.
    items = {i.key: i for i in data.forecast.items}
    for key in ("1.3.1", "2.2.2", "D.1"):
        workshop = events[f"panama-fase2-{key}-workshop@resiliencia-tracker"]
        start, end = workshop.decoded("DTSTART"), workshop.decoded("DTEND")
        assert (end - start).days == 1 and start.weekday() < 5, key
        assert items[key].forecast_start <= start <= items[key].forecast_finish, key
        assert str(workshop["SUMMARY"]).endswith("(assumed day)"), key
        assert f"{start} is assumed" in str(workshop["DESCRIPTION"]), key
    workshop = events["panama-fase2-1.3.1-workshop@resiliencia-tracker"]
    assert str(workshop["SUMMARY"]) == "1.3.1 · Taller con actores claves Transporte (assumed day)"
    due = events["panama-fase2-1.3.1-due@resiliencia-tracker"]
    assert due.decoded("DTSTART") == items["1.3.1"].forecast_finish
    description = str(due["DESCRIPTION"])
    assert "Lead: Dirección de Resiliencia (MUPA)" in description  # the canonical name
    assert "Status: pending (0%)" in description
    assert f"Baseline: {items['1.3.1'].baseline_start} – {items['1.3.1'].baseline_finish}" in (
        description
    )
    # A workshop named only in the methodology, and the opportunities workshop of stage D.
    assert "panama-fase2-D.1-workshop@resiliencia-tracker" in events
    # The Mesa Técnica: its committee milestones and the items where its roles name it.
    suffix = "-mesa@resiliencia-tracker"
    mesa = {u.removeprefix("panama-fase2-").removesuffix(suffix) for u in events if suffix in u}
    assert {"M.1", "M.2", "D.3"} <= mesa
    assert "panama-fase2-M.1-due@resiliencia-tracker" not in events  # not twice
    assert str(events["panama-fase2-M.2-mesa@resiliencia-tracker"]["SUMMARY"]).startswith(
        "M.2 · Estrategia de resiliencia y Mesa Técnica"
    )
    # "Due" only while open: a finished item's event says it is done.
    assert str(events["panama-fase2-1.1.1-due@resiliencia-tracker"]["SUMMARY"]) == (
        "1.1.1 · Done: Revisión de indicadores y su interpretación"
    )
    assert str(events["panama-fase2-1.2.1-due@resiliencia-tracker"]["SUMMARY"]).startswith(
        "1.2.1 · Due: "
    )


def test_reexport_keeps_uids_and_moves_the_changed_event(
    sessions: sessionmaker[Session],
) -> None:
    as_of = date(2018, 2, 1)
    first = events_of(build_calendar(export_data(sessions, as_of)))
    run(sessions, set_item_status, "1.3.1", "en_curso", on=date(2018, 1, 31), author="ana")
    run(sessions, set_item_status, "1.3.1", "completada", on=date(2018, 2, 1), author="ana")
    second = events_of(build_calendar(export_data(sessions, as_of)))
    assert set(first) == set(second)  # re-importing updates, never duplicates
    uid = "panama-fase2-1.3.1-due@resiliencia-tracker"
    assert first[uid].decoded("DTSTART") != second[uid].decoded("DTSTART") == date(2018, 2, 1)
    assert "Status: done (100%)" in str(second[uid]["DESCRIPTION"])
    assert "Done:" in str(second[uid]["SUMMARY"]) and "Due:" in str(first[uid]["SUMMARY"])
    # A calendar replaces an event whose SEQUENCE grew, so a newer export wins.
    assert int(second[uid]["SEQUENCE"]) > int(first[uid]["SEQUENCE"])
    assert second[uid].decoded("LAST-MODIFIED") >= first[uid].decoded("LAST-MODIFIED")
    # A cancelled item's events stay, cancelled, so an imported copy is cancelled too.
    run(sessions, set_item_status, "2.2.2", "cancelada", on=date(2018, 2, 1), author="ana")
    third = events_of(build_calendar(export_data(sessions, as_of)))
    assert set(third) == set(first)
    cancelled = third["panama-fase2-2.2.2-workshop@resiliencia-tracker"]
    assert str(cancelled["STATUS"]) == "CANCELLED"


def test_text_with_separators_round_trips(sessions: sessionmaker[Session]) -> None:
    note = "Falta la firma, del MEF; ver acta\nsegunda línea \\ fin"
    run(
        sessions,
        set_item_status,
        "3.2.1",
        "bloqueada",
        on=date(2018, 2, 1),
        author="ana",
        note=note,
    )
    data = export_data(sessions)
    content = build_calendar(data)
    assert b"Falta la firma\\, del MEF\\; ver acta\\nsegunda" in content.replace(b"\r\n ", b"")
    event = events_of(content)["panama-fase2-3.2.1-due@resiliencia-tracker"]
    assert str(event["SUMMARY"]) == "3.2.1 · Due: Revisión, parte 1; con actores"
    assert f"Reason: {note}" in str(event["DESCRIPTION"])
    expected = {e.uid: e for e in calendar_events(data)}
    assert str(event["DESCRIPTION"]) == expected[str(event["UID"])].description
