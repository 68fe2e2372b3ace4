"""A temporary team database with the bundled plan, and a helper to wait for the app's data."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
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


def steady_cursors(app: object) -> None:
    """The text fields' cursors stop blinking, shown: a snapshot must not depend on the
    moment it is taken."""
    from textual.widgets import Input

    for field in app.screen.query(Input):  # type: ignore[attr-defined]
        field.cursor_blink = False


def shown(widget: object) -> str:
    """The text a widget draws on screen, line by line (what a user sees)."""
    from textual.geometry import Region

    size = widget.size  # type: ignore[attr-defined]
    strips = widget.render_lines(Region(0, 0, size.width, size.height))  # type: ignore[attr-defined]
    return "\n".join(strip.text for strip in strips)


@pytest.fixture(params=["sqlite", "postgresql"])
def shared_db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """The bundled plan on SQLite and on PostgreSQL (a fresh schema; CI fails without one)."""
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'tui.db'}"
        fresh_db(url, load_plan(str(PLAN)))
        yield url
        return
    from tests.db.conftest import _PG

    if _PG is None:
        reason = "no PostgreSQL server (set TRACKER_TEST_PG_URL or run one on 127.0.0.1:5432)"
        if os.environ.get("CI"):
            pytest.fail(reason)
        pytest.skip(reason)
    from sqlalchemy import create_engine, text

    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(_PG)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    sep = "&" if "?" in _PG else "?"
    url = f"{_PG}{sep}options=-csearch_path%3D{schema}"
    fresh_db(url, load_plan(str(PLAN)))
    yield url
    with admin.begin() as conn:
        conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
    admin.dispose()
