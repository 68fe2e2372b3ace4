"""Cross-reference checks on a structurally valid plan: ids, dates, periods, cycles."""

from __future__ import annotations

from datetime import date

from tracker.errors import DependencyCycleError, PlanError
from tracker.i18n import _
from tracker.plan.model import Item, Plan, TargetUnit


def validate(plan: Plan) -> list[PlanError]:
    """Every located problem in ``plan`` (empty when it is consistent)."""
    from tracker.plan.quarters import parse_quarter

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
    items, deliverables = plan.items, plan.deliverables
    for item in items.values():
        field, lines = item.doc_path, item.lines
        for index, dep in enumerate(item.depends_on):
            # Most dependencies name another item, which none of the checks below rejects.
            if dep.id in items and dep.id != item.id and dep.id not in deliverables:
                continue
            where = lines.get(f"depends_on[{index}]", dep.line)
            product = deliverables.get(dep.id)
            if dep.id == item.id:
                err(
                    where,
                    f"{field}.depends_on",
                    _("{id} cannot depend on itself").format(id=item.id),
                )
            elif product is not None and product.producer == item.id:
                err(
                    where,
                    f"{field}.depends_on",
                    _("{id} cannot depend on its own product {product}").format(
                        id=item.id, product=dep.id
                    ),
                )
            elif dep.id not in items and product is None:
                err(where, f"{field}.depends_on", _("depends on unknown id {id}").format(id=dep.id))
        if item.not_before is not None:
            check_date(item.not_before, lines.get("not_before"), f"{field}.not_before")
        if item.deadline is not None:
            check_date(item.deadline, lines.get("deadline"), f"{field}.deadline")
        for index, quarter in enumerate(item.quarters):
            check_quarter(
                quarter,
                lines.get(f"quarters[{index}]"),
                f"{field}.window.quarters",
                period.start,
                period.end,
            )
        for index, qid in enumerate(item.questions):
            if qid not in question_ids:
                err(
                    lines.get(f"questions[{index}]"),
                    f"{field}.questions",
                    _("unknown diagnostic question {id}").format(id=qid),
                )
        for index, other in enumerate(item.shared_row):
            if other not in plan.items:
                err(
                    lines.get(f"shared_row[{index}]"),
                    f"{field}.shared_row",
                    _("unknown task {id}").format(id=other),
                )
    for deliverable in plan.deliverables.values():
        if deliverable.producer not in plan.items:
            err(
                deliverable.lines.get("produced_by", deliverable.line),
                f"{deliverable.doc_path}.produced_by",
                _("produced by unknown item {id}").format(id=deliverable.producer),
            )

    comm = plan.communication
    if comm is not None:
        for day, name in ((comm.period.start, "start"), (comm.period.end, "end")):
            check_date(day, comm.lines.get(f"period.{name}"), f"communication.period.{name}")
        channel_ids = {c.id for c in comm.channels}
        for target in comm.targets:
            field = f"communication.targets[{target.id}]"
            for index, channel in enumerate(target.channels):
                if channel not in channel_ids:
                    err(
                        target.lines.get(f"channels[{index}]"),
                        f"{field}.channels",
                        _("unknown channel {id}").format(id=channel),
                    )
            if target.unit is TargetUnit.IN_QUARTER:
                for index, quarter in enumerate(target.quarters):
                    check_quarter(
                        quarter,
                        target.lines.get(f"quarters[{index}]"),
                        f"{field}.quarters",
                        comm.period.start,
                        comm.period.end,
                    )
    if not errors:
        cycle = find_cycle(plan)
        if cycle:
            errors.append(_cycle_error(plan, cycle))
    return errors


def _cycle_error(plan: Plan, cycle: list[str]) -> DependencyCycleError:
    """Located at the dependency of the cycle's first item on the cycle's last one."""
    first: Item = plan.items[cycle[0]]
    line = first.line
    for index, dep in enumerate(first.depends_on):
        producer = plan.deliverables[dep.id].producer if dep.id in plan.deliverables else dep.id
        if producer == cycle[-1]:
            line = first.lines.get(f"depends_on[{index}]", dep.line)
            break
    return DependencyCycleError(
        plan.path,
        line,
        f"{first.doc_path}.depends_on",
        _("dependency cycle: {cycle}").format(cycle=" → ".join([*cycle, cycle[0]])),
        cycle,
    )


def find_cycle(plan: Plan) -> list[str]:
    """The ids of one dependency cycle among items (through deliverables), or [].

    Every dependency must name a known item or deliverable (``validate`` checks that first).
    """
    from tracker.plan.graph import dependency_edges, dependency_positions

    # Kahn's algorithm first, on positions: cheap, and almost always there is no cycle.
    position = {item_id: i for i, item_id in enumerate(plan.items)}
    prerequisites, dependents = dependency_positions(plan, position)
    waiting = [len(pres) for pres in prerequisites]
    ready = [v for v, count in enumerate(waiting) if count == 0]
    done = 0
    while ready:
        v = ready.pop()
        done += 1
        for w, _lag in dependents[v]:
            waiting[w] -= 1
            if waiting[w] == 0:
                ready.append(w)
    if done == len(waiting):
        return []

    import networkx as nx

    # Kahn leaves the items on a cycle and those waiting on one: search the edges out of
    # them, grouped by prerequisite as before, so that the same cycle is named.
    successors: dict[str, list[str]] = {}
    for pre, post, _lag in dependency_edges(plan):
        if waiting[position[pre]] > 0:
            successors.setdefault(pre, []).append(post)
    graph = nx.DiGraph()
    graph.add_edges_from((a, b) for a, bs in successors.items() for b in bs)
    try:
        edges = nx.find_cycle(graph)
    except nx.NetworkXNoCycle:  # pragma: no cover - Kahn left nodes, so a cycle exists
        return []
    cycle = [str(a) for a, _b in edges]
    # Start the cycle at its first item in document order, so messages are stable.
    start = min(range(len(cycle)), key=lambda i: position.get(cycle[i], 0))
    return cycle[start:] + cycle[:start]
