"""Timing of the MS Project exchange, every command as a whole process (Python start included).

    python bench/exchange.py [--repeats 5]

- `tracker export mspdi` of the bundled plan as of 2018-04-16 on the demo database
  (target < 1 s), and the writing alone inside one process;
- `tracker import mpx` of a 1,000-task file (our export of bench/gen_plan.py's 1,000-item
  plan, converted to MPX by MPXJ), Java's start included (target < 5 s), and `tracker import
  mspdi` of the same schedule as MSPDI (no Java).
Figures are medians of --repeats fresh processes (wall clock).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date
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

from bench.gen_plan import generate_plan  # noqa: E402

AS_OF = date(2018, 4, 16)
TRACKER = [str(Path(sys.executable).parent / "tracker")]


def timed(argv: list[str], repeats: int) -> tuple[float, float]:
    """Median wall clock and CPU time (user + system, the process and its JVM threads)."""
    walls, cpus = [], []
    for _ in range(repeats):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, check=True, capture_output=True, cwd=ROOT)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args(argv)
    from tracker.demo.generate import create_demo_database
    from tracker.exporters.mspdi import write_mspdi
    from tracker.plan.load import load_plan
    from tracker.store.store import Store

    with tempfile.TemporaryDirectory(prefix="tracker-exchange-") as tmp:
        work = Path(tmp)
        db = f"sqlite:///{work / 'demo.db'}"
        create_demo_database(db, load_plan(str(ROOT / "data" / "plan_fase2.yaml")))
        out = work / "plan.xml"
        export = [*TRACKER, "export", "mspdi", "--db", db, "--as-of", AS_OF.isoformat()]
        export_s = timed([*export, "-o", str(out)], args.repeats)
        data = Store(db).state(AS_OF)
        start = time.perf_counter()
        for _ in range(args.repeats):
            write_mspdi(data.plan, data.forecast.items, AS_OF, work / "again.xml")
        write_s = (time.perf_counter() - start) / args.repeats, 0.0

        source = work / "g1000.yaml"
        source.write_text(generate_plan(1000), encoding="utf-8")
        big = work / "g1000.xml"
        subprocess.run(
            [*TRACKER, "export", "mspdi", "--plan-file", str(source), "-o", str(big)],
            check=True,
            capture_output=True,
            cwd=ROOT,
        )
        mpx = work / "g1000.mpx"
        convert = (
            "import sys; from tracker.importers.mpxj import start_java; start_java(); "
            "from org.mpxj.reader import UniversalProjectReader; "
            "from org.mpxj.writer import UniversalProjectWriter, FileFormat; "
            "UniversalProjectWriter(FileFormat.MPX).write("
            "UniversalProjectReader().read(sys.argv[1]), sys.argv[2])"
        )
        subprocess.run([sys.executable, "-c", convert, str(big), str(mpx)], check=True, cwd=ROOT)
        plan_out = str(work / "back.yaml")
        mpx_s = timed([*TRACKER, "import", "mpx", str(mpx), "-o", plan_out], args.repeats)
        xml_s = timed([*TRACKER, "import", "mspdi", str(big), "-o", plan_out], args.repeats)

    rows = [
        ("export mspdi, bundled plan on the demo data (process)", export_s, 1.0),
        ("  writing the file alone (in process)", write_s, None),
        ("import mpx, 1,000 tasks, Java start included (process)", mpx_s, 5.0),
        ("import mspdi, 1,000 tasks, no Java (process)", xml_s, None),
    ]
    load = os.getloadavg()[0]
    print(f"median of {args.repeats} runs; {os.cpu_count()} CPUs, load average {load:.1f}")
    print(f"{'':58} {'wall':>8} {'CPU':>8}")
    for label, (wall, cpu), target in rows:
        verdict = "" if target is None else ("  ok" if wall < target else f"  > {target} s")
        suffix = f"  target < {target} s{verdict}" if target else ""
        cpu_text = f"{cpu:6.2f} s" if cpu else "      -"
        print(f"{label:58} {wall:6.2f} s {cpu_text}{suffix}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
