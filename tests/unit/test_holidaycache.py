"""The holidays cache: a second run does not import the holidays package, and a cache that
does not fit the installed package (or cannot be read) is not trusted."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from tracker.schedule import calendar as workcalendar
from tracker.schedule import holidaycache

from ..conftest import ROOT

PROBE = (
    "import sys; from tracker.schedule.calendar import country_holidays;"
    "days = country_holidays('PA', 2018);"
    "print(sorted(d.isoformat() for d in days)[:2], 'holidays' in sys.modules)"
)


def probe(cache: Path) -> str:
    env = {**os.environ, "XDG_CACHE_HOME": str(cache)}
    return subprocess.run(
        [sys.executable, "-c", PROBE], capture_output=True, text=True, cwd=ROOT, env=env, check=True
    ).stdout.strip()


def test_second_run_answers_from_the_cache_without_the_package(tmp_path: Path) -> None:
    first = probe(tmp_path)
    assert first == "['2018-01-01', '2018-01-09'] True"
    assert probe(tmp_path) == "['2018-01-01', '2018-01-09'] False"
    stored = json.loads((tmp_path / "resiliencia-tracker" / "holidays-PA.json").read_text())
    # Neighbouring years come with the first answer: a calendar asks for them next.
    assert {"2016", "2018", "2024"} <= set(stored["years"])


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: {**data, "package": "another install"},
        lambda data: {**data, "years": {"2018": [["2018-01-01", "Inventado"]]}, "package": 1},
        lambda data: "not json at all {",
    ],
    ids=["other package", "wrong key type", "corrupt"],
)
def test_a_cache_that_does_not_fit_is_ignored_and_rewritten(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, damage: object
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    workcalendar.country_holidays.cache_clear()
    good = workcalendar.country_holidays("PA", 2018)
    path = tmp_path / "resiliencia-tracker" / "holidays-PA.json"
    data = json.loads(path.read_text())
    damaged = damage(data)  # type: ignore[operator]
    path.write_text(damaged if isinstance(damaged, str) else json.dumps(damaged))
    workcalendar.country_holidays.cache_clear()
    assert workcalendar.country_holidays("PA", 2018) == good
    assert json.loads(path.read_text())["package"] == holidaycache.package_key()
    workcalendar.country_holidays.cache_clear()


def test_an_unwritable_cache_directory_is_not_an_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("a file where the cache directory would go")
    monkeypatch.setenv("XDG_CACHE_HOME", str(blocker))
    workcalendar.country_holidays.cache_clear()
    assert date(2018, 1, 9) in workcalendar.country_holidays("PA", 2018)
    workcalendar.country_holidays.cache_clear()
