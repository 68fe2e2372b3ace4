"""Our schedule equals TaskJuggler's on the same plan (Debian package tj3)."""

from __future__ import annotations

import csv
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tracker.exporters.tjp import REPORT_ID, from_tj3_dates, mangle, render_tjp
from tracker.plan.load import load_plan, parse_plan
from tracker.plan.model import Plan
from tracker.schedule.passes import compute_schedule, plan_calendar

from ..conftest import MERCOCIUDADES, PLAN, ROOT, require_tool

sys.path.insert(0, str(ROOT))
from bench.gen_plan import generate_plan


def run_tj3(plan: Plan, tmp_path: Path) -> dict[str, tuple[date, date]]:
    tj3 = require_tool("tj3", "tj3")
    calendar = plan_calendar(plan)
    source = tmp_path / "plan.tjp"
    source.write_text(render_tjp(plan, calendar), encoding="utf-8")
    # Long dependency chains overflow Ruby's default VM stack inside tj3.
    env = {**os.environ, "RUBY_THREAD_VM_STACK_SIZE": "200000000"}
    result = subprocess.run(
        [tj3, "--silent", "-o", str(tmp_path), str(source)],
        capture_output=True,
        text=True,
        env=env,
        timeout=600,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    by_tid = {mangle(i.id): i for i in plan.items.values()}
    dates: dict[str, tuple[date, date]] = {}
    with open(tmp_path / f"{REPORT_ID}.csv", encoding="utf-8") as fh:
        for row in csv.DictReader(fh, delimiter=";"):
            item = by_tid.get(row["Id"])
            if item is None:  # helper milestones for not-before dates
                continue
            dates[item.id] = from_tj3_dates(
                calendar,
                item.duration == 0,
                date.fromisoformat(row["Start"]),
                date.fromisoformat(row["End"]),
            )
    return dates


def assert_same_schedule(plan: Plan, tmp_path: Path) -> None:
    ours = compute_schedule(plan).items
    theirs = run_tj3(plan, tmp_path)
    assert set(theirs) == set(plan.items)
    mismatches = [
        (i, (ours[i].start, ours[i].finish), theirs[i])
        for i in plan.items
        if (ours[i].start, ours[i].finish) != theirs[i]
    ]
    assert mismatches == []


def test_bundled_plan_matches_taskjuggler(tmp_path: Path) -> None:
    assert_same_schedule(load_plan(str(PLAN)), tmp_path)


def test_mercociudades_matches_taskjuggler(tmp_path: Path) -> None:
    assert_same_schedule(load_plan(str(MERCOCIUDADES)), tmp_path)


@pytest.mark.parametrize("seed", [1, 2])
def test_generated_500_item_plan_matches_taskjuggler(tmp_path: Path, seed: int) -> None:
    text = generate_plan(500, seed=seed)
    path = tmp_path / "generated.yaml"
    path.write_text(text, encoding="utf-8")
    plan = parse_plan(str(path), text)
    assert len(plan.items) == 500
    assert any(d.lag for i in plan.items.values() for d in i.depends_on)
    assert any(i.not_before for i in plan.items.values())
    assert_same_schedule(plan, tmp_path)


def test_milestones_lags_and_not_before_match_taskjuggler(tmp_path: Path) -> None:
    text = """format: tracker-plan/1
plan: {id: hitos, title: Hitos, country: PA, period: {start: 2018-01-01, end: 2018-12-31}}
areas:
  - id: "1"
    title: A
    tasks:
      - {id: A, title: A, duration: 3}
      - {id: B, title: B, duration: 2, depends_on: [{id: M0, lag: 2}]}
      - {id: C, title: C, duration: 4, not_before: 2018-02-12, depends_on: [A]}
      - {id: D, title: D, duration: 1, not_before: 2018-01-03, depends_on: [M2]}
milestones:
  - {id: M0, title: inicio}
  - {id: M1, title: tras A con demora, depends_on: [{id: A, lag: 2}]}
  - {id: M2, title: tras C, depends_on: [C]}
  - {id: M3, title: no antes, not_before: 2018-03-07, depends_on: [A]}
"""
    path = tmp_path / "hitos.yaml"
    path.write_text(text, encoding="utf-8")
    assert_same_schedule(parse_plan(str(path), text), tmp_path)
