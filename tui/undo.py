"""``u``: undo your last change, after a confirmation naming what it reverts (the rule of
``tracker undo``: tracker.tracking.status.undo_last_action)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from tracker.i18n import _

if TYPE_CHECKING:
    from tui.app import TrackerApp


def _what(change: Any) -> str:
    from tracker.tracking.describe import describe_change

    key = (
        change.entity_key
        if change.entity != "comms"
        else _("entry {id}").format(id=change.entity_key)
    )
    return f"{key}: {describe_change(change.entity, change.action, change.before, change.after)}"


def start_undo(app: TrackerApp) -> None:
    """Find the user's last action off the UI thread, then ask before reverting it."""

    def find() -> None:
        from tracker.errors import TrackerError
        from tracker.store.author import current_author
        from tracker.store.planstore import find_plan
        from tracker.tracking.status import last_action

        author = current_author()
        try:
            lines = app.write(
                lambda s: [_what(c) for c in last_action(s, find_plan(s, app.plan_id), author)]
            )
        except TrackerError as err:
            app.call_from_thread(app.notify, str(err), severity="warning", timeout=8)
            return
        app.call_from_thread(_ask, app, lines)

    app.run_worker(find, thread=True, exclusive=True, group="undo", exit_on_error=False)


def _ask(app: TrackerApp, lines: list[str]) -> None:
    from tui.screens.confirm import ConfirmScreen

    message = (
        _("This reverts your last change:") + "\n" + "\n".join(f"  • {line}" for line in lines)
    )

    def answered(yes: bool | None) -> None:
        if yes:
            _undo(app)

    app.push_screen(ConfirmScreen(_("Undo?"), message), answered)


def _undo(app: TrackerApp) -> None:
    def run() -> None:
        from tracker.errors import TrackerError
        from tracker.store.author import current_author
        from tracker.store.planstore import find_plan
        from tracker.tracking.describe import describe_undo
        from tracker.tracking.status import undo_last_action

        author = current_author()

        def work(session: Any) -> list[str]:
            done = undo_last_action(session, find_plan(session, app.plan_id), author)
            return [
                describe_undo(last.entity, last.entity_key, undo.before, undo.after)
                for last, undo in done
            ]

        try:
            said = app.write(work)
        except TrackerError as err:
            app.call_from_thread(app.notify, str(err), severity="error", timeout=10)
            return
        app.call_from_thread(app.notify, _("Undone: ") + "; ".join(said), timeout=8)
        app.call_from_thread(app.reload)

    app.run_worker(run, thread=True, exclusive=True, group="undo", exit_on_error=False)
