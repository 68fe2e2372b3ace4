"""Text typed into notes and the log is shown, never obeyed: no terminal escapes, no markup."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

from tests.conftest import PLAN, ROOT
from tests.db.helpers import fresh_db
from tests.tui.conftest import shown, wait_for_data
from tracker.plan.load import load_plan
from tracker.store.planstore import find_plan, stored_plan
from tracker.store.session import transaction
from tracker.tracking.commlog import ActivityInput, add_activity
from tracker.tracking.status import set_item_status

HOSTILE = (
    "\x1b[2J\x1b[31mROJO\x1b[0m [bold red]marcado[/bold red] <script>alert(1)</script> "
    '\u202eotxet =HYPERLINK("http://x")'
)


def hostile_db(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    sessions = fresh_db(url, load_plan(str(PLAN)))
    transaction(
        sessions,
        lambda s: set_item_status(
            s, find_plan(s), "1.1.1", "bloqueada", on=date(2018, 1, 10), author="ana", note=HOSTILE
        ),
    )
    transaction(
        sessions,
        lambda s: add_activity(
            s,
            find_plan(s),
            stored_plan(s, find_plan(s)),
            ActivityInput(date(2018, 1, 11), "web", ["web-publicaciones"], HOSTILE),
            "ana",
        ),
    )
    return url


def test_cli_shows_hostile_text_literally(tmp_path: Path) -> None:
    url = hostile_db(tmp_path)
    env = {**os.environ, "TRACKER_LANG": "en", "COLUMNS": "400"}
    for args in (["history", "1.1.1"], ["comms", "list"], ["tasks", "--status", "bloqueada"]):
        out = subprocess.run(
            [sys.executable, "-m", "tracker", *args, "--db", url],
            capture_output=True,
            text=True,
            cwd=ROOT,
            env=env,
        ).stdout
        assert "\x1b" not in out and "\u202e" not in out, args
    history = subprocess.run(
        [sys.executable, "-m", "tracker", "history", "1.1.1", "--db", url],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=env,
    ).stdout
    assert "\\u001b[31mROJO" in history


async def test_tui_shows_hostile_text_literally(tmp_path: Path) -> None:
    from tui.app import TrackerApp
    from tui.widgets.itemtable import ItemTable

    app = TrackerApp(hostile_db(tmp_path), as_of=date(2018, 1, 31), poll_seconds=0)
    async with app.run_test(size=(200, 50)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2")
        await pilot.pause()
        app.screen.query_one(ItemTable).move_to("1.1.1")
        await pilot.press("enter")
        for _ in range(100):
            await pilot.pause(0.05)
            history = shown(app.screen.query_one("#history"))
            if "ROJO" in history:
                break
        head = shown(app.screen.query_one("#detail-head"))
        for text in (history, head):
            assert "\x1b" not in text and "\u202e" not in text
        assert "[bold red]marcado[/bold red]" in history  # markup shown, not applied
        assert "\\u001b[31mROJO" in history
        await pilot.press("escape", "4")
        for _ in range(60):
            await pilot.pause(0.05)
            screen_text = "\n".join(shown(w) for w in app.screen.query("FixedTable, ItemTable"))
            if "ROJO" in screen_text:
                break
        assert "ROJO" in screen_text and "\x1b" not in screen_text
