"""Cross-reference checks on a structurally valid plan: ids, dates, periods, cycles."""

from __future__ import annotations

from datetime import date

from tracker.errors import DependencyCycleError, PlanError
from tracker.i18n import _
from tracker.model import Item, Plan, TargetUnit


def validate(plan: Plan) -> list[PlanError]:
    """Every located problem in ``plan`` (empty when it is consistent)."""
    errors: list[PlanError] = []
    path = plan.path
    period = plan.meta.period

    def err(line: int | None, field: str, message: str) -> None:
        errors.append(PlanError(path, line, field, message))

    def check_date(day: date | None, line: int | None, field: str) -> None:
        if day is not None and day not in period:
            err(
                line,
                field,
                _("{day} is outside the plan period {start} – {end}").format(
                    day=day, start=period.start, end=period.end
                ),
            )

    def check_quarter(quarter: str, line: int | None, field: str, start: date, end: date) -> None:
        from tracker.planload import parse_quarter

        bounds = parse_quarter(quarter)
        if bounds is not None and (bounds[1] < start or bounds[0] > end):
            err(
                line,
                field,
                _("quarter {q} is outside the period {start} – {end}").format(
                    q=quarter, start=start, end=end
                ),
            )

    question_ids = {q.id for area in plan.areas for q in area.questions}
    for item in plan.items.values():
        field = _field(item)
        for dep in item.depends_on:
            own_product = (
                dep.id in plan.deliverables and plan.deliverables[dep.id].producer == item.id
            )
            if dep.id == item.id or own_product:
                err(
                    dep.line,
                    f"{field}.depends_on",
                    _("{id} cannot depend on itself").format(id=item.id),
                )
            elif dep.id not in plan.items and dep.id not in plan.deliverables:
                err(
                    dep.line,
                    f"{field}.depends_on",
                    _("depends on unknown id {id}").format(id=dep.id),
                )
        check_date(item.not_before, item.line, f"{field}.not_before")
        check_date(item.deadline, item.line, f"{field}.deadline")
        for quarter in item.quarters:
            check_quarter(quarter, item.line, f"{field}.window.quarters", period.start, period.end)
        for qid in item.questions:
            if question_ids and qid not in question_ids:
                err(
                    item.line,
                    f"{field}.questions",
                    _("unknown diagnostic question {id}").format(id=qid),
                )
        for other in item.shared_row:
            if other not in plan.items:
                err(item.line, f"{field}.shared_row", _("unknown task {id}").format(id=other))
    for deliverable in plan.deliverables.values():
        if deliverable.producer not in plan.items:
            err(
                deliverable.line,
                f"deliverables[{deliverable.id}].produced_by",
                _("produced by unknown item {id}").format(id=deliverable.producer),
            )

    comm = plan.communication
    if comm is not None:
        for day, name in ((comm.period.start, "start"), (comm.period.end, "end")):
            check_date(day, None, f"communication.period.{name}")
        channel_ids = {c.id for c in comm.channels}
        seen: set[str] = set()
        for target in comm.targets:
            field = f"communication.targets[{target.id}]"
            if target.id in seen:
                err(target.line, f"{field}.id", _("duplicate target id {id}").format(id=target.id))
            seen.add(target.id)
            for channel in target.channels:
                if channel not in channel_ids:
                    err(
                        target.line,
                        f"{field}.channels",
                        _("unknown channel {id}").format(id=channel),
                    )
            if target.unit is TargetUnit.IN_QUARTER:
                for quarter in target.quarters:
                    check_quarter(
                        quarter,
                        target.line,
                        f"{field}.quarters",
                        comm.period.start,
                        comm.period.end,
                    )
    if not errors:
        cycle = find_cycle(plan)
        if cycle:
            first = plan.items.get(cycle[0])
            errors.append(
                DependencyCycleError(
                    path,
                    first.line if first else None,
                    f"{_field(first)}.depends_on" if first else "depends_on",
                    _("dependency cycle: {cycle}").format(cycle=" → ".join([*cycle, cycle[0]])),
                    cycle,
                )
            )
    return errors


def _field(item: Item | None) -> str:
    if item is None:
        return ""
    return f"{item.kind.value}s[{item.id}]"


def find_cycle(plan: Plan) -> list[str]:
    """The ids of one dependency cycle among items (through deliverables), or []."""
    from tracker.graph import dependency_edges

    # Kahn's algorithm first: cheap, and almost always there is no cycle to name.
    successors: dict[str, list[str]] = {}
    indegree: dict[str, int] = dict.fromkeys(plan.items, 0)
    for pre, post, _lag in dependency_edges(plan):
        successors.setdefault(pre, []).append(post)
        indegree[post] += 1
    ready = [n for n, d in indegree.items() if d == 0]
    done = 0
    while ready:
        node = ready.pop()
        done += 1
        for nxt in successors.get(node, ()):
            indegree[nxt] -= 1
            if indegree[nxt] == 0:
                ready.append(nxt)
    if done == len(indegree):
        return []
    import networkx as nx

    graph = nx.DiGraph()
    graph.add_edges_from(
        (a, b) for a, bs in successors.items() for b in bs if indegree[a] > 0 and indegree[b] > 0
    )
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:  # pragma: no cover - Kahn left nodes, so a cycle exists
        return []
    cycle = [str(a) for a, _b in edges]
    # Start the cycle at its first item in document order, so messages are stable.
    order = {item_id: i for i, item_id in enumerate(plan.items)}
    start = min(range(len(cycle)), key=lambda i: order.get(cycle[i], 0))
    return cycle[start:] + cycle[:start]
