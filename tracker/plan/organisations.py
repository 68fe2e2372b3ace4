"""Organisation names as the plan writes them, resolved against its acronym table."""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from tracker.plan.model import Organisation, Plan


def _key(text: str) -> str:
    return re.sub(r"[\s\-–]+", " ", text).strip(" .,;:").casefold()


@dataclass(slots=True)
class Involvement:
    """Where one organisation (as written) appears: item id and the capacity."""

    name: str
    organisations: list[Organisation]
    places: list[tuple[str, str]] = field(default_factory=list)  # (item id, capacity)


class OrganisationIndex:
    """Resolves names such as ``100CR SDU``, ``DPU (Unidad del Agua)`` or ``FSU, UTP, UP``."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.by_key: dict[str, Organisation] = {}
        for org in plan.organisations:
            for written in (org.name, *org.aliases, org.acronym):
                self.by_key[_key(written)] = org
        self.longest = max((len(k.split()) for k in self.by_key), default=1)

    def resolve(self, name: str) -> list[Organisation]:
        """The acronym-table entries named in ``name`` (whole words), in order of appearance."""
        words = [w for w in re.split(r"[\s,;/()\-–.:]+", name) if w]
        if _key(name) in self.by_key:
            return [self.by_key[_key(name)]]
        found: list[Organisation] = []
        i = 0
        while i < len(words):
            for size in range(min(self.longest, len(words) - i), 0, -1):
                org = self.by_key.get(_key(" ".join(words[i : i + size])))
                if org is not None:
                    if org not in found:
                        found.append(org)
                    i += size
                    break
            else:
                i += 1
        return found

    def involvements(self) -> list[Involvement]:
        """Every name used in roles, working groups and allies, with the items it appears in."""
        table: dict[str, Involvement] = {}
        for item_id, capacity, name in self._mentions():
            key = _key(name)
            entry = table.get(key)
            if entry is None:
                entry = table[key] = Involvement(name.strip(" .,;"), self.resolve(name))
            if (item_id, capacity) not in entry.places:
                entry.places.append((item_id, capacity))
        return sorted(table.values(), key=lambda e: e.name.casefold())

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
