"""Plain-text output for the CLI: aligned tables, and text made safe for a terminal."""

from __future__ import annotations

import json
import shutil
import sys
import unicodedata
from collections.abc import Sequence
from typing import Any, TextIO

from tracker.textsafe import visible


def one_line(text: str) -> str:
    """Plan or log text for one table cell: whitespace collapsed, controls made visible."""
    if text.isascii() and text.isprintable() and "  " not in text and text == text.strip():
        return text  # the common case, checked in C
    return visible(" ".join(text.split()))


def width(text: str) -> int:
    if text.isascii():  # nearly every cell: one column per character
        return len(text)
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def truncate(text: str, limit: int) -> str:
    if len(text) <= limit // 2 or width(text) <= limit:
        return text
    if text.isascii():
        return text[: limit - 1] + "…"
    out = ""
    for ch in text:
        if width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def table(
    headers: Sequence[str],
    rows: Sequence[Sequence[str]],
    *,
    flexible: int = -1,
    out: TextIO | None = None,
) -> None:
    """Print an aligned table; column ``flexible`` is truncated to fit the terminal."""
    out = out or sys.stdout
    cells = [[one_line(str(c)) for c in row] for row in rows]
    heads = [str(h) for h in headers]
    widths = [max([width(h), *(width(r[i]) for r in cells)]) for i, h in enumerate(heads)]
    total = shutil.get_terminal_size((120, 24)).columns
    if flexible < 0:
        flexible += len(heads)
    fixed = sum(w for i, w in enumerate(widths) if i != flexible) + 2 * (len(heads) - 1)
    widths[flexible] = max(12, min(widths[flexible], total - fixed))

    last = len(heads) - 1

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            limit = widths[i]
            if value.isascii():
                if len(value) > limit:
                    value = value[: limit - 1] + "…"
                parts.append(value.ljust(limit) if i < last else value)
                continue
            value = truncate(value, limit)
            pad = limit - width(value)
            parts.append(value + " " * pad if i < last else value)
        return "  ".join(parts).rstrip()

    lines = [line(heads), "  ".join("─" * w for w in widths)]
    lines += [line(row) for row in cells]
    out.write("\n".join(lines) + "\n")


def print_json(data: Any) -> None:
    if isinstance(data, list) and data:
        # One element per line: still easy to read and to diff, and written by json's C
        # encoder (an indented dump runs the pure-Python one, 4× slower on 10,000 items).
        sys.stdout.write(
            "[\n  "
            + ",\n  ".join(json.dumps(item, ensure_ascii=False, default=str) for item in data)
            + "\n]\n"
        )
        return
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2, default=str)
    sys.stdout.write("\n")
