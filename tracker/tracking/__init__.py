"""Recorded changes: statuses, history, the communication log, sync, rebase and imports."""
