"""Writing Gantt charts: which charts and pages a run makes, and rendering them as HTML, PNG,
SVG (plotly.js in the system's Chromium, :mod:`.chromium`) or PDF (the pages' SVGs printed by
Chromium into one document, titled with the plan's title).

The entry point for other exporters is :func:`render`::

    render(data_or_state, *, paper="carta", dpi=150, summary=False, fmt="png", options=None,
           page=None)
        -> list[bytes]   # one PNG or SVG per page; a PDF is one document (one element)

and, to embed the figure itself, :func:`chart_figures` (Plotly figure dicts, one per page).
A caller that knows early it will need an image opens the browser first with
:func:`open_page` and passes it as ``page``: Chromium then starts while the caller works.

Plotly and the browser driver are imported only inside the functions that draw and write:
importing this module stays cheap, so the CLI starts fast.
"""

from __future__ import annotations

import html as html_escape
import os
import re
import shutil
import tempfile
from collections.abc import Sequence
from contextlib import nullcontext
from dataclasses import dataclass, replace
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from tracker.errors import ExportError, InputError
from tracker.exporters.common import ExportData, export_data
from tracker.exporters.gantt.figure import Page, build_figure, x_range
from tracker.exporters.gantt.layout import (
    Layout,
    fitted,
    for_html,
    for_paper,
    lead_chars,
    paginate,
)
from tracker.exporters.gantt.marks import legend_entries, legend_lines
from tracker.exporters.gantt.options import (
    CSS_DPI,
    PAPERS,
    STATIC_FORMATS,
    GanttOptions,
    check_area,
    check_options,
    check_scope,
    output_format,
    paper_name,
    paper_pixels,
)
from tracker.exporters.gantt.palette import colouring
from tracker.exporters.gantt.rows import (
    GanttRow,
    build_rows,
    group_ids,
    plan_title,
    shown_span,
    summary_rows,
)
from tracker.exporters.gantt.text import fmt_day
from tracker.i18n import _, current_language
from tracker.labels import status_label
from tracker.state.forecast import ItemForecast
from tracker.state.plan_state import PlanState

if TYPE_CHECKING:
    from tracker.exporters.gantt.chromium import PlotlyPage

RENDER_TIMEOUT = 90  # seconds per image


# -- what is drawn -----------------------------------------------------------------------
def select_items(
    data: ExportData, options: GanttOptions, group: str | None = None
) -> list[ItemForecast]:
    """The items the options ask for (``group`` narrows to one area or stage)."""
    wanted = group if group is not None else options.area
    chosen = []
    for item in data.forecast.items:
        if wanted is not None and item.group != wanted:
            continue
        if options.status is not None and item.status != options.status:
            continue
        if options.critical_only and not item.critical:
            continue
        if (options.start or options.end) and not (
            _overlaps(shown_span(item), options)
            or _overlaps((item.baseline_start, item.baseline_finish), options)
        ):
            continue
        chosen.append(item)
    return chosen


def _overlaps(span: tuple[date, date], options: GanttOptions) -> bool:
    start, finish = span
    return not (
        (options.start is not None and finish < options.start)
        or (options.end is not None and start > options.end)
    )


@dataclass(frozen=True, slots=True)
class Chart:
    """One chart to write: its rows, where it goes and what distinguishes it."""

    path: Path
    rows: list[GanttRow]
    subtitle: str = ""


def chart_rows(data: ExportData, items: Sequence[ItemForecast]) -> list[GanttRow]:
    percents = {g.key: g.percent for g in data.forecast.groups}
    return build_rows(data.plan, items, percents)


def plan_charts(
    data: ExportData, options: GanttOptions, output: Path, *, by_area: bool
) -> list[Chart]:
    """The charts a run writes: one, or one per area and stage (files suffixed by its id)."""
    check_area(data.plan, options.area)
    plan = data.plan
    check_scope(options, by_area=by_area)
    if options.summary:
        return [Chart(output, summary_rows(plan, data.forecast), _("summary"))]
    if not by_area:
        items = select_items(data, options)
        if not items:
            raise InputError(_("no item matches the filters; nothing written"))
        subtitle = ""
        if options.area is not None:
            subtitle = f"{options.area} · {plan.group_title(options.area)}"
        return [Chart(output, chart_rows(data, items), _filters_note(options, subtitle))]
    charts = []
    for group in group_ids(plan):
        items = select_items(data, options, group)
        if not items:
            continue
        path = area_path(output, group)
        note = _filters_note(options, f"{group} · {plan.group_title(group)}")
        charts.append(Chart(path, chart_rows(data, items), note))
    if not charts:
        raise InputError(_("no item matches the filters; nothing written"))
    return charts


def _filters_note(options: GanttOptions, scope: str) -> str:
    parts = [scope] if scope else []
    if options.status:
        parts.append(_("status {status}").format(status=status_label(options.status)))
    if options.critical_only:
        parts.append(_("critical path only"))
    if options.start or options.end:
        parts.append(
            _("from {start} to {end}").format(
                start=fmt_day(options.start) if options.start else "…",
                end=fmt_day(options.end) if options.end else "…",
            )
        )
    return " · ".join(parts)


def chart_figures(
    data: ExportData, chart: Chart, options: GanttOptions, *, static: bool
) -> list[Any]:
    """The figures of one chart: one per page of paper, or one for the page on screen."""
    colours = colouring(data.plan, chart.rows, options.color_by)
    window = x_range(data, chart.rows, options)
    legend = legend_entries(data, chart.rows, colours, as_of=window[0] <= data.as_of <= window[1])
    lead = lead_chars(chart.rows)
    base = for_paper(options.paper, lead) if static else for_html(options.summary, lead)
    base = replace(base, legend=legend_lines(legend, base.width, base.font))
    layout: Layout = base
    pages = [chart.rows]
    if options.summary:  # one page (paper) or one screen (HTML), whatever it takes
        layout = fitted(base, chart.rows)
    elif static:
        pages = paginate(layout, chart.rows)
    return [
        build_figure(
            data,
            Page(rows, number, len(pages)),
            options,
            layout,
            colours,
            window,
            legend,
            subtitle=chart.subtitle,
        )
        for number, rows in enumerate(pages, start=1)
    ]


def page_paths(path: Path, count: int) -> list[Path]:
    """``gantt.png`` for one page; ``gantt-p1.png``, ``gantt-p2.png`` … for several."""
    if count == 1:
        return [path]
    return [path.with_name(f"{path.stem}-p{n}{path.suffix}") for n in range(1, count + 1)]


def area_path(output: Path, group: str) -> Path:
    """The file of one area's chart under --by-area: ``output`` suffixed by the area's id."""
    name = re.sub(r"[^A-Za-z0-9._-]+", "_", group)
    return output.with_name(f"{output.stem}-{name}{output.suffix}")


# -- writing -----------------------------------------------------------------------------
def export_gantt(
    data: ExportData,
    options: GanttOptions,
    output: Path,
    *,
    by_area: bool = False,
    force: bool = False,
    database: str | None = None,
) -> list[Path]:
    """Write the chart(s); the format comes from ``output``'s suffix. Returns the paths.
    Each file goes through tracker.exporters.output: written atomically, an existing one
    replaced only under ``force``, none ever the ``database`` in use."""
    from tracker.exporters.gantt.html import write_html
    from tracker.exporters.output import claim, write_atomically

    check_options(options)
    options = replace(options, paper=paper_name(options.paper))
    fmt = output_format(output)
    browser = find_browser() if fmt in STATIC_FORMATS else None
    charts = plan_charts(data, options, output, by_area=by_area)
    static = fmt != "html"
    figures = [chart_figures(data, c, options, static=static) for c in charts]
    for chart in charts:
        claim(chart.path, force=force, database=database)
    written: list[Path] = []
    if fmt == "html":
        whole = not by_area and options == GanttOptions(
            color_by=options.color_by, arrows=options.arrows, paper=options.paper, dpi=options.dpi
        )
        for chart, figs in zip(charts, figures, strict=True):
            if whole:  # the first screen: the summary, then the whole chart under it
                summary = replace(options, summary=True)
                [head] = plan_charts(data, summary, chart.path, by_area=False)
                figs = chart_figures(data, head, summary, static=False) + figs
            write_html(figs, chart.path, options, force=force)
            written.append(chart.path)
        return written
    assert browser is not None
    title = plan_title(data.plan)
    jobs: list[tuple[list[Any], Path]] = [
        (figs, chart.path) for chart, figs in zip(charts, figures, strict=True)
    ]
    with open_page(browser) as page:
        pages = render_static(jobs, fmt, options, title, page)
    for _content, path in pages:  # every page's file, before any is written
        claim(path, force=force, database=database)
    for content, path in pages:
        write_atomically(path, _bytes_writer(content), force=force)
        written.append(path)
    return written


def _bytes_writer(content: bytes) -> Any:
    return lambda target: target.write_bytes(content)


def render(
    data: ExportData | PlanState,
    *,
    paper: str = "carta",
    dpi: int = 150,
    summary: bool = False,
    fmt: str = "png",
    options: GanttOptions | None = None,
    page: PlotlyPage | None = None,
) -> list[bytes]:
    """The whole plan's chart (or its one-page summary) as bytes, for embedding in a report
    or a brief: one PNG or SVG per page, or one PDF document. Raises the same TrackerError as
    the CLI when no browser can render it. ``data``: an exporter's ExportData, or a
    PlanState; ``page``: a browser from :func:`open_page` (the caller closes it), else one is
    started and closed here."""
    if isinstance(data, PlanState):
        data = export_data(data)
    options = replace(options or GanttOptions(), paper=paper, dpi=dpi, summary=summary)
    check_options(options)
    options = replace(options, paper=paper_name(options.paper))
    if fmt not in STATIC_FORMATS:
        raise InputError(_("cannot render a Gantt chart as {fmt!r}").format(fmt=fmt))
    browser = find_browser()
    [chart] = plan_charts(data, options, Path("gantt." + fmt), by_area=False)
    figs = chart_figures(data, chart, options, static=True)
    jobs = [(figs, chart.path)]
    with open_page(browser) if page is None else nullcontext(page) as using:
        pages = render_static(jobs, fmt, options, plan_title(data.plan), using)
    return [content for content, _p in pages]


def render_png_bytes(
    data: ExportData, paper: str = "carta", dpi: int = 300, page: PlotlyPage | None = None
) -> bytes:
    """The one-page summary chart as PNG at print resolution, for the monthly report (the
    whole plan takes several pages of paper: :func:`render` gives them all)."""
    return render(data, paper=paper, dpi=dpi, summary=True, fmt="png", page=page)[0]


def open_page(browser: str | None = None) -> PlotlyPage:
    """A browser with plotly.js (and the Spanish locale when the run is in Spanish), starting
    now in the background; close it, or use it in a ``with`` block. ExportError (one line)
    when there is no browser."""
    from tracker.exporters.gantt.chromium import PlotlyPage
    from tracker.exporters.gantt.plotly_es import locale_script

    locale = locale_script(make_default=current_language() == "es")
    return PlotlyPage(browser or find_browser(), locale)


def render_static(
    jobs: Sequence[tuple[list[Any], Path]],
    fmt: str,
    options: GanttOptions,
    title: str,
    page: PlotlyPage,
) -> list[tuple[bytes, Path]]:
    """Render every page of every chart in ``page``; a PDF gathers a chart's pages."""
    with tempfile.TemporaryDirectory(prefix="tracker-gantt-") as tmp:
        folder = Path(tmp)
        kind = "svg" if fmt == "pdf" else fmt
        batch: list[tuple[Any, Path]] = []
        for n, (figs, _path) in enumerate(jobs):
            for fig in figs:
                batch.append((fig, folder / f"{n}-{len(batch)}.{kind}"))
        _images(batch, kind, options, page)
        out: list[tuple[bytes, Path]] = []
        index = 0
        for figs, path in jobs:
            files = [batch[index + i][1] for i in range(len(figs))]
            index += len(figs)
            if fmt == "pdf":
                out.append((_print_pdf(files, options.paper, page, folder, title), path))
            else:
                for file, target in zip(files, page_paths(path, len(files)), strict=True):
                    out.append((file.read_bytes(), target))
        return out


def _images(
    batch: Sequence[tuple[Any, Path]], fmt: str, options: GanttOptions, page: PlotlyPage
) -> None:
    width, height = paper_pixels(options.paper)
    scale = options.dpi / CSS_DPI if fmt == "png" else 1
    for fig, path in batch:
        image = page.render(
            fig,
            fmt=fmt,
            width=fig["layout"].get("width") or width,
            height=fig["layout"].get("height") or height,
            scale=scale,
        )
        path.write_bytes(image)


def _print_pdf(
    pages: Sequence[Path], paper: str, page: PlotlyPage, folder: Path, title: str
) -> bytes:
    """The pages' SVGs, one per sheet, printed by the same browser into one PDF titled
    ``title``."""
    width, height = PAPERS[paper]
    body = "\n".join(f'<div class="page">{p.read_text(encoding="utf-8")}</div>' for p in pages)
    document = folder / "print.html"
    document.write_text(
        "\n".join(
            [
                "<!DOCTYPE html>",
                f'<html lang="{current_language()}"><head><meta charset="utf-8">',
                f"<title>{html_escape.escape(title)}</title>",
                "<style>",
                f"@page {{ size: {width}in {height}in; margin: 0; }}",
                "html, body { margin: 0; padding: 0; }",
                f".page {{ width: {width}in; height: {height}in; overflow: hidden;"
                " page-break-after: always; break-after: page; }",
                ".page:last-child { page-break-after: auto; break-after: auto; }",
                ".page > svg { display: block; width: 100%; height: 100%; }",
                "</style></head><body>",
                body,
                "</body></html>",
            ]
        ),
        encoding="utf-8",
    )
    return page.print_pdf(document)


def find_browser() -> str:
    """The Chromium that renders PNG, PDF and SVG: ``$BROWSER_PATH`` when set, else one on
    PATH or in the usual places. ExportError (one line) when there is none."""
    explicit = os.environ.get("BROWSER_PATH")
    if explicit:
        if Path(explicit).is_file() and os.access(explicit, os.X_OK):
            return explicit
        raise ExportError(
            _(
                "BROWSER_PATH={path} is not a browser; PNG, PDF and SVG need Chromium: "
                "install the Debian package chromium (apt install chromium) or fix "
                "BROWSER_PATH (HTML export works without it)"
            ).format(path=explicit)
        )
    for name in ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable"):
        found = shutil.which(name)
        if found:
            return found
    for candidate in ("/usr/bin/chromium", "/usr/bin/chromium-browser"):
        if os.access(candidate, os.X_OK):
            return candidate
    raise ExportError(
        _(
            "no Chromium found: PNG, PDF and SVG need it: install the Debian package "
            "chromium (apt install chromium) or set BROWSER_PATH (HTML export works without it)"
        )
    )
