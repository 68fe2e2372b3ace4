"""Plans that are huge, odd or mangled: each loads, or fails fast with a located PlanError."""

from __future__ import annotations

import sys
import time
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.conftest import MERCOCIUDADES, PLAN, ROOT
from tracker.errors import PlanErrors
from tracker.plan.load import load_plan, parse_plan

sys.path.insert(0, str(ROOT))
from bench.gen_plan import generate_plan


def test_utf8_with_bom_is_accepted(tmp_path: Path) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(b"\xef\xbb\xbf" + MERCOCIUDADES.read_bytes())
    assert load_plan(str(path)).meta.id == "mercociudades-2017"


def test_a_50_mb_file_fails_fast(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with open(path, "w", encoding="utf-8") as fh:
        line = "# " + "relleno " * 12 + "\n"
        fh.write(line * (50 * 1024 * 1024 // len(line) + 1))
    started = time.perf_counter()
    with pytest.raises(PlanErrors, match="too large"):
        load_plan(str(path))
    assert time.perf_counter() - started < 1.0


def test_a_100000_item_plan_is_valid_and_loads(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(generate_plan(100_000), encoding="utf-8")
    started = time.perf_counter()
    plan = load_plan(str(path))
    assert len(plan.items) == 100_000
    assert time.perf_counter() - started < 120  # a hang guard, not a benchmark


def test_a_long_cycle_is_named_in_order(tmp_path: Path) -> None:
    n = 30
    tasks = "\n".join(
        f'      - {{id: "T{i}", title: Tarea {i}, duration: 1, depends_on: ["T{(i - 1) % n}"]}}'
        for i in range(n)
    )
    text = (
        "format: tracker-plan/1\nplan: {id: ciclo, title: Ciclo, period: "
        '{start: 2018-01-01, end: 2018-12-31}}\nareas:\n  - id: "1"\n    title: A\n'
        "    tasks:\n" + tasks + "\n"
    )
    path = tmp_path / "cycle.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(PlanErrors) as caught:
        load_plan(str(path))
    message = caught.value.errors[0].message
    assert message.startswith("dependency cycle: T0 → ")
    ids = message.split(": ", 1)[1].split(" → ")
    assert len(ids) == n + 1 and ids[0] == ids[-1] == "T0"
    assert ids == ["T0", *(f"T{i}" for i in range(1, n)), "T0"]


MUTATION_CHARS = list(":-[]{}&*!|>'\"#%@`\t \n0123456789aZ\u2028\u0000\u00e9\ufeff")


@st.composite
def mutated(draw: st.DrawFn, source: str) -> str:
    lines = source.splitlines(keepends=True)
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "duplicate", "swap", "char", "indent"]))
        i = draw(st.integers(0, len(lines) - 1))
        if op == "delete" and len(lines) > 1:
            del lines[i]
        elif op == "duplicate":
            lines.insert(i, lines[i])
        elif op == "swap":
            j = draw(st.integers(0, len(lines) - 1))
            lines[i], lines[j] = lines[j], lines[i]
        elif op == "indent":
            lines[i] = draw(st.sampled_from(["  ", "\t", ""])) + lines[i].lstrip(" ")
        elif lines[i]:
            k = draw(st.integers(0, len(lines[i]) - 1))
            lines[i] = lines[i][:k] + draw(st.sampled_from(MUTATION_CHARS)) + lines[i][k + 1 :]
    return "".join(lines)


def _check(text: str, tmp_path: Path) -> None:
    path = str(tmp_path / "mutated.yaml")
    started = time.perf_counter()
    try:
        parse_plan(path, text)
    except PlanErrors as err:
        for error in err.errors:
            assert error.file == path
            assert error.line is None or 1 <= error.line <= text.count("\n") + 2
            assert isinstance(error.field, str) and error.message
            assert "\n" not in str(error)
    assert time.perf_counter() - started < 10


@settings(
    max_examples=200,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mutated(MERCOCIUDADES.read_text(encoding="utf-8")))
def test_mutated_small_plan_loads_or_fails_located(text: str, tmp_path: Path) -> None:
    _check(text, tmp_path)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
@given(text=mutated(PLAN.read_text(encoding="utf-8")))
def test_mutated_bundled_plan_loads_or_fails_located(text: str, tmp_path: Path) -> None:
    _check(text, tmp_path)
