"""The RAG rules (rojo / ámbar / verde) that colour the brief's rows, and the reason in words.

The thresholds live in a settings file (``data/brief.yaml`` by default, or ``--rules FILE``)
so the team can change them without touching code; the README documents them:

- rojo: an item of the row is blocked (``red_if_blocked``); or the row's forecast end is more
  than ``red_slip_days`` working days after its baseline end; or a milestone is open past its
  baseline date.
- ámbar: the forecast end is more than ``amber_slip_days`` working days late (the slack the
  committee accepts); or an item is still open after its baseline finish; or a product of the
  row is not validated past its task's baseline finish (``amber_if_late_deliverables``); or a
  communication period closed unmet (``amber_if_missed_comms``, communication row).
- verde: none of the above.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from pathlib import Path
from typing import Any

from tracker.errors import InputError
from tracker.i18n import _

DEFAULT_RULES = Path(__file__).resolve().parents[3] / "data" / "brief.yaml"
RED, AMBER, GREEN = "rojo", "ambar", "verde"


@dataclass(frozen=True, slots=True)
class Rules:
    red_slip_days: int = 10
    amber_slip_days: int = 0
    red_if_blocked: bool = True
    amber_if_late_deliverables: bool = True
    amber_if_missed_comms: bool = True


@dataclass(frozen=True, slots=True)
class Rag:
    colour: str  # RED, AMBER or GREEN
    rule: str  # the rule that coloured it, in words
    reason: str  # what in the data met the rule


def load_rules(path: Path | None = None) -> Rules:
    """The rules in ``path`` (YAML, key ``rag:``); the defaults when the default file is
    missing. InputError naming the file and the key for anything it cannot read."""
    import yaml

    target = path or DEFAULT_RULES
    if path is None and not target.exists():
        return Rules()
    try:
        document: Any = yaml.safe_load(target.read_text(encoding="utf-8")) or {}
    except (OSError, yaml.YAMLError) as err:
        raise InputError(
            _("cannot read the brief rules {path}: {error}").format(path=target, error=err)
        ) from err
    section = document.get("rag", {}) if isinstance(document, dict) else None
    if not isinstance(section, dict):
        raise InputError(_("{path}: 'rag' must be a mapping").format(path=target))
    known = {f.name: f.type for f in fields(Rules)}
    values: dict[str, Any] = {}
    for key, value in section.items():
        if key not in known:
            raise InputError(_("{path}: unknown rule {key!r}").format(path=target, key=key))
        wanted = bool if known[key] in (bool, "bool") else int
        if not isinstance(value, wanted) or (wanted is int and isinstance(value, bool)):
            raise InputError(
                _("{path}: rule {key!r} must be {kind}").format(
                    path=target, key=key, kind="true/false" if wanted is bool else _("a number")
                )
            )
        values[key] = value
    return Rules(**values)
