"""Messages the app sends to its screens."""

from __future__ import annotations

from textual.message import Message

from tui.data import Snapshot


class SnapshotReady(Message):
    """A fresh snapshot of the database was loaded (after a change here or elsewhere)."""

    def __init__(self, snapshot: Snapshot, external: bool = False) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.external = external
