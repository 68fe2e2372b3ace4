"""The plan's dependency graph: items and deliverables, edges prerequisite → dependent."""

from __future__ import annotations

from collections.abc import Iterator
from typing import TYPE_CHECKING, Any

from tracker.plan.model import Plan

if TYPE_CHECKING:
    import networkx as nx

ITEM = "item"
DELIVERABLE = "deliverable"


def dependency_edges(plan: Plan) -> Iterator[tuple[str, str, int]]:
    """Item-to-item finish-to-start edges ``(prerequisite, dependent, lag)``.

    A dependency on a deliverable is a dependency on the item that produces it.
    """
    deliverables = plan.deliverables
    for item in plan.items.values():
        for dep in item.depends_on:
            pre = deliverables[dep.id].producer if dep.id in deliverables else dep.id
            yield pre, item.id, dep.lag


def dependency_positions(
    plan: Plan, position: dict[str, int]
) -> tuple[list[list[tuple[int, int]]], list[list[tuple[int, int]]]]:
    """The edges of ``dependency_edges`` by ``position`` in ``plan.items``, in the same order.

    Returns ``(prerequisites, dependents)``: for each item, ``(position, lag)`` pairs. Every
    id must resolve (a validated plan). Integer lists keep a 100,000-item schedule off the
    dictionaries, where each edge cost several string lookups.
    """
    deliverables = plan.deliverables
    prerequisites: list[list[tuple[int, int]]] = [[] for _ in position]
    dependents: list[list[tuple[int, int]]] = [[] for _ in position]
    for b, item in enumerate(plan.items.values()):
        for dep in item.depends_on:
            pre = deliverables[dep.id].producer if dep.id in deliverables else dep.id
            a = position[pre]
            prerequisites[b].append((a, dep.lag))
            dependents[a].append((b, dep.lag))
    return prerequisites, dependents


def build_graph(plan: Plan) -> nx.DiGraph:
    """A networkx DiGraph of every item and deliverable.

    Node attribute ``type`` is ``item`` or ``deliverable``; edges carry ``lag`` (working days)
    and ``relation``: ``produces`` (item → its deliverable) or ``depends`` (prerequisite →
    dependent, as written in the plan, so a report points at what waits on it).
    """
    import networkx as nx

    graph = nx.DiGraph()
    for item in plan.items.values():
        graph.add_node(item.id, type=ITEM, kind=item.kind.value, title=item.title)
    for deliverable in plan.deliverables.values():
        graph.add_node(deliverable.id, type=DELIVERABLE, title=deliverable.title)
        graph.add_edge(deliverable.producer, deliverable.id, relation="produces", lag=0)
    for item in plan.items.values():
        for dep in item.depends_on:
            graph.add_edge(dep.id, item.id, relation="depends", lag=dep.lag)
    return graph


class PlanGraph:
    """Questions about the dependency graph: who waits on what."""

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.graph = build_graph(plan)

    def _check(self, node_id: str) -> None:
        if node_id not in self.graph:
            from tracker.errors import UnknownItemError
            from tracker.i18n import _

            raise UnknownItemError(
                _("unknown id {id} in plan {plan}").format(id=node_id, plan=self.plan.meta.id)
            )

    def predecessors(self, node_id: str) -> list[str]:
        """Direct prerequisites (items or deliverables) of ``node_id``."""
        self._check(node_id)
        return self._ordered(self.graph.predecessors(node_id))

    def successors(self, node_id: str) -> list[str]:
        """What directly waits on ``node_id``: dependent items, then its own deliverables."""
        self._check(node_id)
        return self._ordered(self.graph.successors(node_id))

    def downstream(self, node_id: str) -> list[str]:
        """Everything that waits, directly or not, on ``node_id``, in plan order."""
        import networkx as nx

        self._check(node_id)
        return self._ordered(nx.descendants(self.graph, node_id))

    def upstream(self, node_id: str) -> list[str]:
        import networkx as nx

        self._check(node_id)
        return self._ordered(nx.ancestors(self.graph, node_id))

    def waiting_on(self, node_id: str) -> list[str]:
        """Items (not deliverables) that wait, directly or not, on ``node_id``."""
        return [n for n in self.downstream(node_id) if self.graph.nodes[n]["type"] == ITEM]

    def _ordered(self, nodes: Any) -> list[str]:
        order = self._order()
        return sorted((str(n) for n in nodes), key=lambda n: order.get(n, len(order)))

    def _order(self) -> dict[str, int]:
        order = getattr(self, "_order_cache", None)
        if order is None:
            order = {n: i for i, n in enumerate([*self.plan.items, *self.plan.deliverables])}
            self._order_cache = order
        return order
