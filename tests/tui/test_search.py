"""Search that leads somewhere, and Textual's own strings in the user's language."""

from __future__ import annotations

from datetime import date

from textual.widgets import Input, Select

from tracker.i18n import set_language
from tui.app import TrackerApp
from tui.screens.detail import DetailScreen
from tui.widgets.itemtable import ItemTable

from .conftest import wait_for_data

AS_OF = date(2018, 4, 16)


async def test_enter_goes_to_the_first_match_down_walks_enter_opens(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "down", "down", "down")  # the cursor elsewhere first
        await pilot.press("slash", *"3.5")
        table = app.screen.query_one(ItemTable)
        assert [r.key for r in table.rows] == ["3.5.1", "3.5.2"]
        await pilot.press("enter")
        assert app.screen.focused is table and table.cursor_key == "3.5.1"
        await pilot.press("down")
        assert table.cursor_key == "3.5.2"
        await pilot.press("up")
        assert table.cursor_key == "3.5.1"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.key == "3.5.1"


async def test_down_in_the_search_box_goes_to_the_matches(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "slash", *"taller")
        assert isinstance(app.screen.focused, Input)
        await pilot.press("down")
        table = app.screen.query_one(ItemTable)
        assert app.screen.focused is table
        assert table.cursor_key == table.rows[0].key and "aller" in table.rows[0].cells[2]


async def test_the_select_menu_footer_speaks_spanish(db_url: str) -> None:
    set_language("es")
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2")
        await pilot.pause()
        app.screen.query_one("#area", Select).focus()
        await pilot.press("enter")
        await pilot.pause(0.2)
        descriptions = {b.binding.description for b in app.screen.active_bindings.values()}
        assert "Cerrar el menú" in descriptions and "Dismiss menu" not in descriptions
        footer = app.screen.query_one("Footer")
        text = " ".join(str(w.render()) for w in footer.query("FooterKey"))
        assert "Cerrar el menú" in text and "Dismiss" not in text
