"""MPXJ, a reader and scheduler we did not write, checks what we exchange with MS Project.

The JVM starts once per test session (JPype cannot restart it, and starting costs seconds).
"""

from __future__ import annotations

import os
from typing import Any

import pytest

from tests.conftest import require_tool


@pytest.fixture(scope="session")
def mpxj() -> Any:
    """MPXJ's Java packages (``org.mpxj``), the JVM started."""
    require_tool("java", "default-jre-headless")
    try:
        import jpype  # noqa: F401
        import mpxj  # noqa: F401
    except ImportError:
        reason = "mpxj and JPype1 are not installed: pip install -e '.[dev]'"
        if os.environ.get("CI"):
            pytest.fail(reason + " (CI must install them)")
        pytest.skip(reason)
    from tracker.importers.mpxj import start_java

    start_java()
    import org.mpxj

    return org.mpxj


def local_date(value: Any) -> Any:
    """A java.time LocalDate or LocalDateTime as a Python date (None stays None)."""
    from datetime import date

    if value is None:
        return None
    text = str(value)
    return date.fromisoformat(text[:10])
