"""The CLI's tables: the column-wise fast path prints exactly what cell-by-cell code would."""

from __future__ import annotations

import io
import random
import unicodedata
from collections.abc import Sequence

from tracker.cli.fmt import table
from tracker.textsafe import visible


def _width(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def _truncate(text: str, limit: int) -> str:
    if _width(text) <= limit:
        return text
    out = ""
    for ch in text:
        if _width(out + ch) > limit - 1:
            break
        out += ch
    return out + "…"


def reference(headers: Sequence[str], rows: Sequence[Sequence[str]], columns: int = 120) -> str:
    """The straightforward table: every cell cleaned, measured, cut and padded on its own."""
    cells = [[visible(" ".join(str(c).split())) for c in row] for row in rows]
    widths = [max([_width(h), *(_width(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    flexible = len(headers) - 1
    fixed = sum(w for i, w in enumerate(widths) if i != flexible) + 2 * (len(headers) - 1)
    widths[flexible] = max(12, min(widths[flexible], columns - fixed))

    def line(values: Sequence[str]) -> str:
        parts = []
        for i, value in enumerate(values):
            value = _truncate(value, widths[i])
            pad = widths[i] - _width(value)
            parts.append(value + " " * pad if i < len(values) - 1 else value)
        return "  ".join(parts).rstrip()

    lines = [line(headers), "  ".join("─" * w for w in widths), *(line(r) for r in cells)]
    return "\n".join(lines) + "\n"


def test_table_matches_the_cell_by_cell_reference(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "120")
    rng = random.Random(7)
    # ASCII, accents, wide CJK, whitespace runs, controls and escapes, long text, separators.
    pieces = ["a", "b", " ", "  ", "é", "漢", "\n", "\t", "\x1b[31m", "x" * 40, "Ñ", "…", "|", " |"]
    for _ in range(1500):
        ncol = rng.randint(1, 5)
        headers = [rng.choice(["ID", "ÁREA", "TÍTULO", "x"]) for _ in range(ncol)]
        rows = [
            ["".join(rng.choice(pieces) for _ in range(rng.randint(0, 8))) for _ in range(ncol)]
            for _ in range(rng.randint(0, 6))
        ]
        out = io.StringIO()
        table(headers, rows, out=out)
        assert out.getvalue() == reference(headers, rows), (headers, rows)


def test_control_characters_never_reach_the_terminal(monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("COLUMNS", "120")
    out = io.StringIO()
    table(["ID", "TÍTULO"], [["1", "rojo\x1b[31m\nfin"], ["2", "ok"]], out=out)
    assert "\x1b" not in out.getvalue() and "\\u001b[31m\\nfin" not in out.getvalue()
    assert "rojo\\u001b[31m fin" in out.getvalue()
