"""Small plans written as YAML text, for tests that need exact, hand-checkable schedules."""

from __future__ import annotations

from pathlib import Path

from tracker.plan.load import parse_plan
from tracker.plan.model import Plan

HEADER = """format: tracker-plan/1
plan:
  id: prueba
  title: Plan de prueba
  country: PA
  period: {start: 2018-01-01, end: 2018-07-31}
"""


def plan_from(tmp_path: Path, body: str, header: str = HEADER) -> Plan:
    path = tmp_path / "plan.yaml"
    text = header + body
    path.write_text(text, encoding="utf-8")
    return parse_plan(str(path), text)
