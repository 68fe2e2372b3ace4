"""The demo database: a realistic generated history for the bundled plan."""
