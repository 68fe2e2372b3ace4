"""Exporters: Gantt charts, the monthly report, spreadsheets and calendars.

Plotly is imported only inside the Gantt exporter, when it runs, so the CLI starts fast.
"""
