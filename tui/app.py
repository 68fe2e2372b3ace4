"""The tracker's terminal UI: the team's daily view of the plan, its status and its targets."""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Iterable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from textual.app import App, SystemCommand
from textual.binding import Binding
from textual.command import CommandPalette
from textual.screen import Screen

from tracker.i18n import _

if TYPE_CHECKING:
    from sqlalchemy.orm import Session, sessionmaker

    from tracker.store.store import Store
    from tui.data import Snapshot

T = TypeVar("T")
POLL_SECONDS = 3.0
# Items from which a snapshot is frozen out of the cyclic collector as soon as it is read, with
# no full pass first (half a second at 100,000 items); below, once the screens' rows are built,
# after one (see TrackerApp._prepare).
FREEZE_FROM = 20_000


def _lazy(module: str, name: str) -> Callable[[], Any]:
    """A factory that imports a screen or provider only when it is first needed."""

    def make() -> Any:
        return getattr(__import__(f"tui.{module}", fromlist=[name]), name)

    return make


class TrackerApp(App[None]):
    """Open with a database URL (tests pass a temporary one) and an optional as-of date."""

    MODES = {
        "panel": lambda: _lazy("screens.panel", "PanelScreen")()(),
        "tareas": lambda: _lazy("screens.tasks", "TasksScreen")()(),
        "cronograma": lambda: _lazy("screens.gantt", "GanttScreen")()(),
        "comunicacion": lambda: _lazy("screens.comms", "CommsScreen")()(),
        "actores": lambda: _lazy("screens.actors", "ActorsScreen")()(),
        "mesa": lambda: _lazy("screens.mesa", "MesaScreen")()(),
        "tablero": lambda: _lazy("screens.board", "BoardScreen")()(),
        "actividad": lambda: _lazy("screens.activity", "ActivityScreen")()(),
    }
    COMMANDS = App.COMMANDS | {_lazy("commands", "TrackerCommands")}
    CSS_PATH = "app.tcss"
    TITLE = "Resiliencia · Fase II"

    def __init__(
        self,
        db_url: str,
        *,
        plan_id: str | None = None,
        as_of: date | None = None,
        demo: bool = False,
        notice: str = "",
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        from tui.textual_strings import localise_bindings

        localise_bindings()
        super().__init__()
        self.db_url = db_url
        self.plan_id = plan_id
        self.as_of = as_of or date.today()
        self.demo = demo
        self.notice = notice
        self.poll_seconds = poll_seconds
        # The database layer (SQLAlchemy and the domain) is imported and opened by the first
        # worker, so the window appears before it is loaded.
        self._store: Store | None = None
        self.snapshot: Snapshot | None = None
        self.last_change = 0  # the newest change's id when the snapshot was read
        self._stop_listening = threading.Event()
        self._listening = threading.Event()  # set once the PostgreSQL listener is ready

    BINDINGS = [
        Binding("1", "switch_mode('panel')", _("Panel"), id="panel"),
        Binding("2", "switch_mode('tareas')", _("Tasks"), id="tareas"),
        Binding("3", "switch_mode('cronograma')", _("Schedule"), id="cronograma"),
        Binding("4", "switch_mode('comunicacion')", _("Communication"), id="comunicacion"),
        Binding("5", "switch_mode('actores')", _("Actors"), id="actores"),
        Binding("6", "switch_mode('mesa')", _("Mesa Técnica"), id="mesa"),
        Binding("7", "switch_mode('tablero')", _("Board"), show=False, id="tablero"),
        Binding("8", "switch_mode('actividad')", _("Activity"), show=False, id="actividad"),
        Binding("f", "as_of", _("Date"), tooltip=_("Change the as-of date"), id="as_of"),
        Binding("u", "undo", _("Undo"), tooltip=_("Undo your last change (asks first)"), id="undo"),
        Binding("question_mark,f1", "help", _("Help"), id="help"),
        Binding("ctrl+r", "reload", _("Reload"), show=False, id="reload"),
        # Ours, so that its footer label and tooltip come from the catalog, not Textual.
        Binding(
            "ctrl+p",
            "command_palette",
            _("palette"),
            show=False,
            priority=True,
            tooltip=_("Open the command palette"),
        ),
        Binding("q", "quit", _("Quit"), id="quit"),
    ]

    # -- lifecycle ---------------------------------------------------------------------
    def on_mount(self) -> None:
        self.switch_mode("panel")
        if self.notice:
            self.notify(self.notice, timeout=8)
        if self.poll_seconds and not self.db_url.startswith("postgresql"):
            self.set_interval(self.poll_seconds, self._poll)

    def on_ready(self) -> None:
        # Sent once the first frame is on screen. Loading imports the domain and reads the
        # database, holding the GIL most of the time: started earlier, it delays that frame.
        self.reload()

    def _listen(self) -> None:
        """PostgreSQL announces every change (LISTEN/NOTIFY): the screens follow others'
        changes as soon as they commit, with no polling. Should the listening connection
        fail, polling takes over."""

        def ready() -> None:
            self._listening.set()
            # A change committed after the first read and before LISTEN was not announced.
            self.call_from_thread(self._poll)

        def run() -> None:
            from tracker.store.listen import listen

            try:
                listen(
                    self.db_url,
                    lambda: self.call_from_thread(self.reload, True),
                    self._stop_listening,
                    ready=ready,
                    own=self._own_token,
                )
            except Exception as err:
                if not self._stop_listening.is_set():
                    self.call_from_thread(self.set_interval, self.poll_seconds, self._poll)
                    self.call_from_thread(
                        self.log.warning, f"listening for changes failed ({err}); polling"
                    )

        self.run_worker(run, thread=True, group="listen", exit_on_error=False)

    def _own_token(self) -> str | None:
        """The token this app's writes (through its store's engine) are announced with;
        none before its first write (asking must not load SQLAlchemy: a listener thread's
        import would hold up the screen just as another user's change arrives)."""
        from tracker.store.store import made_engine

        engine = made_engine(self.store.url)
        if engine is None:
            return None
        from tracker.store.notify import token

        return token(engine)

    async def on_unmount(self) -> None:
        self._stop_listening.set()

    def reload(self, external: bool = False) -> None:
        """Load a fresh snapshot in a worker thread; the screens redraw when it arrives."""

        def load() -> None:
            from tracker.errors import TrackerError
            from tracker.gcpause import paused_gc
            from tui.data import load_snapshot

            # A snapshot is many small objects (millions at 100,000 items), none in a cycle.
            # While they are built, the cyclic collector would walk them again and again
            # (2 of the 7 s at 100,000 items), holding the GIL and so the UI: it waits.
            try:
                # The newest change, read first: one made while the state is read is seen
                # by the next poll. (PlanState.last_change is not filled in by the store.)
                change = self.store.last_change_id()
                with paused_gc():
                    snapshot = load_snapshot(self.store, self.as_of)
                    # They live until the next snapshot: frozen, they are out of the
                    # collector's passes. The first, when collection resumes, would walk all
                    # of them while the data is painted (17 ms at 10,000 items read from
                    # SQLite, 45 from PostgreSQL, whose objects lie less close together);
                    # full ones take half a second at 100,000 items, falling on whatever key
                    # is pressed then. Below FREEZE_FROM, _prepare gives them one full pass
                    # in the background.
                    gc.freeze()
            except TrackerError as err:
                self.call_from_thread(self.notify, str(err), severity="error", timeout=15)
                return
            self.call_from_thread(self._apply, snapshot, external, change)

        self.run_worker(load, thread=True, exclusive=True, group="load", exit_on_error=False)

    def _prepare(self, snapshot: Snapshot) -> None:
        """Build the other screens' rows of ``snapshot`` in a worker rather than on the UI
        thread when each is first opened."""

        def build() -> None:
            from tracker.gcpause import paused_gc
            from tui.data import prepare

            with paused_gc():
                prepare(snapshot)
            if len(snapshot.forecast.items) < FREEZE_FROM:
                # What is alive now lives on (the modules, the screens, this snapshot and its
                # rows): frozen, the collector's passes leave it alone. They fell on whatever
                # screen was being opened or key pressed: 137 ms for the young pass over the
                # rows just built at 10,000 items, 80-120 ms for full passes (at 51 items on
                # PostgreSQL too, whose modules crowd the heap). One full pass first, here in
                # the background, with last time's frozen objects back in: a frozen object
                # that became garbage in a cycle (a finished worker, a closed screen, holding
                # the snapshot before this one) is freed then rather than kept for good.
                gc.unfreeze()
                gc.collect()
                gc.freeze()

        self.run_worker(build, thread=True, exclusive=True, group="prepare", exit_on_error=False)

    def _apply(self, snapshot: Snapshot, external: bool, change: int) -> None:
        first = self.snapshot is None
        self.snapshot, self.last_change = snapshot, change
        if first and self.poll_seconds and self.db_url.startswith("postgresql"):
            # Listening opens a connection of its own: begun beside the first read, it
            # delayed the data by a fifth of a second (so it waits for the data's frame).
            self.call_after_refresh(self._listen)
        # Every screen open in the stack follows: the list under the detail, the detail under
        # a dialog, the dialog on a record someone else just changed. Main screens of other
        # modes follow when they are shown again.
        for screen in self.screen_stack:
            refresh = getattr(screen, "refresh_data", None)
            if refresh is not None:
                refresh()
        # Once the screen on show has drawn the data: started beside it, the work held the
        # GIL through that frame.
        self.call_after_refresh(self._prepare, snapshot)
        if external:
            self.notify(_("Someone else changed the database: the screens are up to date."))

    def _poll(self) -> None:
        if self.snapshot is None:
            return
        known = self.last_change

        def check() -> None:
            from tracker.errors import TrackerError

            try:
                latest = self.store.last_change_id()
            except TrackerError:
                return  # the next poll tries again; a load reports the error
            if latest != known:
                self.call_from_thread(self.reload, True)

        self.run_worker(check, thread=True, exclusive=True, group="poll", exit_on_error=False)

    @property
    def store(self) -> Store:
        """The database, opened on first use (in a worker thread, not the UI's)."""
        if self._store is None:
            from tracker.store.store import Store

            self._store = Store(self.db_url, self.plan_id)
        return self._store

    @property
    def sessions(self) -> sessionmaker[Session]:
        return self.store.sessions()

    def set_as_of(self, day: date) -> None:
        self.as_of = day
        self.reload()

    def write(self, work: Callable[[Session], T]) -> T:
        """Run a write in the calling worker thread (never on the UI thread)."""
        return self.store.write(work)

    # -- actions -----------------------------------------------------------------------
    def action_reload(self) -> None:
        self.reload()

    def action_undo(self) -> None:
        from tui.undo import start_undo

        start_undo(self)

    def action_as_of(self) -> None:
        from tui.screens.asof import AsOfScreen

        def chosen(day: date | None) -> None:
            if day is not None:
                self.set_as_of(day)

        self.push_screen(AsOfScreen(self.as_of), chosen)

    def action_help(self) -> None:
        from tui.screens.help import HelpScreen

        self.push_screen(HelpScreen())

    def action_command_palette(self) -> None:
        # Textual's own palette placeholder is English; ours speaks the user's language.
        if self.use_command_palette and not CommandPalette.is_open(self):  # type: ignore[arg-type]
            self.push_screen(
                CommandPalette(id="--command-palette", placeholder=_("Search for commands…"))
            )

    def get_system_commands(self, screen: Screen[Any]) -> Iterable[SystemCommand]:
        for command in super().get_system_commands(screen):
            yield SystemCommand(
                _(command.title), _(command.help), command.callback, command.discover
            )
