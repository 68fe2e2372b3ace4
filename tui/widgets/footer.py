"""Textual's footer, rebuilt only when the keys it shows change, each key styled once.

Textual's Footer recomposes (a dozen widgets, each styled anew) whenever the screen's bindings
are updated: on every change of focus, several times while a screen first opens. The keys
shown are usually the same; this one compares first and recomposes only when they differ.
"""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey


class KeysFooter(Footer):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self._composed_for: object = None

    def _shown(self) -> object:
        """What compose() would draw: each shown binding's key, label, state and tooltip."""
        if not self._bindings_ready:
            return None
        return tuple(
            (key, binding.action, binding.description, enabled, tooltip)
            for key, (_node, binding, enabled, tooltip) in self.screen.active_bindings.items()
            if binding.show or key == self.app.COMMAND_PALETTE_BINDING
        )

    def compose(self) -> ComposeResult:
        for widget in super().compose():
            # A key starts compact and takes the footer's setting once mounted: its styles
            # were worked out twice, a third of a focus change's cost. Given the footer's
            # setting before it mounts, they are worked out once. (The palette's key does
            # not take the footer's setting: it stays as it is.)
            if isinstance(widget, FooterKey) and not widget.has_class("-command-palette"):
                widget.set_reactive(FooterKey.compact, self.compact)
            yield widget

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown()
        if shown is not None and shown == self._composed_for:
            return
        self._composed_for = shown
        await super().recompose()
