"""The keys of a daily tool: u undoes after saying what, space marks and e changes the
marked rows as one undoable action, o opens a product's evidence, the board, the activity
screen (live), and ? lists them all."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import sessionmaker
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, OptionList, Select, Static

from tracker.store.engine import make_engine
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import get_item, set_deliverable_status, set_item_status
from tui.app import TrackerApp
from tui.screens.bulk import BulkStatusScreen
from tui.screens.confirm import ConfirmScreen
from tui.screens.help import HelpScreen
from tui.widgets.itemtable import ItemTable

from .conftest import shown, wait_for_data
from .test_live import open_detail, until

AS_OF = date(2018, 4, 16)


def others(url: str) -> sessionmaker:  # type: ignore[type-arg]
    return sessionmaker(make_engine(url), expire_on_commit=False)


def statuses(url: str, *keys: str) -> list[str]:
    plan = lambda s: find_plan(s)  # noqa: E731
    return transaction(others(url), lambda s: [get_item(s, plan(s), k).status for k in keys])


async def test_bulk_change_then_undo_reverts_it_whole(shared_db_url: str) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2", "space", "space", "space")
        table = app.screen.query_one(ItemTable)
        assert table.marked == {"1.1.1", "1.2.1", "1.3.1"}
        assert "3 marked" in shown(app.screen.query_one("#count", Static))
        await pilot.press("e")
        await pilot.pause()
        dialog = app.screen
        assert isinstance(dialog, BulkStatusScreen)
        dialog.query_one("#status", Select).value = "en_curso"
        await pilot.press("ctrl+s")
        # Saved, and the marks cleared once the dialog closed (slow on a busy machine).
        await until(pilot, lambda: not table.marked, 15.0)
        assert statuses(shared_db_url, "1.1.1", "1.2.1", "1.3.1", "1.4.1") == [
            "en_curso",
            "en_curso",
            "en_curso",
            "pendiente",
        ]
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        message = str(app.screen.query_one("#confirm-message", Static).render())
        for key in ("1.1.1", "1.2.1", "1.3.1"):
            assert f"{key}: pending → in progress" in message
        await pilot.press("y")
        reverted = ["pendiente"] * 3
        await until(
            pilot, lambda: statuses(shared_db_url, "1.1.1", "1.2.1", "1.3.1") == reverted, 15
        )


def someone_sets(url: str, key: str, status: str, author: str, **options: object) -> None:
    transaction(
        others(url),
        lambda s: set_item_status(s, find_plan(s), key, status, on=AS_OF, author=author, **options),
    )


async def open_bulk(pilot: Pilot[None]) -> BulkStatusScreen:
    """Mark 1.1.1, 1.2.1 and 1.3.1 in Tareas, press e, and choose blocked with a note."""
    app = pilot.app
    await wait_for_data(pilot)
    await pilot.press("2", "space", "space", "space", "e")
    await pilot.pause()
    dialog = app.screen
    assert isinstance(dialog, BulkStatusScreen)
    dialog.query_one("#status", Select).value = "bloqueada"
    dialog.query_one("#note", Input).value = "esperando datos del MIVIOT"
    return dialog


async def test_bulk_change_refused_when_others_changed_marked_items_then_applied_on_top(
    shared_db_url: str,
) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0)  # sees no one else's change
    async with app.run_test(size=(80, 24)) as pilot:
        dialog = await open_bulk(pilot)
        table = app.screen_stack[-2].query_one(ItemTable)
        someone_sets(shared_db_url, "1.2.1", "completada", "luis")
        someone_sets(shared_db_url, "1.3.1", "en_curso", "eva", percent=30)
        await pilot.press("ctrl+s")
        await until(pilot, lambda: dialog.query_one("#merge-buttons").display, 15.0)
        said = str(dialog.query_one("#conflict", Static).render())
        assert "2 of the items were changed" in said and "nothing was saved" in said
        assert "1.2.1 by luis" in said and "1.3.1 by eva" in said
        await pilot.pause(0.1)  # laid out now that it shows
        merge = shown(dialog.query_one("#merge", Static))
        assert "luis" in merge and "done, 100 %" in merge
        assert "eva" in merge and "in progress, 30 %" in merge and "1.1.1" not in merge
        assert "blocked · esperando datos" in merge
        # Nothing written, nothing typed lost.
        assert statuses(shared_db_url, "1.1.1", "1.2.1", "1.3.1") == [
            "pendiente",
            "completada",
            "en_curso",
        ]
        assert dialog.query_one("#note", Input).value == "esperando datos del MIVIOT"
        assert dialog.query_one("#status", Select).value == "bloqueada"
        assert dialog.query_one("#save").disabled  # choosing, not saving blind
        await pilot.click("#apply")
        await until(pilot, lambda: not table.marked, 15.0)
        assert statuses(shared_db_url, "1.1.1", "1.2.1", "1.3.1") == ["bloqueada"] * 3
        reasons = transaction(
            others(shared_db_url),
            lambda s: {get_item(s, find_plan(s), k).reason for k in ("1.1.1", "1.2.1", "1.3.1")},
        )
        assert reasons == {"esperando datos del MIVIOT"}


async def test_bulk_dialog_says_at_once_that_a_marked_item_changed_and_discard_writes_nothing(
    shared_db_url: str,
) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0.3)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        if shared_db_url.startswith("postgresql"):
            await until(pilot, app._listening.is_set)
        dialog = await open_bulk(pilot)
        someone_sets(shared_db_url, "1.2.1", "completada", "luis")
        # PostgreSQL announces the change; SQLite is polled (every 0.3 s here).
        wait = 3.0 if shared_db_url.startswith("postgresql") else 5.0
        await until(pilot, lambda: dialog.query_one("#merge-buttons").display, wait)
        said = str(dialog.query_one("#conflict", Static).render())
        assert "luis changed 1.2.1 while you were editing it" in said
        assert dialog.query_one("#note", Input).value == "esperando datos del MIVIOT"
        await pilot.pause(0.1)  # laid out now that it shows
        await pilot.click("#discard")
        await until(pilot, lambda: not isinstance(app.screen, BulkStatusScreen))
        await pilot.pause(0.3)
        assert statuses(shared_db_url, "1.1.1", "1.2.1", "1.3.1") == [
            "pendiente",
            "completada",
            "pendiente",
        ]


async def test_undo_asks_first_and_no_keeps_the_change(shared_db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    monkeypatch.setenv("TRACKER_USER", "tui")
    transaction(
        others(shared_db_url),
        lambda s: set_item_status(s, find_plan(s), "2.1.1", "completada", on=AS_OF, author="tui"),
    )
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        message = str(app.screen.query_one("#confirm-message", Static).render())
        assert "2.1.1: pending → done · 0 % → 100 %" in message
        await pilot.press("n")
        await pilot.pause(0.3)
        assert statuses(shared_db_url, "2.1.1") == ["completada"]
        await pilot.press("u")
        await until(pilot, lambda: isinstance(app.screen, ConfirmScreen))
        await pilot.press("y")
        await until(pilot, lambda: statuses(shared_db_url, "2.1.1") == ["pendiente"])


async def test_o_opens_the_evidence_of_the_highlighted_product(db_url: str, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    evidence = "https://example.org/informe-3.5.1.pdf"
    transaction(
        others(db_url),
        lambda s: set_deliverable_status(
            s, find_plan(s), "3.5.1-P1", "entregado", on=AS_OF, author="ana", evidence=evidence
        ),
    )
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    opened: list[str] = []
    monkeypatch.setattr(app, "open_url", lambda url, **kw: opened.append(url))
    async with app.run_test(size=(80, 24)) as pilot:
        detail = await open_detail(pilot, "3.5.1")
        await pilot.press("o")  # nothing highlighted yet: highlights the first product
        assert detail.query_one("#products", OptionList).highlighted == 0
        await pilot.press("o")
        assert opened == [evidence]


async def test_board_groups_items_by_status(db_url: str) -> None:
    transaction(
        others(db_url),
        lambda s: set_item_status(
            s, find_plan(s), "1.2.1", "bloqueada", on=AS_OF, author="ana", note="sin datos"
        ),
    )
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("7")
        await pilot.pause()
        blocked = app.screen.query_one("#board-2", ItemTable)
        assert [row.key for row in blocked.rows] == ["1.2.1"]
        assert "blocked (1)" in blocked.render_line(0).text  # the column's title
        assert "1.2.1 " in blocked.render_line(1).text
        pending = app.screen.query_one("#board-0", ItemTable)
        assert len(pending.rows) == 50
        # Two → read together, as a terminal sends a quick (or held) key: both count.
        for _ in range(2):
            app.post_message(events.Key("right", None))
        await pilot.pause(0.1)
        assert app.screen.focused is blocked
        await pilot.press("enter")
        await pilot.pause()
        assert getattr(app.screen, "key", None) == "1.2.1"


async def test_activity_screen_shows_who_what_when_and_follows_changes(
    shared_db_url: str,
) -> None:
    app = TrackerApp(shared_db_url, as_of=AS_OF, poll_seconds=0.3)
    async with app.run_test(size=(120, 30)) as pilot:
        await wait_for_data(pilot)
        if shared_db_url.startswith("postgresql"):
            await until(pilot, app._listening.is_set)
        await pilot.press("8")
        await pilot.pause(0.3)
        table = app.screen.query_one(ItemTable)
        transaction(
            others(shared_db_url),
            lambda s: set_item_status(
                s, find_plan(s), "4.2.1", "en_curso", on=AS_OF, author="luis", percent=30
            ),
        )
        await until(pilot, lambda: len(table.rows) > 0 and "4.2.1" in table.rows[0].cells, 4)
        first = table.render_line(1).text
        assert "luis" in first and "pending → in progress · 0 % → 30 %" in first


async def test_help_lists_every_key_by_screen(db_url: str) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one(Static).render())
        for words in (
            "Undo",
            "Mark",
            "Open evidence",
            "In the search box: to the first match",
            "^s",
            "Board",
            "Activity",
            "Several items at once",
        ):
            assert words in text, words
