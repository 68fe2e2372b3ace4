"""The plan and its state as MS Project XML (MSPDI), as MS Project and ProjectLibre read it.

calendar.py builds the working-day calendar, tasks.py the summary tasks and items,
resources.py the lead organisations and their assignments, writer.py the document.
"""

from tracker.exporters.mspdi.writer import build_project, write_mspdi

__all__ = ["build_project", "write_mspdi"]
