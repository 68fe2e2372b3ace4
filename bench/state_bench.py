"""The plan's state on a past date, measured against today's, with a long history.

    python bench/state_bench.py [--items 10000] [--changes 100000] [--repeats 5] [--no-pg]

Builds a generated plan of N items, then records M status changes spread over the plan's
first year (bulk-inserted the way the commands record them: before/after snapshots and an
effective day, the rows left in their final state). Prints, side by side in one run, the
cold wall time of:

- ``tracker status`` (today: no replay) and ``tracker status --as-of`` three past dates
  (a replay of the history);
- ``tracker set`` against ``tracker status`` on a small plan (the bundled one), SQLite;
- ``tracker status`` on PostgreSQL against SQLite, bundled plan.

Targets (issue "one true state"): ``status --as-of`` any date < 0.5 s and at most 1.5x
``status`` today at 10,000 items and 100,000 changes; ``set`` at most 1.5x ``status`` on
SQLite; PostgreSQL ``status`` at most 1.5x SQLite.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
PG = os.environ.get("TRACKER_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")


def tracker(*args: str, env: dict[str, str]) -> float:
    start = time.perf_counter()
    result = subprocess.run(
        [sys.executable, "-m", "tracker", *args], capture_output=True, text=True, env=env
    )
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        raise SystemExit(f"tracker {' '.join(args)} failed: {result.stderr.strip()}")
    return elapsed


def timed(label: str, args: list[str], env: dict[str, str], repeats: int) -> float:
    runs = [tracker(*args, env=env) for _ in range(repeats)]
    median = statistics.median(runs)
    print(f"  {label:<44} {median * 1000:8.0f} ms  (min {min(runs) * 1000:.0f})", flush=True)
    return median


def build_history(url: str, changes: int, seed: int = 7) -> None:
    """Record ``changes`` status changes in bulk, in effective order, like the commands do."""
    from sqlalchemy import insert, select, update

    from tracker.store.models import ChangeRow, ItemRow, PlanRow
    from tracker.store.store import cached_engine

    engine = cached_engine(url)
    rng = random.Random(seed)
    with engine.begin() as conn:
        plan_id = conn.execute(select(PlanRow.id)).scalar_one()
        keys = [k for (k,) in conn.execute(select(ItemRow.key).where(ItemRow.plan_id == plan_id))]
        state = {
            k: {
                "status": "pendiente",
                "percent": 0,
                "actual_start": None,
                "actual_finish": None,
                "reason": "",
            }
            for k in keys
        }
        first = date(2018, 1, 2)
        rows = []
        for n in range(changes):
            day = first + timedelta(days=n * 365 // changes)
            key = rng.choice(keys)
            before = dict(state[key])
            after = dict(before)
            if before["status"] == "completada":
                after.update(status="en_curso", actual_finish=None, percent=50)
            elif before["status"] == "pendiente":
                after.update(status="en_curso", actual_start=day.isoformat(), percent=10)
            elif before["percent"] >= 80:
                after.update(status="completada", actual_finish=day.isoformat(), percent=100)
            else:
                after.update(percent=before["percent"] + 10)
            state[key] = after
            rows.append(
                {
                    "plan_id": plan_id,
                    "at": datetime(2018, 1, 2, tzinfo=UTC) + timedelta(minutes=n),
                    "effective": day,
                    "author": "bench",
                    "entity": "item",
                    "entity_key": key,
                    "action": "status",
                    "before": before,
                    "after": after,
                    "note": "",
                    "undone": False,
                }
            )
        for chunk in range(0, len(rows), 5000):
            conn.execute(insert(ChangeRow), rows[chunk : chunk + 5000])
        for key, fields in state.items():
            conn.execute(
                update(ItemRow)
                .where(ItemRow.plan_id == plan_id, ItemRow.key == key)
                .values(
                    status=fields["status"],
                    percent=fields["percent"],
                    actual_start=date.fromisoformat(fields["actual_start"])
                    if fields["actual_start"]
                    else None,
                    actual_finish=date.fromisoformat(fields["actual_finish"])
                    if fields["actual_finish"]
                    else None,
                )
            )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--items", type=int, default=10000)
    parser.add_argument("--changes", type=int, default=100000)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--no-pg", action="store_true")
    args = parser.parse_args()
    from bench.gen_plan import generate_plan

    work = Path(tempfile.mkdtemp(prefix="state-bench-"))
    env = {**os.environ, "TRACKER_USER": "bench", "TRACKER_LANG": "en"}
    plan = work / "plan.yaml"
    plan.write_text(generate_plan(args.items), encoding="utf-8")
    big = work / "big.db"
    tracker("init", "--plan", str(plan), "--db", str(big), env=env)
    build_history(f"sqlite:///{big}", args.changes)
    print(f"{args.items} items, {args.changes} recorded changes (SQLite):")
    today = timed(
        "status (today: the rows as stored)", ["status", "--db", str(big)], env, args.repeats
    )
    worst = 0.0
    for day in ("2018-02-15", "2018-07-01", "2018-12-15"):
        worst = max(
            worst,
            timed(
                f"status --as-of {day}",
                ["status", "--as-of", day, "--db", str(big)],
                env,
                args.repeats,
            ),
        )
    print(f"  -> worst past date {worst * 1000:.0f} ms, {worst / today:.2f}x today")

    small = work / "small.db"
    tracker("init", "--db", str(small), env=env)
    print("bundled plan, SQLite:")
    status = timed("status", ["status", "--db", str(small)], env, args.repeats)
    sets = [
        tracker("set", "1.1.1", "en_curso", "--percent", str(10 + i), "--date", "2018-01-05",
                "--db", str(small), env=env)
        for i in range(args.repeats)
    ]  # fmt: skip
    set_ = statistics.median(sets)
    print(f"  {'set':<44} {set_ * 1000:8.0f} ms  -> {set_ / status:.2f}x status")
    if not args.no_pg:
        from sqlalchemy import create_engine, text

        schema = f"bench_{uuid.uuid4().hex[:8]}"
        admin = create_engine(PG)
        with admin.begin() as conn:
            conn.execute(text(f"CREATE SCHEMA {schema}"))
        url = f"{PG}?options=-csearch_path%3D{schema}"
        try:
            tracker("init", "--db", url, env=env)
            print("bundled plan, PostgreSQL:")
            pg = timed("status", ["status", "--db", url], env, args.repeats)
            print(f"  -> {pg / status:.2f}x SQLite")
        finally:
            with admin.begin() as conn:
                conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
            admin.dispose()
    print(json.dumps({"work": str(work)}))
    return 0


if __name__ == "__main__":
    sys.exit(main())
