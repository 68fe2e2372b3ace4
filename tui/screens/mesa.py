"""Mesa Técnica screen (being built)."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.widgets import Static

from tracker.i18n import _
from tui.data import Snapshot
from tui.screens.base import TrackerScreen


class MesaScreen(TrackerScreen):
    HELP_TITLE = _("Mesa Técnica")

    def body(self) -> ComposeResult:
        yield Static(id="mesa-body")

    def show(self, snapshot: Snapshot) -> None:
        self.query_one("#mesa-body", Static).update(snapshot.plan_key)


SCREEN = MesaScreen
