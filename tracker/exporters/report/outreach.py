"""The month's communication activities as a reader counts them: each logged activity is one
action, whatever its quantity; the quantities (200 T-shirts handed out in one activity) are
told apart, in words, by what was counted."""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from tracker.i18n import _
from tracker.plan.model import CommunicationTarget


@dataclass(frozen=True, slots=True)
class Outreach:
    actions: int
    quantities: tuple[tuple[str, int], ...]  # (what was counted, how many), first seen first


def tally(
    activities: Iterable[Mapping[str, Any]], targets: Mapping[str, CommunicationTarget]
) -> Outreach:
    """Activities counted once each; those logging more than one unit add their quantity to
    what their first target counts (its item, e.g. «folletos»; else its action)."""
    actions = 0
    quantities: dict[str, int] = {}
    for activity in activities:
        actions += 1
        quantity = int(str(activity.get("quantity") or 1))
        if quantity <= 1:
            continue
        counted = [str(t) for t in activity.get("targets") or []]
        target = targets.get(counted[0]) if counted else None
        what = _what(target, str(activity.get("title") or ""))
        quantities[what] = quantities.get(what, 0) + quantity
    return Outreach(actions, tuple(quantities.items()))


def _what(target: CommunicationTarget | None, title: str) -> str:
    if target is not None and target.item:
        return " ".join(target.item.split())
    if target is not None:
        return " ".join(target.action.split()).rstrip(".")
    return " ".join(title.split()).rstrip(".") or _("units")


def actions_words(count: int) -> str:
    return _("1 action") if count == 1 else _("{n} actions").format(n=count)


def quantities_words(quantities: Iterable[tuple[str, int]]) -> str:
    """``120 T-shirt, 500 folletos and 100 libretas``."""
    parts = [f"{n} {what}" for what, n in quantities]
    if len(parts) <= 1:
        return "".join(parts)
    return _("{first} and {last}").format(first=", ".join(parts[:-1]), last=parts[-1])
