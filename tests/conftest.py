from __future__ import annotations

import os

# Key labels of the TUI are translated when its modules are imported (during collection):
# fix the language before that, so snapshots do not depend on the machine's locale.
os.environ["TRACKER_LANG"] = "en"
# The holidays cache of this test run, not the user's (subprocesses inherit it).
if "TRACKER_TEST_KEEP_CACHE" not in os.environ:
    import tempfile

    os.environ["XDG_CACHE_HOME"] = tempfile.mkdtemp(prefix="tracker-test-cache-")

from collections.abc import Iterator
from pathlib import Path

import pytest

from tracker.i18n import set_language

ROOT = Path(__file__).resolve().parents[1]
PLAN = ROOT / "data" / "plan_fase2.yaml"
MERCOCIUDADES = ROOT / "data" / "mercociudades_2017.yaml"
# The source documents sit in shared/ beside the clone (or beside a folder of worktrees).
SEEDS = next(
    (p / "shared" / "seeds" for p in ROOT.parents if (p / "shared" / "seeds").is_dir()),
    ROOT.parent / "shared" / "seeds",
)


@pytest.fixture(autouse=True)
def english_messages() -> Iterator[None]:
    """Tests assert on the English message ids unless they switch language themselves."""
    set_language("en")
    yield
    set_language("en")


def require_tool(command: str, package: str) -> str:
    """The path of ``command``; skipped with a visible reason where it is missing.

    Under CI (``CI`` set) a missing tool is a failure: .ci/run installs every tool, so a skip
    there would hide a broken install step.
    """
    import os
    import shutil

    found = shutil.which(command)
    if found:
        return found
    reason = f"{command} not found: install the Debian package {package}"
    if os.environ.get("CI"):
        pytest.fail(reason + " (CI must install it)")
    pytest.skip(reason)
