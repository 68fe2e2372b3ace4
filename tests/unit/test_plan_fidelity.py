"""The bundled plan against its source: products counted as the source lists them, each
organisation once, and a schedule whose every date is either stated (and quoted) or assumed."""

from __future__ import annotations

import html
import io
import json
import re
from contextlib import redirect_stderr, redirect_stdout
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import pytest

from tracker.plan.load import load_plan
from tracker.plan.model import ItemKind, Plan
from tracker.plan.organisations import lookup, name_key

from ..conftest import PLAN, SEEDS

SOURCE = SEEDS / "003_b34e144376b92098.txt"


@pytest.fixture(scope="module")
def plan() -> Plan:
    return load_plan(str(PLAN))


@pytest.fixture(scope="module")
def seed() -> str:
    if not SOURCE.exists():
        pytest.skip(f"source document not found at {SOURCE} (shared/ must sit beside the clone)")
    return SOURCE.read_text(encoding="utf-8")


def _plain(text: str) -> str:
    """The seed's words without its HTML and layout: tags, bullets and line breaks."""
    text = html.unescape(re.sub(r"<[^>]+>", " ", text))
    return " ".join(text.split())


def _cli(*argv: str) -> Any:
    from tracker.cli import main

    out = io.StringIO()
    with redirect_stdout(out):
        assert main(list(argv)) == 0
    return json.loads(out.getvalue())


# -- products --------------------------------------------------------------------------------
def _source_product_bullets(seed: str) -> int:
    """The products of section C's tables as the source lists them: each bullet of a
    PRODUCTO / PLAZO cell; a cell without bullets is one product; a product "que incluya:"
    with sub-bullets is one product (its bullets are its parts); "Observación:" is no product.
    A row the page layout split continues in a cell that does not start with a bullet."""
    start = seed.index("METODOLOGÍA\tPREGUNTAS")
    end = seed.index("D. ARTICULACIÓN DE LA ESTRATEG", start)
    count = 0
    for line in seed[start:end].split("\n"):
        cells = line.split("\t")
        if len(cells) < 3 or cells[0].startswith("METODOLOG"):
            continue
        cell = _plain(cells[2]).split("Observación:")[0]
        if "que incluya:" in cell:
            count += 1
            continue
        bullets = len(re.findall(r"(?:^|\s)-\s", cell))
        starts_row = re.match(r"<p>\s*tarea", cells[0].strip(), re.IGNORECASE)
        count += bullets or (1 if cell.strip() and starts_row else 0)
    return count


def test_task_products_are_the_source_bullets(plan: Plan, seed: str) -> None:
    products = [d for d in plan.deliverables.values() if plan.items[d.producer].kind == "task"]
    assert len(products) == _source_product_bullets(seed)
    assert len({d.id for d in products}) == len(products)


def test_stage_deliverables_are_the_source_rows(plan: Plan, seed: str) -> None:
    rows = re.findall(r"^\d+\.\tEntregable \d+:", seed, re.MULTILINE)
    stage = [d for d in plan.deliverables.values() if plan.items[d.producer].kind == "activity"]
    assert len(stage) == len(rows)


def test_a_shared_row_has_its_products_once(plan: Plan) -> None:
    for first, last in (("3.2.1", "3.2.2"), ("3.3.1", "3.3.3"), ("4.2.1", "4.2.3")):
        row = plan.items[first].shared_row
        assert row[0] == first and row[-1] == last
        products = [d for d in plan.deliverables.values() if d.shared_by == row]
        assert products and all(d.id.startswith(first + "-P") for d in products)
        # Every task of the row lists them; the row's last task delivers them.
        assert all(plan.items[t].deliverables == [d.id for d in products] for t in row)
        assert {d.producer for d in products} == {last}
        assert not any(d.startswith(f"{t}-P") for t in row[1:] for d in plan.deliverables)
    compiled = plan.deliverables["4.2.1-P1"]
    assert compiled.title == "Compilado de planes de contingencia"
    assert "4.2.2-P1" in compiled.formerly


def test_the_consultancy_report_is_one_product_with_three_parts(plan: Plan) -> None:
    report = plan.deliverables["3.1.2-P1"]
    assert plan.items["3.1.2"].deliverables == ["3.1.2-P1"]
    assert report.title.endswith("que incluya:")
    assert len(report.parts) == 3
    assert report.formerly == ["3.1.2-P2", "3.1.2-P3", "3.1.2-P4"]


def test_observations_hold_only_the_source_words(plan: Plan, seed: str) -> None:
    text = _plain(seed)
    for item in plan.items.values():
        for observation in item.observations:
            assert observation in text, (item.id, observation)


def test_spelling_as_the_source(plan: Plan) -> None:
    assert plan.areas[0].exchange_cities == ["Toronto (Canadá)", "Dallas y Boston (EEUU)"]
    assert plan.items["4.3.1"].allies[-1] == "Red Ciudadana Urbana"
    assert plan.communication is not None
    assert "Banners" in {t.item for t in plan.communication.targets}


# -- organisations -----------------------------------------------------------------------
def test_no_two_organisations_share_an_acronym_or_a_name(plan: Plan) -> None:
    acronyms = [o.acronym for o in plan.organisations if o.acronym]
    assert len(acronyms) == len(set(acronyms)) == 48
    keys = [name_key(o.name).replace(" ", "") for o in plan.organisations]
    assert len(keys) == len(set(keys))
    entries = _cli("plan", "orgs", "--json")
    for field in ("name", "acronym"):
        values = [name_key(e[field]) for e in entries if e[field]]
        assert len(values) == len(set(values)), field


def test_orgs_lists_100cr_and_the_direccion_once_with_every_alias(plan: Plan, seed: str) -> None:
    entries = _cli("plan", "orgs", "--json")
    text = _plain(seed)
    for canonical, pattern in (
        ("100 Ciudades Resilientes", r"100 ?(?:CR|RC)(?: ?- ?SDU| \(SDU\)| SDU)?"),
        ("Dirección de Resiliencia (MUPA)", r"(?:Dirección (?:de )?)?Resiliencia \(?MUPA\)?"),
    ):
        found = [e for e in entries if e["name"] == canonical]
        assert len(found) == 1, canonical
        names = (found[0]["name"], found[0]["acronym"] or "", *found[0]["aliases"])
        known = {name_key(a) for a in names if a}
        assert not [e for e in entries if e["name"] != canonical and name_key(e["name"]) in known]
        # Every spelling the source uses for it is one of its names.
        spellings = set(re.findall(pattern, text))
        assert spellings
        assert {s for s in spellings if name_key(s) not in known} == set()
        # And every role naming it in the plan resolves to it.
        assert all(name_key(w) in known for w in found[0]["written"])
    direccion = lookup(plan, "Dirección Resiliencia MUPA")
    assert direccion is not None and direccion.capacity == 3


def test_who_matches_any_alias() -> None:
    for alias in ("100 RC-SDU", "100rc", "Resiliencia MUPA"):
        names = [e["name"] for e in _cli("plan", "orgs", "--who", alias, "--json")]
        assert names and names[0] in ("100 Ciudades Resilientes", "Dirección de Resiliencia (MUPA)")


def test_initials_are_a_person_on_the_role(plan: Plan) -> None:
    roles = [r for i in plan.items.values() for r in i.roles]
    assert {r.person for r in roles} >= {"MS", "BEM", "EC/IB"}
    assert not [r for r in roles if re.search(r"\((?:MS|BEM)\)|EC/IB", r.who + r.note)]


# -- schedule ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def scheduled() -> dict[str, Any]:
    return _cli("plan", "schedule", "--json")


def _dates(entry: dict[str, Any]) -> tuple[date, date]:
    return date.fromisoformat(entry["start"]), date.fromisoformat(entry["finish"])


def test_hired_work_waits_for_its_contract(plan: Plan, scheduled: dict[str, Any]) -> None:
    items = {e["id"]: e for e in scheduled["items"]}
    first_week_ends = date.fromisoformat(scheduled["start"]) + timedelta(days=6)
    hired = [
        i.id
        for i in plan.items.values()
        if any(
            (org := lookup(plan, r.who)) is not None and org.kind == "consultant"
            for r in i.roles
            if r.role == "lidera"
        )
    ]
    assert len(hired) >= 9  # EY, CSA Group, Palantir, Citymart and the unnamed consultants
    assert [h for h in hired if _dates(items[h])[0] <= first_week_ends] == []


def test_every_area_synthesis_follows_all_its_area(plan: Plan, scheduled: dict[str, Any]) -> None:
    items = {e["id"]: e for e in scheduled["items"]}
    syntheses = {"1": "1.5.2", "2": "2.2.4", "3": "3.5.2", "4": "4.4.2", "5": "5.2.4"}
    for area in plan.areas:
        synthesis = syntheses[area.id]
        start = _dates(items[synthesis])[0]
        others = [t for t in area.task_ids if t != synthesis]
        assert [t for t in others if _dates(items[t])[1] >= start] == [], synthesis


def test_the_mesa_meets_in_each_of_the_first_two_quarters(
    plan: Plan, scheduled: dict[str, Any]
) -> None:
    items = {e["id"]: e for e in scheduled["items"]}
    mesa = [i.id for i in plan.items.values() if i.milestone_kind == "committee"]
    mesa += [
        i.id
        for i in plan.items.values()
        if any(
            lookup(plan, r.who) is lookup(plan, "Mesa Técnica Municipal de Resiliencia")
            for r in i.roles
        )
    ]
    quarters = {(_dates(items[m])[1].month - 1) // 3 + 1 for m in mesa}
    assert {1, 2} <= quarters


def test_the_launch_leaves_its_coverage_inside_the_second_quarter(
    scheduled: dict[str, Any],
) -> None:
    launch = next(e for e in scheduled["items"] if e["id"] == "E.9")
    day = _dates(launch)[1]
    assert date(2018, 4, 1) <= day
    # F.1: "poco antes y después del evento", in the second quarter: at least two weeks after.
    assert (date(2018, 6, 30) - day).days >= 14
    assert not launch["late_for_deadline"]
    assert launch["deadline"] is not None


def test_every_documento_link_quotes_the_source(scheduled: dict[str, Any], seed: str) -> None:
    text = _plain(seed)
    documento = [
        (e["id"], link)
        for e in scheduled["items"]
        for link in e["links"]
        if link["source"] == "documento"
    ]
    assert documento
    missing = []
    for item_id, link in documento:
        quotes = re.findall(r"«([^»]+)»", link["note"])
        if not quotes:
            missing.append((item_id, link["id"], "no quote"))
        missing += [(item_id, link["id"], q) for q in quotes if _plain(q) not in text]
    assert missing == []


def test_every_assumed_link_says_why(plan: Plan) -> None:
    assert [
        (i.id, d.id) for i in plan.items.values() for d in i.depends_on if not d.note.strip()
    ] == []
    assert [i.id for i in plan.items.values() if i.not_before and not i.note] == []


def test_the_direccion_leads_no_more_than_its_three_people(plan: Plan) -> None:
    from tracker.schedule.passes import compute_schedule
    from tracker.schedule.workload import workload

    loads = {load.name: load for load in workload(plan, compute_schedule(plan))}
    direccion = loads["Dirección de Resiliencia (MUPA)"]
    assert direccion.capacity == 3
    assert direccion.overloads == []
    assert direccion.most_led_at_once == 3


def test_schedule_json_says_where_each_date_comes_from(scheduled: dict[str, Any]) -> None:
    items = {e["id"]: e for e in scheduled["items"]}
    assert items["1.2.1"]["not_before_source"] == "supuesto"
    assert "contratación" in items["1.2.1"]["note"]
    assert items["4.4.1"]["links"][0]["source"] == "documento"
    assert not any(e["dates_from_document"] for e in scheduled["items"])  # no cronograma
    assert all(e["duration_source"] in ("documento", "supuesto", None) for e in scheduled["items"])
    assert {e["kind"] for e in scheduled["items"] if e["duration_source"] is None} == {
        ItemKind.MILESTONE.value
    }


def _check(tmp_path: Path, text: str) -> tuple[int, str]:
    from tracker.cli import main

    path = tmp_path / "plan.yaml"
    path.write_text(text, encoding="utf-8")
    err = io.StringIO()
    with redirect_stdout(io.StringIO()), redirect_stderr(err):
        code = main(["plan", "check", str(path)])
    return code, err.getvalue()


def test_check_warns_when_the_schedule_misses_a_deadline_or_overloads_a_lead(
    tmp_path: Path,
) -> None:
    text = PLAN.read_text(encoding="utf-8")
    code, err = _check(tmp_path, text)
    assert (code, err) == (0, "")
    # A bootcamp three times as long: the launch no longer fits before its deadline.
    longer = text.replace(
        "    title: Consolidación del Borrador de la Estrategia (Bootcamp de la Estrategia)\n"
        "    duration: 20\n",
        "    title: Consolidación del Borrador de la Estrategia (Bootcamp de la Estrategia)\n"
        "    duration: 60\n",
    )
    assert longer != text
    code, err = _check(tmp_path, longer)
    assert code == 0 and "E.9" in err and "2018-06-15" in err
    # Without the load levelling of 1.4.1, the Dirección leads four items at once.
    unlevelled = re.sub(r'\n {6}depends_on:\n {8}- \{id: "4\.3\.1"[^\n]*', "", text, count=1)
    assert unlevelled != text
    code, err = _check(tmp_path, unlevelled)
    assert code == 0 and "Dirección de Resiliencia (MUPA)" in err and "capacity of 3" in err
