"""Scheduling: the dependency graph, the working-day calendar and the schedule passes."""
