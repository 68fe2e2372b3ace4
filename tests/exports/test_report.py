"""`tracker report`: the monthly report for the mayor's office and the Mesa Técnica.

A realistic March 2018 is built through the same functions a user's change goes through
(status changes with notes, a deliverable validated, communication activities, one change
undone), with February and April around it that must not leak in; the report is then
generated through the CLI as DOCX, HTML and Markdown and read back as its reader would.
"""

from __future__ import annotations

import base64
import os
import re
import struct
import subprocess
import sys
import zipfile
import zlib
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, date, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from tests.conftest import PLAN, ROOT, require_tool
from tests.db.helpers import fresh_db
from tracker.comms.check import summary
from tracker.errors import ExportError
from tracker.exporters.common import ExportData, load_export_data
from tracker.exporters.report.build import write_report
from tracker.exporters.report.md import md_escape
from tracker.plan.load import load_plan
from tracker.schedule.passes import plan_calendar
from tracker.store.models import ChangeRow, PlanRow
from tracker.store.planstore import find_plan, stored_plan
from tracker.store.session import transaction
from tracker.store.store import Store
from tracker.tracking.commlog import ActivityInput, add_activity
from tracker.tracking.status import set_deliverable_status, set_item_status, undo_last

HOSTILE_TITLE = "<script>alert(1)</script>"
HOSTILE_NOTE = "<img src=x onerror=alert(1)>"
BLOCKED_TITLE = f"Establecer un sistema de convocatoria {HOSTILE_TITLE}"
PIPE_TITLE = "Taller de consulta con actores clave | Área 3"
MONTH_END = date(2018, 3, 31)
PLANNING = "plashka.meade"
ADMIN = "celisa.lopez"


@dataclass
class Month:
    url: str
    data: ExportData  # as of the month's last day, read in-process
    out: Path
    activity_ids: dict[str, int]


def _run_cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "TRACKER_LANG": "es",
        "TRACKER_USER": "ana",
        "PYTHONPATH": str(ROOT),
        "TZ": "America/Panama",  # the day a change was typed is read in local time
    }
    env.pop("TRACKER_DB", None)
    return subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        cwd=cwd,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )


def _on(day: date) -> datetime:
    return datetime(day.year, day.month, day.day, 15, 0, tzinfo=UTC)


def _step(
    sessions: sessionmaker[Session], day: date, work: Callable[[Session, PlanRow], Any]
) -> Any:
    """Apply one change as the team would on ``day``: the history is stamped with that day
    (as if typed then), like the demo database does."""

    def apply(session: Session) -> Any:
        plan_row = find_plan(session)
        first = (session.scalar(select(func.max(ChangeRow.id))) or 0) + 1
        result = work(session, plan_row)
        session.flush()
        session.execute(update(ChangeRow).where(ChangeRow.id >= first).values(at=_on(day)))
        return result

    return transaction(sessions, apply)


def _item(key: str, status: str, day: date, author: str = PLANNING, **kw: Any) -> Any:
    return lambda s, p: set_item_status(s, p, key, status, on=day, author=author, **kw)


def _deliverable(key: str, status: str, day: date, **kw: Any) -> Any:
    return lambda s, p: set_deliverable_status(s, p, key, status, on=day, author=PLANNING, **kw)


def _activity(day: date, channel: str, target: str, title: str, note: str = "") -> Any:
    def add(session: Session, plan_row: PlanRow) -> int:
        data = ActivityInput(day, channel, [target], title, note=note)
        return add_activity(session, plan_row, stored_plan(session, plan_row), data, ADMIN).id

    return add


@pytest.fixture(scope="module")
def month(tmp_path_factory: pytest.TempPathFactory) -> Month:
    tmp = tmp_path_factory.mktemp("report")
    plan = load_plan(str(PLAN))
    plan.items["5.1.3"].title = BLOCKED_TITLE  # plan text that must stay text everywhere
    url = f"sqlite:///{tmp / 'month.db'}"
    sessions = fresh_db(url, plan, author=PLANNING)
    D = date
    ids: dict[str, int] = {}
    # February: must not appear in March's report.
    _step(
        sessions,
        D(2018, 2, 20),
        _item("3.3.1", "en_curso", D(2018, 2, 20), note="Arranque acordado en febrero."),
    )
    _step(
        sessions,
        D(2018, 2, 27),
        _deliverable("4.2.1-P1", "entregado", D(2018, 2, 27), evidence="feb/4.2.1-P1.pdf"),
    )
    ids["feb"] = _step(
        sessions,
        D(2018, 2, 27),
        _activity(D(2018, 2, 27), "twitter", "redes-posts", "Publicación de febrero"),
    )
    # March.
    _step(
        sessions,
        D(2018, 3, 5),
        _item("4.4.1", "en_curso", D(2018, 3, 5), note="Arranca con los datos de SINAPROC."),
    )
    ids["pipe"] = _step(
        sessions,
        D(2018, 3, 6),
        _activity(D(2018, 3, 6), "facebook", "redes-posts", PIPE_TITLE, note=HOSTILE_NOTE),
    )
    _step(
        sessions,
        D(2018, 3, 9),
        _deliverable("3.3.1-P1", "en_revision", D(2018, 3, 9), note="Enviado al Grupo de Trabajo."),
    )
    _step(
        sessions,
        D(2018, 3, 12),
        _item(
            "5.1.3",
            "bloqueada",
            D(2018, 3, 12),
            author=ADMIN,
            note="Esperando la información de Compras.",
        ),
    )
    _step(
        sessions,
        D(2018, 3, 14),
        _item("3.3.1", "completada", D(2018, 3, 14), note="Actas de los talleres entregadas."),
    )
    ids["mesa"] = _step(
        sessions,
        D(2018, 3, 14),
        _activity(
            D(2018, 3, 14),
            "presentaciones",
            "mesa-presentaciones",
            "Sesión de la Mesa Técnica",
            note="Asistieron 14 miembros de la Mesa.",
        ),
    )
    _step(
        sessions,
        D(2018, 3, 16),
        _deliverable(
            "3.3.1-P1",
            "validado",
            D(2018, 3, 16),
            evidence="actas/3.3.1-P1.pdf",
            note="Validado en la sesión del 16 de marzo.",
        ),
    )
    _step(
        sessions,
        D(2018, 3, 20),
        _item("3.4.1", "diferida", D(2018, 3, 20), note="Pasa a la fase de implementación."),
    )
    ids["web"] = _step(
        sessions,
        D(2018, 3, 20),
        _activity(D(2018, 3, 20), "web", "web-publicaciones", HOSTILE_TITLE),
    )
    _step(
        sessions,
        D(2018, 3, 22),
        _item(
            "4.4.1",
            "en_curso",
            D(2018, 3, 22),
            percent=40,
            note="Avance revisado en la reunión semanal.",
        ),
    )
    # A change made by mistake and undone the same day: neither appears.
    _step(
        sessions,
        D(2018, 3, 27),
        _item("2.2.1", "completada", D(2018, 3, 27), author="ana", note="Marcada por error."),
    )
    _step(sessions, D(2018, 3, 27), lambda s, p: undo_last(s, p, "ana"))
    # April: must not appear either.
    _step(
        sessions,
        D(2018, 4, 3),
        _item("4.4.1", "completada", D(2018, 4, 3), note="Cerrado en abril."),
    )
    ids["apr"] = _step(
        sessions,
        D(2018, 4, 2),
        _activity(D(2018, 4, 2), "instagram", "redes-posts", "Publicación de abril"),
    )
    url = sessions.kw["bind"].url.render_as_string(hide_password=False)
    data = load_export_data(Store(url), MONTH_END)
    sessions.kw["bind"].dispose()
    out = tmp / "out"
    out.mkdir()
    for suffix in ("docx", "html", "md"):
        result = _run_cli(
            "report",
            "--month",
            "2018-03",
            "--db",
            url,
            "--no-gantt",
            "-o",
            str(out / f"informe.{suffix}"),
        )
        assert result.returncode == 0, result.stderr
        assert result.stdout.strip() == str(out / f"informe.{suffix}")
        assert result.stderr == ""
    return Month(url, data, out, ids)


def _com(month: Month, name: str) -> str:
    return f"Com. n.º {month.activity_ids[name]}"


def _expected_rows(month: Month) -> list[tuple[str, str, str, str]]:
    """(ACTIVIDAD starts with, ENTIDAD, INFORMACIÓN starts with, FECHA), in order."""
    late = plan_calendar(month.data.plan).working_days_between(date(2018, 1, 23), date(2018, 3, 14))
    return [
        (
            "4.4.1 Análisis técnico",
            "Palantir /Consultor en temas de vulnerabilidad",
            "Iniciada",
            "05/03/2018",
        ),
        (
            f"{_com(month, 'pipe')} {PIPE_TITLE}",
            "Facebook",
            "Publicación en Facebook",
            "06/03/2018",
        ),
        (
            f"5.1.3 {BLOCKED_TITLE}",
            "Citymart",
            "Bloqueada: Esperando la información de Compras.",
            "12/03/2018",
        ),
        (
            "3.3.1 Ejecución de Talleres de consulta con actores clave",
            "100CR (SDU)",
            f"Completada ({late} días laborables tarde)",
            "14/03/2018",
        ),
        (
            f"{_com(month, 'mesa')} Sesión de la Mesa Técnica",
            "Presentaciones en fechas claves",
            "Presentación en fecha clave",
            "14/03/2018",
        ),
        (
            "3.3.1-P1 ",
            "100CR (SDU)",
            "Entregable validado por la Mesa Técnica. Evidencia: actas/3.3.1-P1.pdf",
            "16/03/2018",
        ),
        (
            "3.4.1 ",
            "Dirección de Resiliencia MUPA",
            "Diferida: Pasa a la fase de implementación.",
            "20/03/2018",
        ),
        (
            f"{_com(month, 'web')} {HOSTILE_TITLE}",
            "Página web (MUPA/100 Ciudades)",
            "Publicación en Página web",
            "20/03/2018",
        ),
    ]


LEAKS = (
    "Arranque acordado en febrero",
    "feb/4.2.1-P1.pdf",
    "Publicación de febrero",
    "Marcada por error",
    "Cerrado en abril",
    "Publicación de abril",
    "27/02/2018",
    "03/04/2018 ",
    "2.2.1 Talleres",
)


def _docx(month: Month) -> Any:
    return Document(str(month.out / "informe.docx"))


def _table(doc: Any, first_header: str) -> list[list[str]]:
    for table in doc.tables:
        rows = [[c.text for c in row.cells] for row in table.rows]
        if rows and rows[0][0] == first_header:
            return rows
    raise AssertionError(f"no table headed {first_header}")


def _section_paragraphs(doc: Any, heading: str) -> list[Any]:
    out, inside = [], False
    for paragraph in doc.paragraphs:
        if paragraph.style.name.startswith("Heading"):
            inside = paragraph.text.startswith(heading)
            continue
        if inside:
            out.append(paragraph)
    return out


# --- the DOCX -----------------------------------------------------------------------------


def test_activity_table_holds_the_month_and_only_the_month(month: Month) -> None:
    doc = _docx(month)
    rows = [[c.text for c in row.cells] for row in doc.tables[0].rows]
    assert rows[0] == ["ACTIVIDAD", "ENTIDAD", "INFORMACIÓN", "FECHA"]
    body = rows[1:]
    expected = _expected_rows(month)
    assert len(body) == len(expected), body
    for row, (activity, entity, information, day) in zip(body, expected, strict=True):
        assert row[0].startswith(activity), row
        assert row[1] == entity, row
        assert row[2].startswith(information), row
        assert row[3] == day, row
    text = "\n".join("\t".join(r) for r in body)
    for leak in LEAKS:
        assert leak not in text
    # The header row repeats on every page.
    assert doc.tables[0].rows[0]._tr.trPr.xpath("./w:tblHeader")


def test_coordinations_hold_the_notes_with_who_and_when(month: Month) -> None:
    bullets = [p.text for p in _section_paragraphs(_docx(month), "COORDINACIONES")]
    assert bullets
    expected = [
        (
            "4.4.1 Análisis técnico: Arranca con los datos de SINAPROC.",
            "Plashka Meade",
            "05/03/2018",
        ),
        (f"{_com(month, 'pipe')} {PIPE_TITLE}: {HOSTILE_NOTE}", "Celisa Lopez", "06/03/2018"),
        ("3.3.1-P1 ", "Plashka Meade", "09/03/2018"),
        ("5.1.3 ", "Celisa Lopez", "12/03/2018"),
        (
            "3.3.1 Ejecución de Talleres de consulta con actores clave: Actas de los talleres "
            "entregadas.",
            "Plashka Meade",
            "14/03/2018",
        ),
        (
            f"{_com(month, 'mesa')} Sesión de la Mesa Técnica: Asistieron 14 miembros de la Mesa.",
            "Celisa Lopez",
            "14/03/2018",
        ),
        ("3.3.1-P1 ", "Plashka Meade", "16/03/2018"),
        ("3.4.1 ", "Plashka Meade", "20/03/2018"),
        (
            "4.4.1 Análisis técnico: Avance revisado en la reunión semanal. (avance: 40 %)",
            "Plashka Meade",
            "22/03/2018",
        ),
    ]
    assert len(bullets) == len(expected), bullets
    for bullet, (start, who, day) in zip(bullets, expected, strict=True):
        assert bullet.startswith(start), bullet
        assert bullet.endswith(f"({who}, {day})"), bullet
    joined = "\n".join(bullets)
    assert "Validado en la sesión del 16 de marzo." in joined
    assert "Esperando la información de Compras." in joined
    for leak in LEAKS:
        assert leak not in joined


def test_progress_table_has_every_area_and_the_stages(month: Month) -> None:
    rows = _table(_docx(month), "ÁREA")
    assert rows[0] == [
        "ÁREA",
        "AVANCE",
        "TAREAS",
        "DESVÍO (DÍAS LAB.)",
        "FIN LÍNEA BASE",
        "FIN PREVISTO",
    ]
    keys = [r[0].split(" ")[0] for r in rows[1:]]
    assert keys[:7] == ["1", "2", "3", "4", "5", "D", "E"]
    assert rows[-1][0] == "Toda la fase"
    groups = {g.key: g for g in month.data.forecast.groups}
    for row in rows[1:8]:
        group = groups[row[0].split(" ")[0]]
        assert row[1] == f"{group.percent:.0f} %"
        assert row[3] == f"{group.slip_days:+d}"
        assert row[4] == group.baseline_finish.strftime("%d/%m/%Y")
    area3 = next(r for r in rows if r[0].startswith("3 "))
    assert "1 de 10 completadas" in area3[2] and "1 diferida" in area3[2]


def test_late_items_are_listed_with_their_leads(month: Month) -> None:
    rows = _table(_docx(month), "ID")
    assert rows[0][:4] == ["ID", "TAREA", "RESPONSABLE", "SITUACIÓN"]
    listed = {r[0]: r for r in rows[1:]}
    late = [i for i in month.data.forecast.items if i.late]
    assert late, "March 2018 has late items in this history"
    for item in late:
        row = listed[item.key]
        assert row[2] == (item.lead or "—")
        assert row[3].startswith("Atrasada")
    assert listed["5.1.3"][3] == ("Atrasada · bloqueada: Esperando la información de Compras.")
    assert listed["5.1.3"][2] == "Citymart"


def test_communication_summary_as_of_the_months_end(month: Month) -> None:
    doc = _docx(month)
    paragraphs = _section_paragraphs(doc, "Plan de comunicación: metas al 31/03/2018")
    counts = summary(month.data.comms)
    assert paragraphs[0].text.startswith(
        f"{counts['cumplida']} cumplidas, {counts['en_curso']} en curso, "
        f"{counts['atrasada']} atrasadas, {counts['incumplida']} incumplidas, "
        f"{counts['proxima']} próximas."
    )
    assert "En marzo de 2018 se registraron 3 actividades de comunicación." in paragraphs[0].text
    rows = _table(doc, "META")
    mesa = [r for r in rows if r[0].startswith("Reunión para la presentación de logros")]
    assert mesa[0][2] == "01/01/2018 – 31/03/2018"
    assert mesa[0][3] == "1 / 1" and mesa[0][4] == "Cumplida"


def test_next_month_lists_what_falls_due(month: Month) -> None:
    doc = _docx(month)
    due = [t for t in doc.tables if t.rows[0].cells[1].text == "TAREA O ENTREGABLE"]
    assert due
    keys = [row.cells[0].text for row in due[0].rows[1:]]
    assert "D.1" in keys and "M.1" in keys  # due by the forecast, not the baseline


def test_docx_is_a4_spanish_with_core_properties(month: Month) -> None:
    doc = _docx(month)
    section = doc.sections[0]
    assert round(section.page_width.mm) == 210 and round(section.page_height.mm) == 297
    props = doc.core_properties
    assert props.title == "INFORME MENSUAL DE SEGUIMIENTO — marzo de 2018"
    assert props.author.startswith("Dirección de Resiliencia")
    assert props.language == "es-PA"
    assert doc.paragraphs[2].text == "INFORME MENSUAL DE SEGUIMIENTO"
    assert any(p.text == "MARZO DE 2018" for p in doc.paragraphs[:5])


def test_docx_keeps_hostile_text_as_escaped_text(month: Month) -> None:
    with zipfile.ZipFile(month.out / "informe.docx") as package:
        xml = package.read("word/document.xml").decode("utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in xml
    assert "&lt;img src=x onerror=alert(1)&gt;" in xml
    assert "<script" not in xml and "<img" not in xml


def _png_pixels(png: bytes) -> tuple[int, int, bytes]:
    """Width, height and raw RGB(A)/grey samples of an 8-bit PNG (no palette)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    pos, idat, header = 8, b"", b""
    while pos < len(png):
        (length,) = struct.unpack(">I", png[pos : pos + 4])
        kind, body = png[pos + 4 : pos + 8], png[pos + 8 : pos + 8 + length]
        if kind == b"IHDR":
            header = body
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", header[:10])
    assert depth == 8 and colour in (0, 2, 6), (depth, colour)
    channels = {0: 1, 2: 3, 6: 4}[colour]
    stride = width * channels
    raw = zlib.decompress(idat)
    out = bytearray()
    previous = bytearray(stride)
    for y in range(height):
        kind = raw[y * (stride + 1)]
        line = bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)])
        for x in range(stride):
            left = line[x - channels] if x >= channels else 0
            up = previous[x]
            corner = previous[x - channels] if x >= channels else 0
            if kind == 1:
                line[x] = (line[x] + left) & 0xFF
            elif kind == 2:
                line[x] = (line[x] + up) & 0xFF
            elif kind == 3:
                line[x] = (line[x] + (left + up) // 2) & 0xFF
            elif kind == 4:
                p = left + up - corner
                pa, pb, pc = abs(p - left), abs(p - up), abs(p - corner)
                pred = left if pa <= pb and pa <= pc else up if pb <= pc else corner
                line[x] = (line[x] + pred) & 0xFF
        out += line
        previous = line
    return width, height, bytes(out)


def test_docx_converts_to_a_pdf_whose_first_page_is_not_blank(month: Month, tmp_path: Path) -> None:
    soffice = require_tool("soffice", "libreoffice-writer-nogui")
    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    subprocess.run(
        [
            soffice,
            f"-env:UserInstallation=file://{tmp_path}/lo",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path),
            str(month.out / "informe.docx"),
        ],
        check=True,
        capture_output=True,
        timeout=120,
    )
    pdf = tmp_path / "informe.pdf"
    assert pdf.read_bytes().startswith(b"%PDF")
    subprocess.run(
        [pdftoppm, "-png", "-r", "60", "-f", "1", "-l", "1", str(pdf), str(tmp_path / "page")],
        check=True,
        capture_output=True,
        timeout=120,
    )
    page = next(tmp_path.glob("page*.png"))
    width, height, pixels = _png_pixels(page.read_bytes())
    assert 480 <= width <= 500 and 690 <= height <= 710  # A4 at 60 dpi
    dark = sum(1 for value in pixels if value < 128)
    assert dark / len(pixels) > 0.01, "page 1 is blank"


# --- HTML and Markdown --------------------------------------------------------------------


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


SAFE_TAGS = {
    "html",
    "head",
    "meta",
    "title",
    "style",
    "body",
    "main",
    "header",
    "p",
    "h1",
    "h2",
    "h3",
    "dl",
    "dt",
    "dd",
    "table",
    "colgroup",
    "col",
    "thead",
    "tbody",
    "tr",
    "th",
    "td",
    "strong",
    "ul",
    "li",
    "figure",
    "img",
    "figcaption",
}


def test_html_escapes_plan_and_log_text(month: Month) -> None:
    html = (month.out / "informe.html").read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "<script" not in html.lower()
    assert not re.search(r"<[^<>]*onerror", html)
    parser = _Tags()
    parser.feed(html)
    assert {tag for tag, _attrs in parser.tags} <= SAFE_TAGS
    text = "".join(parser.text)
    assert BLOCKED_TITLE in text and HOSTILE_NOTE in text  # shown literally to the reader
    assert "ACTIVIDAD" in text and "COORDINACIONES" in text
    assert "<style>" in html and 'rel="stylesheet"' not in html  # self-contained


def test_markdown_table_rows_and_escaping(month: Month) -> None:
    md = (month.out / "informe.md").read_text(encoding="utf-8")
    lines = md.splitlines()
    head = lines.index("| ACTIVIDAD | ENTIDAD | INFORMACIÓN | FECHA |")
    assert lines[head + 1] == "| --- | --- | --- | --- |"
    rows = []
    for line in lines[head + 2 :]:
        if not line.startswith("|"):
            break
        rows.append(line)
    assert len(rows) == len(_expected_rows(month))
    for row in rows:
        cells = re.split(r"(?<!\\)\|", row)
        assert len(cells) == 6, row  # 4 cells between the outer pipes
    assert "Taller de consulta con actores clave \\| Área 3" in md
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in md
    assert "&lt;img src=x onerror=alert(1)&gt;" in md
    assert "<script" not in md and "<img" not in md
    assert "## COORDINACIONES" in md


def test_md_escape_defuses_markup() -> None:
    assert md_escape("a|b") == "a\\|b"
    assert md_escape("*x* _y_ `z` [l](u) ~s~") == "\\*x\\* \\_y\\_ \\`z\\` \\[l\\](u) \\~s\\~"
    assert md_escape("<b>&amp;") == "&lt;b&gt;&amp;amp;"
    assert md_escape("two\nlines") == "two lines"


# --- the Gantt chart, given or not ----------------------------------------------------------


def _tiny_png(width: int = 60, height: int = 20) -> bytes:
    def chunk(kind: bytes, body: bytes) -> bytes:
        crc = zlib.crc32(kind + body) & 0xFFFFFFFF
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", crc)

    rows = b"".join(b"\x00" + bytes((200, 40, 40)) * width for _ in range(height))
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0))
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def test_gantt_png_is_embedded_in_docx_and_html(month: Month, tmp_path: Path) -> None:
    png = _tiny_png()
    docx_path = write_report(month.data, date(2018, 3, 1), tmp_path / "g.docx", gantt_png=png)
    with zipfile.ZipFile(docx_path) as package:
        media = [n for n in package.namelist() if n.startswith("word/media/")]
        assert [package.read(n) for n in media] == [png]
        types = package.read("[Content_Types].xml").decode()
        assert "image/png" in types
    doc = Document(str(docx_path))
    assert doc.inline_shapes and len(doc.inline_shapes) == 1
    assert doc.sections[-1].page_width > doc.sections[-1].page_height  # a wide chart: landscape
    html_path = write_report(month.data, date(2018, 3, 1), tmp_path / "g.html", gantt_png=png)
    html = html_path.read_text(encoding="utf-8")
    assert f'src="data:image/png;base64,{base64.b64encode(png).decode()}"' in html
    md_path = write_report(month.data, date(2018, 3, 1), tmp_path / "g.md", gantt_png=png)
    assert "data:image" not in md_path.read_text(encoding="utf-8")


def test_without_a_gantt_there_is_no_image(month: Month) -> None:
    with zipfile.ZipFile(month.out / "informe.docx") as package:
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
    assert "data:image" not in (month.out / "informe.html").read_text(encoding="utf-8")


def test_a_gantt_that_is_not_a_png_is_refused(month: Month, tmp_path: Path) -> None:
    with pytest.raises(ExportError):
        write_report(month.data, date(2018, 3, 1), tmp_path / "x.docx", gantt_png=b"GIF89a")
    assert not (tmp_path / "x.docx").exists()


def test_cli_embeds_the_gantt_or_says_in_one_line_why_not(month: Month, tmp_path: Path) -> None:
    out = tmp_path / "con-gantt.docx"
    result = _run_cli("report", "--month", "2018-03", "--db", month.url, "-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    with zipfile.ZipFile(out) as package:
        embedded = any(n.startswith("word/media/") for n in package.namelist())
    if not embedded:
        warning = result.stderr.strip().splitlines()
        assert len(warning) == 1, result.stderr
        assert warning[0].startswith("aviso: no se pudo incluir el diagrama de Gantt")


def test_default_output_is_dated_by_the_months_last_day(month: Month, tmp_path: Path) -> None:
    result = _run_cli("report", "--month", "2018-02", "--db", month.url, "--no-gantt", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(Path("exports") / "informe-2018-02-28.docx")
    doc = Document(str(tmp_path / "exports" / "informe-2018-02-28.docx"))
    body = [[c.text for c in row.cells] for row in doc.tables[0].rows[1:]]
    assert [r[2] for r in body] == [
        "Iniciada",
        "Entregable remitido. Evidencia: feb/4.2.1-P1.pdf",
        "Publicación en Twitter. Cuenta para: "
        "Postear en redes sociales (Facebook, twitter, Instagram).",
    ]


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--month", "2018-3"), "mes inválido '2018-3' (se espera AAAA-MM)"),
        (("--month", "2018-13"), "mes inválido '2018-13' (se espera AAAA-MM)"),
        (("--month", "marzo"), "mes inválido 'marzo' (se espera AAAA-MM)"),
        (("--month", "2019-01"), "2019-01 está fuera del período del plan"),
        (("--month", "2017-12"), "2017-12 está fuera del período del plan"),
        (("--month", "2018-03", "-o", "informe.pdf"), "formato de informe desconocido '.pdf'"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    month: Month,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    message: str,
) -> None:
    from tracker.cli import main

    monkeypatch.chdir(tmp_path)
    argv = ["--lang", "es", "report", *args, "--db", month.url, "--no-gantt"]
    try:
        code = main(argv)
    except SystemExit as exit_:  # argparse's own errors
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    assert code == 2
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1, captured.err
    assert message in lines[0]
    assert captured.out == ""
    assert not list(tmp_path.iterdir())  # nothing written, not even exports/


def _fake_gantt(monkeypatch: pytest.MonkeyPatch, render: Callable[..., bytes]) -> None:
    import types

    module = types.ModuleType("tracker.exporters.gantt.render")
    module.render_png_bytes = render  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tracker.exporters.gantt.render", module)


def _main(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    from tracker.cli import main

    code = main(["--lang", "es", *argv])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_cli_embeds_the_chart_the_gantt_exporter_draws(
    month: Month,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    png = _tiny_png()
    calls: list[tuple[ExportData, str]] = []

    def render(data: ExportData, paper: str = "carta", dpi: int = 300) -> bytes:
        calls.append((data, paper))
        return png

    _fake_gantt(monkeypatch, render)
    out = tmp_path / "r.html"
    code, stdout, stderr = _main(
        capsys, "report", "--month", "2018-03", "--db", month.url, "-o", str(out)
    )
    assert (code, stdout.strip(), stderr) == (0, str(out), "")
    assert [(d.as_of, paper) for d, paper in calls] == [(MONTH_END, "carta")]
    assert base64.b64encode(png).decode() in out.read_text(encoding="utf-8")


def test_cli_without_chromium_writes_the_report_and_warns_once(
    month: Month,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    def render(data: ExportData, paper: str = "carta", dpi: int = 300) -> bytes:
        raise ExportError("no se encontró Chromium para dibujar el diagrama")

    _fake_gantt(monkeypatch, render)
    out = tmp_path / "r.docx"
    code, stdout, stderr = _main(
        capsys, "report", "--month", "2018-03", "--db", month.url, "-o", str(out)
    )
    assert (code, stdout.strip()) == (0, str(out))
    assert stderr.splitlines() == [
        "aviso: no se pudo incluir el diagrama de Gantt en el informe: "
        "no se encontró Chromium para dibujar el diagrama"
    ]
    with zipfile.ZipFile(out) as package:
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
    assert Document(str(out)).tables[0].rows[0].cells[0].text == "ACTIVIDAD"
