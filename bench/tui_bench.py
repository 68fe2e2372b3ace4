"""TUI speed: process start to first paint with data, and key-to-screen latency.

    python bench/tui_bench.py [--sizes 51,10000] [--repeats 3] [--json]

Each size runs in a fresh process (imports included) on a temporary SQLite database: the
bundled plan for 51, a generated plan otherwise (bench/gen_plan.py). Times end when the
compositor paints a frame (README.md, "What is measured"). Figures are medians.
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

QUIET = 0.1  # no frame for this long: whatever the key set off has been painted


async def main(url):
    from textual import events
    from tui.app import TrackerApp
    from tui.screens.base import TrackerScreen
    from tui.widgets.itemtable import ItemTable

    app = TrackerApp(url, as_of=date(2018, 4, 16), poll_seconds=0)
    # Every frame the compositor hands to the driver: its time, whether it is one of our
    # screens, with the data, and whether it repainted the table. Headless, Textual skips
    # turning a frame into terminal output: it is done here, so a frame costs what it costs
    # on a terminal but the write itself.
    frames = []
    watched = []  # the table, once on screen
    display = app._display

    def paint(screen, update):
        display(screen, update)
        if update is None or app._batch_count:
            return
        update.render_segments(app.console)
        mine = isinstance(screen, TrackerScreen)
        shown = mine and screen.shown is not None
        table_painted = bool(watched) and watched[0] in screen._dirty_widgets
        frames.append((time.perf_counter(), mine, shown, table_painted))

    app._display = paint

    async def key_to_screen(key, done):
        # Post the key as the terminal driver does and wait until it has settled (done()
        # and no frame for QUIET). Key to screen ends with the last frame that repainted
        # the table (a frame echoing the key in the search box alone does not count); key
        # to settled, with the last frame (such as Textual's own follow-up repaint of the
        # scroll bar, a frame period or two later).
        event = events.Key(key, key if len(key) == 1 else " " if key == "space" else None)
        event.set_sender(app)
        seen = len(frames)
        posted = time.perf_counter()
        app.post_message(event)
        # Quiet is counted in polls, not in time since the last frame: a poll runs only when
        # the event loop is free, so a handler blocking it cannot pass for quiet.
        quiet, count = 0, seen
        while quiet < 5:
            await asyncio.sleep(QUIET / 5)
            if len(frames) == count and count > seen and done():
                quiet += 1
            else:
                quiet, count = 0, len(frames)
            if time.perf_counter() - posted > 60:
                raise TimeoutError(f"{key}: no frame showed its effect")
        shown = [f[0] for f in frames[seen:] if f[3]] or [frames[-1][0]]
        return shown[-1] - posted, frames[-1][0] - posted

    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        while not any(f[1] for f in frames):
            await asyncio.sleep(0.001)
        out["first_frame_s"] = next(f[0] for f in frames if f[1]) - START
        while not any(f[2] for f in frames):
            await asyncio.sleep(0.005)
        out["data_shown_s"] = next(f[0] for f in frames if f[2]) - START
        await pilot.press("2")
        while app.screen.shown is None:
            await pilot.pause(0.005)
        await pilot.pause()
        screen = app.screen
        table = screen.query_one(ItemTable)
        search = screen.query_one("#search")
        watched.append(table)
        moves = []
        for _ in range(30):
            target = table.cursor + 1
            moves.append(await key_to_screen("down", lambda: table.cursor == target))
        await pilot.press("slash")
        search.cursor_blink = False  # its blink would paint frames of its own
        await pilot.pause()
        typing = []
        for ch in "taller 1":
            text = search.value + ch
            key = ch if ch != " " else "space"
            typing.append(await key_to_screen(key, lambda: search.value == text))
        # Our own work per key: the handler, and the table drawing the lines it made dirty
        # (render_lines, as the compositor asks for them).
        def draw():
            table.render_lines(table.size.region)
        own_moves = []
        for _ in range(30):
            t = time.perf_counter()
            table.action_cursor(1)
            draw()
            own_moves.append(time.perf_counter() - t)
        own_filter = []
        for text in ("t", "ta", "tal", "tall", "talle", "taller"):
            t = time.perf_counter()
            search.value = text  # the search may follow the value itself...
            screen.apply_filters()  # ...or be run here
            draw()
            own_filter.append(time.perf_counter() - t)
        median = lambda values: sorted(values)[len(values) // 2] * 1000
        out["rows"] = len(app.snapshot.forecast.items)
        out["move_ms"] = median([shown for shown, _ in moves])
        out["filter_key_ms"] = median([shown for shown, _ in typing])
        out["move_settled_ms"] = median([settled for _, settled in moves])
        out["filter_settled_ms"] = median([settled for _, settled in typing])
        out["move_max_ms"] = max(shown for shown, _ in moves) * 1000
        out["filter_key_max_ms"] = max(shown for shown, _ in typing) * 1000
        out["move_own_ms"] = median(own_moves)
        out["filter_own_ms"] = median(own_filter)
    print(json.dumps(out))

asyncio.run(main(sys.argv[1]))
"""


def child_code(generated: bool) -> str:
    """The child's code. A generated plan's titles are all "Tarea N": it searches for those."""
    if not generated:
        return CHILD
    return CHILD.replace('"taller 1"', '"tarea 1"').replace(
        '("t", "ta", "tal", "tall", "talle", "taller")',
        '("t", "ta", "tar", "tare", "tarea", "tarea 1")',
    )


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


def measure(url: str, repeats: int, generated: bool) -> dict[str, float]:
    runs = []
    for _ in range(repeats):
        out = subprocess.run(
            [sys.executable, "-c", child_code(generated), url],
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
            results[size] = measure(url, args.repeats, generated=size > 51)
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
        "first frame / data shown: process start to the first frame painted (and the first "
        "with the data); move/filter key: key event posted to the app until the frame showing "
        "its effect is painted (median); (ours): the handler and drawing the visible lines."
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
