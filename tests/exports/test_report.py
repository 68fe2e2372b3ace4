"""`tracker report --month`: the monthly report in the municipality's shape and length, read
back as its reader gets it (the DOCX through python-docx, and as LibreOffice prints it)."""

from __future__ import annotations

import base64
import re
import struct
import subprocess
import sys
import types
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest
from docx import Document

from tests.conftest import PLAN, require_tool
from tracker.demo.generate import AUTHORS
from tracker.errors import ExportError
from tracker.exporters.report.dates import fmt_date
from tracker.exporters.report.md import md_escape
from tracker.exporters.report.source import from_export_data
from tracker.exporters.report.write import write_report
from tracker.plan.load import load_plan
from tracker.schedule.passes import plan_calendar

from . import demo_fixture

MONTHS = (date(2018, 3, 1), date(2018, 4, 1))


@dataclass
class Demo:
    url: str
    out: Path


@pytest.fixture(autouse=True)
def spanish() -> Iterator[None]:
    from tracker import i18n

    before = i18n.current_language()
    i18n.set_language("es")
    yield
    i18n.set_language(before)


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> Demo:
    out = tmp_path_factory.mktemp("report")
    return Demo(demo_fixture.build(out), out)


def month_end(start: date) -> date:
    from tracker.exporters.report.dates import month_end as end

    return end(start)


def docx_for(demo: Demo, start: date, *, annex: bool = False) -> Path:
    path = demo.out / f"informe-{start:%Y-%m}{'-annex' if annex else ''}.docx"
    if not path.exists():
        data = demo_fixture.state(demo.url, month_end(start))
        write_report(from_export_data(data), start, path, annex=annex)
    return path


def all_text(path: Path) -> str:
    doc = Document(str(path))
    parts = [p.text for p in doc.paragraphs]
    for table in doc.tables:
        for row in table.rows:
            parts += [c.text for c in row.cells]
    return "\n".join(parts)


def pdf_of(docx: Path) -> Path:
    soffice = require_tool("soffice", "libreoffice-writer")
    pdf = docx.with_suffix(".pdf")
    if not pdf.exists():
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(docx.parent), str(docx)],
            check=True,
            capture_output=True,
            timeout=180,
        )
    return pdf


def pdf_pages(pdf: Path) -> list[str]:
    pdftotext = require_tool("pdftotext", "poppler-utils")
    text = subprocess.run(
        [pdftotext, "-layout", str(pdf), "-"], check=True, capture_output=True, text=True
    ).stdout
    return text.split("\f")[:-1] if text.endswith("\f") else text.split("\f")


@pytest.mark.parametrize("start", MONTHS, ids=["march", "april"])
def test_main_part_fits_three_carta_pages(demo: Demo, start: date) -> None:
    pdf = pdf_of(docx_for(demo, start))
    info = subprocess.run(
        [require_tool("pdfinfo", "poppler-utils"), str(pdf)],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert 1 <= pages <= 3, pages
    assert "612 x 792 pts" in info  # carta (Letter)


@pytest.mark.parametrize("start", MONTHS, ids=["march", "april"])
def test_page_one_summary_names_the_blocked_item_and_the_phase_end(demo: Demo, start: date) -> None:
    data = demo_fixture.state(demo.url, month_end(start))
    blocked = [i for i in data.forecast.items if i.status == "bloqueada"]
    assert blocked, "the demo has a blocked item"
    page_one = " ".join(pdf_pages(pdf_of(docx_for(demo, start)))[0].split())
    for item in blocked:
        assert item.key in page_one
        assert " ".join(item.reason.split())[:60] in page_one
    overall = data.forecast.overall
    assert fmt_date(overall.baseline_finish) in page_one
    assert fmt_date(overall.forecast_finish) in page_one
    days = plan_calendar(data.plan).working_days_between(
        overall.baseline_finish,  # type: ignore[arg-type]
        overall.forecast_finish,  # type: ignore[arg-type]
    )
    assert f"{abs(days)} días laborables" in page_one


def test_an_activity_is_one_action_whatever_its_quantity() -> None:
    from tracker.exporters.report.outreach import Outreach, actions_words, quantities_words, tally

    plan = load_plan(str(PLAN))
    assert plan.communication is not None
    targets = {t.id: t for t in plan.communication.targets}
    logged = [
        {"day": "2018-03-03", "targets": ["redes-posts"], "quantity": 1, "title": "Facebook"},
        {"day": "2018-03-06", "targets": ["promo-tshirts"], "quantity": 200, "title": "T-shirts"},
        {"day": "2018-03-06", "targets": ["promo-folletos"], "quantity": 300, "title": "Folletos"},
        {"day": "2018-03-15", "targets": ["promo-folletos", "redes-posts"], "quantity": 200},
        {"day": "2018-03-20", "targets": [], "quantity": None, "title": "Nota"},
    ]
    # By hand: five activities are five actions (not 1 + 200 + 300 + 200 + 1 = 702); the
    # units they logged are 200 T-shirts and 300 + 200 = 500 leaflets, named as the plan does.
    month = tally(logged, targets)
    assert month == Outreach(5, (("T-shirt", 200), ("folletos", 500)))
    assert actions_words(month.actions) == "5 acciones" and actions_words(1) == "1 acción"
    assert quantities_words(month.quantities) == "200 T-shirt y 500 folletos"
    assert tally(logged[:1], targets) == Outreach(1, ())


def test_summary_counts_the_months_activities_and_names_their_units(demo: Demo) -> None:
    data = demo_fixture.state(demo.url, month_end(MONTHS[0]))
    march = [a for a in data.activities if "2018-03-01" <= str(a["day"]) <= "2018-03-31"]
    units = sum(int(a["quantity"] or 1) for a in march)
    assert units > len(march) + 100  # the demo logs materials by the hundred
    page_one = " ".join(pdf_pages(pdf_of(docx_for(demo, MONTHS[0])))[0].split())
    assert f"Comunicación: {len(march)} acciones en el mes. Unidades registradas: " in page_one
    assert f"{units} acciones" not in page_one
    leaflets = sum(int(a["quantity"]) for a in march if a["targets"] == ["promo-folletos"])
    assert f"{leaflets} folletos" in page_one


@pytest.mark.parametrize("start", MONTHS, ids=["march", "april"])
def test_main_part_has_no_paths_codes_or_logins(demo: Demo, start: date) -> None:
    text = all_text(docx_for(demo, start))
    data = demo_fixture.state(demo.url, month_end(start))
    assert "ACTIVIDAD" in text and "COORDINACIONES" in text
    assert not re.search(r"[\w.-]+/[\w. -]+\.(pdf|docx|pptx?|xlsx)", text), "a file path"
    assert not re.search(r"\b\d+\.\d+\.\d+-P\d+\b", text), "a deliverable id"
    assert not re.search(r"Com\. n\.º|Comm\. #", text), "a log reference"
    for code in ("en_curso", "en_revision", "hojas-informativas"):
        assert code not in text
    for target in data.plan.communication.targets if data.plan.communication else []:
        assert target.id not in text or " " in target.id
    for login in AUTHORS:
        assert login not in text
    # Notes and records are attributed by the full name the plan's team lists.
    team = [m.split(",")[0] for m in load_plan(str(PLAN)).meta.team]
    assert any(name in text for name in team)
    assert "validado por la Mesa Técnica" not in text


def test_a_product_validated_then_delivered_is_one_row(demo: Demo) -> None:
    start = MONTHS[0]
    doc = Document(str(docx_for(demo, start)))
    [table] = [t for t in doc.tables if t.rows[0].cells[0].text == "ACTIVIDAD"]
    rows = [[c.text for c in r.cells] for r in table.rows[1:]]
    products = list(demo_fixture.state(demo.url, month_end(start)).plan.deliverables.values())
    both = [
        r
        for r in rows
        if r[0] in ("PRODUCTO VALIDADO Y ENTREGADO", "PRODUCTOS VALIDADOS Y ENTREGADOS")
    ]
    assert both, "March has products validated and delivered in the month"
    for kind, entity, info, day in rows:
        assert (entity or kind == "OTRAS ACTIVIDADES") and info and day
        assert "Instagram" not in entity and "Facebook" not in entity
        titles = re.findall(r"«([^»]+)»", info)
        if kind.startswith("PRODUCTO "):
            # One row per product: as many rows as the plan has products of that title.
            same = sum(" ".join(d.title.split()).rstrip(":;,.") == titles[0] for d in products)
            assert sum(f"«{titles[0]}»" in r[2] for r in rows) <= same, titles[0]
    assert len(rows) == len({tuple(r) for r in rows})


def test_annex_only_with_the_flag(demo: Demo) -> None:
    plain = all_text(docx_for(demo, MONTHS[0]))
    annexed = all_text(docx_for(demo, MONTHS[0], annex=True))
    assert "Anexo" not in plain and "Anexo" in annexed
    assert re.search(r"\d+\.\d+\.\d+-P\d+", annexed)  # the full change list names ids


def test_docx_metadata(demo: Demo) -> None:
    props = Document(str(docx_for(demo, MONTHS[0]))).core_properties
    assert "INFORME MENSUAL" in props.title and "marzo de 2018" in props.title
    assert props.author == "Dirección de Resiliencia (MUPA)"  # the canonical name
    assert "informe mensual" in props.subject.lower()
    for field in (props.title, props.author, props.subject, props.comments, props.keywords):
        assert "python-docx" not in (field or "")


def test_cli_writes_the_report_and_refuses_a_bad_format(demo: Demo) -> None:
    out = demo.out / "cli.md"
    code, stdout, _err = demo_fixture.cli(demo.url, "report", "--month", "2018-03", "-o", str(out))
    assert code == 0 and stdout.strip() == str(out)
    assert "COORDINATIONS" in out.read_text(encoding="utf-8")  # the CLI follows TRACKER_LANG
    code, _out, err = demo_fixture.cli(
        demo.url, "report", "--month", "2018-03", "-o", str(demo.out / "x.txt")
    )
    assert code == 2 and len(err.strip().splitlines()) == 1 and ".txt" in err


def test_md_escape_defuses_markup() -> None:
    assert md_escape("a|b *c* [d](e) <f>") == "a\\|b \\*c\\* \\[d\\](e) &lt;f&gt;"


def test_march_shows_nothing_of_april(demo: Demo) -> None:
    doc = Document(str(docx_for(demo, MONTHS[0])))
    [table] = [t for t in doc.tables if t.rows[0].cells[0].text == "ACTIVIDAD"]
    days = [r.cells[3].text for r in table.rows[1:]]
    assert days and all(d.endswith("de marzo") for d in days), days
    assert "abril" not in all_text(docx_for(demo, MONTHS[0])).split("COORDINACIONES")[1]


# --- the Gantt chart in the annex, given or not -----------------------------------------------


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


def test_gantt_png_goes_into_the_annex_only(demo: Demo, tmp_path: Path) -> None:
    png = _tiny_png()
    source = from_export_data(demo_fixture.state(demo.url, month_end(MONTHS[0])))
    path = write_report(
        source, MONTHS[0], tmp_path / "g.docx", annex=True, gantt_png=png, gantt_dpi=300
    )
    with zipfile.ZipFile(path) as package:
        assert [package.read(n) for n in package.namelist() if n.startswith("word/media/")] == [png]
    html = write_report(source, MONTHS[0], tmp_path / "g.html", annex=True, gantt_png=png)
    assert base64.b64encode(png).decode() in html.read_text(encoding="utf-8")
    plain = write_report(source, MONTHS[0], tmp_path / "p.docx", gantt_png=png)
    with zipfile.ZipFile(plain) as package:
        assert not [n for n in package.namelist() if n.startswith("word/media/")]
    with pytest.raises(ExportError):
        write_report(source, MONTHS[0], tmp_path / "x.docx", annex=True, gantt_png=b"GIF89a")
    assert not (tmp_path / "x.docx").exists()


class _FakePage:
    """What the report asks of the browser it opens before drawing: to be shut down, then
    closed."""

    def __init__(self, events: list[str]) -> None:
        self.events = events

    def shut_down(self) -> None:
        self.events.append("shut down")

    def __enter__(self) -> _FakePage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.events.append("closed")


def _fake_gantt(
    monkeypatch: pytest.MonkeyPatch, render: Callable[..., bytes], events: list[str] | None = None
) -> None:
    module = types.ModuleType("tracker.exporters.gantt.render")
    module.render_png_bytes = render  # type: ignore[attr-defined]
    module.open_page = lambda: _FakePage(events if events is not None else [])  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "tracker.exporters.gantt.render", module)


def test_cli_annex_embeds_the_300_dpi_summary_or_warns_once(
    demo: Demo, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    png = _tiny_png()
    calls: list[tuple[str, int]] = []
    events: list[str] = []

    def render(data: object, paper: str = "carta", dpi: int = 300, page: object = None) -> bytes:
        assert isinstance(page, _FakePage)  # drawn in the browser the command opened
        calls.append((paper, dpi))
        events.append("rendered")
        return png

    _fake_gantt(monkeypatch, render, events)
    out = tmp_path / "r.html"
    code, stdout, err = demo_fixture.cli(
        demo.url, "report", "--month", "2018-03", "--annex", "-o", str(out)
    )
    assert (code, stdout.strip(), err) == (0, str(out), "")
    assert calls == [("carta", 300)]
    assert events == ["rendered", "shut down", "closed"]
    assert base64.b64encode(png).decode() in out.read_text(encoding="utf-8")

    def broken(data: object, paper: str = "carta", dpi: int = 300, page: object = None) -> bytes:
        raise ExportError("no Chromium")

    _fake_gantt(monkeypatch, broken)
    out = tmp_path / "r.docx"
    code, stdout, err = demo_fixture.cli(
        demo.url, "report", "--month", "2018-03", "--annex", "-o", str(out)
    )
    assert code == 0 and len(err.strip().splitlines()) == 1 and "no Chromium" in err
    assert Document(str(out)).tables[1].rows[0].cells[0].text in ("ACTIVIDAD", "ACTIVITY")
