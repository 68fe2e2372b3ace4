"""TUI speed: process start to first paint with data, the first visit to every screen, and
key-to-screen latency, on SQLite and PostgreSQL side by side.

    python bench/tui_bench.py [--sizes 51,10000] [--repeats 3] [--no-pg] [--pg URL] [--json]

Each size and database runs in a fresh process (imports included): for 51, the demo database
(the bundled plan with its made-up history, ``tracker demo``); otherwise a generated plan
(bench/gen_plan.py) loaded with ``tracker init``. SQLite is a temporary file; PostgreSQL a
fresh schema (dropped afterwards) of ``--pg``. Times end when the compositor paints a frame
(README.md, "What is measured"). Figures are medians.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PG = os.environ.get("TRACKER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")

# The screens visited, in this order, by the key that opens each (the Panel is the first one
# shown: its visit runs from the data's arrival to its first frame with them).
SCREENS = (
    ("tasks", "2"),
    ("schedule", "3"),
    ("communication", "4"),
    ("actors", "5"),
    ("mesa", "6"),
    ("board", "7"),
    ("activity", "8"),
)

CHILD = r"""
import time
START = time.perf_counter()
import asyncio, json, sys
from datetime import date

QUIET = 0.1  # no frame for this long: whatever the key set off has been painted
SCREENS = __SCREENS__


async def main(url):
    from textual import events
    import tui.data
    from tui.app import TrackerApp
    from tui.screens.base import TrackerScreen
    from tui.widgets.itemtable import ItemTable

    app = TrackerApp(url, as_of=date(2018, 4, 16), poll_seconds=0)
    # When the data arrived (the snapshot handed to the screens) and how long reading it took
    # in the loading worker (the database read and the state built from it).
    applied, loads = [], []
    apply = app._apply

    def timed_apply(*args):
        applied.append(time.perf_counter())
        apply(*args)

    app._apply = timed_apply
    load_snapshot = tui.data.load_snapshot

    def timed_load(*args, **kwargs):
        t = time.perf_counter()
        try:
            return load_snapshot(*args, **kwargs)
        finally:
            loads.append(time.perf_counter() - t)

    tui.data.load_snapshot = timed_load
    prepare = getattr(tui.data, "prepare", None)  # (an app that builds nothing ahead: none)
    prepared = []  # when the screens' views of the first snapshot were ready

    def timed_prepare(*args, **kwargs):
        try:
            return prepare(*args, **kwargs)
        finally:
            prepared.append(time.perf_counter())

    if prepare is not None:
        tui.data.prepare = timed_prepare

    def complete(screen):
        # A screen is complete once it drew the data the app holds and no worker of its own
        # (a history, the communication log) is still reading.
        if getattr(screen, "shown", True) is not app.snapshot and hasattr(screen, "shown"):
            return False
        return not any(w.node is screen and not w.is_finished for w in app.workers)

    # Every frame the compositor hands to the driver: its time, its screen, whether that
    # screen was complete, and whether it repainted the table. Headless, Textual skips
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
        table_painted = bool(watched) and watched[0] in screen._dirty_widgets
        data = getattr(screen, "shown", None) is not None
        frames.append((time.perf_counter(), screen, complete(screen), table_painted, data))

    app._display = paint

    async def settle(key, done):
        # Post the key as the terminal driver does and wait until it has settled (done()
        # and no frame for QUIET). Quiet is counted in polls, not in time since the last
        # frame: a poll runs only when the event loop is free, so a handler blocking it
        # cannot pass for quiet.
        event = events.Key(key, key if len(key) == 1 else " " if key == "space" else None)
        event.set_sender(app)
        seen = len(frames)
        posted = time.perf_counter()
        app.post_message(event)
        quiet, count = 0, seen
        while quiet < 5:
            await asyncio.sleep(QUIET / 5)
            if len(frames) == count and count > seen and done():
                quiet += 1
            else:
                quiet, count = 0, len(frames)
            if time.perf_counter() - posted > 60:
                raise TimeoutError(f"{key}: no frame showed its effect")
        return posted, frames[seen:]

    firsts = {}

    async def key_to_screen(key, done):
        # Key to screen ends with the last frame that repainted the table (a frame echoing
        # the key in the search box alone does not count); key to settled, with the last
        # frame (such as Textual's own follow-up repaint of the scroll bar, a frame period
        # or two later).
        posted, new = await settle(key, done)
        shown = [f[0] for f in new if f[3]] or [new[-1][0]]
        firsts.setdefault(key, []).append(shown[0] - posted)  # the first frame with it
        return shown[-1] - posted, new[-1][0] - posted

    async def visit(key, kind=None):
        # Key to the first frame of the new screen complete (its data drawn, its own reads
        # done); to settled, the last frame it set off.
        before = app.screen
        def done():
            screen = app.screen
            new = screen is not before and (kind is None or isinstance(screen, kind))
            return new and complete(screen)
        posted, new = await settle(key, done)
        firsts = [f[0] for f in new if f[1] is app.screen and f[2]] or [new[-1][0]]
        return (firsts[0] - posted) * 1000, (new[-1][0] - posted) * 1000

    out = {}
    async with app.run_test(size=(120, 40)) as pilot:
        async def until(check, what):
            waited = time.perf_counter()
            while not check():
                if time.perf_counter() - waited > 60:
                    raise TimeoutError(f"{what} never came (the screen: {app.screen!r})")
                await asyncio.sleep(0.002)

        mine = lambda f: isinstance(f[1], TrackerScreen)
        await until(lambda: any(mine(f) for f in frames), "the first frame")
        out["first_frame_s"] = next(f[0] for f in frames if mine(f)) - START
        shown = lambda f: mine(f) and f[2] and f[4]
        await until(lambda: any(shown(f) for f in frames), "the data")
        panel_shown = next(f[0] for f in frames if shown(f))
        out["data_shown_s"] = panel_shown - START
        out["load_s"] = loads[0]
        out["visit_panel_ms"] = (panel_shown - applied[0]) * 1000
        # The loading worker goes on to build the other screens' rows: the visits begin
        # once it is done (how long after the data it is, is reported).
        await until(lambda: prepared or prepare is None, "the screens' rows")
        prepared.append(panel_shown)
        out["views_ready_ms"] = (prepared[0] - panel_shown) * 1000
        await pilot.pause(0.3)
        for name, key in SCREENS:
            out[f"visit_{name}_ms"], out[f"visit_{name}_settled_ms"] = await visit(key)
        await pilot.pause(0.2)
        # The detail of an item (Enter in Tareas), and the status dialog (e).
        await pilot.press("2")
        await pilot.pause(0.2)
        from tui.screens.detail import DetailScreen
        from tui.screens.status import StatusScreen

        out["visit_detail_ms"], out["visit_detail_settled_ms"] = await visit("enter", DetailScreen)
        await pilot.press("escape")
        await pilot.pause(0.2)
        out["visit_dialog_ms"], out["visit_dialog_settled_ms"] = await visit("e", StatusScreen)
        await pilot.press("escape")
        await pilot.pause(0.2)
        screen = app.screen
        table = screen.query_one(ItemTable)
        search = screen.query_one("#search")
        late = screen.query_one("#late")
        watched.append(table)
        moves = []
        for _ in range(30):
            target = table.cursor + 1
            moves.append(await key_to_screen("down", lambda: table.cursor == target))
        # A filter: late only, on and off.
        filters = []
        for _ in range(3):
            for value in (True, False):
                done = lambda: late.value is value and screen._shown_for[0][3] is value
                filters.append(await key_to_screen("l", done))
        await pilot.press("slash")
        search.cursor_blink = False  # its blink would paint frames of its own
        await pilot.pause()
        typing = []
        for ch in "taller 1":
            text = search.value + ch
            key = ch if ch != " " else "space"
            typing.append(await key_to_screen(key, lambda: search.value == text))
        # Enter in the search box: to the first match, in the table.
        jump = await key_to_screen("enter", lambda: screen.focused is table and table.cursor == 0)
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
        out["late_key_ms"] = median([shown for shown, _ in filters])
        out["late_key_max_ms"] = max(shown for shown, _ in filters) * 1000
        out["late_key_first_ms"] = median(firsts["l"])
        out["search_enter_ms"] = jump[0] * 1000
        out["move_settled_ms"] = median([settled for _, settled in moves])
        out["filter_settled_ms"] = median([settled for _, settled in typing])
        out["move_max_ms"] = max(shown for shown, _ in moves) * 1000
        out["filter_key_max_ms"] = max(shown for shown, _ in typing) * 1000
        out["move_own_ms"] = median(own_moves)
        out["filter_own_ms"] = median(own_filter)
    print(json.dumps(out))

asyncio.run(main(sys.argv[1]))
""".replace("__SCREENS__", repr(SCREENS))


def child_code(generated: bool) -> str:
    """The child's code. A generated plan's titles are all "Tarea N": it searches for those."""
    if not generated:
        return CHILD
    return CHILD.replace('"taller 1"', '"tarea 1"').replace(
        '("t", "ta", "tal", "tall", "talle", "taller")',
        '("t", "ta", "tar", "tare", "tarea", "tarea 1")',
    )


@contextmanager
def database(backend: str, size: int, workdir: Path, pg: str) -> Iterator[str]:
    """A database holding the plan of ``size`` items: the demo for 51, else a generated plan."""
    if backend == "sqlite":
        url = f"sqlite:///{workdir / f'bench-{size}.db'}"
        fill(url, size, workdir)
        yield url
        return
    from sqlalchemy import create_engine, text

    schema = f"bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(pg)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in pg else "?"
    url = f"{pg}{sep}options=-csearch_path%3D{schema}"
    try:
        fill(url, size, workdir)
        yield url
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


def fill(url: str, size: int, workdir: Path) -> None:
    if size <= 51:
        code = (
            "import sys; from tracker.demo.generate import create_demo_database; "
            "from tracker.plan.load import load_plan; "
            "create_demo_database(sys.argv[1], load_plan('data/plan_fase2.yaml'))"
        )
        subprocess.run([sys.executable, "-c", code, url], cwd=ROOT, check=True, capture_output=True)
        return
    plan = workdir / f"plan-{size}.yaml"
    if not plan.exists():
        sys.path.insert(0, str(ROOT))
        from bench.gen_plan import generate_plan

        plan.write_text(generate_plan(size), encoding="utf-8")
    subprocess.run(
        [sys.executable, "-m", "tracker", "init", "--plan", str(plan), "--db", url],
        cwd=ROOT,
        check=True,
        capture_output=True,
    )


def measure(url: str, repeats: int, generated: bool) -> dict[str, float]:
    runs = []
    for _ in range(repeats):
        done = subprocess.run(
            [sys.executable, "-c", child_code(generated), url],
            cwd=ROOT,
            capture_output=True,
            text=True,
            env={**os.environ, "TRACKER_LANG": "es"},
        )
        if done.returncode != 0:
            raise SystemExit(f"the measuring process failed:\n{done.stderr[-3000:]}")
        runs.append(json.loads(done.stdout.strip().splitlines()[-1]))
    return {key: statistics.median(r[key] for r in runs) for key in runs[0]}


def pg_reachable(pg: str) -> bool:
    from sqlalchemy import create_engine, text

    try:
        engine = create_engine(pg)
        with engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        engine.dispose()
        return True
    except Exception:
        return False


VISITS = ("panel", *(name for name, _key in SCREENS), "detail", "dialog")


def report(results: dict[tuple[int, str], dict[str, float]]) -> None:
    """One column per size and database, peers side by side."""
    heads = [f"{int(r['rows']):,} {backend}" for (_size, backend), r in results.items()]
    cols = list(results.values())
    width = max(14, *(len(h) + 1 for h in heads))

    def line(label: str, cells: list[str]) -> None:
        print(f"{label:<30}" + "".join(f"{c:>{width}}" for c in cells))

    line("", heads)
    line("first frame (from start)", [f"{r['first_frame_s'] * 1000:.0f} ms" for r in cols])
    line("data shown (from start)", [f"{r['data_shown_s'] * 1000:.0f} ms" for r in cols])
    line("data read (load worker)", [f"{r['load_s'] * 1000:.0f} ms" for r in cols])
    line("screens' rows ready (after)", [f"{r['views_ready_ms']:.0f} ms" for r in cols])
    for name in VISITS:
        line(f"first visit: {name}", [f"{r[f'visit_{name}_ms']:.0f} ms" for r in cols])
    for label, key in (
        ("key ↓ (Tareas)", "move_ms"),
        ("key typed in search", "filter_key_ms"),
        ("key l (late only filter)", "late_key_ms"),
        ("  l: first frame with the rows", "late_key_first_ms"),
        ("Enter in search (1st match)", "search_enter_ms"),
        ("  ↓ worst of 30", "move_max_ms"),
        ("  typed: worst of 8", "filter_key_max_ms"),
        ("  l: worst of 6", "late_key_max_ms"),
    ):
        line(label, [f"{r[key]:.1f} ms" for r in cols])
    pairs = [
        (size, r, results.get((size, "postgresql")))
        for (size, backend), r in results.items()
        if backend == "sqlite"
    ]
    for size, lite, pg in pairs:
        if pg is not None:
            print(
                f"{size:,} items, PostgreSQL / SQLite: data shown "
                f"{pg['data_shown_s'] / lite['data_shown_s']:.2f}×, data read "
                f"{pg['load_s'] / lite['load_s']:.2f}×"
            )
    print(
        "first visit: the key (Enter, e) posted to the first frame of the new screen with its "
        "data and its own reads done (the Panel: from the data's arrival), once the loading "
        "worker has built the screens' rows (ready that long after the data is shown); keys: "
        "posted to the frame showing their effect (medians)."
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("--sizes", default="51,10000")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--no-pg", action="store_true", help="SQLite only")
    parser.add_argument("--pg", default=PG, help="PostgreSQL URL (a schema is made in it)")
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    backends = ["sqlite"]
    if not args.no_pg:
        if pg_reachable(args.pg):
            backends.append("postgresql")
        else:
            print(f"PostgreSQL not reachable at {args.pg}: SQLite only", file=sys.stderr)
    results: dict[tuple[int, str], dict[str, float]] = {}
    load = os.getloadavg()
    with tempfile.TemporaryDirectory() as tmp:
        for size in (int(s) for s in args.sizes.split(",")):
            for backend in backends:
                with database(backend, size, Path(tmp), args.pg) as url:
                    results[size, backend] = measure(url, args.repeats, generated=size > 51)
    after = os.getloadavg()
    if args.json:
        print(json.dumps({f"{s} {b}": r for (s, b), r in results.items()}, indent=2))
        return 0
    report(results)
    print(
        f"load average (1/5/15 min): {' '.join(f'{x:.2f}' for x in load)} at start, "
        f"{' '.join(f'{x:.2f}' for x in after)} at end"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
