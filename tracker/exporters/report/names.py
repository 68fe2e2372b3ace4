"""Who and which organisation, as the reader knows them: people by the full name the plan's
team lists, organisations by the plan's canonical name, never a login or a cell's spelling."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

from tracker.plan.model import Item, Plan
from tracker.plan.organisations import OrganisationIndex

_USER_NAME = re.compile(r"[^\W\d_]+(?:[._][^\W\d_]+)+")
# The words a direction of the municipality carries after its name in the plan's cells.
_MUNICIPAL_SUFFIX = re.compile(r"[\s\-–(]*\b(MUPA|Alcald[ií]a de Panam[aá])\b[)\s.]*$", re.I)
# Roles whose holder follows up and validates a product (the plan's own words).
VALIDATING_ROLES = ("seguimiento y validación", "valida", "supervisa", "revisa", "seguimiento")
LEADING_ROLES = ("lidera", "entrega")


def fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def plan_team(plan: Plan) -> list[str]:
    """The plan's team ("Name Surname, role"). A plan read back from the database may come
    without it; then it is read from the plan file the database was loaded from, when that
    file is still there and is the same plan."""
    if plan.meta.team:
        return list(plan.meta.team)
    from pathlib import Path

    import yaml

    path = Path(plan.path) if plan.path else None
    if path is None or not path.is_file():
        return []
    try:
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        document = yaml.load(path.read_text(encoding="utf-8"), Loader=loader)
    except (OSError, yaml.YAMLError):
        return []
    header = document.get("plan") if isinstance(document, dict) else None
    if not isinstance(header, dict) or header.get("id") != plan.meta.id:
        return []
    team = header.get("team") or []
    return [str(m) for m in team] if isinstance(team, list) else []


class Names:
    """Full names of people and canonical names of organisations for one plan."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.team = [m.split(",")[0].strip() for m in plan_team(plan) if m.strip()]
        self._index = OrganisationIndex(plan)
        self._cache: dict[str, str] = {}

    def person(self, author: str) -> str:
        """Who a recorded author stands for: the plan's team member (``plashka.meade`` →
        Plashka Meade Webster), else a user name ``first.last`` as words, else as recorded."""
        tokens = [t for t in re.split(r"[._\-\s]+", fold(author)) if t]
        if tokens:
            for name in self.team:
                words = set(fold(name).split())
                if all(t in words for t in tokens):
                    return name
        if _USER_NAME.fullmatch(author):
            return " ".join(part.capitalize() for part in re.split(r"[._]", author))
        return author.strip()

    def organisation(self, written: str) -> str:
        """The canonical name of the organisation ``written`` names."""
        cached = self._cache.get(written)
        if cached is None:
            cached = self._cache[written] = self._canonical(written)
        return cached

    def _canonical(self, written: str) -> str:
        text = " ".join(written.split()).strip(" .,;")
        # The plan's canonical organisations (tracker.plan.organisations.canonical_name)
        # when this version of the plan module has them; else the acronym table below.
        from tracker.plan import organisations

        canonical = getattr(organisations, "canonical_name", None)
        if canonical is not None:
            return str(canonical(self.plan, text))
        found = self._index.resolve(text)
        # A whole name that is one entry of the acronym table reads as that entry's name.
        if len(found) == 1 and fold(text) in {
            fold(w) for w in (found[0].name, found[0].acronym, *found[0].aliases)
        }:
            return found[0].name.rstrip(".")
        bare = _MUNICIPAL_SUFFIX.sub("", text).strip(" .,;-–")
        if fold(bare) in ("resiliencia", "direccion resiliencia"):
            return "Dirección de Resiliencia"
        if bare and bare != text:
            return bare
        compact = re.sub(r"\W+", "", fold(text))
        if len(found) == 1 and any(
            w and compact.startswith(re.sub(r"\W+", "", fold(w)))
            for w in (found[0].acronym, *found[0].aliases)
        ):
            return found[0].name.rstrip(".")  # "100CR SDU", "100 RC-SDU": the programme's unit
        return text

    def organisations(self, written: Iterable[str]) -> list[str]:
        """Canonical names, each once, in order; a cell naming several is split on commas."""
        out: list[str] = []
        for cell in written:
            for part in re.split(r"\s*[,;/]\s*|\s+y\s+", cell):
                if part.strip(" .,;()"):
                    name = self.organisation(part)
                    if name not in out:
                        out.append(name)
        return out

    def role_holders(self, item: Item | None, roles: Iterable[str]) -> list[str]:
        if item is None:
            return []
        wanted = {fold(r) for r in roles}
        return self.organisations(r.who for r in item.roles if fold(r.role) in wanted)

    def office(self) -> str:
        """The plan's own organisation (the Dirección), by its canonical name."""
        return self.organisation(self.plan.meta.organisation.split(" - ")[0])
