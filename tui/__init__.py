"""The Textual terminal UI (screens arrive with the TUI issue); the domain never imports it."""
