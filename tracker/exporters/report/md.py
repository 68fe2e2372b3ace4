"""The monthly report as Markdown (GitHub flavour): plan and log text is escaped so that it
can neither break a table (``|``), start emphasis or links, nor inject HTML."""

from __future__ import annotations

import re

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

_INLINE = re.compile(r"([\\`*_\[\]|~])")
_ORDERED = re.compile(r"^\d+(?=[.)])")


def md_escape(text: str) -> str:
    """Literal inline text in Markdown: one line, HTML characters as entities, and the
    characters of inline markup (``\\ ` * _ [ ] | ~``) backslash-escaped."""
    text = " ".join(text.split())
    text = text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")
    return _INLINE.sub(r"\\\1", text)


def _defuse(line: str) -> str:
    """Escape what would start a block at the start of a line: a heading, a list item."""
    if line[:1] in ("#", "+", "-", "="):
        return "\\" + line
    number = _ORDERED.match(line)
    if number is not None:
        return line[: number.end()] + "\\" + line[number.end() :]
    return line


def render_markdown(report: MonthReport) -> str:
    parts = [_block(block) for block in report.all_blocks() if not isinstance(block, Image)]
    return "\n\n".join(p for p in parts if p) + "\n"


def _spans(spans: tuple[Span, ...]) -> str:
    out = []
    for text, bold in spans:
        if bold and text.strip():
            lead = text[: len(text) - len(text.lstrip())]
            trail = text[len(text.rstrip()) :]
            out.append(f"{' ' if lead else ''}**{md_escape(text)}**{' ' if trail else ''}")
        else:
            escaped = md_escape(text)
            if escaped and text[:1].isspace():
                escaped = " " + escaped
            if escaped and text[-1:].isspace():
                escaped += " "
            out.append(escaped)
    return "".join(out).strip()


def _cell(value: Cell) -> str:
    return md_escape(value) if isinstance(value, str) else _spans(value)


def _block(block: Block) -> str:
    if isinstance(block, TitleBlock):
        lines = [
            f"# {md_escape(block.title)} — {md_escape(block.month)}",
            "",
            f"**{md_escape(block.organisation)}**"
            + (f" · {md_escape(block.program)}" if block.program else ""),
            "",
            f"*{md_escape(block.plan)}*",
            "",
        ]
        lines += [f"- **{md_escape(label)}:** {md_escape(value)}" for label, value in block.facts]
        return "\n".join(lines)
    if isinstance(block, Heading):
        return f"{'#' * min(block.level + 1, 6)} {md_escape(block.text)}"
    if isinstance(block, Callout):
        lines = [f"> **{md_escape(block.title)}**"]
        for spans in block.lines:
            if spans and spans[0][0] == "• ":
                lines.append(f"> - {_spans(spans[1:])}")
            else:
                lines.append(f"> {_defuse(_spans(spans))}")
        return "\n>\n".join(lines)
    if isinstance(block, PageBreak):
        return "---"
    if isinstance(block, Paragraph):
        text = _defuse(_spans(block.spans))
        return f"*{text}*" if block.muted and "**" not in text else text
    if isinstance(block, Bullets):
        return "\n".join(f"- {_defuse(_spans(spans))}" for spans in block.items)
    if isinstance(block, Table):
        head = "| " + " | ".join(md_escape(h) for h in block.headers) + " |"
        rule = "| " + " | ".join("---" for _h in block.headers) + " |"
        rows = []
        for index, values in enumerate(block.rows):
            tone = block.tones[index] if index < len(block.tones) else ""
            cells = [_cell(v) for v in values]
            if tone == "total":
                cells = [f"**{c}**" if c and not c.startswith("**") else c for c in cells]
            rows.append("| " + " | ".join(cells) + " |")
        return "\n".join([head, rule, *rows])
    return ""
