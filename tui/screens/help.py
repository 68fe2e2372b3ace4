"""Every key of the app and of each screen, in the user's language."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Static

from tracker.i18n import _


def key_lines(bindings: list[Binding]) -> list[tuple[str, str]]:
    """(keys as the footer shows them, description) for every described binding."""
    from textual.app import App

    display = App.get_key_display
    lines = []
    for b in bindings:
        if not b.description:
            continue
        keys = " / ".join(
            display(None, Binding(k.strip(), b.action))  # type: ignore[arg-type]
            for k in b.key.split(",")
        )
        lines.append((keys, b.description))
    return lines


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,question_mark,f1,q", "dismiss", _("Close"))]

    def compose(self) -> ComposeResult:
        from tui.screens.detail import DetailScreen
        from tui.screens.tasks import TasksScreen

        sections: list[tuple[str, list[Binding]]] = [
            # The app's own keys, read off the running app: importing it would be a cycle.
            (_("Everywhere"), list(type(self.app).BINDINGS)),  # type: ignore[arg-type]
            (_("Tasks"), list(TasksScreen.BINDINGS)),  # type: ignore[arg-type]
            (_("Item detail"), list(DetailScreen.BINDINGS)),  # type: ignore[arg-type]
        ]
        for name in ("gantt", "comms", "actors", "mesa"):
            module = __import__(f"tui.screens.{name}", fromlist=["SCREEN"])
            screen = module.SCREEN
            sections.append((screen.HELP_TITLE, list(screen.BINDINGS)))
        text = Text(_("Keys") + "\n\n", style="bold")
        for title, bindings in sections:
            text.append(title + "\n", style="bold underline")
            for key, description in key_lines(bindings):
                text.append(f"  {key:<18}", style="bold")
                text.append(description + "\n")
            text.append("\n")
        text.append(_("Ctrl+P opens the command palette: every screen and action by name."))
        with VerticalScroll(id="dialog"):
            yield Static(text)
