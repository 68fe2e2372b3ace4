"""Live, never stale: the detail follows your saves and others'; a dialog on a record someone
else changes says so at once; a refused save keeps what you typed and can go on top of
theirs. On SQLite and on PostgreSQL (where others' changes arrive by LISTEN/NOTIFY)."""

from __future__ import annotations

import time
from datetime import date

from sqlalchemy.orm import sessionmaker
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from tracker.store.engine import make_engine
from tracker.store.notify import token
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.store.store import cached_engine
from tracker.tracking.status import get_deliverable, get_item, set_item_status
from tui.app import TrackerApp
from tui.screens.detail import DetailScreen
from tui.screens.status import StatusScreen
from tui.widgets.itemtable import ItemTable

from .conftest import shown, wait_for_data

AS_OF = date(2018, 4, 16)


def others(url: str) -> sessionmaker:  # type: ignore[type-arg]
    return sessionmaker(make_engine(url), expire_on_commit=False)


def luis_completes(url: str, key: str) -> None:
    transaction(
        others(url),
        lambda s: set_item_status(
            s, find_plan(s), key, "completada", on=date(2018, 4, 13), author="luis"
        ),
    )


async def until(pilot: Pilot[None], check: object, seconds: float = 3.0) -> float:
    """Wait until ``check()`` holds; the seconds it took."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if check():  # type: ignore[operator]
            return time.monotonic() - start
        await pilot.pause(0.02)
    raise AssertionError("never happened")


async def open_detail(pilot: Pilot[None], key: str) -> DetailScreen:
    app = pilot.app
    await wait_for_data(pilot)
    await pilot.press("2")
    await pilot.pause()
    app.screen.query_one(ItemTable).move_to(key)
    await pilot.press("enter")
    await pilot.pause()
    assert isinstance(app.screen, DetailScreen)
    return app.screen


async def test_the_detail_follows_your_own_save(shared_db_url: str) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, "3.5.1")
        assert "pending, 0%" in shown(detail.query_one("#detail-head", Static))
        # Nothing written yet: no token to skip (and no engine made to find one).
        assert app._own_token() is None
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StatusScreen)
        dialog.query_one("#status", Select).value = "en_curso"
        dialog.query_one("#percent", Input).value = "60"
        before = app.snapshot
        await pilot.press("ctrl+s")
        await wait_for_data(pilot, before)
        assert app.screen is detail
        await until(pilot, lambda: "in progress, 60%" in shown(detail.query_one("#detail-head")))
        if shared_db_url.startswith("postgresql"):
            # Its own write is announced with the token its listener skips.
            assert app._own_token() == token(cached_engine(shared_db_url))


async def test_the_product_list_follows_a_deliverable_change(shared_db_url: str) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(pilot, "3.5.1")
        products = detail.query_one("#products", OptionList)
        await pilot.press("d")  # highlights the first product
        await pilot.press("d")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StatusScreen) and dialog.key == "3.5.1-P1"
        dialog.query_one("#status", Select).value = "en_revision"
        before = app.snapshot
        await pilot.press("ctrl+s")
        await wait_for_data(pilot, before)
        await until(pilot, lambda: "[under review]" in str(products.get_option_at_index(0).prompt))
    row = transaction(others(shared_db_url), lambda s: get_deliverable(s, find_plan(s), "3.5.1-P1"))
    assert row.status == "en_revision"


async def test_an_open_detail_follows_someone_elses_change(shared_db_url: str) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, "1.1.1")
        if shared_db_url.startswith("postgresql"):
            await until(pilot, app._listening.is_set)
        luis_completes(shared_db_url, "1.1.1")
        took = await until(
            pilot, lambda: "done, 100%" in shown(detail.query_one("#detail-head")), 3.0
        )
        if shared_db_url.startswith("postgresql"):  # announced: no polling to wait for
            assert took < 1.0


async def test_a_dialog_says_at_once_that_someone_else_changed_its_record(
    shared_db_url: str,
) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        if shared_db_url.startswith("postgresql"):
            await until(pilot, app._listening.is_set)
        await pilot.press("2", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StatusScreen) and dialog.key == "1.1.1"
        dialog.query_one("#status", Select).value = "bloqueada"
        dialog.query_one("#note", Input).value = "esperando datos del MIVIOT"
        luis_completes(shared_db_url, "1.1.1")
        # PostgreSQL announces the change; SQLite is polled (every 0.3 s here).
        wait = 3.0 if shared_db_url.startswith("postgresql") else 5.0
        await until(pilot, lambda: dialog.query_one("#merge-buttons").display, wait)
        said = str(dialog.query_one("#conflict", Static).render())
        assert "luis changed 1.1.1 while you were editing it" in said
        await pilot.pause(0.1)  # laid out now that it shows
        merge = shown(dialog.query_one("#merge", Static))
        assert "done" in merge and "blocked" in merge and "esperando datos" in merge
        assert dialog.query_one("#note", Input).value == "esperando datos del MIVIOT"


async def test_a_refused_save_keeps_your_typing_and_applies_it_on_top(shared_db_url: str) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, StatusScreen)
        luis_completes(shared_db_url, "1.1.1")  # not seen: this app does not poll
        dialog.query_one("#status", Select).value = "en_curso"
        dialog.query_one("#percent", Input).value = "60"
        dialog.query_one("#note", Input).value = "falta la revisión final"
        await pilot.press("ctrl+s")
        await until(pilot, lambda: dialog.query_one("#merge-buttons").display)
        assert "nothing was saved" in str(dialog.query_one("#conflict", Static).render())
        await pilot.pause(0.1)  # laid out now that it shows
        merge = shown(dialog.query_one("#merge", Static))
        assert "luis" in merge and "done" in merge and "in progress" in merge and "60" in merge
        assert dialog.query_one("#note", Input).value == "falta la revisión final"
        assert dialog.query_one("#percent", Input).value == "60"
        before = app.snapshot
        await pilot.click("#apply")
        await wait_for_data(pilot, before)
    row = transaction(others(shared_db_url), lambda s: get_item(s, find_plan(s), "1.1.1"))
    assert (row.status, row.percent) == ("en_curso", 60) and row.updated_by != "luis"


async def test_the_history_speaks_words_and_holds_the_products(db_url: str) -> None:
    from tracker.tracking.status import set_deliverable_status

    transaction(
        others(db_url),
        lambda s: set_deliverable_status(
            s, find_plan(s), "3.5.1-P1", "borrador", on=AS_OF, author="ana"
        ),
    )
    luis_completes(db_url, "3.5.1")
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        detail = await open_detail(pilot, "3.5.1")
        history = detail.query_one("#history", Static)
        await until(pilot, lambda: "luis" in str(history.render()))
        text = str(history.render())
        assert "luis  pending → done · 0 % → 100 %" in text
        assert "ana  3.5.1-P1  pending → draft" in text


async def test_a_snapshot_is_out_of_the_collectors_way_when_it_arrives(
    shared_db_url: str,
) -> None:
    """Frozen before the screens paint it: the collector's first pass after the load would
    otherwise walk every object of it while the data is drawn."""
    import gc

    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0)
    seen: list[bool] = []
    apply = app._apply

    def checked_apply(snapshot, *args):  # type: ignore[no-untyped-def]
        tracked = {id(o) for o in gc.get_objects()}  # the frozen are in no generation
        seen.append(id(snapshot.forecast) in tracked or id(snapshot) in tracked)
        apply(snapshot, *args)

    app._apply = checked_apply  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        before = app.snapshot
        await pilot.press("ctrl+r")
        await wait_for_data(pilot, before)
    assert seen == [False, False]
