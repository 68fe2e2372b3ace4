"""The headless modules never pull in the UI or Plotly (the CLI must start fast)."""

import subprocess
import sys

from ..conftest import ROOT


def test_cli_and_domain_import_neither_textual_nor_plotly() -> None:
    code = (
        "import sys, tracker.cli, tracker.plan.load, tracker.schedule.passes,"
        " tracker.plan.graph, tracker.exporters.tjp;"
        "from tracker.cli import build_parser; build_parser();"
        "bad = [m for m in ('textual', 'tui', 'plotly', 'networkx') if m in sys.modules];"
        "print(','.join(bad))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT, check=True
    ).stdout.strip()
    # networkx is imported only when a graph query needs it, not to start the CLI.
    assert out == ""
