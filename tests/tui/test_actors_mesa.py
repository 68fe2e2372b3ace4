"""The Actores and Mesa Técnica screens, driven like a user; and every new screen at 80×24."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from textual.widgets import Input, OptionList, Static

from tests.conftest import PLAN
from tests.db.helpers import fresh_db
from tests.tui.test_comms_screen import ACTIVITIES, AS_OF, log, plain, wait_for
from tracker.plan.load import load_plan
from tui.app import TrackerApp
from tui.screens.actors import ActorsScreen
from tui.screens.comms import CommsScreen, FixedTable
from tui.screens.commsform import CommsForm
from tui.screens.detail import DetailScreen
from tui.screens.mesa import MesaScreen

SINAPROC_ITEMS = ["4.1.1", "4.2.1", "4.2.2", "4.2.3", "4.3.1", "4.4.1", "4.4.2"]


@pytest.fixture
def url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path}/t.db"
    sessions = fresh_db(url, load_plan(str(PLAN)))
    for data in ACTIVITIES:
        log(sessions, data)
    return url


async def ready(pilot: Any, key: str, screen: type) -> Any:
    app: TrackerApp = pilot.app
    await wait_for(pilot, lambda: app.snapshot is not None, "the first snapshot")
    await pilot.press(key)
    await wait_for(pilot, lambda: isinstance(app.screen, screen), screen.__name__)
    await wait_for(
        pilot, lambda: getattr(app.screen, "shown", None) is not None, "the screen's data"
    )
    return app.screen


def item_rows(screen: Any, table: str) -> list[tuple[str, ...]]:
    return [row.cells for row in screen.query_one(table, FixedTable).rows]


async def test_actors_lists_where_an_organisation_takes_part(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot, "5", ActorsScreen)
        names = screen.query_one("#actors-names", OptionList)
        assert names.option_count > 80  # every name of roles, working groups and allies
        ids = [names.get_option_at_index(i).id for i in range(names.option_count)]
        # Each organisation once, under its canonical name, whichever way the source writes it.
        assert ids.count("100 Ciudades Resilientes") == 1
        assert ids.count("Dirección de Resiliencia (MUPA)") == 1
        assert not {"100CR SDU", "100 RC-SDU", "Dirección Resiliencia MUPA"} & set(ids)

        await pilot.press("slash")
        await pilot.press(*"sinaproc")
        await wait_for(pilot, lambda: names.option_count == 1, "the search")
        prompt = str(names.get_option_at_index(0).prompt)
        assert prompt.startswith("Sistema Nacional de Protección Civil — SINAPROC")
        await pilot.press("enter")  # from the search box to the list
        await pilot.press("enter")  # choose it
        await wait_for(
            pilot, lambda: screen.chosen == "Sistema Nacional de Protección Civil", "the choice"
        )
        rows = item_rows(screen, "#actors-items")
        assert rows[0][0].startswith("Ally (7)")  # the capacity heading
        assert [r[0] for r in rows[1:]] == SINAPROC_ITEMS
        snap = app.snapshot
        assert snap is not None
        first = snap.items["4.1.1"]
        assert rows[1][1:] == (
            first.title,
            "pending",
            first.baseline_start.isoformat(),
            first.baseline_finish.isoformat(),
        )
        head = plain(screen.query_one("#actors-head", Static))
        assert "7 items" in head

        # Enter on an item opens it.
        assert screen.query_one("#actors-items", FixedTable).has_focus
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), "the item")
        assert app.screen.key == "4.1.1"  # type: ignore[attr-defined]
        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, ActorsScreen), "back")


async def test_actors_groups_by_capacity_and_searches_without_accents(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot, "5", ActorsScreen)
        screen.query_one("#actors-search", Input).value = "proteccion civil"
        await pilot.pause()
        names = screen.query_one("#actors-names", OptionList)
        assert [names.get_option_at_index(i).id for i in range(names.option_count)] == [
            "Sistema Nacional de Protección Civil"
        ]
        # Any alias finds the organisation.
        screen.query_one("#actors-search", Input).value = "100 rc sdu"
        await pilot.pause()
        assert names.get_option_at_index(0).id == "100 Ciudades Resilientes"
        assert screen.choose("100CR SDU")
        await pilot.pause()
        assert screen.query_one("#actors-search", Input).value == ""
        headings = [r[0] for r in item_rows(screen, "#actors-items") if not r[1]]
        # Leading first; a capacity the screen has no word for is shown as the plan writes it.
        assert [h.split(" (")[0] for h in headings] == [
            "Leads",
            "Supervises",
            "Supports",
            "Guides",
            "Reviews",
            "Seguimiento y validación",
        ]
        head = plain(screen.query_one("#actors-head", Static))
        assert head.startswith("100 Ciudades Resilientes — 100CR")
        assert "100 RC-SDU" in head  # also written

        # The workload: the Dirección leads at most its three people's worth at once.
        assert screen.choose("Resiliencia MUPA")
        await pilot.pause()
        load = plain(screen.query_one("#actors-load", Static))
        leads = next(line for line in load.splitlines() if line.strip().startswith("Leads"))
        counts = [int(c) for c in leads.split()[1:] if c.isdigit()]
        assert counts and max(counts) == 3
        assert "over capacity" not in load


async def test_mesa_shows_members_objectives_and_sessions(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await ready(pilot, "6", MesaScreen)
        head = plain(screen.query_one("#mesa-head", Static))
        assert head.startswith("Mesa Técnica Municipal de Resiliencia")
        internal = plain(screen.query_one("#mesa-internal", Static))
        expanded = plain(screen.query_one("#mesa-expanded", Static))
        assert "Internal level (11)" in internal
        assert "11. Un representante del Consejo Municipal" in internal
        assert " 1. Vice alcaldía" in internal
        assert "Expanded level (9)" in expanded
        assert "9. Un representante de la Cámara de Comercio e Industrias" in expanded
        objectives = plain(screen.query_one("#mesa-objectives", Static))
        assert objectives.count("•") == 8
        rows = item_rows(screen, "#mesa-sessions")
        ids = [r[0] for r in rows]
        assert {"M.1", "M.2", "D.3"} <= set(ids)
        d3 = rows[ids.index("D.3")]
        snap = app.snapshot
        assert snap is not None
        assert d3[1] == "Aprobación de la Mesa Técnica Municipal de Resiliencia"
        assert d3[2] == "revisa"
        assert d3[3] == snap.items["D.3"].forecast_finish.isoformat()
        assert d3[5] == "pending"
        assert rows[ids.index("M.1")][2] == "session"
        # In the order of their forecast dates; Enter opens one.
        assert [r[3] for r in rows] == sorted(r[3] for r in rows)
        await pilot.press("s")
        await pilot.press("enter")
        await wait_for(pilot, lambda: isinstance(app.screen, DetailScreen), "the item")
        assert app.screen.key == ids[0]  # type: ignore[attr-defined]


async def test_every_screen_renders_at_80x24(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        for key, screen_type in (("4", CommsScreen), ("5", ActorsScreen), ("6", MesaScreen)):
            screen = await ready(pilot, key, screen_type)
            await pilot.pause()
            assert screen.size.width == 80
            for table in screen.query(FixedTable):
                assert table.size.width <= 80
                for y in range(min(table.size.height, 6)):
                    assert table.render_line(y).cell_length <= table.size.width
        await pilot.press("4")
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, CommsForm), "the form")
        await pilot.pause()
        dialog = app.screen.query_one("#cf-dialog")
        assert dialog.region.height <= 24 and dialog.region.width <= 80
        assert app.screen.query_one("#cf-save").region.bottom <= 24


async def test_screens_render_in_spanish(url: str) -> None:
    from tracker.i18n import set_language

    set_language("es")
    app = TrackerApp(url, as_of=date(2018, 2, 15), poll_seconds=0)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await ready(pilot, "4", CommsScreen)
        await wait_for(pilot, lambda: bool(item_rows(screen, "#comms-targets")), "targets")
        assert "cumplidas: " in plain(screen.query_one("#comms-summary", Static))
        screen = await ready(pilot, "6", MesaScreen)
        assert "Nivel interno (11)" in plain(screen.query_one("#mesa-internal", Static))
