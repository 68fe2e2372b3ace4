"""Snapshots of the main screens at 120×40 (pytest-textual-snapshot).

Regenerate after an intended change with `python3 dev.py test tests/tui/test_snapshots.py
--snapshot-update`, and look at the SVGs before committing them.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from textual.pilot import Pilot

from tui.app import TrackerApp

from .conftest import shown, steady_cursors, wait_for_data

SIZE = (120, 40)


def app_for(db_url: str) -> TrackerApp:
    return TrackerApp(db_url, as_of=date(2018, 4, 16), poll_seconds=0)


def keys(*pressed: str) -> Any:
    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_data(pilot)
        if pressed:
            await pilot.press(*pressed)
        await pilot.pause(0.3)
        steady_cursors(pilot.app)
        await pilot.pause()

    return run_before


def test_panel(snap_compare: Any, db_url: str) -> None:
    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=keys())


def test_tasks(snap_compare: Any, db_url: str) -> None:
    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=keys("2"))


def test_detail(snap_compare: Any, db_url: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys("2", "down", "down", "enter")(pilot)
        history = pilot.app.screen.query_one("#history")
        for _ in range(100):  # the history arrives from a worker thread
            if "No changes" in shown(history):
                break
            await pilot.pause(0.05)

    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=run_before)


def test_status_dialog(snap_compare: Any, db_url: str) -> None:
    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=keys("2", "e"))


def test_schedule(snap_compare: Any, db_url: str) -> None:
    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=keys("3"))


def test_communication(snap_compare: Any, db_url: str) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await keys("4")(pilot)
        await pilot.pause(0.5)  # the screen reads the whole log in its own worker

    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=run_before)


def test_actors(snap_compare: Any, db_url: str) -> None:
    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=keys("5"))


def test_mesa(snap_compare: Any, db_url: str) -> None:
    assert snap_compare(app_for(db_url), terminal_size=SIZE, run_before=keys("6"))
