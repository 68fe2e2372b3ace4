"""Every screen and dialog at 80×24, in Spanish and in English (pytest-textual-snapshot); the
English ones hold no Spanish state or header.

Regenerate after an intended change with `python3 dev.py test tests/tui/test_snapshots_small.py
--snapshot-update`, and look at the SVGs before committing them.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from textual.pilot import Pilot

from tracker.i18n import set_language
from tui.app import TrackerApp

from .conftest import steady_cursors, wait_for_data

SIZE = (80, 24)
# What would betray Spanish in an English screen: state names and column headers.
SPANISH = re.compile(
    r"\b(pendiente|en curso|completada|bloqueada|diferida|cancelada|borrador|en revisión|"
    r"validado|entregado|cumplidas?|incumplidas?|atrasadas?|próximas?|Título|Estado|Lidera|"
    r"Pronóstico|Desv\.|Periodo|Acum\.|Cerrar|Guardar|Cancelar|Buscar|Tareas|Cronograma|"
    r"Comunicación|Actores|Tablero|Actividad|paleta)\b"
)

SCREENS: dict[str, tuple[str, ...]] = {
    "panel": (),
    "tasks": ("2",),
    "detail": ("2", "down", "enter"),
    "status_dialog": ("2", "e"),
    "bulk_dialog": ("2", "space", "space", "e"),
    "schedule": ("3",),
    "communication": ("4",),
    "comms_form": ("4", "a"),
    "actors": ("5",),
    "mesa": ("6",),
    "board": ("7",),
    "activity": ("8",),
    "help": ("question_mark",),
}


@pytest.fixture()
def fixed_db(db_url: str) -> str:
    """The bundled plan, its one recorded change (the import) at a fixed time."""
    engine = create_engine(db_url)
    with engine.begin() as conn:
        conn.execute(text("UPDATE changes SET at = '2018-04-16 09:00:00.000000'"))
        # The import records the plan file's absolute path, which is the checkout's: the
        # activity screen shows it, so it is fixed too (a clone elsewhere draws the same).
        for change_id, after in conn.execute(text("SELECT id, after FROM changes")).all():
            record = json.loads(after) if isinstance(after, str) else dict(after)
            if "source" in record:
                record["source"] = "data/plan_fase2.yaml"
                conn.execute(
                    text("UPDATE changes SET after = :after WHERE id = :id"),
                    {"after": json.dumps(record), "id": change_id},
                )
    engine.dispose()
    return db_url


def screen_text(app: TrackerApp) -> str:
    return "\n".join(strip.text for strip in app.screen._compositor.render_strips())


@pytest.mark.parametrize("lang", ["es", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_screen_at_80x24(snap_compare: Any, fixed_db: str, screen: str, lang: str) -> None:
    set_language(lang)
    seen: list[str] = []

    async def run_before(pilot: Pilot[None]) -> None:
        await wait_for_data(pilot)
        for key in SCREENS[screen]:
            await pilot.press(key)
            await pilot.pause(0.1)
        await pilot.pause(0.6)  # workers: the history, the month's log, the activity
        steady_cursors(pilot.app)
        await pilot.pause()
        seen.append(screen_text(pilot.app))  # type: ignore[arg-type]

    app = TrackerApp(fixed_db, as_of=date(2018, 4, 16), poll_seconds=0)
    assert snap_compare(app, terminal_size=SIZE, run_before=run_before)
    if lang == "en":
        found = SPANISH.findall(seen[0])
        assert not found, f"Spanish on the English {screen} screen: {found}"
