"""One headless Chromium with plotly.js loaded once, turning Plotly figures into PNG or SVG.

Kaleido did this before, at a cost that was most of a report's run time: after every image it
reloads its page, plotly.js included (about half a second, even after the last image), and it
starts the browser only when the first image is asked for. A :class:`PlotlyPage` drives the
browser itself over the DevTools pipe (choreographer, the library Kaleido is built on): it
starts the browser in a thread of its own as soon as it is created, so Chromium starts and
parses plotly.js while the caller reads the database; it loads plotly.js once and renders
every page in the same tab with ``Plotly.toImage``, the call Kaleido makes (same options, same
bytes).

Everything it loads is a local file: plotly.js from plotly.py's package and the Spanish
locale written next to the page; no request leaves the machine.
"""

from __future__ import annotations

import asyncio
import json
import logging
import shutil
import tempfile
import threading
from collections.abc import Iterator
from concurrent.futures import Future
from contextlib import contextmanager, suppress
from importlib.util import find_spec
from pathlib import Path
from typing import Any

from tracker.errors import ExportError
from tracker.i18n import _

RENDER_TIMEOUT = 90  # seconds: starting the browser, and then each image
# choreographer's and its helpers' loggers: with no logging configured their records would
# reach Python's last-resort handler (the browser's closing "{bye}" is logged as a traceback).
QUIET_LOGGERS = ("choreographer", "logistro", "browser_proc")

# Kaleido's render call (kaleido_scopes.js): the figure's own config over a default one, the
# image data without its "data:" prefix (base64 for PNG, the markup for SVG).
RENDER_JS = """(fig, opts) => Plotly.toImage(
  {data: fig.data, layout: fig.layout,
   config: Object.assign({plotGlPixelRatio: opts.scale * 2}, fig.config || {})},
  Object.assign({imageDataOnly: true}, opts))"""


def plotly_js() -> Path:
    """plotly.min.js as plotly.py ships it (found without importing plotly)."""
    spec = find_spec("plotly")
    if spec is None or spec.origin is None:
        raise ExportError(
            _("the browser could not render the chart ({error})").format(error="no plotly.js")
        )
    return Path(spec.origin).parent / "package_data" / "plotly.min.js"


class PlotlyPage:
    """A browser with plotly.js loaded, started in the background when created.

    ``render`` waits for it to be ready, then renders one figure; ``print_pdf`` prints a
    page of rendered SVGs with the same browser; ``close`` (or leaving the ``with`` block)
    shuts the browser down. Failures surface as ExportError, one line."""

    def __init__(self, browser: str, locale_js: str) -> None:
        self._folder = Path(tempfile.mkdtemp(prefix="tracker-chromium-"))
        index = self._folder / "index.html"
        index.write_text(_page(plotly_js(), locale_js), encoding="utf-8")
        self._levels = {name: logging.getLogger(name).level for name in QUIET_LOGGERS}
        for name in QUIET_LOGGERS:
            logging.getLogger(name).setLevel(logging.CRITICAL + 1)
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(
            target=self._loop.run_forever, name="tracker-chromium", daemon=True
        )
        self._thread.start()
        self._browser: Any = None
        self._tab: Any = None
        self._closing: Future[None] | None = None
        self._ready: Future[None] = self._submit(self._open(browser, index.as_uri()))

    def _submit(self, coroutine: Any) -> Future[Any]:
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop)

    async def _open(self, path: str, url: str) -> None:
        from choreographer import Browser

        self._browser = Browser(path=path, headless=True)
        await self._browser.open()
        tab = self._browser.get_tab() or await self._browser.create_tab()
        await _navigate(tab, url)
        self._tab = tab

    def render(self, fig: Any, *, fmt: str, width: int, height: int, scale: float) -> bytes:
        """``fig`` (a Plotly figure dict) as PNG (``scale`` times its CSS pixels) or SVG."""
        opts = {"format": fmt, "width": width, "height": height, "scale": scale}
        self._wait(self._ready)
        value = self._wait(self._submit(self._render(json.dumps(fig, default=str), opts)))
        if fmt == "png":
            import base64

            return base64.b64decode(value)
        return str(value).encode("utf-8")

    async def _render(self, fig_json: str, opts: dict[str, Any]) -> Any:
        params = {
            "expression": f"({RENDER_JS})({fig_json}, {json.dumps(opts)})",
            "awaitPromise": True,
            "returnByValue": True,
        }
        response = await _check(self._tab.send_command("Runtime.evaluate", params=params))
        result = response.get("result", {})
        if "exceptionDetails" in result:
            details = result["exceptionDetails"]
            raise RuntimeError(details.get("exception", {}).get("description") or details)
        return result.get("result", {}).get("value")

    def print_pdf(self, page: Path) -> bytes:
        """``page`` (a local HTML file) printed to PDF as its CSS ``@page`` says, without
        header or footer, in a tab of its own (this one keeps plotly.js)."""
        self._wait(self._ready)
        data = self._wait(self._submit(self._print(page.resolve().as_uri())))
        import base64

        return base64.b64decode(data)

    async def _print(self, url: str) -> Any:
        tab = await self._browser.create_tab()
        try:
            await _navigate(tab, url)
            params = {
                "printBackground": True,
                "preferCSSPageSize": True,
                "displayHeaderFooter": False,
            }
            response = await _check(tab.send_command("Page.printToPDF", params=params))
            return response["result"]["data"]
        finally:
            await self._browser.close_tab(tab.target_id)

    def _wait(self, future: Future[Any]) -> Any:
        try:
            return future.result(timeout=RENDER_TIMEOUT)
        except Exception as err:  # the browser failed to start or to render
            # choreographer's errors carry a paragraph of advice after their first sentence.
            first = err.args[0] if err.args and isinstance(err.args[0], str) else str(err)
            message = " ".join(first.split()) or type(err).__name__
            raise ExportError(
                _("the browser could not render the chart ({error})").format(error=message[:300])
            ) from err

    def shut_down(self) -> None:
        """Start closing the browser, for a caller with nothing more to render and other
        work to do meanwhile; ``close`` waits for it."""
        if self._closing is None:
            self._closing = self._submit(self._close())

    def close(self) -> None:
        if self._loop.is_closed():
            return
        self.shut_down()
        assert self._closing is not None
        try:
            # Best effort: choreographer kills a browser that does not close when asked.
            with suppress(Exception):
                self._closing.result(timeout=RENDER_TIMEOUT)
        finally:
            self._loop.call_soon_threadsafe(self._loop.stop)
            self._thread.join(timeout=RENDER_TIMEOUT)
            self._loop.close()
            shutil.rmtree(self._folder, ignore_errors=True)
            for name, level in self._levels.items():
                logging.getLogger(name).setLevel(level)

    async def _close(self) -> None:
        if not self._ready.done():  # still starting: let it finish (or fail), then shut down
            await asyncio.wait([asyncio.wrap_future(self._ready)], timeout=RENDER_TIMEOUT)
        try:
            if self._browser is not None:
                await self._browser.close()
        finally:
            # What choreographer leaves running (its watchdog, after a failed start) ends
            # here, not as "Task was destroyed but it is pending" when the loop closes.
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

    def __enter__(self) -> PlotlyPage:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


async def _navigate(tab: Any, url: str) -> None:
    """Open ``url`` in ``tab`` and wait until it has loaded (its scripts have run)."""
    await _check(tab.send_command("Page.enable"))
    loaded = tab.subscribe_once("Page.loadEventFired")
    navigated = await _check(tab.send_command("Page.navigate", params={"url": url}))
    if error := navigated.get("result", {}).get("errorText"):
        raise RuntimeError(error)
    await loaded


async def _check(pending: Any) -> Any:
    response = await pending
    if "error" in response:
        raise RuntimeError(response["error"].get("message") or response["error"])
    return response


def _page(plotly: Path, locale_js: str) -> str:
    return "\n".join(
        [
            "<!DOCTYPE html>",
            '<html><head><meta charset="utf-8">',
            '<script type="text/javascript">window.PlotlyConfig = {MathJaxConfig: "local"};'
            "</script>",
            f'<script type="text/javascript" src="{plotly.as_uri()}" charset="utf-8"></script>',
            f'<script type="text/javascript">{locale_js}</script>',
            "</head><body></body></html>",
        ]
    )


@contextmanager
def plotly_page(browser: str, locale_js: str) -> Iterator[PlotlyPage]:
    page = PlotlyPage(browser, locale_js)
    try:
        yield page
    finally:
        page.close()
