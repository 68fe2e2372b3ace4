"""The pieces a report is made of, as plain data: the content words them, the renderers
(``docx``, ``html``, ``md``) lay them out. This module imports nothing of either side, so the
content sits below the renderers and no cycle can form between them."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

Span = tuple[str, bool]  # (text, bold)
Cell = str | tuple[Span, ...]


@dataclass(frozen=True, slots=True)
class TitleBlock:
    organisation: str
    program: str
    title: str  # "INFORME MENSUAL DE SEGUIMIENTO"
    month: str  # "MARZO DE 2018"
    plan: str
    facts: tuple[tuple[str, str], ...]  # ("Dirigido a", "Despacho ..."), ...


@dataclass(frozen=True, slots=True)
class Heading:
    text: str
    level: int = 1


@dataclass(frozen=True, slots=True)
class Paragraph:
    spans: tuple[Span, ...]
    muted: bool = False


@dataclass(frozen=True, slots=True)
class Callout:
    """A shaded box: the half-page summary for the Despacho on page 1."""

    name: str  # a stable id for writers and tests: "summary"
    title: str
    lines: tuple[tuple[Span, ...], ...]  # one paragraph each; a leading "• " marks a bullet


@dataclass(frozen=True, slots=True)
class Table:
    """A table with a header row. ``widths`` are relative; ``tones`` per row: "" plain,
    "total" (bold row), or a state colour ("ok", "warn", "bad", "muted") applied to the cell
    of ``tone_column``."""

    name: str  # a stable id for writers and tests: "activities", "progress" ...
    headers: tuple[str, ...]
    rows: tuple[tuple[Cell, ...], ...]
    widths: tuple[float, ...]
    tones: tuple[str, ...] = ()
    tone_column: int | None = None
    small: bool = False  # annex tables: a smaller type size


@dataclass(frozen=True, slots=True)
class Bullets:
    items: tuple[tuple[Span, ...], ...]


@dataclass(frozen=True, slots=True)
class Image:
    png: bytes
    caption: str
    width_px: int
    height_px: int
    dpi: int = 96  # the resolution it was drawn for: its printed size is px / dpi inches


@dataclass(frozen=True, slots=True)
class PageBreak:
    """Where the annex starts: always on a new page."""


Block = TitleBlock | Heading | Paragraph | Callout | Table | Bullets | Image | PageBreak


@dataclass(slots=True)
class MonthReport:
    """A worded report: the main part (``blocks``) and, when asked for, its ``annex``."""

    plan_key: str
    month_start: date
    month_end: date
    as_of: date
    title: str
    author: str
    subject: str
    keywords: str
    blocks: list[Block] = field(default_factory=list)
    annex: list[Block] = field(default_factory=list)
    language: str = "es"

    def all_blocks(self) -> list[Block]:
        """The main part, then the annex on a new page (when there is one)."""
        if not self.annex:
            return list(self.blocks)
        return [*self.blocks, PageBreak(), *self.annex]
