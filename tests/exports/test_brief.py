"""`tracker brief`: the committee brief, opened as a member would (headless Chromium,
offline, 1280×720)."""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from tests.conftest import require_tool
from tracker.exporters.brief.content import Brief
from tracker.exporters.brief.rules import AMBER, GREEN, RED, Rules, load_rules
from tracker.exporters.brief.write import make_brief, write_brief
from tracker.exporters.report.source import from_export_data
from tracker.plan.statuses import REMOVED
from tracker.schedule.passes import plan_calendar

from . import demo_fixture

AS_OF = date(2018, 3, 31)


@pytest.fixture(autouse=True)
def spanish() -> Iterator[None]:
    from tracker import i18n

    i18n.set_language("es")
    yield
    i18n.set_language("en")


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    out = tmp_path_factory.mktemp("brief")
    return demo_fixture.build(out), out


def brief_of(url: str) -> Brief:
    data = demo_fixture.state(url, AS_OF)
    return make_brief(from_export_data(data), load_rules(), "marzo de 2018")


def html_file(demo: tuple[str, Path]) -> Path:
    url, out = demo
    path = out / "brief.html"
    if not path.exists():
        write_brief(brief_of(url), path)
    return path


def chromium(*args: str, tmp: Path) -> subprocess.CompletedProcess[str]:
    browser = require_tool("chromium", "chromium")
    return subprocess.run(
        [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--proxy-server=127.0.0.1:9",  # any request would fail
            f"--user-data-dir={tmp / 'profile'}",
            "--hide-scrollbars",
            "--window-size=1280,720",
            *args,
        ],
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_page_needs_no_network(demo: tuple[str, Path]) -> None:
    text = html_file(demo).read_text(encoding="utf-8")
    assert not re.search(r"https?://", text)
    assert not re.search(r"""(src|href)\s*=\s*["']?(//|[a-z]+:)(?!data:)""", text)
    assert "<script" not in text and "<link" not in text and "@import" not in text
    assert "default-src 'none'" in text  # and the browser is told to fetch nothing


def test_first_screen_holds_the_rag_table_and_the_s_curve(
    demo: tuple[str, Path], tmp_path: Path
) -> None:
    page = tmp_path / "probe.html"
    text = html_file(demo).read_text(encoding="utf-8")
    text = re.sub(r'<meta http-equiv="Content-Security-Policy"[^>]*>', "", text)
    probe = (
        "<script>window.addEventListener('load',function(){var o={};"
        "['rag','scurve'].forEach(function(id){var r=document.getElementById(id)"
        ".getBoundingClientRect();o[id]=[r.top,r.bottom,r.left,r.right];});"
        "document.body.setAttribute('data-boxes',JSON.stringify(o));});</script>"
    )
    page.write_text(text.replace("</body>", probe + "</body>"), encoding="utf-8")
    result = chromium("--virtual-time-budget=3000", "--dump-dom", page.as_uri(), tmp=tmp_path)
    assert result.returncode == 0, result.stderr[-500:]
    found = re.search(r"data-boxes=\"([^\"]+)\"", result.stdout)
    assert found, "the probe ran"
    boxes = json.loads(found.group(1).replace("&quot;", '"'))
    for name in ("rag", "scurve"):
        top, bottom, left, right = boxes[name]
        assert top >= 0 and bottom <= 720 and left >= 0 and right <= 1280, (name, boxes[name])
    shot = tmp_path / "brief.png"
    result = chromium(f"--screenshot={shot}", html_file(demo).as_uri(), tmp=tmp_path)
    assert shot.exists() and shot.stat().st_size > 20_000


def expected_colour(brief_rows: Brief, data: object, rules: Rules, key: str) -> str:
    fc = data.forecast  # type: ignore[attr-defined]
    plan = data.plan  # type: ignore[attr-defined]
    calendar = plan_calendar(plan)
    members = [i for i in fc.items if i.group == key]
    group = next(g for g in fc.groups if g.key == key)
    slip = calendar.working_days_between(group.baseline_finish, group.forecast_finish)
    if all(i.status in ("completada", *REMOVED) for i in members):
        return GREEN
    if rules.red_if_blocked and any(i.status == "bloqueada" for i in members):
        return RED
    if slip > rules.red_slip_days:
        return RED
    if slip > rules.amber_slip_days or any(i.late for i in members):
        return AMBER
    return GREEN


def test_rag_colour_of_each_area_follows_its_rule(demo: tuple[str, Path]) -> None:
    url, _out = demo
    data = demo_fixture.state(url, AS_OF)
    rules = load_rules()
    brief = brief_of(url)
    text = html_file(demo).read_text(encoding="utf-8")
    areas = [a.id for a in data.plan.areas]
    colours = {}
    for key in areas:
        row = re.search(rf'<tr data-kind="area" data-key="{re.escape(key)}">(.*?)</tr>', text)
        assert row, key
        colours[key] = re.search(r'data-rag="(\w+)"', row.group(1)).group(1)  # type: ignore[union-attr]
        assert colours[key] == expected_colour(brief, data, rules, key), key
    blocked_area = next(i.group for i in data.forecast.items if i.status == "bloqueada")
    assert colours[blocked_area] == RED  # the demo's blocked task colours its area red


def test_s_curve_actual_is_the_status_percent(demo: tuple[str, Path]) -> None:
    url, _out = demo
    actual = dict(brief_of(url).curve.actual)
    for day in (date(2018, 1, 15), date(2018, 2, 1), date(2018, 2, 20), date(2018, 3, 9), AS_OF):
        code, out, err = demo_fixture.cli(url, "status", "--as-of", day.isoformat(), "--json")
        assert code == 0, err
        assert actual[day] == pytest.approx(json.loads(out)["overall"]["percent"], abs=0.05), day


def test_cli_writes_html_and_pdf(demo: tuple[str, Path]) -> None:
    url, out = demo
    code, _stdout, err = demo_fixture.cli(
        url, "brief", "--quarter", "2018Q1", "-o", str(out / "q.pdf")
    )
    assert code == 0, err
    assert (out / "q.pdf").read_bytes().startswith(b"%PDF")
    code, _o, err = demo_fixture.cli(url, "brief", "--month", "2018-13")
    assert code == 2 and len(err.strip().splitlines()) == 1


def test_summary_gantt_shows_the_rows_of_gantt_summary(demo: tuple[str, Path]) -> None:
    """The brief draws its own SVG (no script), but its rows are those `tracker gantt
    --summary` draws: the same items in the same order, the blocked one included."""
    require_tool("chromium", "chromium")
    url, out = demo
    text = html_file(demo).read_text(encoding="utf-8")
    svg = text[text.index('<svg id="gantt"') :]
    svg = svg[: svg.index("</svg>")]
    labels = re.findall(r"<title>([^<]*)</title>", svg)
    ids = re.compile(r"[A-Z0-9]+\.[0-9.]+")
    in_brief = [m.group(0) for label in labels if (m := ids.match(label))]
    code, _stdout, err = demo_fixture.cli(
        url, "gantt", "--summary", "--as-of", AS_OF.isoformat(), "-o", str(out / "s.svg")
    )
    assert code == 0, err
    drawn = re.findall(r"<text [^>]*>([^<]*)</text>", (out / "s.svg").read_text(encoding="utf-8"))
    in_gantt = list(dict.fromkeys(t for t in drawn if ids.fullmatch(t)))
    assert in_brief == in_gantt and len(in_brief) > 5
    data = demo_fixture.state(url, AS_OF)
    blocked = next(i for i in data.forecast.items if i.status == "bloqueada")
    assert f"{blocked.key} {' '.join(blocked.title.split())} (bloqueada)" in labels
