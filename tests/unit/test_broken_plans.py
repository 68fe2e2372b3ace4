"""The broken-plan corpus: every file in tests/plans/broken/ must fail to load, fast, with the
first error pointing at the right line and field and saying something a user can act on.

Each corpus file starts with ``# expect: <line>|<field>|<message fragment>``: ``line`` is the
1-based line the first error must point at (``-``: no line), ``field`` the exact field path
(``-``: no field), ``fragment`` a substring of the English message. Files that cannot carry a
readable header (empty, not UTF-8, NUL byte) have their expectation in ``NO_HEADER`` below.

Every load runs in a forked child process, so a loader that crashes the interpreter (e.g. a
C-level stack overflow in libyaml) or hangs fails its own case instead of the whole run.
"""

from __future__ import annotations

import faulthandler
import multiprocessing
import signal
import time
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

from tracker import i18n
from tracker.errors import PlanError, PlanErrors
from tracker.plan.load import load_plan

ROOT = Path(__file__).parents[2]
BROKEN = ROOT / "tests" / "plans" / "broken"
BUNDLED = [ROOT / "data" / "plan_fase2.yaml", ROOT / "data" / "mercociudades_2017.yaml"]

HEADER = "# expect:"
MAX_SECONDS = 2.0  # hang guard, not a benchmark
KILL_AFTER = 60.0  # a child still running after this is killed and reported as a hang
MIN_CASES = 32

# Expectations of the files whose bytes cannot hold a readable header: (line, field, fragment).
NO_HEADER: dict[str, tuple[str, str, str]] = {
    "38_empty_file.yaml": ("-", "-", "the file is empty"),
    "40_non_utf8_latin1.yaml": ("5", "-", "not UTF-8"),
    "41_nul_byte.yaml": ("5", "-", "NUL byte"),
}


@dataclass(frozen=True)
class Expectation:
    line: int | None
    field: str
    fragment: str


def corpus() -> list[Path]:
    return sorted(BROKEN.glob("*.yaml"))


def parse_expectation(raw: tuple[str, str, str]) -> Expectation:
    line, field, fragment = (part.strip() for part in raw)
    assert fragment, "an expectation needs a message fragment"
    return Expectation(None if line == "-" else int(line), "" if field == "-" else field, fragment)


def expectation_for(path: Path) -> Expectation:
    if path.name in NO_HEADER:
        return parse_expectation(NO_HEADER[path.name])
    first = path.read_bytes().split(b"\n", 1)[0].decode("utf-8").rstrip("\r")
    assert first.startswith(HEADER), f"{path.name}: first line must be '{HEADER} ...'"
    parts = first[len(HEADER) :].split("|", 2)
    assert len(parts) == 3, f"{path.name}: header must be '{HEADER} <line>|<field>|<fragment>'"
    return parse_expectation((parts[0], parts[1], parts[2]))


def _describe_error(error: PlanError) -> dict[str, Any]:
    return {
        "type": type(error).__name__,
        "file": error.file,
        "line": error.line,
        "field": error.field,
        "message": error.message,
        "str": str(error),
    }


def _load_and_report(path: str, conn: Any) -> None:
    """Child process: load ``path`` and send back what happened (never raises)."""
    faulthandler.disable()  # a C-level crash is reported by the parent, without a dump
    i18n.set_language("en")
    outcome: dict[str, Any]
    start = time.perf_counter()
    try:
        load_plan(path)
        outcome = {"raised": None}
    except PlanErrors as err:
        outcome = {"raised": "PlanErrors", "errors": [_describe_error(e) for e in err.errors]}
    except PlanError as err:
        outcome = {"raised": "PlanError", "errors": [_describe_error(err)]}
    except BaseException as err:  # a crash of the loader: report it, do not die
        outcome = {"raised": type(err).__qualname__, "detail": traceback.format_exc()}
    outcome["elapsed"] = time.perf_counter() - start
    conn.send(outcome)
    conn.close()


def load_isolated(path: Path) -> dict[str, Any]:
    """Run load_plan(path) in a child process; report crashes and hangs as outcomes."""
    methods = multiprocessing.get_all_start_methods()
    ctx = multiprocessing.get_context("fork" if "fork" in methods else "spawn")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=_load_and_report, args=(str(path), child), daemon=True)
    proc.start()
    child.close()
    try:
        if parent.poll(KILL_AFTER):
            try:
                return dict(parent.recv())
            except EOFError:  # the child died before sending anything
                pass
        else:
            proc.kill()
            return {
                "raised": "HANG",
                "elapsed": KILL_AFTER,
                "detail": f"load_plan still running after {KILL_AFTER:.0f} s; killed",
            }
    finally:
        proc.join(5)
        parent.close()
    code = proc.exitcode
    how = (
        f"killed by {signal.Signals(-code).name}"
        if code is not None and code < 0
        else f"exit code {code}"
    )
    return {"raised": "CRASH", "elapsed": None, "detail": f"the loading process died ({how})"}


@pytest.fixture(autouse=True)
def english() -> Any:
    previous = i18n.current_language()
    i18n.set_language("en")
    yield
    i18n.set_language(previous)


@pytest.mark.parametrize("path", corpus(), ids=lambda p: p.stem)
def test_broken_plan_is_rejected(path: Path) -> None:
    expected = expectation_for(path)
    outcome = load_isolated(path)

    if outcome["raised"] not in (None, "PlanErrors", "PlanError"):  # crash, hang, other exception
        pytest.fail(f"{path.name}: loader {outcome['raised']}: {outcome.get('detail')}")
    assert outcome["elapsed"] < MAX_SECONDS, (
        f"{path.name}: load took {outcome['elapsed']:.2f} s (limit {MAX_SECONDS} s)"
    )
    if outcome["raised"] is None:
        pytest.fail(
            f"{path.name}: loaded without error; expected "
            f"{expected.line}|{expected.field or '-'}|{expected.fragment}"
        )

    first = outcome["errors"][0]
    problems = []
    if outcome["raised"] != "PlanErrors":
        problems.append(f"raised {outcome['raised']}, not PlanErrors")
    if not first["file"].endswith(path.name):
        problems.append(f"file {first['file']!r} does not end with {path.name!r}")
    if first["line"] != expected.line:
        problems.append(f"line {first['line']}, expected {expected.line}")
    if first["field"] != expected.field:
        problems.append(f"field {first['field']!r}, expected {expected.field!r}")
    if expected.fragment not in first["message"]:
        problems.append(f"message {first['message']!r} lacks {expected.fragment!r}")
    text = first["str"]
    if "\n" in text or "\r" in text:
        problems.append(f"str(error) spans several lines: {text!r}")
    if not text.startswith(str(path)):
        problems.append(f"str(error) does not start with the path: {text!r}")
    assert not problems, f"{path.name}: first error {text!r}:\n  " + "\n  ".join(problems)


def test_corpus_is_big_enough() -> None:
    paths = corpus()
    assert len(paths) >= MIN_CASES, f"only {len(paths)} broken plans in {BROKEN}"
    for path in paths:  # every file has a usable expectation
        expectation_for(path)
    assert set(NO_HEADER) <= {p.name for p in paths}


@pytest.mark.parametrize("path", BUNDLED, ids=lambda p: p.stem)
def test_bundled_plans_load(path: Path) -> None:
    plan = load_plan(str(path))
    assert plan.items


def test_brackets_in_comments_and_text_are_not_nesting(tmp_path: Path) -> None:
    # The nesting guard must count YAML structure, not bracket characters in prose.
    text = (ROOT / "data" / "mercociudades_2017.yaml").read_text(encoding="utf-8")
    text += "\n# " + "[" * 70 + "\n"
    path = tmp_path / "brackets.yaml"
    path.write_text(text, encoding="utf-8")
    load_plan(str(path))
