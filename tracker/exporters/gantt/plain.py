"""Plotly figures as plain dictionaries, not ``plotly.graph_objects``.

A Gantt has a few dozen traces and shapes; building them as graph objects makes Plotly load
its whole class tree and validate every property, which took longer than the rest of an HTML
export. The chart is built as the JSON Plotly.js reads (the same keys), written with
``plotly.io.to_html(..., validate=False)`` and handed to the browser as JSON. Tests that want
attribute access wrap it in ``go.Figure``.
"""

from __future__ import annotations

from typing import Any


class PlainFigure(dict[str, Any]):
    """``{"data": [...], "layout": {...}}`` with the few methods the builders call."""

    def __init__(self) -> None:
        super().__init__(data=[], layout={})

    @property
    def data(self) -> list[dict[str, Any]]:
        traces: list[dict[str, Any]] = self["data"]
        return traces

    @property
    def layout(self) -> dict[str, Any]:
        layout: dict[str, Any] = self["layout"]
        return layout

    def add_trace(self, trace: dict[str, Any]) -> None:
        self.data.append(trace)

    def update_layout(self, **changes: Any) -> None:
        for key, value in changes.items():
            current = self.layout.get(key)
            if isinstance(current, dict) and isinstance(value, dict):
                current.update(value)
            else:
                self.layout[key] = value

    def update_xaxes(self, **changes: Any) -> None:
        self.update_layout(xaxis=changes)

    def update_yaxes(self, **changes: Any) -> None:
        self.update_layout(yaxis=changes)


class Traces:
    """``traces.Bar(...)`` and ``traces.Scatter(...)``: trace dictionaries, spelled as the
    graph objects are (so the builders read like ordinary Plotly code)."""

    @staticmethod
    def Bar(**properties: Any) -> dict[str, Any]:
        return {"type": "bar", **properties}

    @staticmethod
    def Scatter(**properties: Any) -> dict[str, Any]:
        return {"type": "scatter", **properties}


traces = Traces()
