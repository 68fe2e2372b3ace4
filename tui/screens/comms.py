"""Communication screen (being built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tracker.i18n import _
from tui.data import Snapshot
from tui.screens.base import TrackerScreen


class CommsScreen(TrackerScreen):
    HELP_TITLE = _("Communication")

    def body(self) -> ComposeResult:
        yield Static(id="comms-body")

    def show(self, snapshot: Snapshot) -> None:
        self.query_one("#comms-body", Static).update(snapshot.plan_key)


SCREEN = CommsScreen
