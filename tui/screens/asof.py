"""Choose the date the plan is seen as of (the bundled plan is of 2018)."""

from __future__ import annotations

from datetime import date

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from tracker.i18n import _


class AsOfScreen(ModalScreen[date | None]):
    BINDINGS = [Binding("escape", "dismiss(None)", _("Cancel"))]

    def __init__(self, current: date) -> None:
        super().__init__()
        self.current = current

    def compose(self) -> ComposeResult:
        with Vertical(id="dialog"):
            yield Label(_("See the plan as of (YYYY-MM-DD), then Enter"))
            yield Input(self.current.isoformat(), id="as-of")
            yield Static(id="problem")

    @on(Input.Submitted)
    def _submit(self, event: Input.Submitted) -> None:
        try:
            self.dismiss(date.fromisoformat(event.value.strip()))
        except ValueError:
            self.query_one("#problem", Static).update(
                _("the date must be a real date as YYYY-MM-DD")
            )
