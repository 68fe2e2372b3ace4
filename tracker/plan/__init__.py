"""The plan: its model, and loading and validating plan files."""
