"""A temporary team database with the bundled plan, and a helper to wait for the app's data."""

from __future__ import annotations

from pathlib import Path

import pytest
from textual.pilot import Pilot

from tests.conftest import PLAN
from tests.db.helpers import fresh_db
from tracker.plan.load import load_plan


@pytest.fixture()
def db_url(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'tui.db'}"
    fresh_db(url, load_plan(str(PLAN)))
    return url


async def wait_for_data(pilot: Pilot[None], previous: object = None) -> None:
    """Wait until the app has loaded a snapshot (a new one, if ``previous`` is given)."""
    app = pilot.app
    for _ in range(200):
        await pilot.pause(0.02)
        snapshot = getattr(app, "snapshot", None)
        if snapshot is not None and snapshot is not previous:
            await pilot.pause()
            return
    raise AssertionError("the app never loaded its data")


def shown(widget: object) -> str:
    """The text a widget draws on screen, line by line (what a user sees)."""
    from textual.geometry import Region

    size = widget.size  # type: ignore[attr-defined]
    strips = widget.render_lines(Region(0, 0, size.width, size.height))  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)
