"""Timing the documents the Mesa Técnica and the Despacho receive, on the demo database.

    python bench/exports_bench.py [--repeats 3]

Each command runs as a whole fresh process (start-up included), median of --repeats:
`tracker gantt -o gantt.html` of the bundled plan (target < 1 s),
`tracker brief --month 2018-03 -o brief.html` (target < 3 s) and
`tracker report --month 2018-03 --annex -o informe.docx` with its Gantt image (target < 4 s);
also the report's main part alone (no annex, no Gantt), the brief as PDF and the Gantt as
PNG (for reference). The load average is printed before and after: the machine is shared.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
VENV_PYTHON = ROOT / ".venv" / "bin" / "python"
if (
    __name__ == "__main__"
    and VENV_PYTHON.exists()
    and Path(sys.prefix).resolve() != (ROOT / ".venv").resolve()
):
    os.execv(str(VENV_PYTHON), [str(VENV_PYTHON), __file__, *sys.argv[1:]])
sys.path.insert(0, str(ROOT))

CASES = (
    ("gantt html", ["gantt", "--as-of", "2018-03-31", "-o", "gantt.html"], 1.0),
    ("brief html", ["brief", "--month", "2018-03", "-o", "brief.html"], 3.0),
    (
        "report docx + annex + Gantt",
        ["report", "--month", "2018-03", "--annex", "-o", "a.docx"],
        4.0,
    ),
    ("report docx (main part)", ["report", "--month", "2018-03", "-o", "m.docx"], None),
    ("brief pdf", ["brief", "--month", "2018-03", "-o", "brief.pdf"], None),
    ("gantt png (carta, 150 dpi)", ["gantt", "--as-of", "2018-03-31", "-o", "g.png"], None),
)


def load() -> str:
    return " ".join(f"{x:.2f}" for x in os.getloadavg())


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    from tracker.demo.generate import create_demo_database
    from tracker.plan.load import load_plan

    with tempfile.TemporaryDirectory(prefix="bench-exports-") as tmp:
        url = f"sqlite:///{Path(tmp) / 'demo.db'}"
        create_demo_database(url, load_plan(str(ROOT / "data" / "plan_fase2.yaml")))
        env = {**os.environ, "TRACKER_DB": url, "TRACKER_LANG": "es", "PYTHONPATH": str(ROOT)}
        print(f"load average (1/5/15 min) before: {load()}")
        print(f"{'command':32} {'median s':>9} {'target':>8}  ok")
        failed = False
        for name, argv, target in CASES:
            times = []
            for _ in range(args.repeats):
                start = time.perf_counter()
                done = subprocess.run(
                    [sys.executable, "-m", "tracker", *argv, "--force"],
                    cwd=tmp,
                    env=env,
                    capture_output=True,
                    text=True,
                )
                times.append(time.perf_counter() - start)
                if done.returncode != 0:
                    print(f"{name}: exit {done.returncode}: {done.stderr.strip()[-300:]}")
                    return 1
                if done.stderr.strip():
                    print(f"  ({name}: {done.stderr.strip().splitlines()[-1]})")
            median = statistics.median(times)
            ok = "" if target is None else ("yes" if median < target else "NO")
            failed |= ok == "NO"
            shown = f"< {target:.0f} s" if target else "—"
            print(f"{name:32} {median:9.2f} {shown:>8}  {ok}")
        print(f"load average (1/5/15 min) after: {load()}")
        return 1 if failed else 0


if __name__ == "__main__":
    raise SystemExit(main())
