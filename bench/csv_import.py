"""Time a large `tracker comms import` and `tracker import csv` while another user saves.

    .venv/bin/python bench/csv_import.py [--rows 100000] [--kind comms|status|both]
                                          [--db URL] [--json]

comms: writes a communication log of ROWS activities (the way Excel for Windows saves it:
`;`, CRLF, Windows-1252) for the bundled plan. status: writes a status file (`;`, CRLF,
DD/MM/YYYY dates, as Excel for Windows in Spanish saves it) of ROWS items of a generated
plan of ROWS + 1 items (bench/gen_plan.py), every fifth row a completion (its prerequisites
are looked up), the others in progress with a percent and a note. Each plan goes into the
database (a fresh SQLite file unless --db; with --db, an empty database or schema), the
file is imported with the tracker as a user runs it (one process), and meanwhile another
connection saves a status change every 0.2 s, as a colleague would (to an item the import
does not touch). Prints the import's wall and CPU time, how many saves went through during
the import and the slowest of them, then the time of the same import again (nothing added
or changed) and of `tracker undo` of the import.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import tempfile
import threading
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

CHANNELS = [
    ("facebook", "redes-posts"),
    ("twitter", "redes-posts"),
    ("instagram", "redes-posts"),
    ("web", "web-publicaciones"),
]


def write_log(path: Path, rows: int) -> None:
    """A communication log of ``rows`` activities of the bundled plan."""
    lines = ["fecha;canal;meta;título;cantidad"]
    for i in range(rows):
        channel, target = CHANNELS[i % len(CHANNELS)]
        day = date(2018, 1 + i % 7, 1 + i % 28)
        lines.append(f"{day:%d/%m/%Y};{channel};{target};Publicación n.º {i}, sección {i % 9};1")
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")


def write_status(path: Path, keys: list[str]) -> None:
    """A status file with a row for each of ``keys``."""
    lines = ["id;estado;porcentaje;fecha;nota"]
    for i, key in enumerate(keys):
        day = date(2018, 1 + i % 9, 1 + i % 28)
        if i % 5 == 4:
            lines.append(f"{key};completada;;{day:%d/%m/%Y};")
        else:
            lines.append(f"{key};en_curso;{10 + i % 80};{day:%d/%m/%Y};avance n.º {i}")
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")


def tracker(url: str, *args: str) -> tuple[float, float, str]:
    """(wall s, CPU s of the child, stdout) of one tracker process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    env = {**os.environ, "TRACKER_DB": url, "TRACKER_LANG": "en", "TRACKER_USER": "bench"}
    done = subprocess.run(
        [sys.executable, "-m", "tracker", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
        check=False,
    )
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        raise SystemExit(f"tracker {' '.join(args)} failed: {done.stderr.strip()}")
    return wall, cpu, done.stdout.strip()


def measure(url: str, kind: str, rows: int, work: Path) -> dict[str, object]:
    """Load the plan of ``kind``, write its file of ``rows`` rows and time its import, the
    same import again and its undo, with a colleague saving during the import."""
    from sqlalchemy.orm import Session, sessionmaker

    from bench.gen_plan import generate_plan
    from tests.db.helpers import fresh_db
    from tracker.plan.load import load_plan, parse_plan
    from tracker.store.planstore import find_plan
    from tracker.store.session import transaction
    from tracker.tracking.status import set_item_status

    if kind == "comms":
        plan = load_plan(str(ROOT / "data/plan_fase2.yaml"))
        path = work / "bitacora.csv"
        write_log(path, rows)
        command = ["comms", "import"]
        colleague_key = "1.1.1"
    else:
        text = generate_plan(rows + 1)
        plan = parse_plan(str(work / "plan.yaml"), text)
        keys = list(plan.items)
        colleague_key, keys = keys[0], keys[1:]
        path = work / "avance.csv"
        write_status(path, keys)
        command = ["import", "csv"]
    plan_id = ["--plan-id", plan.meta.id]
    start = time.perf_counter()
    sessions: sessionmaker[Session] = fresh_db(url, plan)
    loaded = time.perf_counter() - start

    saves: list[float] = []
    stop = threading.Event()

    def colleague() -> None:
        n = 0
        while not stop.is_set():
            n += 1
            start = time.perf_counter()
            percent = n % 99
            transaction(
                sessions,
                lambda s, percent=percent: set_item_status(  # type: ignore[misc]
                    s,
                    find_plan(s, plan.meta.id),
                    colleague_key,
                    "en_curso",
                    on=date(2018, 1, 3),
                    author="luis",
                    percent=percent,
                ),
            )
            saves.append(time.perf_counter() - start)
            stop.wait(0.2)

    thread = threading.Thread(target=colleague)
    thread.start()
    load = os.getloadavg()
    try:
        wall, cpu, out = tracker(url, *command, str(path), *plan_id)
    finally:
        stop.set()
        thread.join()
    again_wall, again_cpu, again_out = tracker(url, *command, str(path), *plan_id)
    undo_wall, undo_cpu, undo_out = tracker(url, "undo", *plan_id)
    sessions.kw["bind"].dispose()
    return {
        "kind": kind,
        "rows": rows,
        "backend": url.split(":", 1)[0],
        "plan_loaded_s": round(loaded, 2),
        "import_wall_s": round(wall, 2),
        "import_cpu_s": round(cpu, 2),
        "saves_during_import": len(saves),
        "slowest_save_s": round(max(saves), 3) if saves else None,
        "reimport_wall_s": round(again_wall, 2),
        "reimport_cpu_s": round(again_cpu, 2),
        "undo_wall_s": round(undo_wall, 2),
        "undo_cpu_s": round(undo_cpu, 2),
        "load_average": " ".join(f"{x:.2f}" for x in (*load, *os.getloadavg())),
        "output": [out.splitlines()[-1], again_out.splitlines()[-1], undo_out],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--kind", choices=("comms", "status", "both"), default="both")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    work = Path(tempfile.mkdtemp(prefix="csv-bench-"))
    url = args.db or f"sqlite:///{work / 'team.db'}"
    kinds = ("comms", "status") if args.kind == "both" else (args.kind,)
    results = [measure(url, kind, args.rows, work) for kind in kinds]
    if args.json:
        print(json.dumps(results, indent=2, ensure_ascii=False))
    else:
        for figures in results:
            for key, value in figures.items():
                print(f"{key:>22}: {value}")
            print()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
