import pytest

from tracker.errors import UnknownItemError
from tracker.plan.graph import PlanGraph, build_graph
from tracker.plan.load import load_plan

from ..conftest import PLAN


@pytest.fixture(scope="module")
def graph() -> PlanGraph:
    return PlanGraph(load_plan(str(PLAN)))


def test_graph_holds_items_and_deliverables(graph: PlanGraph) -> None:
    g = build_graph(graph.plan)
    assert g.number_of_nodes() == len(graph.plan.items) + len(graph.plan.deliverables)
    assert g.nodes["3.5.2-P1"]["type"] == "deliverable"
    assert g.edges["3.5.2", "3.5.2-P1"]["relation"] == "produces"
    assert g.edges["3.5.2-P1", "D.1"]["relation"] == "depends"


def test_what_is_waiting_on_a_synthesis_report(graph: PlanGraph) -> None:
    waiting = graph.waiting_on("4.4.2-P1")
    assert waiting[0] == "D.1"
    assert {"D.2", "D.3", "E.9", "M.1", "M.2"} <= set(waiting)
    assert not any(w.startswith("4.") for w in waiting)


def test_predecessors_and_successors(graph: PlanGraph) -> None:
    assert graph.predecessors("D.1") == ["1.5.2-P2", "2.2.4-P1", "3.5.2-P1", "4.4.2-P1", "5.2.4-P1"]
    assert graph.successors("4.3.1") == ["4.4.1", "4.3.1-P1", "4.3.1-P2"]
    assert "4.3.1" in graph.upstream("4.4.2")


def test_unknown_id(graph: PlanGraph) -> None:
    with pytest.raises(UnknownItemError, match=r"2\.2\.3"):
        graph.downstream("2.2.3")
