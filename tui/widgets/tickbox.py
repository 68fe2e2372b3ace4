"""A checkbox that shows a tick only when ticked: Textual's draws an X in both states,
dimmed when off, which reads as "on" in many terminals (and in any plain-text capture)."""

from __future__ import annotations

from textual.content import Content
from textual.widgets import Checkbox


class TickBox(Checkbox):
    @property
    def _button(self) -> Content:
        self.BUTTON_INNER = "✓" if self.value else " "
        return super()._button
