"""TUI speed: process start to first paint with data, and key-to-screen latency.

    python bench/tui_bench.py [--sizes 51,10000] [--json]

Each size runs in a fresh process (imports included) on a temporary SQLite database: the
bundled plan for 51, a generated plan otherwise (bench/gen_plan.py). Figures are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

CHILD = r"""
import time
START = time.perf_counter()
import asyncio, json, sys
from datetime import date

async def main(url):
    from tui.app import TrackerApp
    from tui.widgets.itemtable import ItemTable
    app = TrackerApp(url, as_of=date(2018, 4, 16), poll_seconds=0)
    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        out["first_frame_s"] = time.perf_counter() - START
        while app.snapshot is None:
            await pilot.pause(0.005)
        await pilot.pause()
        out["data_shown_s"] = time.perf_counter() - START
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ItemTable)
        moves = []
        for _ in range(30):
            t = time.perf_counter()
            await pilot.press("down")
            table.render_line(table.cursor - table.scroll_offset.y + 1)
            moves.append(time.perf_counter() - t)
        await pilot.press("slash")
        typing = []
        for ch in "taller 1":
            t = time.perf_counter()
            await pilot.press(ch if ch != " " else "space")
            table.render_line(1)
            typing.append(time.perf_counter() - t)
        # Our own work per key, without Pilot's wait-for-idle round trip: the handler plus
        # drawing every visible line of the table.
        def draw():
            for y in range(table.size.height):
                table.render_line(y)
        own_moves = []
        for _ in range(30):
            t = time.perf_counter()
            table.action_cursor(1)
            draw()
            own_moves.append(time.perf_counter() - t)
        screen = app.screen
        search = screen.query_one("#search")
        own_filter = []
        for text in ("t", "ta", "tal", "tall", "talle", "taller"):
            search.value = text
            t = time.perf_counter()
            screen.apply_filters()
            draw()
            own_filter.append(time.perf_counter() - t)
        out["rows"] = len(app.snapshot.forecast.items)
        out["move_ms"] = sorted(moves)[len(moves) // 2] * 1000
        out["filter_key_ms"] = sorted(typing)[len(typing) // 2] * 1000
        out["move_own_ms"] = sorted(own_moves)[len(own_moves) // 2] * 1000
        out["filter_own_ms"] = sorted(own_filter)[len(own_filter) // 2] * 1000
    print(json.dumps(out))

asyncio.run(main(sys.argv[1]))
"""


def prepare(size: int, workdir: Path) -> str:
    db = workdir / f"bench-{size}.db"
    url = f"sqlite:///{db}"
    env = {**os.environ, "TRACKER_DB": str(db)}
    if size <= 51:
        args = ["init"]
    else:
        sys.path.insert(0, str(ROOT))
        from bench.gen_plan import generate_plan

        plan = workdir / f"plan-{size}.yaml"
        plan.write_text(generate_plan(size), encoding="utf-8")
        args = ["init", "--plan", str(plan)]
    subprocess.run(
        [sys.executable, "-m", "tracker", *args], env=env, cwd=ROOT, check=True, capture_output=True
    )
    return url


def measure(url: str, repeats: int) -> dict[str, float]:
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", CHILD, url],
            cwd=ROOT,
            check=True,
            capture_output=True,
            text=True,
            env={**os.environ, "TRACKER_LANG": "es"},
        ).stdout
        runs.append(json.loads(out.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--sizes", default="51,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = {}
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            started = time.perf_counter()
            url = prepare(size, Path(tmp))
            results[size] = measure(url, args.repeats)
            results[size]["setup_s"] = time.perf_counter() - started
    if args.json:
        print(json.dumps(results, indent=2))
        return 0
    print(
        f"{'items':>8} {'first frame':>12} {'data shown':>11} {'move key':>10} {'filter key':>11} "
        f"{'move (ours)':>12} {'filter (ours)':>14}"
    )
    for r in results.values():
        print(
            f"{int(r['rows']):>8} {r['first_frame_s']:>11.2f}s {r['data_shown_s']:>10.2f}s "
            f"{r['move_ms']:>8.1f}ms "
            f"{r['filter_key_ms']:>9.1f}ms {r['move_own_ms']:>10.2f}ms "
            f"{r['filter_own_ms']:>12.2f}ms"
        )
    print(
        "move/filter key: Pilot round trip (about 40 ms of it is Pilot waiting for idle); "
        "(ours): the handler and drawing the visible lines."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
