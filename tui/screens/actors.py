"""Actores: pick an organisation and see every item where it leads, supports, supervises,
works (working group) or is an ally, grouped by capacity, with status and baseline dates —
the list to draw up a workshop's invitations — and its workload week by week (items led at
once against its capacity, items supported). Each organisation appears once, under its
canonical name, whichever way the source writes it. Enter on an item opens it."""

from __future__ import annotations

import unicodedata

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from tracker.i18n import _
from tracker.labels import status_label
from tracker.plan.organisations import Involvement, OrganisationIndex
from tracker.textsafe import visible
from tui.data import Snapshot
from tui.screens.base import TrackerScreen
from tui.screens.comms import FixedTable
from tui.widgets.itemtable import Column, ItemTable, Row

# The capacities in the order a workshop invitation reads them; others follow as found.
CAPACITY_ORDER = ("lidera", "supervisa", "apoya", "orienta", "revisa", "entrega")


def fold(text: str) -> str:
    """Lower case without accents, for searching ("proteccion" finds "Protección")."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def capacity_label(capacity: str) -> str:
    labels = {
        "lidera": _("Leads"),
        "apoya": _("Supports"),
        "supervisa": _("Supervises"),
        "orienta": _("Guides"),
        "revisa": _("Reviews"),
        "entrega": _("Delivers"),
        "grupo de trabajo": _("Working group"),
        "aliado": _("Ally"),
    }
    return labels.get(capacity, capacity[:1].upper() + capacity[1:])


def capacity_rank(capacity: str) -> tuple[int, str]:
    if capacity in CAPACITY_ORDER:
        return CAPACITY_ORDER.index(capacity), ""
    if capacity == "grupo de trabajo":
        return 90, ""
    if capacity == "aliado":
        return 91, ""
    return 50, capacity


def expansion(entry: Involvement) -> str:
    """What the acronym table says the name stands for ("" when the name says it already);
    for an organisation of the plan, its acronym."""
    if entry.entity is not None:
        return entry.entity.acronym
    parts = []
    for org in entry.organisations:
        if fold(org.name.rstrip(".")) == fold(entry.name):
            parts.append(org.acronym)
        elif len(entry.organisations) == 1 and fold(org.acronym) == fold(entry.name):
            parts.append(org.name.rstrip("."))
        elif len(entry.organisations) == 1:
            parts.append(f"{org.name.rstrip('.')} ({org.acronym})")
        else:
            parts.append(f"{org.acronym}: {org.name.rstrip('.')}")
    return "; ".join(parts)


def columns() -> list[Column]:
    return [
        Column("id", _("ID"), 8),
        Column("title", _("Title"), 0),
        Column("status", _("Status"), 10),
        Column("start", _("Start"), 10, drop=1),
        Column("finish", _("End"), 10),
    ]


class ActorsScreen(TrackerScreen):
    HELP_TITLE = _("Actors")
    BINDINGS = [
        Binding("slash", "search", _("Search"), id="actors_search"),
        Binding("escape", "clear", _("Clear search"), show=False, id="actors_clear"),
    ]
    DEFAULT_CSS = """
    ActorsScreen #actors-search { margin: 0 1; }
    ActorsScreen #actors-names { height: auto; max-height: 30%; margin: 0 1; text-wrap: nowrap;
                                 text-overflow: ellipsis; }
    ActorsScreen #actors-head { height: auto; max-height: 4; padding: 0 1; margin-top: 1; }
    ActorsScreen #actors-load { height: auto; max-height: 5; padding: 0 1; text-wrap: nowrap;
                                text-overflow: ellipsis; }
    ActorsScreen #actors-items { height: 1fr; }
    """

    def __init__(self) -> None:
        super().__init__()
        self.entries: list[Involvement] = []
        self.chosen: str | None = None  # the name as written

    def body(self) -> ComposeResult:
        yield Input(
            placeholder=_("Search an organisation: name or acronym…"),
            id="actors-search",
            compact=True,
        )
        yield OptionList(id="actors-names", compact=True)
        yield Static(id="actors-head", markup=False)
        yield Static(id="actors-load", markup=False)
        yield FixedTable(columns(), id="actors-items")

    def on_mount(self) -> None:
        self.query_one("#actors-names", OptionList).focus()

    def show(self, snapshot: Snapshot) -> None:
        self.entries = OrganisationIndex(snapshot.plan).involvements()
        self._fill_names()
        self._show_items()

    # -- the list of names -----------------------------------------------------------
    def _fill_names(self) -> None:
        words = fold(self.query_one("#actors-search", Input).value).split()
        names = self.query_one("#actors-names", OptionList)
        names.clear_options()
        shown = []
        for entry in self.entries:
            extra = expansion(entry)
            aliases = entry.entity.aliases if entry.entity is not None else ()
            haystack = fold(" ".join((entry.name, extra, *aliases, *entry.written)))
            if words and not all(w in haystack for w in words):
                continue
            items = {item for item, _capacity in entry.places}
            prompt = Text(visible(entry.name), style="bold")
            if extra:
                prompt.append(" — " + visible(extra))
            prompt.append(f"  ({len(items)})", style="dim")
            shown.append(Option(prompt, id=entry.name))
        names.add_options(shown)
        ids = [o.id for o in shown]
        if self.chosen in ids:
            names.highlighted = ids.index(self.chosen)
        elif shown:
            names.highlighted = 0

    @on(Input.Changed, "#actors-search")
    def _search(self) -> None:
        self._fill_names()

    @on(Input.Submitted, "#actors-search")
    def _search_done(self) -> None:
        self.query_one("#actors-names", OptionList).focus()

    @on(OptionList.OptionHighlighted, "#actors-names")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        if event.option.id != self.chosen:
            self.chosen = event.option.id
            self._show_items()

    @on(OptionList.OptionSelected, "#actors-names")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        self.chosen = event.option.id
        self._show_items()
        self.query_one("#actors-items", FixedTable).focus()

    def choose(self, name: str) -> bool:
        """Show the items of ``name`` (canonical, or any way the plan writes it); False when
        there is no such name."""
        entry = next((e for e in self.entries if e.name == name or name in e.written), None)
        if entry is None:
            return False
        self.chosen = entry.name
        search = self.query_one("#actors-search", Input)
        if search.value:
            with search.prevent(Input.Changed):
                search.value = ""
        self._fill_names()
        self._show_items()
        return True

    # -- the items of the chosen name -----------------------------------------------
    def _show_items(self) -> None:
        snap = self.tracker.snapshot
        head = self.query_one("#actors-head", Static)
        table = self.query_one("#actors-items", FixedTable)
        entry = next((e for e in self.entries if e.name == self.chosen), None)
        if snap is None or entry is None:
            head.update(_("Choose an organisation above (/ to search)."))
            self.query_one("#actors-load", Static).update("")
            table.set_rows([])
            return
        by_capacity: dict[str, list[str]] = {}
        for key, capacity in entry.places:
            by_capacity.setdefault(capacity, []).append(key)
        rows: list[Row] = []
        for capacity in sorted(by_capacity, key=capacity_rank):
            keys = by_capacity[capacity]
            rows.append(
                Row(
                    f"§{capacity}",
                    (f"{capacity_label(capacity)} ({len(keys)})", "", "", "", ""),
                    "group",
                )
            )
            rows += [self._row(snap, key, capacity) for key in keys]
        table.set_rows(rows)
        text = Text(visible(entry.name), style="bold")
        extra = expansion(entry)
        if extra:
            text.append(" — " + visible(extra))
        others = [w for w in entry.written if fold(w.strip(" .")) != fold(entry.name)]
        if others:
            text.append("\n" + _("also written: {names}").format(names=", ".join(others)))
        items = {key for key, _capacity in entry.places}
        text.append(
            "\n"
            + _("{n} items · {m} mentions · baseline dates · Enter opens the item").format(
                n=len(items), m=len(entry.places)
            ),
            style="dim",
        )
        head.update(text)
        self.query_one("#actors-load", Static).update(self._load(snap, entry.name))

    def _load(self, snap: Snapshot, name: str) -> Text:
        """Items led at once (most, per week) and supported, on the baseline schedule."""
        from tracker.schedule.passes import compute_schedule
        from tracker.schedule.workload import workload

        loads = [
            load for load in workload(snap.plan, compute_schedule(snap.plan)) if load.name == name
        ]
        if not loads:
            return Text(_("Leads or supports no item."), style="dim")
        load = loads[0]
        text = Text(
            _("Workload per week from {day} (baseline):").format(day=load.weeks[0].week.isoformat())
        )
        if load.capacity is not None:
            text.append(" " + _("capacity {n} items led at once").format(n=load.capacity))
        led = Text("\n" + f"{_('Leads'):>10} ")
        for week in load.weeks:
            over = load.capacity is not None and week.most_led_at_once > load.capacity
            cell = str(week.most_led_at_once) if week.most_led_at_once else "·"
            led.append(f"{cell:>3}", style="bold red" if over else "")
        supported = Text("\n" + f"{_('Supports'):>10} ")
        for week in load.weeks:
            count = len(week.supported)
            supported.append(f"{count if count else '·':>3}")
        text.append(led)
        text.append(supported)
        for over in load.overloads:
            text.append(
                "\n"
                + _("over capacity {first} – {last}: {items}").format(
                    first=over.first, last=over.last, items=", ".join(over.items)
                ),
                style="bold red",
            )
        return text

    def _row(self, snap: Snapshot, key: str, capacity: str) -> Row:
        """An item, or a deliverable (with its status, on its producer's baseline)."""
        producer = snap.plan.deliverables[key].producer if key in snap.plan.deliverables else key
        item = snap.items.get(producer)
        if key in snap.deliverables:
            deliverable = snap.deliverables[key]
            title, status = deliverable.title, deliverable.status
        elif item is not None:
            title, status = item.title, item.status
        else:
            title, status = "", ""
        style = ""
        if item is not None:
            if item.late:
                style = "late"
            elif status in ("completada", "entregado", "validado"):
                style = "done"
            elif status in ("diferida", "cancelada"):
                style = "muted"
        return Row(
            f"{capacity}|{key}",
            (
                key,
                title,
                status_label(status),
                item.baseline_start.isoformat() if item and producer == key else "",
                item.baseline_finish.isoformat() if item else "",
            ),
            style,
        )

    @on(ItemTable.Selected)
    def _open(self, event: ItemTable.Selected) -> None:
        snap = self.tracker.snapshot
        if snap is None or event.table.id != "actors-items" or event.key.startswith("§"):
            return
        key = event.key.split("|", 1)[1]
        if key in snap.plan.deliverables:
            key = snap.plan.deliverables[key].producer
        if key in snap.items:
            from tui.screens.detail import DetailScreen

            self.app.push_screen(DetailScreen(key))

    def action_search(self) -> None:
        self.query_one("#actors-search", Input).focus()

    def action_clear(self) -> None:
        self.query_one("#actors-search", Input).value = ""
        self.query_one("#actors-names", OptionList).focus()


SCREEN = ActorsScreen
