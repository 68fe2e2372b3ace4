"""The Comunicación screen, driven like a user: the month's targets and their states, other
months, and logging an entry through the form (valid and invalid)."""

from __future__ import annotations

import io
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from rich.text import Text
from sqlalchemy.orm import Session, sessionmaker
from textual.pilot import Pilot
from textual.widgets import Input, Select, SelectionList, Static

from tests.conftest import PLAN
from tests.db.helpers import fresh_db
from tracker.plan.load import load_plan
from tracker.store.planstore import find_plan, stored_plan
from tracker.store.session import transaction
from tracker.tracking.commlog import ActivityInput, add_activity, list_activities
from tui.app import TrackerApp
from tui.screens.comms import CommsScreen, FixedTable
from tui.screens.commsform import CommsForm

AS_OF = date(2018, 3, 30)  # March still runs: on its last day it would be judged final
ACTIVITIES = [
    ActivityInput(date(2018, 1, 20), "correo", ["hojas-informativas"], "Hoja informativa 1"),
    ActivityInput(date(2018, 2, 10), "web", ["web-publicaciones"], "Publicación de febrero"),
    ActivityInput(date(2018, 2, 14), "twitter", ["redes-posts"], "Tuit Día de los Humedales"),
    ActivityInput(date(2018, 3, 5), "web", ["web-publicaciones"], "Publicación de marzo"),
    ActivityInput(date(2018, 3, 10), "facebook", ["redes-posts"], "Posts del taller", 2),
]


def plain(widget: Static) -> str:
    """What a Static shows, as text."""
    content: Any = widget.content
    if isinstance(content, str):
        return content
    if isinstance(content, Text):
        return content.plain
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(content)
    return console.export_text()


def log(sessions: sessionmaker[Session], data: ActivityInput) -> None:
    def work(session: Session) -> None:
        row = find_plan(session)
        add_activity(session, row, stored_plan(session, row), data, "ana")

    transaction(sessions, work)


def logged(sessions: sessionmaker[Session]) -> list[Any]:
    return transaction(sessions, lambda s: list_activities(s, find_plan(s)))


@pytest.fixture
def db(tmp_path: Path) -> tuple[str, sessionmaker[Session]]:
    url = f"sqlite:///{tmp_path}/t.db"
    sessions = fresh_db(url, load_plan(str(PLAN)))
    for data in ACTIVITIES:
        log(sessions, data)
    return url, sessions


async def wait_for(pilot: Pilot[Any], condition: Callable[[], bool], what: str) -> None:
    for _ in range(200):
        if condition():
            return
        await pilot.pause(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def states(app: TrackerApp) -> dict[str, tuple[str, ...]]:
    """The target table as shown: key "target|channel" -> the row's cells."""
    table = app.screen.query_one("#comms-targets", FixedTable)
    return {row.key: row.cells for row in table.rows}


def state_of(app: TrackerApp, key: str) -> str:
    return states(app)[key][-1]


def entries(app: TrackerApp) -> list[tuple[str, ...]]:
    return [row.cells for row in app.screen.query_one("#comms-entries", FixedTable).rows]


def month_shown(app: TrackerApp) -> date | None:
    screen = app.screen
    return screen.month if isinstance(screen, CommsScreen) else None


async def open_comms(pilot: Pilot[Any], month: str = "2018-03") -> TrackerApp:
    app: TrackerApp = pilot.app  # type: ignore[assignment]
    await wait_for(pilot, lambda: app.snapshot is not None, "the first snapshot")
    await pilot.press("4")
    await wait_for(pilot, lambda: isinstance(app.screen, CommsScreen), "the screen")
    screen = app.screen
    assert isinstance(screen, CommsScreen)
    await wait_for(
        pilot,
        lambda: (
            bool(states(app))
            and screen.month is not None
            and screen.month.isoformat()[:7] == month
            and app.snapshot is not None
        ),
        "the month's targets and entries",
    )
    return app


async def test_the_month_shows_each_target_state_and_its_entries(
    db: tuple[str, sessionmaker[Session]],
) -> None:
    url, _sessions = db
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_comms(pilot)
        rows = states(app)
        assert state_of(app, "web-publicaciones|") == "achieved"
        assert state_of(app, "redes-posts|facebook") == "achieved"
        assert state_of(app, "redes-posts|twitter") == "on track"  # March still runs
        assert state_of(app, "hojas-informativas|") == "on track"  # the Mar–Apr bimester
        assert state_of(app, "tv-entrevista|") == "next"  # second quarter
        assert rows["redes-posts|facebook"][1] == "Facebook"  # one row per network
        assert rows["hojas-informativas|"][1] == ""
        assert rows["web-publicaciones|"][2] == "01/03–31/03"
        # expected, done, cumulative (Jan, Feb, Mar expected one each; Feb and Mar done)
        assert rows["web-publicaciones|"][3:6] == ("1", "1", "2/3")
        summary = plain(app.screen.query_one("#comms-summary", Static))
        assert "met: 2" in summary and "missed: 0" in summary
        assert [e[3] for e in entries(app)] == ["Publicación de marzo", "Posts del taller"]
        assert "as of 2018-03-30" in plain(app.screen.query_one("#comms-judged", Static))


async def test_switching_the_month_changes_the_states(
    db: tuple[str, sessionmaker[Session]],
) -> None:
    url, _sessions = db
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_comms(pilot)
        await pilot.press("less_than_sign")  # February, as it closed
        await wait_for(pilot, lambda: month_shown(app) == date(2018, 2, 1), "February")
        await wait_for(
            pilot,
            lambda: state_of(app, "redes-posts|facebook") == "not met",
            "February's states",
        )
        assert state_of(app, "redes-posts|twitter") == "not met"  # 1 of 2
        assert state_of(app, "web-publicaciones|") == "achieved"
        assert state_of(app, "hojas-informativas|") == "achieved"  # Jan–Feb: the one of January
        assert states(app)["hojas-informativas|"][2] == "01/01–28/02"
        assert "judged on 2018-02-28" in plain(app.screen.query_one("#comms-judged", Static))
        await wait_for(
            pilot,
            lambda: (
                [e[3] for e in entries(app)]
                == ["Publicación de febrero", "Tuit Día de los Humedales"]
            ),
            "February's entries",
        )
        assert app.screen.query_one("#comms-month", Select).value == "2018-02-01"

        # The month selector: May, still to come.
        app.screen.query_one("#comms-month", Select).value = "2018-05-01"
        await wait_for(pilot, lambda: month_shown(app) == date(2018, 5, 1), "May")
        await wait_for(pilot, lambda: state_of(app, "web-publicaciones|") == "next", "May's states")
        assert state_of(app, "tv-entrevista|") == "next"
        assert states(app)["web-publicaciones|"][2] == "01/05–31/05"
        await wait_for(pilot, lambda: entries(app) == [], "no entries in May")
        assert app.as_of == AS_OF  # the app's date did not move


async def test_an_entry_added_through_the_form_is_saved_and_shown(
    db: tuple[str, sessionmaker[Session]],
) -> None:
    url, sessions = db
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_comms(pilot)
        assert state_of(app, "redes-posts|twitter") == "on track"
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, CommsForm), "the form")
        form = app.screen
        assert form.query_one("#cf-date", Input).value == "2018-03-30"  # the as-of date
        # The form starts from the highlighted target (the first row) on its channel.
        targets = form.query_one("#cf-targets", SelectionList)
        assert form.query_one("#cf-channel", Select).value == "correo"
        assert targets.selected == ["hojas-informativas"]

        def offered() -> list[str]:
            return [targets.get_option_at_index(i).value for i in range(targets.option_count)]

        form.query_one("#cf-channel", Select).value = "twitter"
        await pilot.pause()
        # Those counted on Twitter; the one ticked that Twitter does not count is unticked.
        assert offered() == ["redes-posts", "lanzamiento-redes"]
        assert targets.selected == []
        targets.select("redes-posts")
        await pilot.pause()
        form.query_one("#cf-channel", Select).value = "facebook"
        await pilot.pause()
        assert offered() == ["redes-posts", "lanzamiento-redes"]  # counted on both
        form.query_one("#cf-channel", Select).value = "twitter"
        await pilot.pause()
        assert offered() == ["redes-posts", "lanzamiento-redes"]
        assert targets.selected == ["redes-posts"]
        await pilot.click("#cf-name")
        await pilot.press(*"Hilo del taller")
        form.query_one("#cf-qty", Input).value = "2"
        form.query_one("#cf-date", Input).value = "2018-03-20"
        await pilot.pause()
        await pilot.click("#cf-save")
        await wait_for(pilot, lambda: isinstance(app.screen, CommsScreen), "the form to close")

        rows = logged(sessions)
        assert len(rows) == len(ACTIVITIES) + 1
        new = rows[-1]
        assert (new.day, new.channel, new.targets, new.title, new.quantity) == (
            date(2018, 3, 20),
            "twitter",
            ["redes-posts"],
            "Hilo del taller",
            2,
        )
        await wait_for(
            pilot, lambda: "Hilo del taller" in [e[3] for e in entries(app)], "the new entry"
        )
        await wait_for(
            pilot, lambda: state_of(app, "redes-posts|twitter") == "achieved", "the new count"
        )
        assert states(app)["redes-posts|twitter"][4] == "2"
        assert "met: 3" in plain(app.screen.query_one("#comms-summary", Static))


async def test_invalid_input_is_explained_in_place_and_nothing_is_saved(
    db: tuple[str, sessionmaker[Session]],
) -> None:
    url, sessions = db
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_comms(pilot)
        await pilot.press("a")
        await wait_for(pilot, lambda: isinstance(app.screen, CommsForm), "the form")
        form = app.screen

        def problem(name: str) -> str:
            return plain(form.query_one(f"#cf-{name}-problem", Static))

        assert problem("title") == ""  # nothing nags before the user typed or tried
        form.query_one("#cf-channel", Select).value = "web"
        await pilot.pause()
        form.query_one("#cf-targets", SelectionList).select("web-publicaciones")
        form.query_one("#cf-name", Input).value = "Nota"
        form.query_one("#cf-channel", Select).value = "facebook"  # does not count for it
        form.query_one("#cf-qty", Input).value = "0"
        await pilot.pause()
        # Facebook does not count toward it: unticked, and the list says a target is needed.
        assert form.query_one("#cf-targets", SelectionList).selected == []
        assert "name at least one target" in problem("target")
        assert "the quantity must be at least 1, not 0" in problem("qty")
        await pilot.click("#cf-save")
        await pilot.pause()
        assert isinstance(app.screen, CommsForm)
        assert len(logged(sessions)) == len(ACTIVITIES)

        # A save attempt shows every problem, touched or not.
        form.query_one("#cf-targets", SelectionList).deselect_all()
        form.query_one("#cf-name", Input).value = ""
        form.query_one("#cf-date", Input).value = "2018-02-30"
        await pilot.pause()
        await pilot.click("#cf-save")
        await pilot.pause()
        assert "name at least one target" in problem("target")
        assert "the title must not be empty" in problem("title")
        assert "YYYY-MM-DD" in problem("date")
        assert len(logged(sessions)) == len(ACTIVITIES)

        await pilot.press("escape")
        await wait_for(pilot, lambda: isinstance(app.screen, CommsScreen), "the form to close")
        assert len(logged(sessions)) == len(ACTIVITIES)


async def test_plan_text_is_shown_literally(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path}/t.db"
    sessions = fresh_db(url, load_plan(str(PLAN)))
    log(sessions, ActivityInput(date(2018, 3, 2), "web", ["web-publicaciones"], "[bold]x[/] y"))
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_comms(pilot)
        assert entries(app)[0][3] == "[bold]x[/] y"
        table = app.screen.query_one("#comms-entries", FixedTable)
        table.focus()
        await pilot.pause()
        assert "[bold]x[/] y" in plain(app.screen.query_one("#comms-info", Static))
