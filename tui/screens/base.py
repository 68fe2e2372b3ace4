"""What every main screen shares: the header with the as-of date, and redrawing on change."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.screen import Screen
from textual.widgets import Button, Static

from tracker.i18n import _
from tui.widgets.footer import KeysFooter

if TYPE_CHECKING:
    from tui.app import TrackerApp
    from tui.data import Snapshot


class HeaderBar(Static):
    """Plan, as-of date and (in demo mode) a clear DEMO label."""

    def show(self, app: TrackerApp) -> None:
        snap = app.snapshot
        if snap is None:
            self.update(_("Loading…"))
            return
        text = Text(no_wrap=True, overflow="ellipsis")
        if app.demo:
            text.append(_(" DEMO DATA ") + " ", style="bold reverse")
        text.append(_("as of {date}").format(date=snap.as_of.isoformat()), style="bold")
        text.append("  ·  " + snap.plan.meta.title)
        self.update(text)
        self.set_class(app.demo, "-demo")


class PeriodBanner(Horizontal):
    """Shown when the as-of date lies outside the plan's period: offers its end or start."""

    def compose(self) -> ComposeResult:
        yield Static(id="banner-text")
        yield Button(_("View as of the period's end"), id="banner-end", variant="primary")
        yield Button(_("View as of its start"), id="banner-start")

    def show(self, app: TrackerApp) -> None:
        snap = app.snapshot
        period = snap.plan.meta.period if snap else None
        outside = snap is not None and period is not None and snap.as_of not in period
        self.display = outside
        if outside and snap is not None and period is not None:
            self.query_one("#banner-text", Static).update(
                _(
                    "{date} is outside the plan's period ({start} – {end}): every date would look "
                    "late."
                ).format(date=snap.as_of, start=period.start, end=period.end)
            )

    def on_button_pressed(self, event: Button.Pressed) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        snap = app.snapshot
        if snap is None:
            return
        period = snap.plan.meta.period
        app.set_as_of(period.end if event.button.id == "banner-end" else period.start)


class TrackerScreen(Screen[None]):
    """A main screen: header, banner, its own body, footer; redrawn when data changes."""

    def __init__(self) -> None:
        super().__init__()
        self.shown: Snapshot | None = None
        # Textual re-parses every stylesheet and restyles every screen when it switches to a
        # screen whose count of stylesheet updates differs from the app's, as a new one's
        # does (-1): twice per first visit, a third of its cost, growing with each screen
        # open. A new screen is styled from the current stylesheet when it mounts (the CSS
        # of its widgets is parsed then): it has seen every update there was.
        self._css_update_count = self.app._css_update_count

    @property
    def tracker(self) -> TrackerApp:
        return self.app  # type: ignore[return-value]

    def compose(self) -> ComposeResult:
        yield HeaderBar(id="header")
        yield PeriodBanner(id="banner")
        yield from self.body()
        yield KeysFooter()

    def body(self) -> ComposeResult:
        yield from ()

    def on_screen_resume(self) -> None:
        self.refresh_data()

    def refresh_data(self) -> None:
        snap = self.tracker.snapshot
        self.query_one(HeaderBar).show(self.tracker)
        self.query_one(PeriodBanner).show(self.tracker)
        if snap is not None and snap is not self.shown:
            self.shown = snap
            self.show(snap)

    def show(self, snapshot: Snapshot) -> None:
        """Redraw the body from ``snapshot``."""
