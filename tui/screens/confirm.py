"""Ask before doing something that cannot be taken back silently: says what, Yes or No."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Button, Label, Static

from tracker.i18n import _


class ConfirmScreen(ModalScreen[bool]):
    """Dismissed with True for Yes (y, Enter on Yes), False for No (n, Esc)."""

    BINDINGS = [
        Binding("y,s", "answer(True)", _("Yes"), id="confirm_yes"),
        Binding("n,escape", "answer(False)", _("No"), id="confirm_no"),
    ]

    def __init__(self, title: str, message: str) -> None:
        super().__init__()
        self.title_text, self.message = title, message

    def compose(self) -> ComposeResult:
        with VerticalScroll(id="dialog", classes="form"):
            yield Label(self.title_text, id="dialog-title")
            yield Static(self.message, id="confirm-message", markup=False)
            with Horizontal(id="dialog-buttons"):
                yield Button(_("Yes"), variant="warning", id="yes", compact=True)
                yield Button(_("No"), id="no", compact=True)

    def on_mount(self) -> None:
        self.query_one("#no", Button).focus()

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")
