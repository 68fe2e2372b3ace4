"""The exports are reachable from the app: the palette's commands write their files."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from tui.app import TrackerApp
from tui.commands import TrackerCommands

from .conftest import wait_for_data


async def test_palette_exports_write_their_files(
    db_url: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    app = TrackerApp(db_url, as_of=date(2018, 3, 31), poll_seconds=0)
    async with app.run_test(size=(120, 40)) as pilot:
        await wait_for_data(pilot)
        provider = TrackerCommands(app.screen)
        commands = {title: callback for title, _help, callback in provider._commands()}
        for title in (
            "Export the spreadsheet (XLSX)",
            "Export the calendar (ICS)",
            "Export the monthly report (DOCX)",
        ):
            commands[title]()
        expected = [
            tmp_path / "exports" / name
            for name in (
                "seguimiento-2018-03-31.xlsx",
                "calendario-2018-03-31.ics",
                "informe-2018-03-31.docx",
            )
        ]
        for _ in range(400):
            await pilot.pause(0.05)
            if all(p.exists() for p in expected):
                break
        assert [p.name for p in expected if not p.exists()] == []
        assert expected[0].read_bytes()[:2] == b"PK" and expected[2].read_bytes()[:2] == b"PK"
        assert b"BEGIN:VCALENDAR" in expected[1].read_bytes()
