"""The monthly report as a Word document: carta (Letter), real tables with repeating header rows.

python-docx writes every piece of text as a text node, so text from the plan or the log is
inert here by construction.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

from tracker.exporters.report.blocks import (
    Block,
    Bullets,
    Callout,
    Cell,
    Heading,
    Image,
    MonthReport,
    PageBreak,
    Paragraph,
    Span,
    Table,
    TitleBlock,
)
from tracker.i18n import _, month_label

FONT = "Arial"
ACCENT = "1F4E79"  # dark blue: headings and table headers
HEADER_TEXT = "FFFFFF"
TONE_FILL = {"ok": "E2EFDA", "warn": "FFF2CC", "bad": "F8CBAD", "total": "EDEDED"}
CALLOUT_FILL = "EEF3F8"
MUTED = "6B6B6B"
PAGE = (215.9, 279.4)  # carta (US Letter), the paper Panama prints on, mm
MARGIN = 17.0


def render_docx(report: MonthReport) -> bytes:
    from docx import Document

    doc = Document()
    _styles(doc, report.language)
    section = doc.sections[0]
    _page(section, landscape=False)
    _footer(section, report)
    blocks = report.all_blocks()
    for index, block in enumerate(blocks):
        following = blocks[index + 1] if index + 1 < len(blocks) else None
        if (
            isinstance(block, Heading)
            and isinstance(following, Image)
            and following.width_px > following.height_px
        ):
            from docx.enum.section import WD_SECTION

            _page(doc.add_section(WD_SECTION.NEW_PAGE), landscape=True)
        _block(doc, block)
    props = doc.core_properties
    props.title = report.title
    props.author = report.author
    props.last_modified_by = report.author
    props.subject = report.subject
    props.keywords = report.keywords
    props.comments = report.subject
    props.category = _("Monthly report")
    props.language = "es-PA" if report.language == "es" else "en-US"
    now = datetime.now(UTC).replace(microsecond=0, tzinfo=None)
    props.created = now
    props.modified = now
    props.revision = 1
    out = io.BytesIO()
    doc.save(out)
    return out.getvalue()


# --- page and styles ------------------------------------------------------------------------


def _page(section: Any, *, landscape: bool) -> None:
    from docx.enum.section import WD_ORIENT
    from docx.shared import Mm

    width, height = PAGE
    if landscape:
        width, height = height, width
    section.orientation = WD_ORIENT.LANDSCAPE if landscape else WD_ORIENT.PORTRAIT
    section.page_width = Mm(width)
    section.page_height = Mm(height)
    section.left_margin = section.right_margin = Mm(MARGIN)
    section.top_margin = Mm(15)
    section.bottom_margin = Mm(16)
    section.footer_distance = Mm(8)


def _text_width(doc: Any) -> float:
    section = doc.sections[-1]
    return float(section.page_width.mm - section.left_margin.mm - section.right_margin.mm)


def _text_height(doc: Any) -> float:
    section = doc.sections[-1]
    return float(section.page_height.mm - section.top_margin.mm - section.bottom_margin.mm)


def _set_font(style: Any, name: str, lang: str | None = None) -> None:
    """Set the style's font everywhere Word looks (theme fonts would override it)."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    style.font.name = name
    rpr = style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.append(fonts)
    for attr in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
        fonts.attrib.pop(qn(attr), None)
    for attr in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attr), name)
    if lang:
        element = rpr.find(qn("w:lang"))
        if element is None:
            element = OxmlElement("w:lang")
            rpr.append(element)
        element.set(qn("w:val"), lang)


def _styles(doc: Any, language: str) -> None:
    from docx.shared import Pt, RGBColor

    lang = "es-PA" if language == "es" else "en-US"
    normal = doc.styles["Normal"]
    _set_font(normal, FONT, lang)
    normal.font.size = Pt(10)
    normal.paragraph_format.space_after = Pt(4)
    normal.paragraph_format.line_spacing = 1.1
    for name, size, before in (("Heading 1", 12, 10), ("Heading 2", 11, 8)):
        style = doc.styles[name]
        _set_font(style, FONT)
        style.font.size = Pt(size)
        style.font.bold = True
        style.font.color.rgb = RGBColor.from_string(ACCENT)
        style.paragraph_format.space_before = Pt(before)
        style.paragraph_format.space_after = Pt(6)
        style.paragraph_format.keep_with_next = True
    title = doc.styles["Title"]
    _set_font(title, FONT)
    title.font.size = Pt(16)
    title.font.bold = True
    title.font.color.rgb = RGBColor.from_string(ACCENT)
    title.paragraph_format.space_after = Pt(2)
    bullet = doc.styles["List Bullet"]
    _set_font(bullet, FONT)
    bullet.font.size = Pt(10)
    bullet.paragraph_format.space_after = Pt(3)
    caption = doc.styles["Caption"]
    _set_font(caption, FONT)
    caption.font.size = Pt(8.5)
    caption.font.color.rgb = RGBColor.from_string(MUTED)


def _footer(section: Any, report: MonthReport) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt, RGBColor

    paragraph = section.footer.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    text = _("{organisation} · Monthly report, {month} · Page ").format(
        organisation=report.author, month=month_label(report.month_start)
    )
    runs = [paragraph.add_run(text)]
    runs += _field(paragraph, "PAGE")
    runs.append(paragraph.add_run(" " + _("of") + " "))
    runs += _field(paragraph, "NUMPAGES")
    for run in runs:
        run.font.size = Pt(8)
        run.font.color.rgb = RGBColor.from_string(MUTED)


def _field(paragraph: Any, instruction: str) -> list[Any]:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    runs = []
    for kind in ("begin", "instr", "separate", "text", "end"):
        run = paragraph.add_run()
        if kind == "instr":
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = f" {instruction} "
        elif kind == "text":
            element = OxmlElement("w:t")
            element.text = "1"
        else:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        run._r.append(element)
        runs.append(run)
    return runs


# --- blocks ---------------------------------------------------------------------------------


def _block(doc: Any, block: Block) -> None:
    if isinstance(block, TitleBlock):
        _title(doc, block)
    elif isinstance(block, Heading):
        doc.add_heading(block.text, level=block.level)
    elif isinstance(block, Paragraph):
        _paragraph(doc.add_paragraph(), block.spans, muted=block.muted)
    elif isinstance(block, Bullets):
        for spans in block.items:
            _paragraph(doc.add_paragraph(style="List Bullet"), spans)
    elif isinstance(block, Table):
        _table(doc, block)
    elif isinstance(block, Image):
        _image(doc, block)
    elif isinstance(block, Callout):
        _callout(doc, block)
    elif isinstance(block, PageBreak):
        from docx.enum.text import WD_BREAK

        doc.add_paragraph().add_run().add_break(WD_BREAK.PAGE)


def _callout(doc: Any, block: Callout) -> None:
    """A one-cell shaded table: the summary the Despacho reads first."""
    from docx.shared import Mm, Pt, RGBColor

    table = doc.add_table(rows=1, cols=1)
    table.autofit = False
    cell = table.rows[0].cells[0]
    cell.width = Mm(_text_width(doc))
    _shade(cell, CALLOUT_FILL)
    title = cell.paragraphs[0]
    run = title.add_run(block.title.upper())
    run.bold = True
    run.font.size = Pt(10)
    run.font.color.rgb = RGBColor.from_string(ACCENT)
    title.paragraph_format.space_after = Pt(3)
    for spans in block.lines:
        paragraph = cell.add_paragraph()
        paragraph.paragraph_format.space_after = Pt(2)
        if spans and spans[0][0] == "• ":
            paragraph.paragraph_format.left_indent = Mm(5)
            paragraph.paragraph_format.first_line_indent = Mm(-3)
        _paragraph(paragraph, spans, size=9.5)
    after = doc.add_paragraph()
    after.paragraph_format.space_after = Pt(0)


def _paragraph(
    paragraph: Any, spans: tuple[Span, ...], *, muted: bool = False, size: float | None = None
) -> Any:
    from docx.shared import Pt, RGBColor

    for text, bold in spans:
        run = paragraph.add_run(text)
        run.bold = bold or None
        if muted:
            run.italic = True
            run.font.color.rgb = RGBColor.from_string(MUTED)
        if size:
            run.font.size = Pt(size)
    return paragraph


def _title(doc: Any, block: TitleBlock) -> None:
    from docx.shared import Mm, Pt, RGBColor

    organisation = doc.add_paragraph()
    run = organisation.add_run(block.organisation.upper())
    run.bold = True
    run.font.size = Pt(11)
    run.font.color.rgb = RGBColor.from_string(ACCENT)
    organisation.paragraph_format.space_after = Pt(0)
    if block.program:
        program = doc.add_paragraph()
        run = program.add_run(block.program)
        run.font.size = Pt(9)
        run.font.color.rgb = RGBColor.from_string(MUTED)
        program.paragraph_format.space_after = Pt(6)
    doc.add_paragraph(block.title, style="Title")
    month = doc.add_paragraph()
    run = month.add_run(block.month)
    run.bold = True
    run.font.size = Pt(13)
    month.paragraph_format.space_after = Pt(2)
    plan = doc.add_paragraph()
    run = plan.add_run(block.plan)
    run.italic = True
    run.font.size = Pt(9.5)
    plan.paragraph_format.space_after = Pt(8)
    # Label, tab, value; wrapped values align under the value (a hanging indent).
    indent = Mm(44)
    for label, value in block.facts:
        fact = doc.add_paragraph()
        fact.paragraph_format.tab_stops.add_tab_stop(indent)
        fact.paragraph_format.left_indent = indent
        fact.paragraph_format.first_line_indent = -indent
        fact.paragraph_format.space_after = Pt(1)
        run = fact.add_run(label + ":")
        run.bold = True
        run.font.size = Pt(9.5)
        run = fact.add_run("\t" + value)
        run.font.size = Pt(9.5)
    spacer = doc.add_paragraph()
    spacer.paragraph_format.space_after = Pt(2)


def _shade(cell: Any, fill: str) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    tcpr = cell._tc.get_or_add_tcPr()
    shading = OxmlElement("w:shd")
    shading.set(qn("w:val"), "clear")
    shading.set(qn("w:color"), "auto")
    shading.set(qn("w:fill"), fill)
    tcpr.append(shading)


def _cell_margins(table: Any, mm: float) -> None:
    """Narrow left and right cell margins, so dates fit their column on one line."""
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    margins = OxmlElement("w:tblCellMar")
    for side in ("left", "right"):
        element = OxmlElement(f"w:{side}")
        element.set(qn("w:w"), str(round(mm / 25.4 * 1440)))
        element.set(qn("w:type"), "dxa")
        margins.append(element)
    tblpr = table._tbl.tblPr
    look = tblpr.find(qn("w:tblLook"))  # the schema wants tblCellMar before tblLook
    if look is None:
        tblpr.append(margins)
    else:
        look.addprevious(margins)


def _row_flags(row: Any, *, header: bool) -> None:
    from docx.oxml import OxmlElement
    from docx.oxml.ns import qn

    trpr = row._tr.get_or_add_trPr()
    cant_split = OxmlElement("w:cantSplit")
    cant_split.set(qn("w:val"), "true")
    trpr.append(cant_split)
    if header:
        repeat = OxmlElement("w:tblHeader")
        repeat.set(qn("w:val"), "true")
        trpr.append(repeat)


def _table(doc: Any, block: Table) -> None:
    from docx.enum.table import WD_TABLE_ALIGNMENT
    from docx.shared import Mm, Pt, RGBColor

    scale = _text_width(doc) / sum(block.widths)
    widths = [Mm(w * scale) for w in block.widths]
    table = doc.add_table(rows=1, cols=len(block.headers))
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table, 1.3)
    header = table.rows[0]
    _row_flags(header, header=True)
    for cell, text, width in zip(header.cells, block.headers, widths, strict=True):
        cell.width = width
        _shade(cell, ACCENT)
        paragraph = cell.paragraphs[0]
        paragraph.paragraph_format.space_after = Pt(0)
        run = paragraph.add_run(text)
        run.bold = True
        run.font.size = Pt(7.5)
        run.font.color.rgb = RGBColor.from_string(HEADER_TEXT)
    for index, values in enumerate(block.rows):
        tone = block.tones[index] if index < len(block.tones) else ""
        row = table.add_row()
        _row_flags(row, header=False)
        for column, (cell, value, width) in enumerate(zip(row.cells, values, widths, strict=True)):
            cell.width = width
            paragraph = cell.paragraphs[0]
            paragraph.paragraph_format.space_after = Pt(0)
            toned = tone == "total" or bool(tone and column == block.tone_column)
            _cell(
                paragraph,
                value,
                bold=tone == "total",
                muted=toned and tone == "muted",
                size=8 if block.small else 8.5,
            )
            if toned and tone in TONE_FILL:
                _shade(cell, TONE_FILL[tone])
    for column, width in zip(table.columns, widths, strict=True):
        column.width = width
    after = doc.add_paragraph()
    after.paragraph_format.space_after = Pt(2)


def _cell(paragraph: Any, value: Cell, *, bold: bool, muted: bool, size: float = 9) -> None:
    from docx.shared import Pt, RGBColor

    spans: tuple[Span, ...] = ((value, False),) if isinstance(value, str) else value
    for text, strong in spans:
        run = paragraph.add_run(text)
        run.bold = (strong or bold) or None
        run.font.size = Pt(size)
        if muted:
            run.font.color.rgb = RGBColor.from_string(MUTED)


def _image(doc: Any, block: Image) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Mm

    max_width = _text_width(doc)
    max_height = _text_height(doc) - 30  # the heading and the caption share the page
    ratio = block.height_px / block.width_px if block.width_px else 1.0
    # Printed at the resolution it was drawn for (so its 8-pt text stays 8 pt), unless
    # that is larger than the page.
    natural = block.width_px / block.dpi * 25.4 if block.dpi else max_width
    width = min(max_width, natural, max_height / ratio if ratio else max_width)
    doc.add_picture(io.BytesIO(block.png), width=Mm(width))
    doc.paragraphs[-1].alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_paragraph(block.caption, style="Caption")
