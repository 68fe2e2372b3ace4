"""The monthly report as one self-contained HTML file: CSS in the page, the Gantt chart as a
data: URI, and every piece of text escaped (plan and log text is never markup)."""

from __future__ import annotations

import base64
from html import escape

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

CSS = """
@page { size: letter; margin: 18mm 19mm; }
* { box-sizing: border-box; }
body { font-family: Arial, "Liberation Sans", "DejaVu Sans", Helvetica, sans-serif;
       font-size: 10pt; line-height: 1.35; color: #1a1a1a; background: #f3f4f6; margin: 0; }
main { max-width: 216mm; margin: 16px auto; background: #fff; padding: 18mm 19mm;
       box-shadow: 0 1px 4px rgba(0, 0, 0, .15); }
header.title { border-bottom: 2px solid #1f4e79; padding-bottom: 10px; margin-bottom: 14px; }
.org { color: #1f4e79; font-weight: bold; font-size: 11pt; text-transform: uppercase; margin: 0; }
.program { color: #6b6b6b; font-size: 9pt; margin: 0 0 14px; }
h1 { color: #1f4e79; font-size: 20pt; margin: 0 0 2px; }
.month { font-size: 15pt; font-weight: bold; margin: 0 0 2px; }
.plan { font-style: italic; font-size: 9.5pt; margin: 0 0 8px; }
dl.facts { display: grid; grid-template-columns: 44mm 1fr; gap: 1px 8px; margin: 0;
           font-size: 9.5pt; }
dl.facts dt { font-weight: bold; }
dl.facts dd { margin: 0; }
h2 { color: #1f4e79; font-size: 13pt; margin: 22px 0 8px; break-after: avoid; }
p { margin: 0 0 6px; }
p.muted { color: #6b6b6b; font-style: italic; }
table { width: 100%; border-collapse: collapse; table-layout: fixed; margin: 0 0 8px;
        font-size: 9pt; }
th { background: #1f4e79; color: #fff; text-align: left; font-size: 8.5pt; }
th, td { border: 1px solid #9aa5b1; padding: 3px 5px; vertical-align: top;
         overflow-wrap: anywhere; }
thead { display: table-header-group; }
tr { break-inside: avoid; }
tr.total td { font-weight: bold; background: #ededed; }
td.ok { background: #e2efda; }
td.warn { background: #fff2cc; }
td.bad { background: #f8cbad; }
td.muted { color: #6b6b6b; }
ul { margin: 0 0 8px; padding-left: 20px; }
li { margin-bottom: 3px; }
figure { margin: 8px 0; text-align: center; }
figure img { max-width: 100%; height: auto; border: 1px solid #d0d5db; }
figcaption { color: #6b6b6b; font-size: 8.5pt; margin-top: 4px; }
.callout { background: #eef3f8; border: 1px solid #9aa5b1; padding: 8px 12px; margin: 0 0 10px; }
.callout h2 { margin: 0 0 4px; font-size: 10pt; text-transform: uppercase; }
.callout p { margin: 0 0 3px; font-size: 9.5pt; }
.callout p.bullet { padding-left: 14px; text-indent: -8px; }
table.small { font-size: 8pt; }
hr.annex { break-before: page; border: 0; margin: 24px 0; border-top: 1px dashed #9aa5b1; }
@media print { body { background: #fff; } main { box-shadow: none; margin: 0; padding: 0; } }
"""


def render_html(report: MonthReport) -> str:
    body = "\n".join(_block(block) for block in report.all_blocks())
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(report.language)}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{escape(report.title)}</title>\n"
        f'<meta name="author" content="{escape(report.author)}">\n'
        f'<meta name="description" content="{escape(report.subject)}">\n'
        f"<style>{CSS}</style>\n</head>\n<body>\n<main>\n{body}\n</main>\n</body>\n</html>\n"
    )


def _spans(spans: tuple[Span, ...]) -> str:
    return "".join(f"<strong>{escape(t)}</strong>" if bold else escape(t) for t, bold in spans)


def _cell(value: Cell) -> str:
    return escape(value) if isinstance(value, str) else _spans(value)


def _block(block: Block) -> str:
    if isinstance(block, TitleBlock):
        facts = "".join(
            f"<dt>{escape(label)}:</dt><dd>{escape(value)}</dd>" for label, value in block.facts
        )
        program = f'<p class="program">{escape(block.program)}</p>' if block.program else ""
        return (
            '<header class="title">'
            f'<p class="org">{escape(block.organisation)}</p>{program}'
            f"<h1>{escape(block.title)}</h1>"
            f'<p class="month">{escape(block.month)}</p>'
            f'<p class="plan">{escape(block.plan)}</p>'
            f'<dl class="facts">{facts}</dl></header>'
        )
    if isinstance(block, Heading):
        level = min(block.level + 1, 6)
        return f"<h{level}>{escape(block.text)}</h{level}>"
    if isinstance(block, Paragraph):
        css = ' class="muted"' if block.muted else ""
        return f"<p{css}>{_spans(block.spans)}</p>"
    if isinstance(block, Bullets):
        items = "".join(f"<li>{_spans(spans)}</li>" for spans in block.items)
        return f"<ul>{items}</ul>"
    if isinstance(block, Table):
        return _table(block)
    if isinstance(block, Callout):
        lines = "".join(
            f'<p class="bullet">{_spans(spans)}</p>'
            if spans and spans[0][0] == "• "
            else f"<p>{_spans(spans)}</p>"
            for spans in block.lines
        )
        return (
            f'<section class="callout {escape(block.name)}"><h2>{escape(block.title)}</h2>'
            f"{lines}</section>"
        )
    if isinstance(block, PageBreak):
        return '<hr class="annex">'
    if isinstance(block, Image):
        data = base64.b64encode(block.png).decode("ascii")
        return (
            f'<figure><img src="data:image/png;base64,{data}" alt="{escape(block.caption)}">'
            f"<figcaption>{escape(block.caption)}</figcaption></figure>"
        )
    raise TypeError(block)  # pragma: no cover


def _table(block: Table) -> str:
    total = sum(block.widths)
    cols = "".join(f'<col style="width:{w / total * 100:.1f}%">' for w in block.widths)
    head = "".join(f"<th>{escape(h)}</th>" for h in block.headers)
    rows = []
    for index, values in enumerate(block.rows):
        tone = block.tones[index] if index < len(block.tones) else ""
        row_class = ' class="total"' if tone == "total" else ""
        cells = []
        for column, value in enumerate(values):
            css = (
                f' class="{tone}"'
                if tone and tone != "total" and column == block.tone_column
                else ""
            )
            cells.append(f"<td{css}>{_cell(value)}</td>")
        rows.append(f"<tr{row_class}>{''.join(cells)}</tr>")
    return (
        f'<table class="{escape(block.name)}{" small" if block.small else ""}">'
        f"<colgroup>{cols}</colgroup>"
        f"<thead><tr>{head}</tr></thead><tbody>{''.join(rows)}</tbody></table>"
    )
