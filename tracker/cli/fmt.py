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
    heads = [str(h) for h in headers]
    # Column by column: a column of plain ASCII text (nearly all of them) is checked, measured
    # and padded with a few calls into C instead of several Python calls per cell.
    columns = [_clean_column([str(row[i]) for row in rows]) for i in range(len(heads))]
    widths = [
        max(width(h), _column_width(column)) if column else width(h)
        for h, column in zip(heads, columns, strict=True)
    ]
    total = shutil.get_terminal_size((120, 24)).columns
    if flexible < 0:
        flexible += len(heads)
    fixed = sum(w for i, w in enumerate(widths) if i != flexible) + 2 * (len(heads) - 1)
    widths[flexible] = max(12, min(widths[flexible], total - fixed))
    last = len(heads) - 1
    fitted = [_fit_column(column, widths[i], pad=i < last) for i, column in enumerate(columns)]
    lines = [
        "  ".join(_fit(h, widths[i], pad=i < last) for i, h in enumerate(heads)).rstrip(),
        "  ".join("─" * w for w in widths),
    ]
    lines += ["  ".join(parts).rstrip() for parts in zip(*fitted, strict=True)] if rows else []
    out.write("\n".join(lines) + "\n")


def _clean_column(column: list[str]) -> list[str]:
    joined = "|".join(column)
    if (
        joined.isascii()
        and joined.isprintable()
        and "  " not in joined
        and " |" not in joined
        and "| " not in joined
        and joined == joined.strip()
    ):
        return column  # nothing to collapse or escape in any cell
    return [one_line(c) for c in column]


def _column_width(column: list[str]) -> int:
    if "".join(column).isascii():
        return max(map(len, column))
    return max(map(width, column))


def _fit_column(column: list[str], limit: int, *, pad: bool) -> list[str]:
    if "".join(column).isascii():
        if max(map(len, column), default=0) > limit:
            column = [c if len(c) <= limit else c[: limit - 1] + "…" for c in column]
        return [c.ljust(limit) for c in column] if pad else column
    return [_fit(c, limit, pad=pad) for c in column]


def _fit(value: str, limit: int, *, pad: bool) -> str:
    value = truncate(value, limit)
    return value + " " * (limit - width(value)) if pad else value


def print_json(data: Any) -> None:
    """JSON for scripts that a person can still read: objects one key per line, lists of
    records one record per line. Written by json's C encoder: an indented dump runs the
    pure-Python one, 4× slower on 10,000 items."""
    sys.stdout.write(_layout(data, "") + "\n")


def _layout(value: Any, indent: str) -> str:
    inner = indent + "  "
    if isinstance(value, dict) and value:
        body = ",\n".join(
            f"{inner}{_compact(str(key))}: {_layout(item, inner)}" for key, item in value.items()
        )
        return "{\n" + body + "\n" + indent + "}"
    if isinstance(value, list) and value and all(isinstance(v, dict | list) for v in value):
        return "[\n" + ",\n".join(inner + _compact(v) for v in value) + "\n" + indent + "]"
    return _compact(value)


# One encoder for every value: json.dumps with options builds a new one per call.
_compact = json.JSONEncoder(ensure_ascii=False, default=str).encode
