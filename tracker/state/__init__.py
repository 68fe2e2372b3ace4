"""The state of the plan on a date, computed from the stored plan and its history."""
