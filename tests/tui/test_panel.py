"""The Panel for a director: late and at-risk items with titles and leads, due soon by the
forecast, blocked items with their reasons and how long; the Tareas marks; a checkbox that
shows no tick when off."""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import sessionmaker
from textual.widgets import Static

from tracker.store.engine import make_engine
from tracker.store.planstore import find_plan
from tracker.store.session import transaction
from tracker.tracking.status import set_item_status
from tui.app import TrackerApp
from tui.widgets.itemtable import ItemTable

from .conftest import wait_for_data
from .test_live import until

AS_OF = date(2018, 4, 16)


def shown(widget: object) -> str:
    """What a card shows, border included (its size is the content's)."""
    from textual.geometry import Region

    size = widget.outer_size  # type: ignore[attr-defined]
    strips = widget.render_lines(Region(0, 0, size.width, size.height))  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)


async def test_panel_lists_say_what_and_who(db_url: str) -> None:
    sessions = sessionmaker(make_engine(db_url), expire_on_commit=False)
    transaction(
        sessions,
        lambda s: set_item_status(
            s,
            find_plan(s),
            "2.1.1",
            "bloqueada",
            on=date(2018, 4, 2),
            author="ana",
            note="falta la firma del alcalde",
        ),
    )
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(120, 60)) as pilot:
        await wait_for_data(pilot)
        await pilot.pause(0.3)
        screen = app.screen
        late = shown(screen.query_one("#late", Static))
        line = next(x for x in late.splitlines() if " 1.1.1 " in x)
        # The lead by its canonical short name, as the Gantt shows it (the cell says "100CR SDU").
        assert "Revisión de indicadores" in line and "100CR" in line and "SDU" not in line
        assert "~ At risk" in late
        due = shown(screen.query_one("#due", Static))
        assert "forecast" in due
        blocked = screen.query_one("#blocked", Static)
        await until(pilot, lambda: "falta la firma" in shown(blocked))
        text = shown(blocked)
        assert "2.1.1" in text and "Reunión inicial interna" in text
        # Blocked since the day the change was recorded (today, here): 0 days or more.
        assert any(" d " in x and "2.1.1" in x for x in text.splitlines())


async def test_tasks_rows_carry_the_legends_marks_and_the_checkbox_is_blank_off(
    db_url: str,
) -> None:
    app = TrackerApp(db_url, as_of=AS_OF, poll_seconds=0)
    async with app.run_test(size=(80, 24)) as pilot:
        await wait_for_data(pilot)
        await pilot.press("2")
        await pilot.pause()
        table = app.screen.query_one(ItemTable)
        snap = app.snapshot
        assert snap is not None
        for row in table.rows:
            item = snap.items[row.key]
            assert row.cells[0] == ("!" if item.late else "~" if item.at_risk else "")
        assert any(r.cells[0] == "!" for r in table.rows)
        box = shown(app.screen.query_one("#late"))
        assert "X" not in box and "✓" not in box
        await pilot.press("l")
        await pilot.pause()
        assert "✓" in shown(app.screen.query_one("#late"))
