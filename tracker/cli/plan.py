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
    orgs.add_argument(
        "--who", help=_("only organisations whose name, acronym or any alias has this")
    )
    orgs.add_argument("--json", action="store_true", help=_("machine-readable output"))
    orgs.set_defaults(run=cmd_orgs)

    load = verbs.add_parser(
        "load", help=_("items each organisation leads and supports, week by week")
    )
    load.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    load.add_argument("--who", help=_("only organisations whose name, acronym or alias has this"))
    load.add_argument("--json", action="store_true", help=_("machine-readable output"))
    load.set_defaults(run=cmd_load)

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
    _warn(plan, schedule)
    return 0


def _warn(plan: Any, schedule: Any) -> None:
    """Deadlines the schedule misses and leads carrying more than their capacity: on stderr,
    so the plan is still valid (exit 0) but nobody reads past it."""
    import sys

    from tracker.schedule.workload import workload

    for item in plan.items.values():
        s = schedule.items[item.id]
        if s.late_for_deadline:
            print(
                _("warning: {id} finishes on {finish}, after its deadline {deadline}").format(
                    id=item.id, finish=s.finish, deadline=item.deadline
                ),
                file=sys.stderr,
            )
    for load in workload(plan, schedule):
        for over in load.overloads:
            print(_overload_message(load.name, load.capacity or 0, over), file=sys.stderr)


def cmd_show(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import one_line, table
    from tracker.plan.organisations import canonical_name
    from tracker.plan.sources import date_sources

    plan = _load(args)
    rows = []
    for item in plan.items.values():
        lead = ", ".join(dict.fromkeys(canonical_name(plan, who) for who in item.leads))
        rows.append(
            [
                item.id,
                _kind_label(item.kind),
                item.group,
                lead,
                str(len(item.deliverables)) if item.deliverables else "",
                date_sources(item).code,
                one_line(item.title),
            ]
        )
    print(one_line(plan.meta.title))
    for area in plan.areas:
        print(f"  {_('Area')} {area.id}: {one_line(area.title)}")
    for stage in plan.stages:
        print(f"  {stage.id}: {one_line(stage.title)}")
    print()
    table([_("ID"), _("KIND"), _("AREA"), _("LEAD"), _("PROD."), _("DATES"), _("TITLE")], rows)
    print()
    print(
        _(
            "DATES: D = placed by the document alone; S = by our assumptions; D+S = both "
            "(see `plan schedule`). Products of a shared row count for each of its tasks."
        )
    )
    return 0


def _kind_label(kind: str) -> str:
    return {"task": _("task"), "activity": _("activity"), "milestone": _("milestone")}[kind]


def _sources_json(item: Any) -> dict[str, Any]:
    """Where each input of the item's dates comes from (documento or supuesto)."""
    from tracker.plan.sources import date_sources

    sources = date_sources(item)
    return {
        "dates_from_document": sources.from_document,
        "duration_source": sources.duration or None,
        "not_before": item.not_before.isoformat() if item.not_before else None,
        "not_before_source": sources.not_before or None,
        "window": item.quarters,
        "window_source": sources.window or None,
        "links": [
            {"id": link.id, "lag": link.lag, "source": link.source, "note": link.note}
            for link in sources.links
        ],
        "note": item.note,
    }


def cmd_schedule(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import print_json, table
    from tracker.plan.sources import date_sources
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
                        **_sources_json(item),
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
                date_sources(item).code,
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
            _("SOURCE"),
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
    print(
        _(
            "SOURCE: D = the document states the duration and every link; S = all assumed by "
            "the team (duration, links, start not before a date, window); D+S = some of each. "
            "The source has no schedule: every date is computed. `plan schedule --json` gives "
            "the source and note of each duration and link."
        )
    )
    windows = [i for i in plan.items.values() if i.quarters]
    if windows:
        print(_("Windows (the quarters an item is scheduled in):"))
        for item in windows:
            whose = (
                _("assumed by the team") if item.window_source == "supuesto" else _("the document")
            )
            print(f"  {item.id}: {', '.join(item.quarters)} ({whose})")
    _warn(plan, schedule)
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
    from tracker.plan.organisations import OrganisationIndex, matches, name_key

    plan = _load(args)
    entries = OrganisationIndex(plan).involvements()
    if args.who:
        needle = name_key(args.who)
        entries = [
            e
            for e in entries
            if any(matches(o, args.who) for o in e.organisations)
            or any(needle in name_key(w) for w in (e.name, *e.written))
        ]
    if args.json:
        print_json(
            [
                {
                    "name": e.name,
                    "acronym": e.entity.acronym if e.entity else None,
                    "kind": e.entity.kind if e.entity else None,
                    "aliases": list(e.entity.aliases) if e.entity else [],
                    "capacity": e.entity.capacity if e.entity else None,
                    "written": e.written,
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
        if entry.entity is not None:
            extra = entry.entity.acronym
            others = [w for w in entry.written if name_key(w) != name_key(entry.name)]
            if others:
                extra = "; ".join(
                    filter(
                        None, (extra, _("also written: {names}").format(names=", ".join(others)))
                    )
                )
        else:
            extra = "; ".join(f"{o.acronym} = {o.name}" for o in entry.organisations)
        print(one_line(entry.name) + (f"  ({one_line(extra)})" if extra else ""))
        by_capacity: dict[str, list[str]] = {}
        for item_id, capacity in entry.places:
            by_capacity.setdefault(capacity, []).append(item_id)
        for capacity, ids in by_capacity.items():
            print(f"    {one_line(capacity)}: {', '.join(ids)}")
    return 0


def cmd_load(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import one_line, print_json
    from tracker.schedule.passes import compute_schedule
    from tracker.schedule.workload import workload

    plan = _load(args)
    loads = workload(plan, compute_schedule(plan), args.who)
    if args.json:
        print_json(
            [
                {
                    "organisation": load.name,
                    "capacity": load.capacity,
                    "most_led_at_once": load.most_led_at_once,
                    "overloads": [
                        {
                            "first": o.first.isoformat(),
                            "last": o.last.isoformat(),
                            "most": o.most,
                            "items": list(o.items),
                        }
                        for o in load.overloads
                    ],
                    "weeks": [
                        {
                            "week": w.week.isoformat(),
                            "led": w.led,
                            "supported": w.supported,
                            "most_led_at_once": w.most_led_at_once,
                        }
                        for w in load.weeks
                    ],
                }
                for load in loads
            ]
        )
        return 0
    if not loads:
        print(_("No organisation matches."))
        return 0
    weeks = [w.week for w in loads[0].weeks]
    print(
        _(
            "Items led / supported per week (L/S); {mark} more led at once than its capacity."
        ).format(mark="!")
    )
    print(" " * 30 + " ".join(f"{d:%d/%m}" for d in weeks))
    for load in loads:
        label = one_line(load.name)[:24]
        if load.capacity is not None:
            label += f" ({load.capacity})"
        cells = []
        for week in load.weeks:
            cell = f"{len(week.led)}/{len(week.supported)}" if week.led or week.supported else "·"
            if load.capacity is not None and week.most_led_at_once > load.capacity:
                cell += "!"
            cells.append(f"{cell:>5}")
        print(f"{label:30}" + " ".join(cells))
    for load in loads:
        for over in load.overloads:
            print(_overload_message(load.name, load.capacity or 0, over))
    return 0


def _overload_message(name: str, capacity: int, over: Any) -> str:
    return _(
        "warning: {org} leads {most} items at once between {first} and {last} ({items}); "
        "the plan gives it a capacity of {capacity}"
    ).format(
        org=name,
        most=over.most,
        first=over.first,
        last=over.last,
        items=", ".join(over.items),
        capacity=capacity,
    )
