"""The statuses an item or a deliverable can have (shared by the domain, the CLI and the TUI)."""

from __future__ import annotations

ITEM_STATUSES = ("pendiente", "en_curso", "completada", "bloqueada", "diferida", "cancelada")
DELIVERABLE_STATUSES = ("pendiente", "borrador", "en_revision", "validado", "entregado")
CLOSED = ("completada", "diferida", "cancelada")
# Items that no longer hold anything up.
REMOVED = ("diferida", "cancelada")
