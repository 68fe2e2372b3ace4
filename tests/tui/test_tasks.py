"""The task table, the detail, the status dialog and the conflict path, driven by keys."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import sessionmaker
from textual.widgets import Button, Input, Select, Static

from tracker.plan.load import load_plan
from tracker.schedule.passes import compute_schedule
from tracker.store.engine import make_engine
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import get_item, set_item_status
from tui.app import TrackerApp
from tui.screens.detail import DetailScreen
from tui.screens.status import StatusScreen
from tui.widgets.itemtable import ItemTable

from ..conftest import PLAN
from .conftest import shown, wait_for_data

AS_OF = date(2018, 4, 16)


def other_connection(url: str) -> sessionmaker:  # type: ignore[type-arg]
    return sessionmaker(make_engine(url), expire_on_commit=False)


def item_state(url: str, key: str) -> tuple[str, int, str]:
    row = transaction(other_connection(url), lambda s: get_item(s, find_plan(s), key))
    return row.status, row.percent, row.updated_by


async def test_table_search_filter_and_sort(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ItemTable)
        assert len(table.rows) == 51
        assert table.render_line(0).text.split()[0] == "ID"
        assert "1.1.1" in table.render_line(1).text
        await pilot.press("slash")
        assert app.screen.focused is app.screen.query_one("#search", Input)
        await pilot.press(*"taller")
        assert {r.key for r in table.rows} >= {"1.3.1", "1.5.2", "3.5.2", "4.4.2", "5.2.3"}
        assert all("taller" in (r.key + r.cells[2]).casefold() for r in table.rows)
        await pilot.press("escape")
        assert len(table.rows) == 51
        await pilot.press("l")  # late only: as of Apr 16 with nothing done, many are late
        assert 0 < len(table.rows) < 51 and all("late" in r.style for r in table.rows)
        await pilot.press("l", "s", "s", "s", "s", "s", "s")  # mark, ID, title, area, lead, status
        assert table.sort_column is not None and table.columns[table.sort_column].key == "status"


async def test_change_status_lands_in_the_database_and_the_history(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StatusScreen) and dialog.key == "1.1.1"
        dialog.query_one("#status", Select).value = "en_curso"
        percent = dialog.query_one("#percent", Input)
        percent.value = ""
        await pilot.click("#percent")
        await pilot.press(*"40")
        dialog.query_one("#note", Input).value = "avance del consultor"
        before = app.snapshot
        await pilot.click("#save")
        await wait_for_data(pilot, before)
        assert item_state(db_url, "1.1.1")[:2] == ("en_curso", 40)
        table = app.screen.query_one(ItemTable)
        assert "in progress" in table.render_line(1).text


async def test_invalid_input_is_explained_and_nothing_is_saved(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        dialog = app.screen
        dialog.query_one("#percent", Input).value = "150"
        await pilot.pause()
        assert dialog.query_one("#save", Button).disabled
        assert "0 to 100" in str(dialog.query_one("#problem", Static).render())
        dialog.query_one("#percent", Input).value = "10"
        dialog.query_one("#status", Select).value = "bloqueada"
        await pilot.pause()
        assert "reason" in str(dialog.query_one("#problem", Static).render())
        dialog.query_one("#date", Input).value = "2018-02-30"
        await pilot.pause()
        assert "real date" in str(dialog.query_one("#problem", Static).render())
        await pilot.press("escape")
        assert item_state(db_url, "1.1.1")[0] == "pendiente"


async def test_a_change_made_elsewhere_meanwhile_is_not_overwritten(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        dialog = app.screen
        # Meanwhile Luis, on another terminal, completes the same task.
        transaction(
            other_connection(db_url),
            lambda s: set_item_status(
                s, find_plan(s), "1.1.1", "completada", on=date(2018, 4, 13), author="luis"
            ),
        )
        dialog.query_one("#status", Select).value = "en_curso"
        await pilot.click("#save")
        for _ in range(50):
            await pilot.pause(0.02)
            if dialog.query_one("#merge-buttons").display:
                break
        problem = str(dialog.query_one("#conflict", Static).render())
        assert "luis" in problem and "nothing was saved" in problem
        assert item_state(db_url, "1.1.1") == ("completada", 100, "luis")
        before = app.snapshot
        await pilot.click("#discard")
        await wait_for_data(pilot, before)
        assert app.snapshot is not None and app.snapshot.items["1.1.1"].status == "completada"


async def test_detail_shows_the_item_and_jumps_to_its_successor(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2")
        await pilot.pause()
        app.screen.query_one(ItemTable).move_to("4.3.1")
        await pilot.press("enter")
        await pilot.pause()
        detail = app.screen
        assert isinstance(detail, DetailScreen) and detail.key == "4.3.1"
        body = str(detail.query_one("#detail-body", Static).render())
        assert "Recopilación de información existente" in body and "SINAPROC" in body
        links = detail.query_one("#links")
        links.focus()
        texts = [str(links.get_option_at_index(i).prompt) for i in range(links.option_count)]
        assert any("4.4.1" in t for t in texts)
        links.highlighted = next(i for i, t in enumerate(texts) if "4.4.1" in t)
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.key == "4.4.1"


async def test_someone_elses_change_appears_within_seconds(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0.2)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        first = app.snapshot
        transaction(
            other_connection(db_url),
            lambda s: set_item_status(
                s, find_plan(s), "2.1.1", "en_curso", on=date(2018, 4, 2), author="luis", percent=30
            ),
        )
        await wait_for_data(pilot, first)
        assert app.snapshot is not None and app.snapshot.items["2.1.1"].status == "en_curso"


async def test_help_lists_keys_and_out_of_period_banner(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=date(2026, 11, 21), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        banner = app.screen.query_one("#banner")
        assert banner.display
        before = app.snapshot
        await pilot.click("#banner-end")
        await wait_for_data(pilot, before)
        assert app.as_of == date(2018, 7, 31) and not app.screen.query_one("#banner").display
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one(Static).render())
        assert "Change status" in text and "Ctrl+P" in text


async def test_panel_shows_progress_late_items_and_this_months_targets(db_url: str) -> None:
    transaction(
        other_connection(db_url),
        lambda s: set_item_status(
            s, find_plan(s), "3.1.1", "completada", on=date(2018, 1, 25), author="ana"
        ),
    )
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        screen = app.screen
        phase = str(screen.query_one("#phase", Static).render())
        planned = compute_schedule(load_plan(str(PLAN))).finish
        assert "Forecast end" in phase and f"baseline {planned.isoformat()}" in phase
        late = shown(screen.query_one("#late", Static))
        assert "1.1.1" in late and "3.1.1" not in late.split("At risk")[0]
        assert "met" in shown(screen.query_one("#comms", Static))
        assert "Critical path" in str(screen.query_one("#critical", Static).render())


async def test_every_screen_survives_80x24(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        for key in "123456":
            await pilot.press(key)
            await pilot.pause()
        await pilot.press("2")
        await pilot.pause()
        line = app.screen.query_one(ItemTable).render_line(1).text
        assert len(line) <= 80 and "…" in line
