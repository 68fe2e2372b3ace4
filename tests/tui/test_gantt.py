"""The Cronograma (Gantt) screen, driven by keys: what it draws, where, and how it moves."""

from __future__ import annotations

import time
from datetime import date
from pathlib import Path

import pytest
from rich.style import Style
from sqlalchemy.orm import Session
from textual.pilot import Pilot

from bench.gen_plan import generate_plan
from tests.conftest import PLAN
from tests.db.helpers import fresh_db
from tracker.i18n import set_language
from tracker.plan.load import load_plan, parse_plan
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_item_status
from tui.app import TrackerApp
from tui.screens.detail import DetailScreen
from tui.screens.gantt import GanttScreen
from tui.screens.status import StatusScreen
from tui.widgets.gantt import FORECAST, HEADER_LINES, GanttChart, fit

AS_OF = date(2018, 4, 16)


@pytest.fixture()
def url(tmp_path: Path) -> str:
    """The bundled plan with 1.1.1 done (2 Jan – 5 Feb) and 3.1.1 under way."""
    url = f"sqlite:///{tmp_path}/t.db"
    sessions = fresh_db(url, load_plan(str(PLAN)))

    def work(session: Session) -> None:
        plan = find_plan(session)
        set_item_status(
            session,
            plan,
            "1.1.1",
            "completada",
            on=date(2018, 2, 5),
            author="ana",
            start=date(2018, 1, 2),
            finish=date(2018, 2, 5),
        )
        set_item_status(
            session,
            plan,
            "3.1.1",
            "en_curso",
            on=date(2018, 4, 2),
            author="ana",
            percent=40,
        )

    transaction(sessions, work)
    return url


async def open_gantt(pilot: Pilot[None]) -> GanttChart:
    """Press 3 and wait until the chart has its rows."""
    await pilot.press("3")
    for _ in range(300):
        await pilot.pause(0.02)
        screen = pilot.app.screen
        if isinstance(screen, GanttScreen) and screen.query_one(GanttChart).rows:
            await pilot.pause()
            return screen.query_one(GanttChart)
    raise AssertionError("the Cronograma never showed its data")


def lines(chart: GanttChart) -> list[str]:
    """What the chart shows, line by line."""
    return [chart.render_line(y).text for y in range(chart.scrollable_content_region.height)]


def row_text(chart: GanttChart, key: str) -> str:
    """The line of item ``key`` (it must be on screen)."""
    for text in lines(chart)[HEADER_LINES:]:
        if text[2:].startswith(f"{key} · "):
            return text
    raise AssertionError(f"{key} is not on screen")


def row_y(chart: GanttChart, key: str) -> int:
    for y, text in enumerate(lines(chart)):
        if y >= HEADER_LINES and text[2:].startswith(f"{key} · "):
            return y
    raise AssertionError(f"{key} is not on screen")


async def test_groups_rows_and_the_as_of_line(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_gantt(pilot)
        shown = lines(chart)
        width = chart.label_width
        # Area headers with their titles, then their items.
        assert shown[HEADER_LINES].startswith("1 · EQUIDAD Y ENTORNO")
        assert any(t.startswith("3 · CONVIVENCIA CON EL AGUA") for t in shown)
        assert shown[HEADER_LINES + 1][2:].startswith("1.1.1 · Revisión de indicadores")
        line = row_text(chart, "4.2.1")
        assert line[2:width].startswith("4.2.1 · Identificación") and line[width - 1] == "…"
        assert line[1] == "●"  # on the critical path
        assert line[0] == "!"  # late
        # Stages and, last, the milestones have their own groups.
        headers = [r.label for r in chart.rows if r.item is None]
        assert headers[-1] == "Milestones"
        assert any(h.startswith("D · ") for h in headers) and any(
            h.startswith("E · ") for h in headers
        )
        assert [r.key for r in chart.rows[-2:]] == ["M.1", "M.2"]
        # The as-of line: one column, at 2018-04-16, on every row; its date in the header.
        column = chart.column_of(AS_OF)
        assert column is not None
        start = chart.start
        assert column == width + 1 + (AS_OF - start).days - round(chart.scroll_offset.x)
        assert shown[1].startswith("As of 2018-04-16")
        assert shown[1][column : column + 2] == "16"
        for text in shown[HEADER_LINES:]:
            assert text[column] in "│┃", text
        assert {t[column] for t in shown[HEADER_LINES:]} == {"│", "┃"}  # over the bars too


async def test_status_colours_and_the_baseline(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_gantt(pilot)
        await pilot.press("home")
        y = row_y(chart, "1.1.1")
        strip = chart.render_line(y)
        done = chart.get_component_rich_style("gantt--done").color
        bars = [s for s in strip if FORECAST in s.text]
        assert bars and all(isinstance(s.style, Style) and s.style.color == done for s in bars)
        text = strip.text
        width = chart.label_width
        # Done 2 Jan – 5 Feb: 35 days of solid bar from the second column of the timeline.
        assert text[width + 1] != FORECAST and text[width + 2 : width + 2 + 35] == FORECAST * 35
        # 1.2.1 has not started: only its baseline shows in January.
        assert "░" in row_text(chart, "1.2.1") and FORECAST not in row_text(chart, "1.2.1")
        # 3.1.1 is under way: its bar has the in-progress colour.
        await pilot.press("t")
        active = chart.get_component_rich_style("gantt--active").color
        strip = chart.render_line(row_y(chart, "3.1.1"))
        assert any(s.style is not None and s.style.color == active for s in strip if "█" in s.text)


async def test_scrolling_moves_the_timeline(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_gantt(pilot)
        width = chart.label_width

        def first_month() -> str:
            return lines(chart)[0][width + 1 :].split()[0]

        assert chart.column_of(AS_OF) is not None  # it opens with the as-of date in view
        await pilot.press("home")
        assert chart.first_visible_day == date(2018, 1, 1)
        assert lines(chart)[0][width + 1 :].startswith(" Jan 2018")
        await pilot.press("shift+right")
        assert chart.first_visible_day == date(2018, 2, 1) and first_month() == "Feb"
        await pilot.press("right", "right")
        assert chart.first_visible_day == date(2018, 2, 15)
        await pilot.press("shift+right", "shift+right")
        assert first_month() == "Apr"
        await pilot.press("shift+left")
        assert chart.first_visible_day == date(2018, 3, 1)
        await pilot.press("left")
        assert chart.first_visible_day == date(2018, 2, 22) and first_month() == "Feb"
        # The end: the timeline runs to the end of the period (July) or the latest forecast.
        await pilot.press("end")
        last = lines(chart)[0].rstrip().split()[-2:]
        assert chart.end >= date(2018, 7, 31) and last[0] in {"Jul", "Aug", "Sep", "Oct"}
        assert chart.column_of(AS_OF) is None
        assert lines(chart)[1].startswith("◀ As of 2018-04-16")
        await pilot.press("t")
        assert chart.column_of(AS_OF) is not None
        # Up and down move the highlighted item, skipping the headers; the view follows.
        assert chart.cursor_key == "1.1.1"
        await pilot.press(*["down"] * 7)
        assert chart.cursor_key == "2.1.1"
        await pilot.press("pagedown", "pagedown", "pagedown")
        assert chart.cursor_key == "M.2" and chart.scroll_offset.y > 0
        assert row_text(chart, "M.2")
        await pilot.press("ctrl+home")
        assert chart.cursor_key == "1.1.1" and chart.scroll_offset.y == 0


async def test_enter_opens_the_detail_and_e_the_status_dialog(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_gantt(pilot)
        assert app.focused is chart
        await pilot.press("down", "down")
        assert chart.cursor_key == "1.3.1"
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen) and app.screen.key == "1.3.1"
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, GanttScreen)
        await pilot.press("e")
        await pilot.pause()
        assert isinstance(app.screen, StatusScreen) and app.screen.key == "1.3.1"
        await pilot.press("escape")


async def test_another_as_of_date_moves_the_line(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_gantt(pilot)
        await pilot.press("home")
        before = app.snapshot
        app.set_as_of(date(2018, 7, 20))
        for _ in range(300):
            await pilot.pause(0.02)
            if app.snapshot is not before and chart.as_of == date(2018, 7, 20):
                break
        await pilot.pause()
        column = chart.column_of(date(2018, 7, 20))
        assert column is not None  # the view followed the new date
        assert lines(chart)[1].startswith("As of 2018-07-20")
        assert lines(chart)[HEADER_LINES + 1][column] in "│┃"


async def test_help_lists_the_schedule_keys(url: str) -> None:
    described = {b.key: b.description for b in GanttScreen.BINDINGS}  # type: ignore[union-attr]
    for key in ("enter", "e", "t", "left", "right", "shift+left", "shift+right", "home"):
        assert described.get(key), key
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_gantt(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        text = str(app.screen.query_one("Static").render())
        # Keys are shown as the footer shows them; descriptions as declared on the screen.
        from tui.screens.help import key_lines

        shown_keys = dict((d, k) for k, d in key_lines(list(GanttScreen.BINDINGS)))  # type: ignore[arg-type]
        for key in ("shift+right", "t"):
            description = described[key]
            assert description in text
            assert f"{shown_keys[description]:<18}{description}" in text


async def test_spanish_month_labels(url: str) -> None:
    set_language("es")
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        chart = await open_gantt(pilot)
        await pilot.press("home")
        header = lines(chart)[0]
        assert "ene 2018" in header and "feb 2018" in header
        assert lines(chart)[1].startswith("Al 2018-04-16")


async def test_small_terminal(url: str) -> None:
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        chart = await open_gantt(pilot)
        width = chart.label_width
        shown = lines(chart)
        assert all(len(t) == chart.scrollable_content_region.width for t in shown)
        items = [t for t in shown[HEADER_LINES:] if t[2:3].isdigit()]
        assert items and any(t[width - 1] == "…" for t in items)
        assert chart.column_of(AS_OF) is not None
        await pilot.press("home", "shift+right", "end", "pagedown", "pagedown", "t", "pageup")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, DetailScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.resize_terminal(60, 16)  # smaller than supported: still draws
        await pilot.pause()
        assert lines(chart)


def test_fit_cuts_with_an_ellipsis() -> None:
    assert fit("1.3.2 · Análisis", 10) == "1.3.2 · A…"
    assert fit("corto", 8) == "corto   "
    assert fit("漢字漢字", 5) == "漢字…"


async def test_ten_thousand_items(tmp_path: Path) -> None:
    text = generate_plan(10_000)
    path = tmp_path / "plan10k.yaml"
    path.write_text(text, encoding="utf-8")
    url = f"sqlite:///{tmp_path}/big.db"
    fresh_db(url, parse_plan(str(path), text))
    app = TrackerApp(url, as_of=date(2019, 4, 16), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        began = time.perf_counter()
        chart = await open_gantt(pilot)
        assert len([r for r in chart.rows if r.item is not None]) == 10_000
        await pilot.press("ctrl+end", "end")
        await pilot.pause()
        shown = lines(chart)
        assert chart.cursor_key == chart.rows[-1].key
        assert any(t[2:].startswith(f"{chart.rows[-1].key} · ") for t in shown)
        assert "Dec 2022" in shown[0]
        assert chart.scroll_offset.x == chart.max_scroll_x > 0
        await pilot.press("pageup", "home", "ctrl+home")
        assert chart.cursor_key == chart.rows[1].key
        print(f"10,000 items: opened and scrolled in {time.perf_counter() - began:.2f} s")


async def test_groups_that_ended_before_the_view_draw_nothing(url: str) -> None:
    """Regression: scrolled past an area's whole span, its header row lost cells (the demo
    database, opened in April, crashed on area 1)."""
    from sqlalchemy.orm import sessionmaker

    from tracker.store.engine import make_engine
    from tracker.store.planstore import find_plan
    from tracker.store.session import transaction
    from tracker.tracking.status import set_item_status

    sessions = sessionmaker(make_engine(url), expire_on_commit=False)
    # Area 2 done by mid-March: seen from mid-April its span ends a few weeks left of the
    # view, which is what emptied the slice (a span further left is harmless).
    for key in ("2.1.1", "2.2.1", "2.2.2", "2.2.4"):
        transaction(
            sessions,
            lambda s, key=key: set_item_status(
                s,
                find_plan(s),
                key,
                "completada",
                on=date(2018, 3, 14),
                start=date(2018, 1, 3),
                author="ana",
            ),
        )
    app = TrackerApp(url, as_of=date(2018, 4, 16), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_gantt(pilot)
        chart = app.screen.query_one(GanttChart)
        width = chart.scrollable_content_region.width
        for y in range(chart.size.height):
            assert len(chart.render_line(y).text) == width


async def test_x_exports_the_plotly_gantt(
    url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)  # exports/ is relative to where the app runs
    app = TrackerApp(url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_gantt(pilot)
        await pilot.press("x")
        written = tmp_path / "exports" / "gantt-2018-04-16.html"
        for _ in range(300):
            await pilot.pause(0.05)
            if written.exists() and written.stat().st_size > 100_000:
                break
        assert written.exists()
        assert "Cronograma" in written.read_text(
            encoding="utf-8"
        ) or "Schedule" in written.read_text(encoding="utf-8")
