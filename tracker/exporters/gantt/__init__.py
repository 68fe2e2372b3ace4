"""The Plotly Gantt chart (Plotly is imported only when a chart is drawn)."""
