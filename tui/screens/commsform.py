"""Log a communication activity: every field checked against the plan as it is typed, each
problem shown under its field, and saved (off the UI thread) only when there is none."""

from __future__ import annotations

from datetime import date
from typing import TYPE_CHECKING

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widget import Widget
from textual.widgets import Button, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection

from tracker.errors import TrackerError
from tracker.i18n import _
from tracker.plan.model import Communication, Plan
from tracker.textsafe import visible
from tracker.tracking.commlog import ActivityInput, problems

if TYPE_CHECKING:
    from tui.app import TrackerApp

# Where each field's problems are shown (the field names of tracker.tracking.commlog.problems).
FIELDS = ("date", "channel", "target", "title", "qty", "link", "note")


class CommsForm(ModalScreen[date | None]):
    """Dismissed with the day of the saved entry, or None when cancelled."""

    BINDINGS = [
        Binding("escape", "cancel", _("Cancel"), id="cancel"),
        Binding("ctrl+s", "save", _("Save"), id="save"),
    ]
    DEFAULT_CSS = """
    CommsForm #cf-dialog { width: 84; max-width: 100%; height: auto; max-height: 100%;
                           border: thick $primary; background: $surface; padding: 0 1; }
    CommsForm #cf-title { text-style: bold; width: 1fr; margin-bottom: 1; }
    CommsForm #cf-fields { height: auto; max-height: 1fr; }
    CommsForm .cf-row { height: auto; }
    CommsForm .cf-row > Label { width: 12; padding-right: 1; }
    CommsForm .cf-row > Input, CommsForm .cf-row > Select { width: 1fr; }
    CommsForm #cf-targets { width: 1fr; height: auto; max-height: 8; text-wrap: nowrap;
                            text-overflow: ellipsis; }
    CommsForm .cf-hint { color: $text-muted; margin-left: 12; }
    CommsForm .cf-problem { color: $error; margin-left: 12; height: auto; }
    CommsForm .cf-problem.-empty { display: none; }
    CommsForm #cf-failed { color: $error; height: auto; }
    CommsForm #cf-failed.-empty { display: none; }
    CommsForm #cf-buttons { height: auto; align-horizontal: right; margin-top: 1; }
    CommsForm #cf-buttons > Button { margin-left: 2; }
    """

    def __init__(self, plan: Plan, day: date, *, target: str = "", channel: str = "") -> None:
        super().__init__()
        assert plan.communication is not None
        self.plan = plan
        self.comm: Communication = plan.communication
        self.day = day
        targets = {t.id: t for t in self.comm.targets}
        # Start from the target highlighted on the screen, on its channel (or its first one).
        if target in targets:
            self.initial_targets = [target]
            self.initial_channel = channel or targets[target].channels[0]
        else:
            self.initial_targets, self.initial_channel = [], ""
        self.touched: set[str] = set()
        self.tried = False  # after a save attempt every problem shows, touched or not

    def compose(self) -> ComposeResult:
        with Vertical(id="cf-dialog"):
            yield Label(_("New communication entry"), id="cf-title")
            with VerticalScroll(id="cf-fields"):
                yield from self._row(
                    "date", _("Date"), Input(self.day.isoformat(), id="cf-date", compact=True)
                )
                yield from self._row(
                    "channel",
                    _("Channel"),
                    Select[str](
                        [(Text(c.name), c.id) for c in self.comm.channels],
                        value=self.initial_channel or Select.NULL,
                        prompt=_("Choose a channel"),
                        id="cf-channel",
                        compact=True,
                    ),
                )
                yield from self._row(
                    "target", _("Targets"), SelectionList[str](id="cf-targets", compact=True)
                )
                yield Static(
                    _("Space ticks a target; only those counted on the channel are listed."),
                    classes="cf-hint",
                )
                yield from self._row(
                    "title",
                    _("Title"),
                    Input(id="cf-name", compact=True, placeholder=_("What was published or held")),
                )
                yield from self._row(
                    "qty",
                    _("Quantity"),
                    Input("1", id="cf-qty", compact=True, restrict=r"-?[0-9]*"),
                )
                yield from self._row(
                    "link",
                    _("Link"),
                    Input(id="cf-link", compact=True, placeholder=_("URL or file (optional)")),
                )
                yield from self._row(
                    "note", _("Note"), Input(id="cf-note", compact=True, placeholder=_("Optional"))
                )
            yield Static(id="cf-failed", classes="-empty", markup=False)
            with Horizontal(id="cf-buttons"):
                yield Button(_("Save"), variant="primary", id="cf-save", compact=True)
                yield Button(_("Cancel"), id="cf-cancel", compact=True)

    def _row(self, name: str, label: str, field: Widget) -> ComposeResult:
        with Horizontal(classes="cf-row"):
            yield Label(label)
            yield field
        yield Static(id=f"cf-{name}-problem", classes="cf-problem -empty", markup=False)

    def on_mount(self) -> None:
        self._fill_targets(self.initial_targets)
        self.query_one("#cf-name" if self.initial_targets else "#cf-channel").focus()
        self.validate()

    # -- the target list follows the channel --------------------------------------------
    def _channel(self) -> str:
        value = self.query_one("#cf-channel", Select).value
        return value if isinstance(value, str) else ""

    def _fill_targets(self, keep: list[str]) -> None:
        """The targets counted on the chosen channel, plus any still ticked that are not (so
        the problem shows instead of a tick silently disappearing)."""
        channel = self._channel()
        listing = self.query_one("#cf-targets", SelectionList)
        listing.clear_options()
        options = []
        for target in self.comm.targets:
            counts = channel in target.channels
            if not counts and target.id not in keep:
                continue
            prompt = Text(target.id, style="bold" if counts else "bold red")
            prompt.append("  " + visible(target.item or target.action), style="dim")
            options.append(Selection(prompt, target.id, target.id in keep))
        listing.add_options(options)

    @on(Select.Changed, "#cf-channel")
    def _channel_changed(self, event: Select.Changed) -> None:
        if event.value != (self.initial_channel or Select.NULL):
            self.touched.add("channel")
        # A target the new channel does not count toward is unticked (and said so): left
        # ticked, it would only stand there as an error to untick by hand.
        channel = self._channel()
        counted = {t.id for t in self.comm.targets if channel in t.channels}
        ticked = list(self.query_one("#cf-targets", SelectionList).selected)
        dropped = [t for t in ticked if t not in counted] if channel else []
        self._fill_targets([t for t in ticked if t not in dropped])
        if dropped:
            self.notify(
                _("Unticked (not counted on this channel): {targets}").format(
                    targets=", ".join(dropped)
                ),
                timeout=6,
            )
        self.validate()

    @on(SelectionList.SelectedChanged, "#cf-targets")
    def _targets_changed(self) -> None:
        if sorted(self.query_one("#cf-targets", SelectionList).selected) != sorted(
            self.initial_targets
        ):
            self.touched.add("target")
        self.validate()

    @on(Input.Changed)
    def _input_changed(self, event: Input.Changed) -> None:
        name = {
            "cf-date": "date",
            "cf-name": "title",
            "cf-qty": "qty",
            "cf-link": "link",
            "cf-note": "note",
        }.get(event.input.id or "")
        initial = {"date": self.day.isoformat(), "qty": "1"}
        if name is not None and event.value != initial.get(name, ""):
            self.touched.add(name)
        self.validate()

    # -- validation --------------------------------------------------------------------
    def collect(self) -> tuple[ActivityInput, dict[str, list[str]]]:
        """The entry as typed, and every reason it cannot be saved, by field."""
        found: dict[str, list[str]] = {name: [] for name in FIELDS}
        text = self.query_one("#cf-date", Input).value.strip()
        try:
            day = date.fromisoformat(text)
        except ValueError:
            day = self.plan.meta.period.start
            found["date"].append(_("the date must be a real date as YYYY-MM-DD"))
        qty_text = self.query_one("#cf-qty", Input).value.strip()
        try:
            quantity = int(qty_text)
        except ValueError:
            quantity = 1
            found["qty"].append(_("the quantity must be a whole number"))
        channel = self._channel()
        data = ActivityInput(
            day,
            channel,
            list(self.query_one("#cf-targets", SelectionList).selected),
            self.query_one("#cf-name", Input).value,
            quantity,
            self.query_one("#cf-link", Input).value.strip(),
            self.query_one("#cf-note", Input).value.strip(),
        )
        channels = {c.id for c in self.comm.channels}
        for name, message in problems(self.plan, data):
            if name == "date" and found["date"]:
                continue
            if name == "channel" and not channel:
                message = _("choose a channel")
            elif name == "channel" and channel in channels:
                name = "target"  # "channel X does not count toward target Y": shown by the list
            found.setdefault(name, []).append(message)
        return data, found

    def validate(self) -> dict[str, list[str]]:
        _data, found = self.collect()
        for name in FIELDS:
            shown = found[name] if (self.tried or name in self.touched) else []
            widget = self.query_one(f"#cf-{name}-problem", Static)
            widget.update("\n".join(shown))
            widget.set_class(not shown, "-empty")
        return {name: messages for name, messages in found.items() if messages}

    # -- saving ------------------------------------------------------------------------
    @on(Button.Pressed, "#cf-save")
    def action_save(self) -> None:
        self.tried = True
        found = self.validate()
        if found:
            first = next(n for n in FIELDS if n in found)
            target = {
                "date": "#cf-date",
                "channel": "#cf-channel",
                "target": "#cf-targets",
                "title": "#cf-name",
                "qty": "#cf-qty",
            }.get(first, "#cf-date")
            self.query_one(target).focus()
            return
        self.query_one("#cf-save", Button).disabled = True
        self._say(_("Saving…"))
        data, _found = self.collect()
        self._save(data)

    @work(thread=True, exclusive=True, exit_on_error=False)
    def _save(self, data: ActivityInput) -> None:
        from tracker.store.author import current_author
        from tracker.tracking.actions import add_activity

        app: TrackerApp = self.app  # type: ignore[assignment]
        try:
            add_activity(app.store, data, current_author())
        except TrackerError as err:
            app.call_from_thread(self._failed, str(err))
            return
        app.call_from_thread(self._saved, data.day)

    def _saved(self, day: date) -> None:
        app: TrackerApp = self.app  # type: ignore[assignment]
        app.notify(_("Entry of {date} saved").format(date=day.isoformat()))
        self.dismiss(day)
        app.reload()

    def _say(self, message: str) -> None:
        failed = self.query_one("#cf-failed", Static)
        failed.update(message)
        failed.set_class(not message, "-empty")

    def _failed(self, message: str) -> None:
        self._say(message)
        self.query_one("#cf-save", Button).disabled = False

    @on(Button.Pressed, "#cf-cancel")
    def action_cancel(self) -> None:
        self.dismiss(None)
