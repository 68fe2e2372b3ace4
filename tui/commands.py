"""The command palette: every screen and the main actions, in the user's language."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider

from tracker.i18n import _


class TrackerCommands(Provider):
    def _commands(self) -> list[tuple[str, str, Callable[[], object]]]:
        from tui.app import TrackerApp
        from tui.exports import run_export

        app = self.app
        assert isinstance(app, TrackerApp)
        modes = [
            ("panel", _("Panel"), _("Phase progress, late items, this month's targets")),
            ("tareas", _("Tasks"), _("Every item: filter, search, change status")),
            ("cronograma", _("Schedule"), _("Gantt of the forecast against the baseline")),
            ("comunicacion", _("Communication"), _("Targets of the month and the log")),
            ("actores", _("Actors"), _("Where an organisation leads, supports or helps")),
            ("mesa", _("Mesa Técnica"), _("Members and the sessions of the Mesa")),
            ("tablero", _("Board"), _("The items grouped by status")),
            ("actividad", _("Activity"), _("The team's recent changes: who, what, when")),
        ]
        commands: list[tuple[str, str, Callable[[], object]]] = [
            (title, help_text, partial(app.switch_mode, mode)) for mode, title, help_text in modes
        ]
        commands += [
            (
                _("Change the as-of date"),
                _("See the plan as it stood on another day"),
                app.action_as_of,
            ),
            (_("Reload"), _("Read the database again"), app.action_reload),
            (_("Undo"), _("Undo your last change (asks first)"), app.action_undo),
            (
                _("Export the Gantt chart (HTML)"),
                _("For the Mesa Técnica, in exports/"),
                partial(run_export, app, "gantt"),
            ),
            (
                _("Export the monthly report (DOCX)"),
                _("This month's report, in exports/"),
                partial(run_export, app, "report"),
            ),
            (
                _("Export the spreadsheet (XLSX)"),
                _("Items, summary and targets, in exports/"),
                partial(run_export, app, "xlsx"),
            ),
            (
                _("Export the calendar (ICS)"),
                _("Due dates, workshops and sessions, in exports/"),
                partial(run_export, app, "ics"),
            ),
            (_("Help"), _("Every key of every screen"), app.action_help),
        ]
        return commands

    async def discover(self) -> Hits:
        for title, help_text, callback in self._commands():
            yield DiscoveryHit(title, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for title, help_text, callback in self._commands():
            score = matcher.match(title)
            if score > 0:
                yield Hit(score, matcher.highlight(title), callback, help=help_text)
