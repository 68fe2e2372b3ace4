"""A per-user cache of the holidays package's answers.

Asking the holidays package for one country imports every country it knows (a third of a
second), on every `tracker plan check` or `plan schedule`. What it answers changes only
when the package is reinstalled, so answers are kept in the user's cache directory, keyed
by the installed package's version file. A cache that cannot be read or written is simply
not used.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from datetime import date
from importlib.util import find_spec
from pathlib import Path
from typing import Any

# Years computed together on a miss: a plan's calendar asks for neighbouring years.
SPAN_BEFORE, SPAN_AFTER = 2, 6


def cache_dir() -> Path:
    if sys.platform == "win32":
        base = Path(os.environ.get("LOCALAPPDATA", Path.home() / "AppData" / "Local"))
        return base / "resiliencia-tracker" / "cache"
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache")
    return base / "resiliencia-tracker"


def package_key() -> str | None:
    """Identifies the installed holidays package without importing it (None: not found)."""
    spec = find_spec("holidays")
    if spec is None or spec.origin is None:
        return None
    version_file = Path(spec.origin).with_name("version.py")
    try:
        stat = version_file.stat()
    except OSError:
        return None
    return f"{version_file}:{stat.st_mtime_ns}:{stat.st_size}"


def _path(country: str) -> Path:
    return cache_dir() / f"holidays-{country}.json"


def cached_year(country: str, year: int) -> dict[date, str] | None:
    """The cached holidays of ``country`` in ``year``, or None if not cached for this
    package."""
    data = _read(country)
    days = data.get("years", {}).get(str(year)) if data else None
    if days is None:
        return None
    try:
        return {date.fromisoformat(d): str(n) for d, n in days}
    except (TypeError, ValueError):
        return None


def store_years(country: str, years: dict[int, dict[date, str]]) -> None:
    key = package_key()
    if key is None:
        return
    data = _read(country) or {"package": key, "years": {}}
    for year, days in years.items():
        data["years"][str(year)] = [[d.isoformat(), n] for d, n in sorted(days.items())]
    path = _path(country)
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        # Written aside and renamed: a reader never sees half a file.
        with tempfile.NamedTemporaryFile(
            "w", encoding="utf-8", dir=path.parent, delete=False, suffix=".tmp"
        ) as handle:
            json.dump(data, handle, ensure_ascii=False)
        os.replace(handle.name, path)
    except OSError:
        return


def _read(country: str) -> dict[str, Any] | None:
    try:
        data = json.loads(_path(country).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    if not isinstance(data, dict) or not isinstance(data.get("years"), dict):
        return None
    if data.get("package") != package_key():
        return None
    return data
