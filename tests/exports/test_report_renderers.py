"""The report's renderers lay out blocks and never let plan or log text become markup."""

from __future__ import annotations

import io
from datetime import date

from docx import Document

from tracker.exporters.report.blocks import (
    Bullets,
    Callout,
    Heading,
    MonthReport,
    Paragraph,
    Table,
    TitleBlock,
)
from tracker.exporters.report.docx import render_docx
from tracker.exporters.report.html import render_html
from tracker.exporters.report.md import render_markdown

HOSTILE = "<script>alert(1)</script> | *x* [y](z)"


def report() -> MonthReport:
    r = MonthReport(
        "p", date(2018, 3, 1), date(2018, 3, 31), date(2018, 3, 31), "T", "Dirección", "S", "K"
    )
    r.blocks += [
        TitleBlock("Dirección", "Programa", "INFORME", "MARZO", HOSTILE, (("Para", HOSTILE),)),
        Callout("summary", "Resumen", (((HOSTILE, True),), (("• ", False), (HOSTILE, False)))),
        Heading(HOSTILE),
        Table("activities", ("A", "B"), ((HOSTILE, ((HOSTILE, True),)),), (1.0, 1.0)),
        Bullets((((HOSTILE, False),),)),
        Paragraph(((HOSTILE, False),)),
    ]
    r.annex += [Heading("Anexo"), Paragraph((("annex text", False),))]
    return r


def test_html_escapes_and_marks_the_annex_page() -> None:
    html = render_html(report())
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert (
        html.index('class="callout summary"')
        < html.index('class="annex"')
        < html.index("annex text")
    )


def test_markdown_escapes_every_piece() -> None:
    md = render_markdown(report())
    assert "<script>" not in md and "\\|" in md and "\\*x\\*" in md and "\\[y\\]" in md


def test_docx_keeps_text_as_text_and_sets_metadata() -> None:
    doc = Document(io.BytesIO(render_docx(report())))
    texts = [p.text for p in doc.paragraphs] + [
        c.text for t in doc.tables for row in t.rows for c in row.cells
    ]
    assert sum(HOSTILE in t for t in texts) >= 5
    assert doc.core_properties.subject == "S" and doc.core_properties.author == "Dirección"
    section = doc.sections[0]
    assert round(section.page_width.mm) == 216 and round(section.page_height.mm) == 279
