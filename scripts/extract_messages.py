#!/usr/bin/env python3
"""Collect every ``_("...")`` and ``N_("...")`` message of tracker/ and tui/ into es.po.

Existing translations are kept; new messages get an empty msgstr (the i18n test fails until
they are translated); messages no longer in the code are dropped.

    python scripts/extract_messages.py
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from tracker.i18n import parse_po  # noqa: E402

CATALOG = ROOT / "tracker" / "locale" / "es.po"


def messages() -> dict[str, list[str]]:
    """msgid -> source locations, in first-seen order."""
    found: dict[str, list[str]] = {}
    for package in ("tracker", "tui"):
        for path in sorted((ROOT / package).rglob("*.py")):
            tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
            for node in ast.walk(tree):
                if (
                    isinstance(node, ast.Call)
                    and isinstance(node.func, ast.Name)
                    and node.func.id in ("_", "N_")
                    and node.args
                    and isinstance(node.args[0], ast.Constant)
                    and isinstance(node.args[0].value, str)
                ):
                    where = f"{path.relative_to(ROOT)}:{node.lineno}"
                    found.setdefault(node.args[0].value, []).append(where)
    return found


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def render(found: dict[str, list[str]], translations: dict[str, str]) -> str:
    out = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Language: es\\n"',
        "",
    ]
    for msgid, places in found.items():
        out.append("#: " + " ".join(places))
        out.append(f"msgid {_quote(msgid)}")
        out.append(f"msgstr {_quote(translations.get(msgid, ''))}")
        out.append("")
    return "\n".join(out)


def main() -> int:
    existing = parse_po(CATALOG.read_text(encoding="utf-8")) if CATALOG.exists() else {}
    found = messages()
    CATALOG.parent.mkdir(parents=True, exist_ok=True)
    CATALOG.write_text(render(found, existing), encoding="utf-8")
    untranslated = [m for m in found if not existing.get(m)]
    print(f"{len(found)} messages, {len(untranslated)} untranslated -> {CATALOG}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
