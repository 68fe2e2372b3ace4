"""Where an item's dates come from: the source document, or our assumptions.

The source has no schedule (its annex G.1 is missing), so every date the tracker shows is
computed from durations, links and constraints; each of those says whether a sentence of the
document states it (``documento``) or the team assumed it (``supuesto``). An item's dates are
the document's only when everything that places it is.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from tracker.i18n import _
from tracker.plan.model import Item, ItemKind

DOCUMENT = "documento"
ASSUMED = "supuesto"


@dataclass(frozen=True, slots=True)
class LinkSource:
    id: str
    lag: int
    source: str
    note: str


@dataclass(slots=True)
class DateSources:
    """What places an item in time, and who says so."""

    duration: str  # documento | supuesto ("" for a milestone: it takes no time)
    links: list[LinkSource] = field(default_factory=list)
    not_before: str = ""  # supuesto when the item has one (the source gives no date)
    window: str = ""  # the source of its window of quarters, when it has one
    deadline: str = ""

    @property
    def from_document(self) -> bool:
        """True when nothing that places the item is assumed."""
        sources = [self.duration, self.not_before, self.window]
        sources += [link.source for link in self.links]
        sources += [ASSUMED for link in self.links if link.lag]  # lags are always ours
        return ASSUMED not in sources

    @property
    def code(self) -> str:
        """One short mark for tables: D (document), S (assumed) or D+S (some of each)."""
        sources = {self.duration, *(link.source for link in self.links)} - {""}
        if self.not_before or self.window == ASSUMED or any(link.lag for link in self.links):
            sources.add(ASSUMED)
        if sources == {DOCUMENT}:
            return "D"
        if DOCUMENT in sources:
            return "D+S"
        return "S"


def date_sources(item: Item) -> DateSources:
    return DateSources(
        "" if item.kind is ItemKind.MILESTONE else item.duration_source,
        [LinkSource(d.id, d.lag, d.source, d.note) for d in item.depends_on],
        ASSUMED if item.not_before is not None else "",
        item.window_source if item.quarters else "",
        ASSUMED if item.deadline is not None else "",
    )


def describe(item: Item) -> str:
    """One sentence for tooltips and detail panes: which of the item's dates are assumed."""
    sources = date_sources(item)
    assumed: list[str] = []
    if sources.duration == ASSUMED:
        assumed.append(_("duration"))
    links = [link.id for link in sources.links if link.source == ASSUMED]
    if links:
        assumed.append(_("links to {ids}").format(ids=", ".join(links)))
    lags = [link.id for link in sources.links if link.lag]
    if lags:
        assumed.append(_("lag after {ids}").format(ids=", ".join(lags)))
    if sources.not_before:
        assumed.append(_("not before {day}").format(day=item.not_before))
    if sources.window == ASSUMED:
        assumed.append(_("window {quarters}").format(quarters=", ".join(item.quarters)))
    stated = [link.id for link in sources.links if link.source == DOCUMENT]
    parts = []
    if assumed:
        parts.append(_("Assumed: {what}.").format(what="; ".join(assumed)))
    if stated:
        parts.append(_("From the document: links to {ids}.").format(ids=", ".join(stated)))
    elif not assumed:
        parts.append(_("Dates from the document."))
    return " ".join(parts)
