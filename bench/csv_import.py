"""Time a large `tracker comms import` while another user keeps saving.

    .venv/bin/python bench/csv_import.py [--rows 100000] [--db URL] [--json]

Writes a communication log of ROWS activities (the way Excel for Windows saves it: `;`,
CRLF, Windows-1252), imports it into a fresh database of the bundled plan with the tracker
as a user runs it (one process), and meanwhile saves a status change every 0.2 s from
another connection, as a colleague would. Prints the import's wall and CPU time, how many
saves went through during the import and the slowest of them, then the time of the same
import again (every row a duplicate, nothing added) and of `tracker undo` of the import.
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
    lines = ["fecha;canal;meta;título;cantidad"]
    for i in range(rows):
        channel, target = CHANNELS[i % len(CHANNELS)]
        day = date(2018, 1 + i % 7, 1 + i % 28)
        lines.append(f"{day:%d/%m/%Y};{channel};{target};Publicación n.º {i}, sección {i % 9};1")
    path.write_bytes("\r\n".join(lines).encode("cp1252") + b"\r\n")


def tracker(url: str, *args: str) -> tuple[float, float, str]:
    """(wall s, CPU s of the child, stdout+stderr) of one tracker process."""
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
    return wall, cpu, (done.stdout + done.stderr).strip()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()

    from sqlalchemy.orm import Session, sessionmaker

    from tests.db.helpers import fresh_db
    from tracker.plan.load import load_plan
    from tracker.store.planstore import find_plan
    from tracker.store.session import transaction
    from tracker.tracking.status import set_item_status

    work = Path(tempfile.mkdtemp(prefix="csv-bench-"))
    url = args.db or f"sqlite:///{work / 'team.db'}"
    sessions: sessionmaker[Session] = fresh_db(url, load_plan(str(ROOT / "data/plan_fase2.yaml")))
    log = work / "bitacora.csv"
    write_log(log, args.rows)

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
                    find_plan(s),
                    "1.1.1",
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
    wall, cpu, out = tracker(url, "comms", "import", str(log))
    stop.set()
    thread.join()
    again_wall, again_cpu, again_out = tracker(url, "comms", "import", str(log))
    undo_wall, undo_cpu, undo_out = tracker(url, "undo")
    figures = {
        "rows": args.rows,
        "backend": url.split(":", 1)[0],
        "import_wall_s": round(wall, 2),
        "import_cpu_s": round(cpu, 2),
        "saves_during_import": len(saves),
        "slowest_save_s": round(max(saves), 3) if saves else None,
        "reimport_wall_s": round(again_wall, 2),
        "reimport_cpu_s": round(again_cpu, 2),
        "undo_wall_s": round(undo_wall, 2),
        "undo_cpu_s": round(undo_cpu, 2),
        "load_average": os.getloadavg()[0],
        "output": [out.splitlines()[-1], again_out.splitlines()[-1], undo_out],
    }
    if args.json:
        print(json.dumps(figures, indent=2, ensure_ascii=False))
    else:
        for key, value in figures.items():
            print(f"{key:>22}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
