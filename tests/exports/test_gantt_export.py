"""``tracker gantt``: the Plotly Gantt as the team opens it (HTML in a real, offline Chromium)
and prints it (PNG, PDF, SVG through plotly.js in Chromium), in Spanish, with hostile plan
text kept inert."""

from __future__ import annotations

import html
import itertools
import os
import re
import struct
import subprocess
import sys
import time
import zlib
from collections.abc import Callable, Iterator
from datetime import date
from html.parser import HTMLParser
from pathlib import Path

import pytest

from tracker.plan.load import load_plan
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_item_status

from ..conftest import PLAN, ROOT, require_tool
from ..db.helpers import SMALL, fresh_db, small_plan

AS_OF = "2018-04-16"
HOSTILE = "<script>alert(1)</script><b>x</b>"
HOSTILE_PLAN = "<img src=x onerror=alert(2)> & <i>plan</i>"
SPANISH_MONTHS = {"enero", "febrero", "marzo", "abril", "mayo", "junio"}

Run = Callable[..., subprocess.CompletedProcess[str]]


# -- fixtures ----------------------------------------------------------------------------
@pytest.fixture(scope="module")
def bundled_db(tmp_path_factory: pytest.TempPathFactory) -> str:
    """The bundled plan in a fresh SQLite database, with a few statuses set."""
    url = f"sqlite:///{tmp_path_factory.mktemp('gantt') / 'tracker.db'}"
    sessions = fresh_db(url, load_plan(str(PLAN)))

    def setup(session):  # type: ignore[no-untyped-def]
        plan = find_plan(session)
        on = date(2018, 3, 1)
        set_item_status(session, plan, "1.1.1", "completada", on=date(2018, 1, 24), author="t")
        set_item_status(
            session, plan, "1.2.1", "en_curso", on=date(2018, 1, 10), author="t", percent=40
        )
        set_item_status(session, plan, "2.1.1", "bloqueada", on=on, author="t", note="datos")
        set_item_status(session, plan, "3.1.1", "cancelada", on=on, author="t", note="no va")

    transaction(sessions, setup)
    return url


def _runner(url: str, cwd: Path = ROOT) -> Run:
    def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
        base = {**os.environ, "TRACKER_LANG": "es", "PYTHONPATH": str(ROOT)}
        return subprocess.run(
            [sys.executable, "-m", "tracker", "gantt", "--db", url, "--as-of", AS_OF, *args],
            capture_output=True,
            text=True,
            cwd=cwd,
            env={**base, **(env or {})},
            timeout=300,
        )

    return run


@pytest.fixture(scope="module")
def gantt(bundled_db: str) -> Run:
    return _runner(bundled_db)


def bar_item_count() -> int:
    """Schedulable items that take time: each is exactly one bar of the forecast trace."""
    return sum(1 for item in load_plan(str(PLAN)).items.values() if item.duration > 0)


# -- a small DOM, from Chromium's --dump-dom ---------------------------------------------
class Node:
    def __init__(self, tag: str, attrs: dict[str, str], parent: Node | None) -> None:
        self.tag = tag
        self.attrs = attrs
        self.parent = parent
        self.children: list[Node] = []
        self.text: list[str] = []

    @property
    def classes(self) -> set[str]:
        return set(self.attrs.get("class", "").split())

    def iter(self) -> Iterator[Node]:
        yield self
        for child in self.children:
            yield from child.iter()

    def find_all(self, tag: str, cls: str | None = None) -> list[Node]:
        return [n for n in self.iter() if n.tag == tag and (cls is None or cls in n.classes)]

    def all_text(self) -> str:
        return "".join(self.text) + "".join(c.all_text() for c in self.children)

    def words(self) -> str:
        """The text as a reader sees it: separate text elements and lines apart."""
        pieces = [" ".join(n.text) for n in self.iter() if n.text]
        return " ".join(" ".join(pieces).split())


VOID = {
    "area",
    "base",
    "br",
    "col",
    "embed",
    "hr",
    "img",
    "input",
    "link",
    "meta",
    "source",
    "track",
    "wbr",
}


class _TreeBuilder(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.root = Node("#document", {}, None)
        self.current = self.root

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        node = Node(tag, {k: v or "" for k, v in attrs}, self.current)
        self.current.children.append(node)
        if tag not in VOID:
            self.current = node

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.current.children.append(Node(tag, {k: v or "" for k, v in attrs}, self.current))

    def handle_endtag(self, tag: str) -> None:
        node: Node | None = self.current
        while node is not None and node.tag != tag:
            node = node.parent
        if node is not None and node.parent is not None:
            self.current = node.parent

    def handle_data(self, data: str) -> None:
        self.current.text.append(data)


def parse_html(text: str) -> Node:
    builder = _TreeBuilder()
    builder.feed(text)
    builder.close()
    return builder.root


def rendered_dom(page: Path, tmp_path: Path, size: str = "1600,1400") -> Node:
    """The page as headless Chromium leaves it after running its scripts, with no network."""
    chromium = require_tool("chromium", "chromium")
    result = subprocess.run(
        [
            chromium,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
            "--no-default-browser-check",
            "--proxy-server=127.0.0.1:9",  # any request would fail: the page must need none
            f"--user-data-dir={tmp_path / 'chromium-profile'}",
            f"--window-size={size}",
            "--virtual-time-budget=5000",
            "--dump-dom",
            page.resolve().as_uri(),
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr[-2000:]
    return parse_html(result.stdout)


def bar_traces(dom: Node) -> list[Node]:
    [layer] = [n for n in dom.find_all("g") if {"barlayer", "mlayer"} <= n.classes]
    return [c for c in layer.children if {"trace", "bars"} <= c.classes]


def drawn_bars(trace: Node) -> int:
    return sum(
        1
        for point in trace.find_all("g", "point")
        if any(p.attrs.get("d", "M0,0Z") not in ("", "M0,0Z") for p in point.find_all("path"))
    )


def tick_texts(dom: Node, axis: str) -> list[str]:
    out = []
    for tick in dom.find_all("g", f"{axis}tick"):
        for text in tick.find_all("text"):
            out.append(" ".join(t.all_text() for t in text.find_all("tspan")) or text.all_text())
    return out


# -- PNG pixels without Pillow ---------------------------------------------------------------
def png_size(data: bytes) -> tuple[int, int]:
    assert data[:8] == b"\x89PNG\r\n\x1a\n", "not a PNG"
    width, height = struct.unpack(">II", data[16:24])
    return width, height


def png_colours(data: bytes, step: int = 3) -> set[bytes]:
    """Distinct pixel values of every ``step``-th row (8-bit RGB or RGBA, not interlaced)."""
    width, height = png_size(data)
    depth, colour_type, _c, _f, interlace = data[24:29]
    assert depth == 8 and colour_type in (2, 6) and interlace == 0, (depth, colour_type)
    bpp = 4 if colour_type == 6 else 3
    chunks = []
    pos = 8
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        if kind == b"IDAT":
            chunks.append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    raw = zlib.decompress(b"".join(chunks))
    stride = width * bpp
    previous = bytearray(stride)
    colours: set[bytes] = set()
    for y in range(height):
        start = y * (stride + 1)
        kind = raw[start]
        line = bytearray(raw[start + 1 : start + 1 + stride])
        if kind == 1:
            for i in range(bpp, stride):
                line[i] = (line[i] + line[i - bpp]) & 0xFF
        elif kind == 2:
            line = bytearray((a + b) & 0xFF for a, b in zip(line, previous, strict=True))
        elif kind == 3:
            for i in range(stride):
                left = line[i - bpp] if i >= bpp else 0
                line[i] = (line[i] + ((left + previous[i]) >> 1)) & 0xFF
        elif kind == 4:
            for i in range(stride):
                a = line[i - bpp] if i >= bpp else 0
                b = previous[i]
                c = previous[i - bpp] if i >= bpp else 0
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                pred = a if pa <= pb and pa <= pc else b if pb <= pc else c
                line[i] = (line[i] + pred) & 0xFF
        previous = line
        if y % step == 0:
            colours.update(bytes(line[i : i + bpp]) for i in range(0, stride, bpp))
    return colours


# -- HTML, in a real browser ---------------------------------------------------------------
def graph_div(dom: Node, div_id: str) -> Node:
    [div] = [n for n in dom.find_all("div") if n.attrs.get("id") == div_id]
    return div


def test_html_renders_one_bar_per_item_in_spanish(gantt: Run, tmp_path: Path) -> None:
    out = tmp_path / "out.html"
    result = gantt("-o", str(out))
    assert result.returncode == 0, result.stderr
    assert str(out) in result.stdout
    page = out.read_text(encoding="utf-8")
    # Self-contained: plotly.js inline, no script or stylesheet fetched from anywhere.
    source = parse_html(page)
    assert [s.attrs["src"] for s in source.find_all("script") if "src" in s.attrs] == []
    assert source.find_all("link") == []
    assert "Plotly.register(" in page and '"locale": "es"' in page

    dom = rendered_dom(out, tmp_path)
    # The first screen is the summary; the whole chart follows.
    whole = graph_div(dom, "gantt-2")
    baseline, forecast, done = bar_traces(whole)[:3]
    assert drawn_bars(forecast) == bar_item_count() == 49
    assert drawn_bars(baseline) == bar_item_count()
    assert 0 < drawn_bars(done) < 49  # only the items with some progress
    months = set(" ".join(tick_texts(whole, "x")).split())
    # Full names, or their Spanish abbreviations when a month is narrow.
    assert {m[:3] for m in months} >= {m[:3] for m in SPANISH_MONTHS}, months
    assert not {"January", "Jan", "February", "Feb"} & months
    texts = whole.words()
    # Full names in the table, never cut; the dates as columns.
    assert "Análisis Técnico sobre operaciones que incluya:" in texts
    assert "Hitos" in texts and "…" not in texts
    assert "Fecha de corte 16/04/2018" in texts
    assert "Cronograma: pronóstico sobre la línea base, al 16/04/2018" in texts
    assert "Fin pronosticado" in texts and "frente a línea base" in texts
    assert "Customized Panama City Approach" not in dom.all_text()
    for legend in (
        "pendiente",
        "atrasada",  # 1.2.1, in progress and past its baseline
        "completada",
        "bloqueada",
        "cancelada",
        "ruta crítica",
        "Línea base",
        "parte llena: % de avance",
        "fecha de corte",
        "Hito",
        "Lanzamiento",
    ):
        assert legend in texts, legend


def test_html_first_screen_is_the_summary(gantt: Run, tmp_path: Path) -> None:
    """At 1280×720 (a projector), offline: the summary chart is the whole first screen."""
    out = tmp_path / "screen.html"
    assert gantt("-o", str(out)).returncode == 0
    dom = rendered_dom(out, tmp_path, size="1280,720")
    summary = graph_div(dom, "gantt")
    [svg] = [n for n in summary.find_all("svg") if "main-svg" in n.classes][:1]
    assert float(svg.attrs["width"]) <= 1280 and float(svg.attrs["height"]) <= 720
    texts = summary.words()
    for needle in ("Áreas y etapas", "Hitos", "Atrasadas, bloqueadas y en ruta crítica", "2.1.1"):
        assert needle in texts, needle
    assert "ruta crítica" in texts and "bloqueada" in texts  # the legend is on it


def test_hostile_plan_text_stays_text(tmp_path: Path) -> None:
    text = SMALL.replace("title: Plan pequeño", f"title: {HOSTILE_PLAN!r}").replace(
        "title: Tarea A", f"title: {HOSTILE!r}"
    )
    url = f"sqlite:///{tmp_path / 'hostile.db'}"
    fresh_db(url, small_plan(tmp_path, text))
    out = tmp_path / "hostile.html"
    result = _runner(url)("-o", str(out))
    assert result.returncode == 0, result.stderr
    page = out.read_text(encoding="utf-8")
    assert "&lt;script&gt;alert(1)&lt;" in page
    assert "&lt;b&gt;x&lt;" in page
    assert "<script>alert(1)" not in page and "<img src=x" not in page

    source_scripts = len(parse_html(page).find_all("script"))
    dom = rendered_dom(out, tmp_path)
    # No element came out of the plan's text: the scripts are the page's own, and there is no
    # <b>, <i> or <img> at all (Plotly's own bold labels are SVG tspans).
    assert len(dom.find_all("script")) == source_scripts
    assert dom.find_all("b") == [] and dom.find_all("i") == [] and dom.find_all("img") == []
    assert HOSTILE in dom.all_text()
    assert HOSTILE_PLAN in dom.all_text()


# -- PNG, PDF, SVG through plotly.js and the system Chromium --------------------------------
def svg_words(svg: str) -> str:
    """The text of an SVG as a reader sees it: every text element, wrapped lines joined."""
    texts = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    plain = " ".join(re.sub(r"<[^>]+>", " ", t) for t in texts)
    return " ".join(html.unescape(plain).split())


def test_png_on_carta_at_150_dpi_in_pages(gantt: Run, tmp_path: Path) -> None:
    require_tool("chromium", "chromium")
    out = tmp_path / "g.png"
    result = gantt("-o", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""  # the browser's and its driver's logs stay off the terminal
    pages = sorted(tmp_path.glob("g-p*.png"))
    assert len(pages) >= 2 and result.stdout.count("escrito") == len(pages)
    for page in pages:
        data = page.read_bytes()
        assert png_size(data) == (1650, 1275)  # 11 × 8.5 in at 150 dpi
        assert len(png_colours(data)) > 50


def test_carta_pages_hold_every_full_name_and_both_dates(gantt: Run, tmp_path: Path) -> None:
    """The same pages as SVG: the ten longest names whole, each item's start and finish."""
    require_tool("chromium", "chromium")
    out = tmp_path / "g.svg"
    result = gantt("-o", str(out))
    assert result.returncode == 0, result.stderr
    pages = sorted(tmp_path.glob("g-p*.svg"), key=lambda p: int(p.stem.split("-p")[1]))
    words = " ".join(svg_words(p.read_text(encoding="utf-8")) for p in pages)
    plan = load_plan(str(PLAN))
    longest = sorted(plan.items.values(), key=lambda i: -len(i.title))[:10]
    assert len(longest[0].title) > 100
    for item in longest:
        assert " ".join(item.title.split()) in words, item.id
    # Each item's row: its id, and on the same line its start and finish (dd/mm/yyyy).
    shown: dict[str, list[str]] = {}
    for page in pages:
        svg = page.read_text(encoding="utf-8")
        assert "Fin pronosticado" in svg_words(svg) and "página" in svg_words(svg)
        cells = re.findall(r'<g class="textpoint"[^>]*><text [^>]*?y="([\d.]+)"[^>]*>([^<]*)<', svg)
        by_line: dict[str, list[str]] = {}
        for y, text in cells:
            by_line.setdefault(y, []).append(text)
        for texts in by_line.values():
            keys = [t for t in texts if t in plan.items]
            dates = [t for t in texts if re.fullmatch(r"\d\d/\d\d/\d{4}", t)]
            for key in keys:
                shown[key] = dates
    assert set(shown) == set(plan.items)
    assert all(len(dates) == 2 for dates in shown.values()), shown


def test_pdf_a3_is_a_titled_pdf_that_renders(gantt: Run, tmp_path: Path) -> None:
    require_tool("chromium", "chromium")
    pdftoppm = require_tool("pdftoppm", "poppler-utils")
    out = tmp_path / "g.pdf"
    result = gantt("-o", str(out), "--paper", "A3", "--color-by", "area", "--arrows")
    assert result.returncode == 0, result.stderr
    data = out.read_bytes()
    assert data.startswith(b"%PDF")
    assert b"Kaleido" not in data
    info = subprocess.run(
        [str(Path(pdftoppm).with_name("pdfinfo")), str(out)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Title:" in info and "Plan de Trabajo" in info, info
    assert "Customized" not in info
    subprocess.run(
        [pdftoppm, "-png", "-r", "50", "-singlefile", str(out), str(tmp_path / "page")],
        check=True,
        timeout=120,
    )
    page = (tmp_path / "page.png").read_bytes()
    width, height = png_size(page)
    assert width > height  # landscape
    assert len(png_colours(page, step=1)) > 20


def test_svg_has_spanish_months(gantt: Run, tmp_path: Path) -> None:
    require_tool("chromium", "chromium")
    out = tmp_path / "g.svg"
    result = gantt("-o", str(out), "--color-by", "lead", "--summary", "--paper", "tabloid")
    assert result.returncode == 0, result.stderr
    svg = out.read_text(encoding="utf-8")
    assert "<svg" in svg[:500]
    for month in ("enero", "febrero", "marzo", "abril"):
        assert f">{month}<" in svg, month


def test_by_area_writes_one_chart_per_area_and_stage(gantt: Run, tmp_path: Path) -> None:
    require_tool("chromium", "chromium")
    out = tmp_path / "por-area.svg"
    result = gantt("-o", str(out), "--by-area")
    assert result.returncode == 0, result.stderr
    groups = ["1", "2", "3", "4", "5", "D", "E"]
    written = sorted(p.name for p in tmp_path.glob("por-area-*.svg"))
    assert written == sorted(f"por-area-{g}.svg" for g in groups)  # each fits one sheet
    assert result.stdout.count("escrito") == 7
    plan = load_plan(str(PLAN))
    for group in groups:
        svg = (tmp_path / f"por-area-{group}.svg").read_text(encoding="utf-8")
        title = plan.group_title(group)
        assert f"{group} · {title[:20]}" in svg_words(svg), group
        others = [g for g in groups if g != group]
        assert not any(f">{g}.1<" in svg or f">{g}.1.1<" in svg for g in others), group


def test_without_chromium_static_export_says_so_and_html_still_works(
    gantt: Run, tmp_path: Path
) -> None:
    env = {"BROWSER_PATH": "/nonexistent/chromium", "PATH": str(tmp_path)}
    png = tmp_path / "x.png"
    result = gantt("-o", str(png), env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "chromium" in lines[0] and "BROWSER_PATH" in lines[0]
    assert not png.exists()
    html = tmp_path / "x.html"
    ok = gantt("-o", str(html), env=env)
    assert ok.returncode == 0, ok.stderr
    assert html.stat().st_size > 1_000_000  # plotly.js inline


def test_a_browser_that_does_not_start_is_one_line(gantt: Run, tmp_path: Path) -> None:
    """A BROWSER_PATH that runs but is no browser: the start fails in the background thread,
    the command says so in one line (no traceback, no asyncio noise) and writes nothing."""
    png = tmp_path / "x.png"
    result = gantt("-o", str(png), "--summary", env={"BROWSER_PATH": "/bin/true"})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "error: el navegador no pudo dibujar el diagrama "
        "(The browser seemed to close immediately after starting.)"
    ]
    assert not png.exists()


def test_no_browser_anywhere(monkeypatch: pytest.MonkeyPatch) -> None:
    from tracker.errors import ExportError
    from tracker.exporters.gantt import render as gantt

    monkeypatch.delenv("BROWSER_PATH", raising=False)
    monkeypatch.setattr(gantt.shutil, "which", lambda name: None)
    monkeypatch.setattr(gantt.os, "access", lambda path, mode: False)
    with pytest.raises(ExportError, match="chromium"):
        gantt.find_browser()


def _our_browsers() -> list[int]:
    """Chromium processes started by this test process (its children)."""
    mine = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
            command = (stat.parent / "cmdline").read_bytes()
        except OSError:
            continue
        if int(fields[1]) == os.getpid() and b"remote-debugging" in command:
            mine.append(int(stat.parent.name))
    return mine


def test_one_browser_renders_every_page_as_a_fresh_one_would(export_data) -> None:  # type: ignore[no-untyped-def]
    """Pages are drawn one after another in one tab, without reloading plotly.js between
    them: the second page must come out as it does from a browser that drew nothing before."""
    require_tool("chromium", "chromium")
    from tracker.errors import ExportError
    from tracker.exporters.gantt.options import GanttOptions
    from tracker.exporters.gantt.render import chart_figures, open_page, plan_charts

    options = GanttOptions(dpi=72)
    [chart] = plan_charts(export_data, options, Path("g.png"), by_area=False)
    first, second = chart_figures(export_data, chart, options, static=True)[:2]

    def draw(page, fig, fmt="png"):  # type: ignore[no-untyped-def]
        return page.render(fig, fmt=fmt, width=1056, height=816, scale=0.75)

    with open_page() as page:
        waited = 0
        while not _our_browsers() and waited < 100:  # starting in the background
            time.sleep(0.05)
            waited += 1
        assert _our_browsers()  # started on creation, before anything is asked of it
        draw(page, first)
        with pytest.raises(ExportError, match="browser could not render"):
            draw(page, second, fmt="gif")  # Plotly refuses: one line, the tab survives
        after_others = draw(page, second)
        svg = draw(page, second, fmt="svg").decode("utf-8")
    with open_page() as fresh:
        alone = draw(fresh, second)
    assert after_others == alone
    assert png_size(alone) == (792, 612)  # 11 × 8.5 in at 72 dpi
    words = svg_words(svg)  # the same page as vectors: the page's item ids are its text
    assert svg.startswith("<svg") and "2018-04-16" in words
    assert re.search(r"\b[1-5]\.\d\.\d\b", words)
    assert _our_browsers() == []  # closing the page ends its browser


# -- the command line ----------------------------------------------------------------------
@pytest.mark.parametrize(
    ("args", "needle"),
    [
        (["--area", "9"], "área desconocida '9'"),
        (["--status", "hecha"], "estado desconocido 'hecha'"),
        (["--from", "2018-05-01", "--to", "2018-04-01"], "--from 2018-05-01"),
        (["-o", "gantt.docx"], "'.docx'"),
        (["--status", "cancelada", "--critical-only"], "ningún elemento"),
        (["--summary", "--area", "3"], "--summary muestra todo el plan"),
        (["--dpi", "20"], "--dpi 20"),
    ],
)
def test_bad_input_is_one_line_and_exit_2(
    gantt: Run, tmp_path: Path, args: list[str], needle: str
) -> None:
    result = gantt(*args) if "-o" in args else gantt(*args, "-o", str(tmp_path / "g.html"))
    assert result.returncode == 2
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert needle in result.stderr
    assert not list(tmp_path.glob("g.*"))


def test_default_destination_is_dated_under_exports(bundled_db: str, tmp_path: Path) -> None:
    result = _runner(bundled_db, cwd=tmp_path)()
    assert result.returncode == 0, result.stderr
    written = tmp_path / "exports" / f"gantt-{AS_OF}.html"
    assert written.exists()
    assert result.stdout.strip() == f"escrito {Path('exports') / written.name}"


def test_cli_gantt_does_not_import_plotly() -> None:
    code = (
        "import sys, tracker.cli.gantt;"
        "from tracker.cli import build_parser; build_parser();"
        "print(','.join(m for m in ('plotly', 'kaleido', 'choreographer') if m in sys.modules))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    assert out == ""


# -- the figure itself (no browser) ---------------------------------------------------------
@pytest.fixture(scope="module")
def export_data(bundled_db: str):  # type: ignore[no-untyped-def]

    from tracker.exporters.common import load_export_data
    from tracker.store.store import Store

    return load_export_data(Store(bundled_db), date(2018, 4, 16))


def _figures(export_data, options):  # type: ignore[no-untyped-def]
    import plotly.graph_objects as go

    from tracker.exporters.gantt.render import chart_figures, plan_charts

    [chart] = plan_charts(export_data, options, Path("g.png"), by_area=False)
    # Plain dictionaries; a graph object validates them (every key is Plotly's) and reads well.
    return chart, [go.Figure(f) for f in chart_figures(export_data, chart, options, static=True)]


def test_figure_rows_markers_and_filters(export_data) -> None:  # type: ignore[no-untyped-def]
    from tracker.exporters.gantt.options import GanttOptions
    from tracker.exporters.gantt.render import select_items

    chart, pages = _figures(export_data, GanttOptions())
    # Headers of the 5 areas, 2 stages and the milestones, then every item.
    assert len(chart.rows) == 8 + 51
    assert [r.key for r in chart.rows[:2]] == ["1", "1.1.1"]
    forecast = [t for p in pages for t in p.data if t.name == "Forecast"]
    assert sum(len(t.y) for t in forecast) == 49
    # Mesa Técnica sessions, the 15 stage deliverables on 14 producers (E.E9 is the launch's).
    named = [t for p in pages for t in p.data if not t.showlegend]
    assert sum(len(t.x) for t in named if t.name == "Milestone") == 2
    assert sum(len(t.x) for t in named if t.name == "Deliverable") == 13
    assert sum(len(t.x) for t in named if t.name == "Launch") == 1
    # The table: a text trace per column; the full names, never cut.
    names = [t for p in pages for t in p.data if t.name == "name"]
    texts = " ".join(x for t in names for x in t.text)
    assert "…" not in texts and "Validación intermedia de resultados" in texts
    # Leads wrap between words, never inside one ("Resilie / ncia").
    leads = [x for p in pages for t in p.data if t.name == "lead" for x in t.text]
    words = {w for x in leads for w in x.replace("<br>", " ").split()}
    assert "Resiliencia" in words and "(MUPA)" in words
    assert words <= {w for r in chart.rows for w in r.lead.split()}
    assert pages[0].layout.shapes[-1].x0 == "2018-04-16"  # the as-of line
    # 8-pt text on carta: the layout is the sheet in CSS pixels.
    assert (pages[0].layout.width, pages[0].layout.height) == (1056, 816)
    assert abs(pages[0].layout.font.size - 8 * 96 / 72) < 0.01

    only = select_items(export_data, GanttOptions(critical_only=True))
    assert only and all(i.critical for i in only)
    window = select_items(export_data, GanttOptions(start=date(2018, 8, 1), end=date(2018, 8, 31)))
    assert {i.key for i in window} >= {"D.2", "D.3", "D.4", "E.8"}
    assert "1.1.1" not in {i.key for i in window}
    _chart, with_arrows = _figures(export_data, GanttOptions(arrows=True))
    assert sum(len([a for a in p.layout.annotations if a.showarrow]) for p in with_arrows) > 40


def test_summary_fits_one_page_and_names_what_needs_attention(export_data) -> None:  # type: ignore[no-untyped-def]
    from tracker.exporters.gantt.options import GanttOptions

    chart, pages = _figures(export_data, GanttOptions(summary=True))
    assert len(pages) == 1
    keys = [r.key for r in chart.rows]
    assert keys[1:8] == ["1", "2", "3", "4", "5", "D", "E"]
    assert {"M.1", "M.2", "2.1.1"} <= set(keys)  # milestones, the blocked item
    assert "1.1.1" not in keys  # done: not in the summary


def test_states_differ_in_more_than_hue() -> None:
    from tracker.exporters.gantt.palette import AREA_PALETTE, STATES

    def lightness(colour: str) -> float:
        r, g, b = (int(colour[i : i + 2], 16) / 255 for i in (1, 3, 5))
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    late, blocked = STATES["atrasada"], STATES["bloqueada"]
    assert late.pattern and blocked.pattern and late.pattern != blocked.pattern
    assert abs(lightness(late.fill) - lightness(blocked.fill)) > 0.3
    # The states without a pattern are apart in lightness (pending is hollow).
    plain = sorted(lightness(s.fill) for s in STATES.values() if not s.pattern)
    assert all(b - a > 0.08 for a, b in itertools.pairwise(plain)), plain
    # No red among the area colours: a finished area never looks in trouble.
    for colour in AREA_PALETTE:
        r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
        assert not (r > 150 and g < 90 and b < 90), colour


def test_figure_speaks_english_on_request(export_data) -> None:  # type: ignore[no-untyped-def]
    from tracker.exporters.gantt.options import GanttOptions

    _chart, pages = _figures(export_data, GanttOptions(color_by="area"))
    first = pages[0]
    assert first.layout.xaxis.ticktext[0].startswith("Jan")
    texts = [a.text for a in first.layout.annotations]
    assert "As-of date 2018-04-16" in texts
    legend = [t.name for t in first.data if t.showlegend]
    assert legend[0].startswith("1 · EQUIDAD") and legend[6].startswith("E · PRODUCCIÓN")
    assert "Milestone" in legend and "Launch" in legend
    assert "Forecast finish" in first.layout.title.subtitle.text
