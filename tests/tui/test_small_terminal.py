"""80×24 is a supported size: dialogs fit or scroll to the focused field, tables hide their
least needed columns before the title, the Panel's areas keep number, percent and name."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import sessionmaker
from textual.widgets import Button, Input, Select, Static

from tracker.store.engine import make_engine
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import get_item
from tui.app import TrackerApp
from tui.screens.status import StatusScreen
from tui.widgets.itemtable import Column, ItemTable, column_widths

from .conftest import shown, wait_for_data

AS_OF = date(2018, 4, 16)
SMALL = (80, 24)


def item_status(url: str, key: str) -> str:
    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    return transaction(sessions, lambda s: get_item(s, find_plan(s), key).status)


def fully_visible(app: TrackerApp, widget: object) -> bool:
    region = widget.region  # type: ignore[attr-defined]
    screen = app.screen.region
    return bool(region.area) and screen.contains_region(region)


async def test_status_dialog_tab_reaches_note_and_save_and_saves(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StatusScreen)
        note = dialog.query_one("#note", Input)
        for _ in range(6):
            await pilot.press("tab")
            await pilot.pause()
            assert fully_visible(app, dialog.focused), dialog.focused
            if dialog.focused is note:
                break
        assert dialog.focused is note
        await pilot.press(*"revisado en la mesa")
        dialog.query_one("#status", Select).value = "en_curso"
        await pilot.press("tab")
        await pilot.pause()
        save = dialog.query_one("#save", Button)
        assert dialog.focused is save and fully_visible(app, save)
        before = app.snapshot
        await pilot.press("enter")
        await wait_for_data(pilot, before)
    assert item_status(db_url, "1.1.1") == "en_curso"


def test_columns_are_hidden_by_priority_before_the_title_is_cut() -> None:
    columns = [
        Column("id", "ID", 7),
        Column("title", "Title", 0),
        Column("area", "Area", 4, drop=2),
        Column("lead", "Lead", 16, drop=1),
        Column("baseline", "Base", 10, drop=3),
    ]
    wide = column_widths(columns, 120)
    assert all(wide) and wide[1] == 120 - 7 - 4 - 16 - 10 - 4
    narrow = column_widths(columns, 45)
    assert narrow[4] == 0 and narrow[2] == 0 and narrow[3] == 16 and narrow[1] >= 20


async def test_tasks_at_80_columns_keep_a_readable_title(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ItemTable)
        widths = table._widths()
        assert widths[2] >= 20
        header = table.render_line(0).text
        assert "Title" in header and "Base end" not in header  # the baseline went first
        assert "Revisión de indicado" in table.render_line(1).text


async def test_panel_areas_keep_number_percent_and_name_at_80(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=SMALL) as pilot:
        await wait_for_data(pilot)
        await pilot.pause()
        lines = shown(app.screen.query_one("#areas", Static)).splitlines()
        first = next(line for line in lines if "EQUIDAD" in line)
        assert first.split("│")[1].strip().startswith("1 ")
        assert "0%" in first and "EQUIDAD Y ENTORNO" in first
