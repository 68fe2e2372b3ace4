import json
import subprocess
import sys

import pytest

from tracker.plan.load import load_plan
from tracker.plan.model import Plan
from tracker.plan.organisations import OrganisationIndex

from ..conftest import PLAN, ROOT


@pytest.fixture(scope="module")
def index() -> OrganisationIndex:
    plan: Plan = load_plan(str(PLAN))
    return OrganisationIndex(plan)


@pytest.mark.parametrize(
    ("written", "acronyms"),
    [
        ("100CR SDU", ["100CR"]),
        ("100 RC-SDU", ["100CR"]),
        ("DPU (Unidad del Agua)", ["DPU"]),
        ("FSU, UTP, UP", ["FSU", "UTP", "UP"]),
        ("Ramsar - CREHO", ["Ramsar CREHO"]),
        ("Banco Mundial.", ["BM"]),
        ("MI AMBIENTE", ["MI AMBIENTE"]),
        ("OIM", []),  # not in the source's acronym table
    ],
)
def test_names_resolve_against_the_acronym_table(
    index: OrganisationIndex, written: str, acronyms: list[str]
) -> None:
    assert [o.acronym for o in index.resolve(written)] == acronyms


def test_involvements_list_every_item_an_organisation_is_in(index: OrganisationIndex) -> None:
    by_name = {e.name: e for e in index.involvements()}
    sinaproc = by_name["Sistema Nacional de Protección Civil"]
    assert sinaproc.written == ["SINAPROC.", "SINAPROC"]
    assert sinaproc.organisations[0].name == "Sistema Nacional de Protección Civil"
    assert {i for i, _c in sinaproc.places} == {
        "4.1.1",
        "4.2.1",
        "4.2.2",
        "4.2.3",
        "4.3.1",
        "4.4.1",
        "4.4.2",
    }
    # One entry per organisation, whichever way the source writes it.
    assert ("1.1.1", "lidera") in by_name["100 Ciudades Resilientes"].places
    assert ("D.1", "lidera") in by_name["100 Ciudades Resilientes"].places  # "100 RC-SDU"


def test_cli_orgs_json() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "tracker", "plan", "orgs", "--who", "SINAPROC", "--json"],
        capture_output=True,
        text=True,
        cwd=ROOT,
        check=True,
    ).stdout
    entries = json.loads(out)
    assert entries and all("SINAPROC" in e["name"] or e["organisations"] for e in entries)
    assert any(i["id"] == "4.4.1" for e in entries for i in e["items"])
