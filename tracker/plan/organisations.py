"""Organisations as entities: each once, with every way the source writes it.

``lookup`` / ``canonical_name`` are the one road from a name as written ("100 RC-SDU",
"Dirección Resiliencia MUPA") to its organisation; reports, the Gantt chart, the CLI filters
and the Actores screen go through them, so a name reads the same everywhere.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import lru_cache

from tracker.plan.model import Item, Organisation, Plan

_PUNCTUATION = re.compile(r"[\s\-–—.,;:()/\[\]'\"“”]+")


def name_key(text: str) -> str:
    """``text`` up to accents, case and punctuation: "100 RC-SDU" and "100RC SDU." differ
    only in spacing, so the key also drops spaces between a number and letters."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    words = _PUNCTUATION.sub(" ", plain).split()
    return " ".join(words)


def _compact(key: str) -> str:
    return key.replace(" ", "")


@lru_cache(maxsize=16)
def _table(organisations: tuple[Organisation, ...]) -> dict[str, Organisation]:
    table: dict[str, Organisation] = {}
    for org in organisations:
        for written in (org.name, org.acronym, *org.aliases):
            if written:
                table.setdefault(_compact(name_key(written)), org)
    return table


def lookup(plan: Plan, written: str) -> Organisation | None:
    """The organisation whose name, acronym or alias is ``written`` (up to accents, case,
    spacing and punctuation), or None."""
    return _table(tuple(plan.organisations)).get(_compact(name_key(written)))


def canonical_name(plan: Plan, written: str) -> str:
    """The canonical name of the organisation ``written`` names; ``written`` (trimmed) when
    the plan does not know it."""
    org = lookup(plan, written)
    return org.name.rstrip(".") if org is not None else " ".join(written.split()).strip(" .,;")


def matches(org: Organisation, needle: str) -> bool:
    """Whether ``needle`` (as a user types it) is in the organisation's name, acronym or any
    alias, up to accents, case and punctuation. ``--who`` filters use it."""
    key = name_key(needle)
    if not key:
        return False
    for written in (org.name, org.acronym, *org.aliases):
        if written and (key in name_key(written) or _compact(key) == _compact(name_key(written))):
            return True
    return False


@dataclass(slots=True)
class Involvement:
    """Where one organisation (or an unknown name, as written) appears: item id and capacity."""

    name: str  # the canonical name, or the name as written when the plan does not know it
    organisations: list[Organisation]
    places: list[tuple[str, str]] = field(default_factory=list)  # (item id, capacity)
    written: list[str] = field(default_factory=list)  # every spelling met in the plan
    entity: Organisation | None = None  # the organisation itself, when the name is one


class OrganisationIndex:
    """Resolves names such as ``100CR SDU``, ``DPU (Unidad del Agua)`` or ``FSU, UTP, UP``."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_key: dict[str, Organisation] = {}
        for org in plan.organisations:
            for written in (org.name, *org.aliases, org.acronym):
                if written:
                    self.by_key.setdefault(name_key(written), org)
        self.longest = max((len(k.split()) for k in self.by_key), default=1)
        self._short: dict[str, str] = {}

    def short(self, leads: str) -> str:
        """Leads as an item stores them ("Dirección de Resiliencia MUPA, DPU"), by the
        acronyms (else names) of the organisations the plan knows, each once; a part the
        plan does not know stays as written. The one way every view names an item's leads."""
        found = self._short.get(leads)
        if found is None:
            names: list[str] = []
            for part in leads.split(", "):
                orgs = self.resolve(part)
                names += [o.acronym or o.name for o in orgs] if orgs else [part]
            tidy = (" ".join(n.split()).strip(" .,;") for n in names)
            found = self._short[leads] = ", ".join(dict.fromkeys(n for n in tidy if n))
        return found

    def resolve(self, name: str) -> list[Organisation]:
        """The organisations named in ``name`` (whole words), in order of appearance."""
        whole = lookup(self.plan, name)
        if whole is not None:
            return [whole]
        words = name_key(name).split()
        found: list[Organisation] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                org = self.by_key.get(" ".join(words[i : i + size]))
                if org is not None:
                    if org not in found:
                        found.append(org)
                    i += size
                    break
            else:
                i += 1
        return found

    def involvements(self) -> list[Involvement]:
        """Every organisation (once, by canonical name) or unknown name used in roles,
        working groups and allies, with the items it appears in."""
        table: dict[str, Involvement] = {}
        for item_id, capacity, written in self._mentions():
            org = lookup(self.plan, written)
            if org is not None:
                key, name, orgs = "org:" + org.name, org.name.rstrip("."), [org]
            else:
                name = " ".join(written.split()).strip(" .,;")
                key, orgs = "name:" + name_key(name), self.resolve(written)
            entry = table.get(key)
            if entry is None:
                entry = table[key] = Involvement(name, orgs, entity=org)
            if (item_id, capacity) not in entry.places:
                entry.places.append((item_id, capacity))
            spelled = written.strip()
            if spelled not in entry.written:
                entry.written.append(spelled)
        return sorted(table.values(), key=lambda e: name_key(e.name))

    def _mentions(self) -> Iterator[tuple[str, str, str]]:
        for item in self.plan.items.values():
            for role in item.roles:
                yield item.id, role.role, role.who
            for name in item.working_group:
                yield item.id, "grupo de trabajo", name
            for name in item.allies:
                yield item.id, "aliado", name
        for deliverable in self.plan.deliverables.values():
            for role in deliverable.roles:
                yield deliverable.id, role.role, role.who


def involves(plan: Plan, item: Item, who: str) -> bool:
    """Whether ``who`` (a name, acronym or any alias, as a user types it) takes part in
    ``item``: in a role, its working group or its allies. The ``--who`` filters use it."""
    needle = name_key(who)
    for written in (*(r.who for r in item.roles), *item.working_group, *item.allies):
        if needle and needle in name_key(written):
            return True
        org = lookup(plan, written)
        if org is not None and matches(org, who):
            return True
    return False
