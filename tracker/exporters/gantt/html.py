"""The interactive page: one self-contained HTML file (plotly.js inline, the Spanish locale
registered) that opens offline and survives being sent by e-mail."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

from tracker.exporters.gantt.options import CSS_DPI, GanttOptions, paper_pixels
from tracker.i18n import current_language


def write_html(
    figs: Sequence[Any], path: Path, options: GanttOptions, *, force: bool = False
) -> None:
    """A self-contained page (plotly.js inline, the Spanish locale registered): it opens
    offline and survives being sent by e-mail. Several figures (the one-screen summary, then
    the whole chart) follow each other on the page; the first is ``#gantt``."""
    import plotly.io as pio
    from plotly.offline import get_plotlyjs

    from tracker.exporters.gantt.plotly_es import locale_script

    spanish = current_language() == "es"
    width, height = paper_pixels(options.paper)
    config = {
        "locale": "es" if spanish else "en",
        "displaylogo": False,
        "responsive": False,
        "toImageButtonOptions": {
            "format": "png",
            "filename": path.stem,
            "width": width,
            "height": height,
            "scale": options.dpi / CSS_DPI,
        },
    }
    body = "\n".join(
        pio.to_html(
            fig,
            validate=False,
            full_html=False,
            include_plotlyjs=False,
            include_mathjax=False,
            config=config,
            div_id="gantt" if n == 0 else f"gantt-{n + 1}",
        )
        for n, fig in enumerate(figs)
    )
    title = figs[0]["layout"].get("title", {}).get("text") or "Gantt"
    page = "\n".join(
        [
            "<!DOCTYPE html>",
            f'<html lang="{"es" if spanish else "en"}">',
            "<head>",
            '<meta charset="utf-8">',
            '<meta name="viewport" content="width=device-width, initial-scale=1">',
            f"<title>{title}</title>",  # already escaped by build_figure
            "<style>html, body { margin: 0; padding: 0; background: white; }</style>",
            '<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};'
            "</script>",
            f'<script type="text/javascript">{get_plotlyjs()}</script>',
            f'<script type="text/javascript">{locale_script(make_default=spanish)}</script>',
            "</head>",
            "<body>",
            body,
            f'<script type="text/javascript">{ZOOM_SCRIPT}</script>',
            "</body>",
            "</html>",
        ]
    )
    from tracker.exporters.output import text_writer, write_atomically

    write_atomically(path, text_writer(page), force=force)


# The month ticks are fixed (so that the page and the printed chart read the same); zoomed in
# to a few weeks, the page lets Plotly place day ticks instead, in the registered locale.
ZOOM_SCRIPT = """document.querySelectorAll(".plotly-graph-div").forEach(function (gd) {
  if (!gd.on) return;
  gd.on("plotly_relayout", function (e) {
    if (!("xaxis.range[0]" in e || "xaxis.range" in e || "xaxis.autorange" in e)) return;
    var r = gd.layout.xaxis.range.map(function (v) {
      return new Date(String(v).replace(" ", "T"));
    });
    var want = (r[1] - r[0]) / 864e5 < 75 ? "auto" : "array";
    if (gd.layout.xaxis.tickmode === want) return;
    Plotly.relayout(gd, {
      "xaxis.tickmode": want,
      "xaxis.tickformat": want === "auto" ? "%-d %b" : ""
    });
  });
});"""
