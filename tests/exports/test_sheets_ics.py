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
    write_xlsx,
)
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


def test_workbook_has_a_sheet_per_area_stage_and_milestones(
    sessions: sessionmaker[Session], tmp_path: Path, spanish: None
) -> None:
    data = export_data(sessions)
    path = tmp_path / "seguimiento.xlsx"
    names = write_xlsx(data, path)
    book = load_workbook(path)
    assert book.sheetnames == names
    assert names[0] == "Resumen" and names[-1] == "Comunicación" and names[-2] == "Hitos"
    assert [n.split()[0] for n in names[1:-2]] == ["1", "2", "3", "4", "5", "D", "E"]
    for name in names:
        assert 0 < len(name) <= 31 and not FORBIDDEN & set(name), name
    assert len({n.casefold() for n in names}) == len(names)

    by_group: dict[str, list[str]] = {}
    for item in data.forecast.items:
        by_group.setdefault(item.group, []).append(item.key)
    headers = column_headers()
    assert "Título" in headers and "Estado" in headers  # Spanish headers
    date_columns = [i for i, c in enumerate(COLUMNS) if c.kind == "date"]
    for name, group in zip(names[1:-1], [*by_group], strict=True):
        sheet = book[name]
        rows = list(sheet.iter_rows(values_only=True))
        assert list(rows[0]) == headers
        assert [r[0] for r in rows[1:]] == by_group[group], name  # one row per item
        assert sheet.freeze_panes == "B2"
        assert sheet.auto_filter.ref == f"A1:W{len(rows)}"
        for row in sheet.iter_rows(min_row=2):
            for index in date_columns[:4]:  # baseline and forecast dates are always set
                assert row[index].is_date and row[index].number_format == "dd/mm/yyyy"
            percent = row[[c.key for c in COLUMNS].index("percent")]
            assert isinstance(percent.value, int) and percent.data_type == "n"

    area1 = {r[0]: r for r in book[names[1]].iter_rows(min_row=2, values_only=True)}
    done = area1["1.1.1"]
    keys = [c.key for c in COLUMNS]
    assert done[keys.index("status")] == "completada" and done[keys.index("percent")] == 100
    assert done[keys.index("actual_finish")] == datetime(2018, 1, 22)
    assert done[keys.index("lead")] == "100CR SDU"
    assert done[keys.index("support")] == "Dirección de Resiliencia MUPA (contactos)"
    assert "DGS" in done[keys.index("working_group")] and "OIM." in done[keys.index("allies")]
    assert done[keys.index("late")] == "no"

    summary = list(book["Resumen"].iter_rows(values_only=True))
    assert summary[0][:3] == ("Área", "Título", "Elementos")
    groups = [r for r in summary[1:] if r[0] is not None]
    assert [r[0] for r in groups[:8]] == ["1", "2", "3", "4", "5", "D", "E", "Hitos"]
    assert groups[8][0] == "Total" and groups[8][2] == len(data.forecast.items)
    assert groups[0][9] == next(g.percent for g in data.forecast.groups if g.key == "1")
    assert ("Fecha de corte", datetime(2018, 2, 20)) in [(r[0], r[1]) for r in summary]

    comms = list(book["Comunicación"].iter_rows(values_only=True))
    assert len(comms) == len(data.comms) + 1
    assert comms[1][0] == data.comms[0].target and isinstance(comms[1][3], datetime)


def test_formulas_in_plan_or_log_text_stay_text(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    data = export_data(sessions)
    xlsx, csv_path = tmp_path / "s.xlsx", tmp_path / "s.csv"
    write_xlsx(data, xlsx)
    write_csv(data, csv_path)
    keys = [c.key for c in COLUMNS]
    book = load_workbook(xlsx)
    assert not [c for s in book for row in s.iter_rows() for c in row if c.data_type == "f"]
    sheet = next(s for s in book if s.title.startswith("3 "))
    row = next(r for r in sheet.iter_rows(min_row=2) if r[0].value == "3.1.1")
    for key, original in (
        ("title", EVIL_TITLE),
        ("note", EVIL_NOTE),
        ("allies", "@SUM(1+1)"),
        ("working_group", "-2+3"),
    ):
        cell = row[keys.index(key)]
        assert isinstance(cell.value, str) and cell.value.startswith("'"), key
        assert cell.value.lstrip("'").startswith(original[:4]) and cell.data_type == "s"
    sheet1 = next(s for s in book if s.title.startswith("1 "))
    early = next(r for r in sheet1.iter_rows(min_row=2) if r[0].value == "1.1.1")
    slip = early[keys.index("slip_days")]
    assert slip.value == -1 and slip.data_type == "n"  # a real negative number stays one

    with csv_path.open(encoding="utf-8-sig", newline="") as fh:
        rows = {r[0]: r for r in csv.reader(fh)}
    evil = rows["3.1.1"]
    assert evil[keys.index("title")] == "'" + EVIL_TITLE
    assert evil[keys.index("note")] == "'" + EVIL_NOTE
    assert evil[keys.index("allies")].startswith("'@SUM(1+1)")
    assert rows["1.1.1"][keys.index("slip_days")] == "-1"


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
    assert "51 elementos en 10 hojas" in result.stdout
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
    write_xlsx(export_data(sessions), path)
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
    # Every item has its date (the forecast finish); a workshop also has its window.
    items = {i.key: i for i in data.forecast.items}
    workshop = events["panama-fase2-1.3.1-workshop@resiliencia-tracker"]
    assert str(workshop["SUMMARY"]) == "1.3.1 · Taller con actores claves Transporte"
    assert workshop.decoded("DTSTART") == items["1.3.1"].forecast_start
    due = events["panama-fase2-1.3.1-due@resiliencia-tracker"]
    assert due.decoded("DTSTART") == items["1.3.1"].forecast_finish
    description = str(due["DESCRIPTION"])
    assert "Lead: Dirección Resiliencia MUPA" in description
    assert "Status: pendiente (0%)" in description
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
    assert str(events["panama-fase2-1.1.1-due@resiliencia-tracker"]["SUMMARY"]) == (
        "1.1.1 · Due: Revisión de indicadores y su interpretación"
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
    assert "Status: completada (100%)" in str(second[uid]["DESCRIPTION"])
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
