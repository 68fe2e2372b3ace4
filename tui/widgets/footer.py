"""Textual's footer, rebuilt only when the keys it shows change.

Textual's Footer recomposes (a dozen widgets, each styled anew) whenever the screen's bindings
are updated: on every change of focus, several times while a screen first opens. The keys
shown are usually the same; this one compares first and recomposes only when they differ.
"""

from __future__ import annotations

from typing import Any

from textual.widgets import Footer


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

    async def recompose(self) -> None:
        if not self.is_attached:
            return
        shown = self._shown()
        if shown is not None and shown == self._composed_for:
            return
        self._composed_for = shown
        await super().recompose()
