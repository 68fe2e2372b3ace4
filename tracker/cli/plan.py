"""``tracker plan ...``: validate, show and schedule a plan file."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tracker.i18n import _


def default_plan_path() -> str:
    """The bundled Phase II plan: ./data/plan_fase2.yaml, else the one beside this package."""
    local = Path("data/plan_fase2.yaml")
    if local.exists():
        return str(local)
    return str(Path(__file__).resolve().parents[2] / "data" / "plan_fase2.yaml")


def register(nouns: Any) -> None:
    parser = nouns.add_parser("plan", help=_("validate, show and schedule a plan file"))
    verbs = parser.add_subparsers(dest="verb", metavar=_("ACTION"), required=True)

    check = verbs.add_parser("check", help=_("validate a plan file"))
    check.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    check.set_defaults(run=cmd_check)

    show = verbs.add_parser("show", help=_("areas and tasks as a table"))
    show.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    show.set_defaults(run=cmd_show)

    schedule = verbs.add_parser("schedule", help=_("planned dates, slack and critical path"))
    schedule.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    schedule.add_argument("--json", action="store_true", help=_("machine-readable output"))
    schedule.set_defaults(run=cmd_schedule)

    deps = verbs.add_parser(
        "deps", help=_("what an item or deliverable waits on, and what waits on it")
    )
    deps.add_argument("id", help=_("item or deliverable id, e.g. 3.5.2-P1"))
    deps.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    deps.add_argument("--json", action="store_true", help=_("machine-readable output"))
    deps.set_defaults(run=cmd_deps)

    orgs = verbs.add_parser(
        "orgs", help=_("organisations named in roles, working groups and allies, and where")
    )
    orgs.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    orgs.add_argument("--who", help=_("only names containing this text or acronym"))
    orgs.add_argument("--json", action="store_true", help=_("machine-readable output"))
    orgs.set_defaults(run=cmd_orgs)

    # Works on the database's plan, not a file: its command lives in tracker.cli.rebase.
    from tracker.cli.rebase import register_plan_verb

    register_plan_verb(verbs)


def _load(args: argparse.Namespace) -> Any:
    from tracker.plan.load import load_plan

    return load_plan(args.path or default_plan_path())


def cmd_check(args: argparse.Namespace) -> int:
    from tracker.schedule.passes import compute_schedule

    plan = _load(args)
    schedule = compute_schedule(plan)
    tasks = sum(1 for i in plan.items.values() if i.kind == "task")
    print(
        _(
            "{path}: valid plan {id}: {areas} areas, {tasks} tasks, {items} schedulable items, "
            "{deliverables} deliverables, {targets} communication targets; "
            "{start} – {finish}"
        ).format(
            path=plan.path,
            id=plan.meta.id,
            areas=len(plan.areas),
            tasks=tasks,
            items=len(plan.items),
            deliverables=len(plan.deliverables),
            targets=len(plan.communication.targets) if plan.communication else 0,
            start=schedule.start,
            finish=schedule.finish,
        )
    )
    return 0


def cmd_show(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import one_line, table

    plan = _load(args)
    rows = []
    for item in plan.items.values():
        lead = ", ".join(item.leads)
        rows.append(
            [
                item.id,
                _kind_label(item.kind),
                item.group,
                lead,
                str(len(item.deliverables)) if item.deliverables else "",
                one_line(item.title),
            ]
        )
    print(one_line(plan.meta.title))
    for area in plan.areas:
        print(f"  {_('Area')} {area.id}: {one_line(area.title)}")
    for stage in plan.stages:
        print(f"  {stage.id}: {one_line(stage.title)}")
    print()
    table([_("ID"), _("KIND"), _("AREA"), _("LEAD"), _("PROD."), _("TITLE")], rows)
    return 0


def _kind_label(kind: str) -> str:
    return {"task": _("task"), "activity": _("activity"), "milestone": _("milestone")}[kind]


def cmd_schedule(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import print_json, table
    from tracker.schedule.passes import compute_schedule

    plan = _load(args)
    schedule = compute_schedule(plan)
    if args.json:
        print_json(
            {
                "plan": plan.meta.id,
                "start": schedule.start.isoformat(),
                "finish": schedule.finish.isoformat(),
                "critical_path": schedule.critical_path,
                "items": [
                    {
                        "id": item.id,
                        "kind": item.kind.value,
                        "area": item.group,
                        "title": item.title,
                        "start": s.start.isoformat(),
                        "finish": s.finish.isoformat(),
                        "duration_days": item.duration,
                        "slack_days": s.slack,
                        "critical": s.critical,
                        "depends_on": [d.id for d in item.depends_on],
                        "deadline": item.deadline.isoformat() if item.deadline else None,
                        "late_for_deadline": s.late_for_deadline,
                    }
                    for item, s in ((i, schedule.items[i.id]) for i in plan.items.values())
                ],
                "deliverables": [
                    {
                        "id": d.id,
                        "producer": d.producer,
                        "due": schedule.deliverable_due[d.id].isoformat(),
                    }
                    for d in plan.deliverables.values()
                ],
            }
        )
        return 0
    rows = []
    for item in plan.items.values():
        s = schedule.items[item.id]
        flags = "◆ " if item.kind == "milestone" else ""
        mark = "*" if s.critical else ""
        if s.late_for_deadline:
            mark += "!"
        rows.append(
            [
                item.id,
                item.group,
                s.start.isoformat(),
                s.finish.isoformat(),
                str(item.duration),
                str(s.slack),
                mark,
                flags + item.title,
            ]
        )
    table(
        [
            _("ID"),
            _("AREA"),
            _("START"),
            _("FINISH"),
            _("DAYS"),
            _("SLACK"),
            _("CRIT."),
            _("TITLE"),
        ],
        rows,
    )
    print()
    print(
        _("Planned: {start} – {finish}. Critical path: {path}").format(
            start=schedule.start, finish=schedule.finish, path=" → ".join(schedule.critical_path)
        )
    )
    print(
        _(
            "* critical (no slack); ! finishes after its deadline. Durations in working days "
            "(Mon–Fri without {country} public holidays)."
        ).format(country=plan.calendar_country or "-")
    )
    return 0


def cmd_deps(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import one_line, print_json
    from tracker.plan.graph import PlanGraph

    plan = _load(args)
    graph = PlanGraph(plan)
    node = args.id
    before, after, waiting = (
        graph.predecessors(node),
        graph.successors(node),
        graph.waiting_on(node),
    )
    if args.json:
        print_json({"id": node, "predecessors": before, "successors": after, "waiting": waiting})
        return 0

    def title(node_id: str) -> str:
        found = plan.items.get(node_id) or plan.deliverables.get(node_id)
        return one_line(found.title) if found else ""

    print(f"{node}  {title(node)}")
    for label, ids in (
        (_("Waits on"), before),
        (_("Directly needed by"), after),
        (_("Everything waiting on it"), waiting),
    ):
        print(f"\n{label} ({len(ids)}):")
        for other in ids:
            print(f"  {other:10} {title(other)}")
    return 0


def cmd_orgs(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import one_line, print_json
    from tracker.plan.organisations import OrganisationIndex

    plan = _load(args)
    entries = OrganisationIndex(plan).involvements()
    if args.who:
        needle = args.who.casefold()
        entries = [
            e
            for e in entries
            if needle in e.name.casefold()
            or any(needle == o.acronym.casefold() for o in e.organisations)
        ]
    if args.json:
        print_json(
            [
                {
                    "name": e.name,
                    "organisations": [
                        {"acronym": o.acronym, "name": o.name} for o in e.organisations
                    ],
                    "items": [{"id": i, "capacity": c} for i, c in e.places],
                }
                for e in entries
            ]
        )
        return 0
    for entry in entries:
        expanded = "; ".join(f"{o.acronym} = {o.name}" for o in entry.organisations)
        print(one_line(entry.name) + (f"  ({one_line(expanded)})" if expanded else ""))
        by_capacity: dict[str, list[str]] = {}
        for item_id, capacity in entry.places:
            by_capacity.setdefault(capacity, []).append(item_id)
        for capacity, ids in by_capacity.items():
            print(f"    {one_line(capacity)}: {', '.join(ids)}")
    return 0
