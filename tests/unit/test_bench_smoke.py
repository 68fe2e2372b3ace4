"""Smoke test of the benchmark runner: `bench/run.py --quick --json` runs and reports figures."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
RESULTS = ROOT / "bench" / "RESULTS.md"


def test_quick_run_reports_every_step() -> None:
    before = RESULTS.read_bytes() if RESULTS.exists() else None
    done = subprocess.run(
        [sys.executable, str(ROOT / "bench" / "run.py"), "--quick", "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
    )
    assert done.returncode == 0, done.stderr[-2000:]
    report = json.loads(done.stdout)
    rows = {
        row["step"]: row
        for row in report["rows"]
        if row["backend"] in ("", "sqlite") and row["size"] == 200
    }
    for step in ("plan check", "plan schedule --json", "init", "status", "tasks --json"):
        assert step in rows, f"no row for {step}: {sorted(rows)}"
        ours = rows[step]["ours"]
        assert ours and ours["s"] and ours["s"] > 0, (step, rows[step])
        assert ours["peak_mb"] > 0, (step, rows[step])
    if shutil.which("tj3"):
        for step in ("plan check", "plan schedule --json"):
            assert rows[step]["peer"]["s"] > 0, rows[step]
            assert rows[step]["ratio"] and rows[step]["ratio"] > 0, rows[step]
    if shutil.which("task"):
        assert rows["tasks (text)"]["ratio"] > 0, rows["tasks (text)"]
    assert report["machine"]["cpu"]
    # A quick run never overwrites the committed figures.
    assert (RESULTS.read_bytes() if RESULTS.exists() else None) == before
