"""Generate a deterministic, valid plan of N schedulable items in our YAML format.

    python bench/gen_plan.py 10000 -o /tmp/plan10k.yaml [--seed 1] [--tjp /tmp/plan10k.tjp]

Areas of tasks with durations of 1–20 working days and 0–3 finish-to-start predecessors
among earlier items (some with a lag, some through a deliverable), long chains so that a
critical path exists, a few not-before dates and milestones.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from datetime import date, timedelta
from pathlib import Path

CHAIN_EVERY = 7  # every 7th item continues the long chain of its area
CHAIN_LENGTH = 25  # ... for 25 links (about a year of work), then a new chain begins


def generate_plan(n: int, seed: int = 1, start: date = date(2018, 1, 1)) -> str:
    """YAML text of a valid plan with ``n`` schedulable items."""
    rng = random.Random(seed)
    areas = max(1, min(20, n // 50))
    per_area = -(-n // areas)
    end = date(start.year + 4, 12, 31)
    out = [
        "format: tracker-plan/1",
        "plan:",
        f"  id: generado-{n}-{seed}",
        f"  title: Plan generado de {n} elementos (semilla {seed})",
        "  country: PA",
        f"  period: {{start: {start.isoformat()}, end: {end.isoformat()}}}",
        "areas:",
    ]
    count = 0
    for a in range(1, areas + 1):
        out += [f'- id: "{a}"', f"  title: Área {a}", "  tasks:"]
        made: list[str] = []
        products: list[str] = []
        chain_end: str | None = None
        links = 0
        for _ in range(per_area):
            if count >= n:
                break
            count += 1
            item_id = f"{a}.{count}"
            deps: list[str] = []
            if count % CHAIN_EVERY == 0 and chain_end is not None:
                deps.append(json.dumps(chain_end))
            if made:
                # Uniform over the area's earlier items keeps random paths short (log n).
                for _k in range(rng.randint(0, 3)):
                    pre = rng.choice(made)
                    if rng.random() < 0.15:
                        deps.append(f'{{id: "{pre}", lag: {rng.randint(1, 3)}}}')
                    else:
                        deps.append(json.dumps(pre))
                if products and rng.random() < 0.1:
                    deps.append(json.dumps(rng.choice(products)))
            deps = list(dict.fromkeys(deps))
            duration = rng.randint(1, 20)
            line = f'    - {{id: "{item_id}", title: Tarea {item_id}, duration: {duration}'
            if deps:
                line += ", depends_on: [" + ", ".join(deps) + "]"
            if rng.random() < 0.02:
                offset = rng.randint(0, 200)
                line += f", not_before: {(start + timedelta(days=offset)).isoformat()}"
            if rng.random() < 0.1:
                product = f"{item_id}-P1"
                line += f', products: [{{id: "{product}", title: Producto de {item_id}}}]'
                products.append(product)
            out.append(line + "}")
            made.append(item_id)
            if count % CHAIN_EVERY == 0 or chain_end is None:
                links += 1
                chain_end = None if links % CHAIN_LENGTH == 0 else item_id
    return "\n".join(out) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[1])
    parser.add_argument("n", type=int, help="number of schedulable items")
    parser.add_argument("-o", "--output", required=True, help="YAML file to write")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--tjp", help="also write the TaskJuggler project to this file")
    args = parser.parse_args(argv)
    Path(args.output).write_text(generate_plan(args.n, args.seed), encoding="utf-8")
    if args.tjp:
        from tracker.exporters.tjp import write_tjp
        from tracker.plan.load import load_plan

        write_tjp(load_plan(args.output), args.tjp)
    return 0


if __name__ == "__main__":
    sys.exit(main())
