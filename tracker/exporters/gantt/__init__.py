"""The Plotly Gantt chart: ``rows`` (shared with the terminal chart), ``layout`` (paper and
screen sizes, pages), ``palette``, ``figure`` and ``marks`` (drawing), ``html`` and ``render``
(writing). Plotly is imported only when a chart is drawn."""
