"""The brief as PDF: the HTML page printed by headless Chromium, offline."""

from __future__ import annotations

import subprocess
import tempfile
from pathlib import Path

from tracker.errors import ExportError
from tracker.i18n import _


def print_pdf(html: str, output: Path) -> None:
    """Print ``html`` to ``output`` with the Chromium the Gantt exporter finds."""
    from tracker.exporters.gantt.render import find_browser

    browser = find_browser()
    with tempfile.TemporaryDirectory(prefix="tracker-brief-") as tmp:
        page = Path(tmp) / "brief.html"
        page.write_text(html, encoding="utf-8")
        target = output.resolve()
        command = [
            browser,
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--no-first-run",
            "--proxy-server=127.0.0.1:9",  # the page needs no network: nothing may leave
            f"--user-data-dir={Path(tmp) / 'profile'}",
            "--no-pdf-header-footer",
            f"--print-to-pdf={target}",
            page.as_uri(),
        ]
        try:
            result = subprocess.run(command, capture_output=True, text=True, timeout=120)
        except (OSError, subprocess.TimeoutExpired) as err:
            raise ExportError(
                _("Chromium could not print the brief: {error}").format(error=err)
            ) from err
        if result.returncode != 0 or not target.exists():
            last = (result.stderr.strip().splitlines() or ["?"])[-1]
            raise ExportError(_("Chromium could not print the brief: {error}").format(error=last))
