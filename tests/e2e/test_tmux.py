"""The real `tracker` in a real terminal (tmux): type keys as a user, read the screen."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import ROOT, require_tool


class Terminal:
    def __init__(self, session: str) -> None:
        self.session = session

    def keys(self, *keys: str) -> None:
        subprocess.run(["tmux", "send-keys", "-t", self.session, *keys], check=True)

    def screen(self) -> str:
        return subprocess.run(
            ["tmux", "capture-pane", "-p", "-t", self.session],
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def wait_for(self, text: str, timeout: float = 20) -> str:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            screen = self.screen()
            if text in screen:
                return screen
            time.sleep(0.2)
        raise AssertionError(f"{text!r} never appeared; the screen shows:\n{self.screen()}")


@pytest.fixture()
def terminal(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[tuple[Terminal, Path]]:
    width, height = getattr(request, "param", (120, 40))
    require_tool("tmux", "tmux")
    db = tmp_path / "e2e.db"
    env = {**os.environ, "TRACKER_DB": str(db), "TRACKER_USER": "e2e", "TRACKER_LANG": "en"}
    subprocess.run(
        [sys.executable, "-m", "tracker", "init"],
        env=env,
        cwd=ROOT,
        check=True,
        capture_output=True,
    )
    session = f"tracker-e2e-{os.getpid()}"
    # COLUMNS/LINES from the test runner would override the terminal's real size.
    command = (
        f"cd {ROOT} && env -u COLUMNS -u LINES TRACKER_DB={db} TRACKER_USER=e2e "
        f"TRACKER_LANG=en {sys.executable} -m tracker tui --as-of 2018-04-16"
    )
    subprocess.run(
        ["tmux", "new-session", "-d", "-s", session, "-x", str(width), "-y", str(height), command],
        check=True,
    )
    try:
        yield Terminal(session), db
    finally:
        subprocess.run(["tmux", "kill-session", "-t", session], capture_output=True)


def test_change_a_status_from_the_keyboard(terminal: tuple[Terminal, Path]) -> None:
    term, db = terminal
    term.wait_for("as of 2018-04-16")
    term.wait_for("Phase II progress")
    term.keys("2")
    screen = term.wait_for("Search by id or words")
    assert "Revisión de indicadores" in screen
    term.keys("e")
    term.wait_for("Change status of 1.1.1")
    # The status list has the focus: open it, go one down (en_curso), choose, save.
    term.keys("Enter")
    time.sleep(0.5)
    term.keys("Down", "Enter")
    time.sleep(0.5)
    term.keys("C-s")
    term.wait_for("1.1.1 saved")
    screen = term.wait_for("in progress")
    import sqlite3

    with sqlite3.connect(db) as conn:
        status, author = conn.execute(
            "SELECT status, updated_by FROM items WHERE key = '1.1.1'"
        ).fetchone()
        changes = conn.execute(
            "SELECT count(*) FROM changes WHERE entity_key = '1.1.1'"
        ).fetchone()[0]
    assert (status, author, changes) == ("en_curso", "e2e", 1)
    term.keys("q")


@pytest.mark.parametrize("terminal", [(80, 24)], indirect=True)
def test_at_80x24_tab_reaches_the_note_and_save(terminal: tuple[Terminal, Path]) -> None:
    """The status dialog in the smallest supported terminal: Tab walks to the note and to
    Save, each shown as it is reached; the note lands in the database."""
    term, db = terminal
    term.wait_for("as of 2018-04-16")
    term.keys("2")
    term.wait_for("Search by id or words")
    term.keys("e")
    term.wait_for("Change status of 1.1.1")
    time.sleep(0.5)  # the dialog puts the focus on its first field once mounted
    for _ in range(3):  # status → percent → date → note
        term.keys("Tab")
        time.sleep(0.2)
    term.keys("-l", "revisado en la mesa")
    screen = term.wait_for("revisado en la mesa")
    assert "Note (required when blocked)" in screen
    term.keys("Tab")  # to Save
    time.sleep(0.3)
    assert "Save" in term.screen()
    term.keys("Enter")
    term.wait_for("1.1.1 saved")
    import sqlite3

    with sqlite3.connect(db) as conn:
        note, author = conn.execute(
            "SELECT note, author FROM changes WHERE entity_key = '1.1.1' ORDER BY id DESC"
        ).fetchone()
    assert (note, author) == ("revisado en la mesa", "e2e")
    term.keys("q")
