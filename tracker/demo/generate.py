"""A demonstration database: the bundled plan with a plausible history up to mid-April 2018.

Nothing here is a stored list of rows. The history is simulated from the plan itself (its
baseline schedule, its dependencies, its deliverables and its communication targets) with a
seeded random generator, so the same plan, date and seed give the same history. Every change
then goes through the functions a user's change goes through (``set_item_status``,
``set_deliverable_status``, ``add_activity``): it is validated and lands in the history. Only
the timestamps are moved back to the simulated day, so the history reads like the team's own.

The story: the two coordinators the source names (Plashka Meade, Coordinación y
Planificación; Celisa López, Coordinación Técnico Administrativa) record the work of the
five discovery areas from January 2018. Most tasks finish on time or a few working days
late, a couple early; delays carry over to what waits on them; one task is blocked waiting
on information; one may be deferred to the implementation phase, as the source allows; the
communication plan runs alongside.
"""

from __future__ import annotations

import random
from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta, timezone
from pathlib import Path
from typing import Any

from sqlalchemy import MetaData, func, select, update
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from tracker.comms.check import periods
from tracker.errors import InputError, TrackerError
from tracker.i18n import _
from tracker.plan.graph import dependency_edges
from tracker.plan.model import CommunicationTarget, Deliverable, Item, ItemKind, Plan, TargetUnit
from tracker.plan.statuses import DELIVERABLE_STATUSES, ITEM_STATUSES
from tracker.schedule.passes import compute_schedule
from tracker.store.history import record
from tracker.store.models import ChangeRow, CommActivityRow, DeliverableRow, ItemRow, PlanRow
from tracker.store.planstore import init_plan
from tracker.store.session import transaction
from tracker.tracking.commlog import ActivityInput, add_activity
from tracker.tracking.status import set_deliverable_status, set_item_status

AS_OF = date(2018, 4, 16)
SEED = 2018
PLANNING = "plashka.meade"  # Coordinación y Planificación
ADMIN = "celisa.lopez"  # Coordinación Técnico Administrativa
AUTHORS = (PLANNING, ADMIN)
# The recorded change that marks a database as demo data: only such a database is replaced.
DEMO_ACTION = "demo"

_LOCAL = timezone(timedelta(hours=-5))  # Panama: UTC-5 all year
_OFFICE_OPENS = 8 * 60 + 10  # minutes after midnight, local time
_OFFICE_MINUTES = 9 * 60

# Dated observances where the team presents its progress (the source: "e.g. Día de los
# Humedales y otros").
_OBSERVANCES = (
    (2, 2, "Día Mundial de los Humedales"),
    (3, 22, "Día Mundial del Agua"),
    (4, 22, "Día de la Tierra"),
    (6, 5, "Día Mundial del Medio Ambiente"),
)

_LATE_NOTES = (
    "Se reprogramó el taller por la disponibilidad de los actores clave.",
    "La información solicitada a {who} llegó con retraso.",
    "100RC pidió una revisión adicional antes de cerrar.",
    "Se amplió la convocatoria y hubo que mover las reuniones.",
    "La versión final del informe se entregó después de lo previsto.",
)
_EARLY_NOTES = (
    "Se adelantó: buena parte de la información ya estaba compilada.",
    "Terminada antes de lo previsto gracias al apoyo de {who}.",
)
_START_NOTES = (
    "Arranque con el Grupo de Trabajo.",
    "Primera reunión de coordinación con {who}.",
    "Se envió la convocatoria a los participantes.",
)
_PROGRESS_NOTES = (
    "Avance revisado en la reunión semanal de coordinación.",
    "Primer borrador compartido con el equipo.",
)
_BLOCK_REASON = (
    "En espera de la información solicitada a {who} el {day}: sin esos datos no se puede "
    "continuar. Se escaló al Director de Resiliencia."
)
_DEFER_NOTE = (
    "Se completará en la fase de implementación, como permite el plan de trabajo, según lo "
    "acordado con las direcciones del municipio y el Programa 100CR."
)
_COMMS_NOTES = (
    "Revisado por la Dirección de Comunicaciones y Relaciones Públicas.",
    "Con fotos del equipo de comunicaciones.",
    "Buena respuesta del público.",
)
# Activity titles by channel: {topic} is something that happened in the plan around then.
_TITLES = {
    "web": "Nota en la página web: {topic}",
    "facebook": "Facebook: {topic}",
    "twitter": "Twitter: {topic}",
    "instagram": "Instagram: {topic}",
    "correo": "Hoja informativa de resiliencia n.º {n}: {topic}",
    "prensa": "Nota de prensa: {topic}",
    "periodicos": "Nota en periódicos locales: {topic}",
    "urbe": "Artículo en la revista URBE: {topic}",
    "radio": "Entrevista radial: {topic}",
    "tv": "Entrevista en televisión: {topic}",
    "materiales": "Entrega de {item} con la imagen de Panamá Resiliente",
}
# Channels used any day of the week; the others on working days.
_ANY_DAY = ("facebook", "twitter", "instagram")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """What a demo build produced."""

    plan_key: str
    as_of: date
    item_counts: dict[str, int]
    deliverable_counts: dict[str, int]
    activities: int
    changes: int
    authors: tuple[str, ...]
    blocked: str
    deferred: str


@dataclass(slots=True)
class _Draw:
    """The random choices of one item, drawn once so a second simulation pass repeats them."""

    delay: int  # working days between its planned (or possible) start and its actual start
    slip: int  # working days more (fewer when negative) than its planned duration


@dataclass(slots=True)
class _Run:
    """What happened to one item, as working-day indices (None: not started, not finished)."""

    key: str
    start: int | None
    finish: int | None
    duration: int


Apply = Callable[[Session, PlanRow], list[int]]


@dataclass(order=True, slots=True)
class _Event:
    day: date
    order: int
    apply: Apply = field(compare=False)


class _Simulation:
    """The plan's items run against the working-day calendar, with random starts and slips."""

    def __init__(self, plan: Plan, as_of: date, rng: random.Random) -> None:
        self.plan = plan
        self.as_of = as_of
        self.rng = rng
        self.schedule = compute_schedule(plan)
        self.calendar = self.schedule.calendar
        self.today = self.calendar.index_on_or_before(as_of)
        self.first = self.calendar.index_on_or_after(plan.meta.period.start)
        self.preds: dict[str, list[tuple[str, int]]] = {key: [] for key in plan.items}
        self.succs: dict[str, list[str]] = {key: [] for key in plan.items}
        for pre, post, lag in dependency_edges(plan):
            self.preds[post].append((pre, lag))
            self.succs[pre].append(post)
        self.order = self._order()
        self.draws = {key: self._draw(plan.items[key]) for key in self.order}
        self.events: list[_Event] = []

    def day(self, index: int) -> date:
        return self.calendar.day(index)

    def base(self, key: str) -> tuple[int, int]:
        planned = self.schedule.items[key]
        return (
            self.calendar.index_on_or_after(planned.start),
            self.calendar.index_on_or_after(planned.finish),
        )

    def is_task(self, key: str) -> bool:
        return self.plan.items[key].kind is ItemKind.TASK

    def _order(self) -> list[str]:
        """Prerequisites first; among the items ready, the earlier planned start first."""
        position = {key: i for i, key in enumerate(self.plan.items)}

        def rank(key: str) -> tuple[int, int]:
            return self.schedule.items[key].early_start, position[key]

        pending = {key: len(p) for key, p in self.preds.items()}
        ready = sorted((k for k, n in pending.items() if n == 0), key=rank)
        out: list[str] = []
        while ready:
            key = ready.pop(0)
            out.append(key)
            for post in self.succs[key]:
                pending[post] -= 1
                if pending[post] == 0:
                    ready.append(post)
            ready.sort(key=rank)
        return out

    def _draw(self, item: Item) -> _Draw:
        """Most items start when planned; a few a little early, some a few days late. Work
        led from outside the municipality (consultants, 100RC) slips more often and further
        than the Dirección de Resiliencia's own."""
        rng = self.rng
        r = rng.random()
        if r < 0.08:
            delay = -rng.randint(1, 2)
        elif r < 0.65:
            delay = 0
        elif r < 0.92:
            delay = rng.randint(1, 3)
        else:
            delay = rng.randint(4, 7)
        outside = bool(item.leads) and not any(
            word in lead for lead in item.leads for word in ("MUPA", "Resiliencia")
        )
        early, on_time, some = (0.08, 0.3, 0.7) if outside else (0.15, 0.55, 0.87)
        longest = max(10, item.duration // 2) if outside else max(7, item.duration // 3)
        r = rng.random()
        if item.duration == 0:
            slip = 0
        elif r < early and item.duration >= 8:
            slip = -rng.randint(1, 2)
        elif r < on_time:
            slip = 0
        elif r < some:
            slip = rng.randint(1, 5 if outside else 4)
        else:
            slip = rng.randint(5, longest)
        return _Draw(delay, slip)

    def run(self, blocked: str = "", deferred: str = "", deferred_day: int = 0) -> dict[str, _Run]:
        """Every item in dependency order: it starts when its prerequisites have finished
        (and not before its planned start, give or take its delay); a blocked item never
        finishes, so what waits on it never starts; a deferred one holds nothing up."""
        runs: dict[str, _Run] = {}
        for key in self.order:
            item = self.plan.items[key]
            draw = self.draws[key]
            base_start = self.base(key)[0]
            ready = self.first
            waiting = False
            for pre, lag in self.preds[key]:
                if pre == deferred:  # goes on without it, from the day it was deferred
                    ready = max(ready, deferred_day + 1)
                    continue
                finish = runs[pre].finish
                if finish is None:
                    waiting = True
                    break
                ready = max(ready, finish + 1 + lag)
            if waiting:
                runs[key] = _Run(key, None, None, 0)
            elif item.duration == 0:  # a milestone: the day its last prerequisite finished
                when = ready - 1 if self.preds[key] else base_start
                runs[key] = _Run(key, when, when, 0)
            else:
                start = max(ready, base_start + draw.delay)
                duration = max(1, item.duration + draw.slip)
                end: int | None = start + duration - 1
                if key in (blocked, deferred):
                    end = None
                if key == deferred and start >= deferred_day:
                    runs[key] = _Run(key, None, None, duration)
                else:
                    runs[key] = _Run(key, start, end, duration)
        return runs

    def percent(self, run: _Run, index: int) -> int:
        """Percent complete on working day ``index``: the elapsed share of its actual
        duration, in steps of 5, never 0 or 100 while it runs."""
        assert run.start is not None
        share = (index - run.start + 1) / max(run.duration, 1)
        return max(5, min(95, int(share * 100) // 5 * 5))

    def add(self, index_or_day: int | date, apply: Apply) -> None:
        when = index_or_day if isinstance(index_or_day, date) else self.day(index_or_day)
        self.events.append(_Event(min(when, self.as_of), len(self.events), apply))


# --- the build ------------------------------------------------------------------------------


def build_demo(
    sessions: sessionmaker[Session], plan: Plan, *, as_of: date = AS_OF, seed: int = SEED
) -> DemoSummary:
    """Load ``plan`` into an empty database and give it a simulated history up to ``as_of``.

    Deterministic for a given plan, date and seed. Raises TrackerError when the database
    already holds the plan: the demo needs a database of its own.
    """
    rng = random.Random(seed)
    sim = _Simulation(plan, as_of, rng)
    unhindered = sim.run()
    blocked, blocked_day = _choose_blocked(sim, unhindered)
    deferred, deferred_day = _choose_deferred(sim, unhindered, blocked)
    runs = _keep_one_at_work(sim, blocked, deferred, deferred_day)
    _item_events(sim, runs, blocked, blocked_day, deferred, deferred_day)
    _comms_events(sim, runs)
    events = sorted(sim.events)

    def work(session: Session) -> DemoSummary:
        plan_row, created = init_plan(session, plan, PLANNING)
        if not created:
            raise TrackerError(
                _(
                    "the database already holds plan {key}; the demo needs a database of its own"
                ).format(key=plan.meta.id)
            )
        # The baseline was frozen the working day before the plan starts.
        frozen = _stamp(sim.day(max(sim.first - 1, 0)), 0, 1)
        plan_row.baseline_at = frozen
        for initial in session.scalars(select(ChangeRow).where(ChangeRow.plan_id == plan_row.id)):
            initial.at = frozen
            initial.effective = sim.day(max(sim.first - 1, 0))
        per_day = Counter(event.day for event in events)
        previous, slot = None, 0
        for event in events:
            slot = slot + 1 if event.day == previous else 0
            previous = event.day
            at = _stamp(event.day, slot, per_day[event.day])
            for change_id in event.apply(session, plan_row):
                change = session.get(ChangeRow, change_id)
                if change is not None:
                    change.at = at
        marker = record(
            session,
            plan_row,
            PLANNING,
            "plan",
            plan_row.key,
            DEMO_ACTION,
            {},
            {"as_of": as_of.isoformat(), "seed": seed},
            "Datos de demostración: historia ficticia generada a partir del plan.",
            effective=as_of,
        )
        marker.at = _stamp(as_of, 1, 1)
        session.flush()
        _settle_timestamps(session, plan_row)
        return _summarise(session, plan_row, as_of, blocked, deferred)

    return transaction(sessions, work)


def _stamp(day: date, slot: int, slots: int) -> datetime:
    """The time (UTC) of the ``slot``-th of ``slots`` changes spread over office hours."""
    minutes = _OFFICE_OPENS + slot * _OFFICE_MINUTES // max(slots, 1) + (slot * 7) % 5
    local = datetime(day.year, day.month, day.day, tzinfo=_LOCAL) + timedelta(minutes=minutes)
    return local.astimezone(UTC)


def _settle_timestamps(session: Session, plan_row: PlanRow) -> None:
    """Rows changed by the build say when, in simulated time, they were last changed (bulk
    updates: no version bump, nothing recorded)."""
    last: dict[tuple[str, str], datetime] = {}
    for entity, key, at in session.execute(
        select(ChangeRow.entity, ChangeRow.entity_key, func.max(ChangeRow.at))
        .where(ChangeRow.plan_id == plan_row.id)
        .group_by(ChangeRow.entity, ChangeRow.entity_key)
    ):
        last[(entity, key)] = at
    for model in (ItemRow, DeliverableRow):
        entity = "item" if model is ItemRow else "deliverable"
        rows = session.execute(
            select(model.id, model.key).where(
                model.plan_id == plan_row.id, model.updated_at.is_not(None)
            )
        ).all()
        for row_id, key in rows:
            if (entity, key) in last:
                session.execute(
                    update(model).where(model.id == row_id).values(updated_at=last[(entity, key)])
                )
    for activity_id in session.scalars(
        select(CommActivityRow.id).where(CommActivityRow.plan_id == plan_row.id)
    ).all():
        created = last.get(("comms", str(activity_id)))
        if created is not None:
            session.execute(
                update(CommActivityRow)
                .where(CommActivityRow.id == activity_id)
                .values(created_at=created)
            )


def _summarise(
    session: Session, plan_row: PlanRow, as_of: date, blocked: str, deferred: str
) -> DemoSummary:
    items = dict.fromkeys(ITEM_STATUSES, 0)
    for value, count in session.execute(
        select(ItemRow.status, func.count())
        .where(ItemRow.plan_id == plan_row.id)
        .group_by(ItemRow.status)
    ):
        items[value] = count
    deliverables = dict.fromkeys(DELIVERABLE_STATUSES, 0)
    for value, count in session.execute(
        select(DeliverableRow.status, func.count())
        .where(DeliverableRow.plan_id == plan_row.id)
        .group_by(DeliverableRow.status)
    ):
        deliverables[value] = count
    activities = session.scalar(
        select(func.count(CommActivityRow.id)).where(CommActivityRow.plan_id == plan_row.id)
    )
    changes = session.scalar(
        select(func.count(ChangeRow.id)).where(ChangeRow.plan_id == plan_row.id)
    )
    authors = session.scalars(
        select(ChangeRow.author).where(ChangeRow.plan_id == plan_row.id).distinct()
    )
    return DemoSummary(
        plan_row.key,
        as_of,
        items,
        deliverables,
        activities or 0,
        changes or 0,
        tuple(sorted(authors)),
        blocked,
        deferred,
    )


# --- what happens to the items --------------------------------------------------------------


def _choose_blocked(sim: _Simulation, runs: dict[str, _Run]) -> tuple[str, int]:
    """Exactly one task that got stuck: preferably one that nothing waits on (so the rest
    of the plan could go on), at work in the weeks before the as-of date."""
    today = sim.today
    started = [
        r
        for r in runs.values()
        if sim.is_task(r.key) and r.start is not None and r.finish and r.start <= today - 8
    ]
    leaves = [r for r in started if not sim.succs[r.key]]
    recent = [r for r in started if r.finish is not None and r.finish >= today - 15]
    candidates = leaves or recent or sorted(started, key=lambda r: r.finish or 0)[-3:]
    if not candidates:
        raise TrackerError(
            _("no task of the plan has started by {date}: nothing to simulate").format(
                date=sim.as_of
            )
        )
    chosen = sim.rng.choice(sorted(candidates, key=lambda r: r.key))
    assert chosen.start is not None and chosen.finish is not None
    high = max(chosen.start + 3, min(chosen.finish - 1, today - 2))
    low = max(chosen.start + 3, high - 20)
    return chosen.key, min(sim.rng.randint(low, high), today)


def _choose_deferred(sim: _Simulation, runs: dict[str, _Run], blocked: str) -> tuple[str, int]:
    """Maybe one task with plenty of room in the baseline, deferred early in its work to the
    implementation phase (the source allows it); what waited on it goes on without it."""
    ancestors: set[str] = set()
    stack = [blocked]
    while stack:
        for pre, _lag in sim.preds[stack.pop()]:
            if pre not in ancestors:
                ancestors.add(pre)
                stack.append(pre)
    candidates = []
    for key in sim.order:
        run = runs[key]
        if key == blocked or key in ancestors or not sim.is_task(key):
            continue
        if run.start is None or run.finish is None or sim.schedule.items[key].slack < 20:
            continue
        low, high = run.start + 5, min(run.start + run.duration // 2, sim.today - 5)
        if low <= high:
            candidates.append((key, low, high))
    if not candidates or sim.rng.random() < 0.2:
        return "", 0
    key, low, high = sim.rng.choice(candidates)
    return key, sim.rng.randint(low, high)


def _keep_one_at_work(
    sim: _Simulation, blocked: str, deferred: str, deferred_day: int
) -> dict[str, _Run]:
    """The final run, with at least one item still at work on the as-of date: when
    everything started has finished, the most recent one to finish is made to drag on."""
    runs = sim.run(blocked, deferred, deferred_day)
    for _attempt in range(3):
        at_work = [
            r
            for r in runs.values()
            if r.key not in (blocked, deferred)
            and r.start is not None
            and r.start < sim.today
            and (r.finish is None or r.finish > sim.today)
            and r.duration
        ]
        if at_work:
            break
        done = [
            r
            for r in runs.values()
            if r.key not in (blocked, deferred)
            and r.duration
            and r.finish is not None
            and r.finish <= sim.today
        ]
        if not done:
            break
        last = max(done, key=lambda r: (r.finish or 0, sim.order.index(r.key)))
        assert last.finish is not None
        sim.draws[last.key].slip += sim.today - last.finish + sim.rng.randint(3, 8)
        runs = sim.run(blocked, deferred, deferred_day)
    return runs


def _who(item: Item) -> str:
    for names in (item.allies, item.working_group):
        if names:
            return names[0].strip().rstrip(".;,")
    return "las direcciones del municipio"


def _owner(sim: _Simulation, item: Item) -> str:
    """Planning follows areas 1, 3 and 5 and the strategy's articulation; the technical and
    administrative coordination areas 2 and 4 and the production. Now and then the other
    one records a change."""
    owner = ADMIN if item.group in ("2", "4", "E") else PLANNING
    return _other(owner) if sim.rng.random() < 0.15 else owner


def _other(author: str) -> str:
    return ADMIN if author == PLANNING else PLANNING


def _item_status(key: str, value: str, on: date, author: str, **kwargs: Any) -> Apply:
    def apply(session: Session, plan_row: PlanRow) -> list[int]:
        outcome = set_item_status(session, plan_row, key, value, on=on, author=author, **kwargs)
        return [outcome.change_id] if outcome.change_id else []

    return apply


def _deliverable_status(
    key: str, value: str, on: date, author: str, evidence: str | None = None, note: str = ""
) -> Apply:
    def apply(session: Session, plan_row: PlanRow) -> list[int]:
        outcome = set_deliverable_status(
            session, plan_row, key, value, on=on, author=author, evidence=evidence, note=note
        )
        return [outcome.change_id] if outcome.change_id else []

    return apply


def _item_events(
    sim: _Simulation,
    runs: dict[str, _Run],
    blocked: str,
    blocked_day: int,
    deferred: str,
    deferred_day: int,
) -> None:
    rng, today, day = sim.rng, sim.today, sim.day
    for key in sim.order:
        item = sim.plan.items[key]
        run = runs[key]
        author = _owner(sim, item)
        if key == deferred and (run.start is None or run.start > today):
            sim.add(
                deferred_day,
                _item_status(key, "diferida", day(deferred_day), author, note=_DEFER_NOTE),
            )
            continue
        if run.start is None or run.start > today:
            continue
        if item.duration == 0:
            sim.add(run.start, _item_status(key, "completada", day(run.start), author))
            continue
        who = _who(item)
        note = rng.choice(_START_NOTES).format(who=who) if rng.random() < 0.3 else ""
        sim.add(
            run.start, _item_status(key, "en_curso", day(run.start), author, percent=0, note=note)
        )
        last = run.start
        if key == blocked:
            stop = blocked_day
        elif key == deferred:
            stop = deferred_day
        elif run.finish is not None and run.finish <= today:
            stop = run.finish
        else:
            stop = today + 1
        midpoint = run.start + run.duration // 2
        if item.duration >= 10 and run.start < midpoint < stop:
            note = rng.choice(_PROGRESS_NOTES) if rng.random() < 0.4 else ""
            sim.add(
                midpoint,
                _item_status(
                    key,
                    "en_curso",
                    day(midpoint),
                    author,
                    percent=sim.percent(run, midpoint),
                    note=note,
                ),
            )
            last = midpoint
        if key == blocked:
            asked = day(max(run.start, blocked_day - rng.randint(3, 8)))
            reason = _BLOCK_REASON.format(who=who, day=asked.strftime("%d/%m/%Y"))
            sim.add(
                blocked_day,
                _item_status(
                    key,
                    "bloqueada",
                    day(blocked_day),
                    author,
                    percent=sim.percent(run, blocked_day),
                    note=reason,
                ),
            )
        elif key == deferred:
            sim.add(
                deferred_day,
                _item_status(
                    key,
                    "diferida",
                    day(deferred_day),
                    author,
                    percent=sim.percent(run, deferred_day),
                    note=_DEFER_NOTE,
                ),
            )
        elif run.finish is not None and run.finish <= today:
            late = run.finish - sim.base(key)[1]
            note = ""
            if late > 2 or (late > 0 and rng.random() < 0.5):
                note = rng.choice(_LATE_NOTES).format(who=who)
            elif late < 0:
                note = rng.choice(_EARLY_NOTES).format(who=who)
            sim.add(run.finish, _item_status(key, "completada", day(run.finish), author, note=note))
        else:  # still at work: the latest progress report, from the last few days
            when = max(last + 1, today - rng.randint(0, 3))
            if when <= today:
                sim.add(
                    when,
                    _item_status(
                        key, "en_curso", day(when), author, percent=sim.percent(run, when)
                    ),
                )
        for deliverable in sim.plan.deliverables.values():
            if deliverable.producer == key:
                _deliverable_events(sim, item, deliverable, run, min(stop, today), author)


def _deliverable_events(
    sim: _Simulation, item: Item, deliverable: Deliverable, run: _Run, stop: int, author: str
) -> None:
    """A draft part-way through the work; once the work is done, review, then validation by
    the other coordinator, then (sometimes) delivery to 100RC."""
    rng, today, day = sim.rng, sim.today, sim.day
    assert run.start is not None
    done = run.finish is not None and run.finish <= today
    draft = run.start + max(1, int(run.duration * rng.uniform(0.45, 0.8)))
    if done and run.finish is not None:
        draft = min(draft, run.finish)
    if draft > stop:
        return
    key = deliverable.id
    sim.add(draft, _deliverable_status(key, "borrador", day(draft), author))
    if not done or run.finish is None or rng.random() < 0.08:
        return  # still a draft (a secondary product may lag behind its task)
    review = max(draft, run.finish + rng.randint(0, 1))
    if review > today:
        return
    sim.add(
        review,
        _deliverable_status(
            key, "en_revision", day(review), author, note="Enviado al Grupo de Trabajo."
        ),
    )
    valid = review + rng.randint(2, 10)
    if valid > today or rng.random() < 0.08:
        return
    folder = f"Área {item.group}" if item.group.isdigit() else f"Etapa {item.group}"
    evidence = f"Resiliencia/Fase II/{folder}/{key}.pdf"
    sim.add(valid, _deliverable_status(key, "validado", day(valid), _other(author), evidence))
    delivered = valid + rng.randint(2, 8)
    if delivered <= today and rng.random() < 0.45:
        sim.add(
            delivered,
            _deliverable_status(
                key, "entregado", day(delivered), author, note="Enviado a 100RC por correo."
            ),
        )


# --- the communication plan -----------------------------------------------------------------


def _short(title: str, limit: int = 80) -> str:
    words = " ".join(title.split()).rstrip(":;,. ").split(" ")
    while words and words[-1].casefold() in ("para", "que", "incluya", "de", "y", "con"):
        words.pop()
    text = " ".join(words)
    if len(text) > limit:
        text = text[: limit - 1].rsplit(" ", 1)[0] + "…"
    return text


class _Topics:
    """Things to talk about on a given day: the workshops and meetings of the plan held
    in the three weeks before it, else the discovery areas."""

    WORDS = ("taller", "grupo de trabajo")

    def __init__(self, sim: _Simulation, runs: dict[str, _Run]) -> None:
        self.rng = sim.rng
        self.spans: list[tuple[date, date, str]] = []
        for key in sim.order:
            item, run = sim.plan.items[key], runs[key]
            if run.start is None or run.start > sim.today:
                continue
            if not any(word in item.title.casefold() for word in self.WORDS):
                continue
            topic = _short(item.title)
            if "síntesis" in topic.casefold() and item.group:
                topic += f" (área {item.group})"
            end = run.finish if run.finish is not None and run.finish <= sim.today else sim.today
            self.spans.append((sim.day(run.start), sim.day(end), topic))
        self.general = [
            "avances de la Estrategia de Resiliencia de Panamá",
            *(
                "área de descubrimiento " + " ".join(a.title.split()).rstrip(".").capitalize()
                for a in sim.plan.areas
            ),
        ]

    def general_on(self) -> str:
        return self.rng.choice(self.general)

    def on(self, day: date) -> str:
        near = [t for s, e, t in self.spans if s <= day <= e + timedelta(days=21)]
        return self.rng.choice(near or self.general)


def _comms_events(sim: _Simulation, runs: dict[str, _Run]) -> None:
    comm = sim.plan.communication
    if comm is None:
        return
    window = comm.period
    if sim.as_of < window.start:
        return
    topics = _Topics(sim, runs)
    sheets = [0]
    for target in comm.targets:
        if target.unit is TargetUnit.TOTAL:
            _total_activities(sim, target, topics, sheets)
            continue
        for index, span in enumerate(periods(target, window)):
            if span.start > sim.as_of:
                break
            ended = span.end < sim.as_of
            if target.unit is TargetUnit.IN_QUARTER and not ended:
                continue  # later in the quarter (around the launch)
            expected = target.count
            if target.stated_total is not None:
                expected = max(0, min(target.count, target.stated_total - target.count * index))
            if not expected:
                continue
            last = min(span.end, sim.as_of)
            first = span.start
            if target.unit in (TargetUnit.EVERY_3_MONTHS, TargetUnit.IN_QUARTER):
                first += (span.end - span.start) // 2  # when there is progress to show
            for channel in target.channels if target.per_channel else [""]:
                if ended:
                    r = sim.rng.random()
                    count = expected - 1 if r < 0.12 else expected + 1 if r < 0.2 else expected
                else:
                    share = ((last - span.start).days + 1) / ((span.end - span.start).days + 1)
                    count = max(
                        0, min(expected, round(expected * share + sim.rng.uniform(-0.4, 0.6)))
                    )
                for day in _days(sim, first, last, count, channel or target.channels[0]):
                    used = channel or sim.rng.choice(target.channels)
                    topic = topics.general_on() if used == "presentaciones" else topics.on(day)
                    _add_activity(sim, target, day, used, topic, 1, sheets)


def _total_activities(
    sim: _Simulation, target: CommunicationTarget, topics: _Topics, sheets: list[int]
) -> None:
    """Totals over the window: promotional items arrive in one or two batches; a few
    presentations at dated observances; the rest about pro rata."""
    comm = sim.plan.communication
    assert comm is not None
    window = comm.period
    last = min(window.end, sim.as_of)
    channel = target.channels[0]
    if "presentaciones" in target.channels:
        for month, day_of_month, name in _OBSERVANCES:
            day = date(window.start.year, month, day_of_month)
            if window.start <= day <= last:
                _add_activity(
                    sim,
                    target,
                    day,
                    "presentaciones",
                    f"Presentación de avances en el {name}",
                    1,
                    sheets,
                )
        return
    if target.count == 1:  # the banner, early on
        if sim.rng.random() < 0.9:
            end = min(last, window.start + timedelta(days=30))
            for day in _days(sim, window.start + timedelta(days=7), end, 1, channel):
                _add_activity(sim, target, day, channel, topics.on(day), 1, sheets)
        return
    if target.count >= 10:  # quantities: a first batch, maybe the rest later
        if sim.rng.random() < 0.2:
            return
        first = sim.rng.choice((target.count, target.count // 2, target.count * 3 // 5))
        days = _days(sim, window.start + timedelta(days=20), last, 2, channel)
        if days:
            _add_activity(sim, target, days[0], channel, "", first, sheets)
        if len(days) > 1 and first < target.count and sim.rng.random() < 0.5:
            _add_activity(sim, target, days[1], channel, "", target.count - first, sheets)
        return
    share = ((last - window.start).days + 1) / ((window.end - window.start).days + 1)
    count = min(target.count, int(target.count * share) + sim.rng.choice((0, 0, 1)))
    for day in _days(sim, window.start + timedelta(days=14), last, count, channel):
        _add_activity(sim, target, day, channel, topics.on(day), 1, sheets)


def _days(sim: _Simulation, start: date, end: date, count: int, channel: str) -> list[date]:
    """``count`` distinct days between ``start`` and ``end`` (working days, except for the
    social networks), in order."""
    pool = [start + timedelta(days=n) for n in range((end - start).days + 1)]
    if channel not in _ANY_DAY:
        pool = [d for d in pool if sim.calendar.is_working_day(d)]
    return sorted(sim.rng.sample(pool, min(count, len(pool)))) if count > 0 else []


def _add_activity(
    sim: _Simulation,
    target: CommunicationTarget,
    day: date,
    channel: str,
    topic: str,
    quantity: int,
    sheets: list[int],
) -> None:
    if channel == "correo":
        sheets[0] += 1
    if target.action.casefold().startswith("convocar"):
        name = {c.id: c.name for c in sim.plan.communication.channels}.get(  # type: ignore[union-attr]
            channel, channel
        )
        title = f"Convocatoria a medios ({name.lower()}): {topic}"
    elif channel in _TITLES:
        title = _TITLES[channel].format(topic=topic, n=sheets[0], item=(target.item or "").lower())
    elif topic.startswith("Presentación"):
        title = topic
    else:
        title = f"{target.action.split(',')[0].strip()}: {topic}"
    note = sim.rng.choice(_COMMS_NOTES) if sim.rng.random() < 0.2 else ""
    author = ADMIN if sim.rng.random() < 0.65 else PLANNING
    data = ActivityInput(day, channel, [target.id], title, quantity, note=note)
    plan = sim.plan

    def apply(session: Session, plan_row: PlanRow) -> list[int]:
        row = add_activity(session, plan_row, plan, data, author)
        change = session.scalar(
            select(ChangeRow.id).where(
                ChangeRow.plan_id == plan_row.id,
                ChangeRow.entity == "comms",
                ChangeRow.entity_key == str(row.id),
            )
        )
        return [change] if change else []

    sim.add(day, apply)


# --- the demo database ----------------------------------------------------------------------


def default_demo_path() -> Path:
    """The demo's own SQLite file, next to the per-user database."""
    from tracker.store.engine import default_db_path

    return default_db_path().with_name("demo.db")


def database_state(url: str) -> str:
    """``empty`` (nothing there yet), ``demo`` (a demo database) or ``other``."""
    from tracker.store.engine import make_engine, schema_revision

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = parsed.database or ""
        if path in ("", ":memory:") or not Path(path).exists():
            return "empty"
    engine = make_engine(url)
    try:
        if schema_revision(engine) is None:
            return "empty"
        with engine.connect() as conn:
            found = conn.execute(
                select(ChangeRow.id)
                .where(ChangeRow.entity == "plan", ChangeRow.action == DEMO_ACTION)
                .limit(1)
            ).first()
        return "demo" if found else "other"
    except SQLAlchemyError:
        return "other"
    finally:
        engine.dispose()


def create_demo_database(
    url: str, plan: Plan, *, as_of: date = AS_OF, seed: int = SEED
) -> tuple[DemoSummary, bool]:
    """Build the demo at ``url``; returns (summary, whether a previous demo was replaced).

    A previous demo database there is deleted first; anything else is refused untouched.
    """
    from tracker.store.engine import make_engine, masked, upgrade

    state = database_state(url)
    if state == "other":
        raise InputError(
            _(
                "{url} holds data that is not a demo; `tracker demo` replaces only its own "
                "demo database: choose another --db"
            ).format(url=masked(url))
        )
    if state == "demo":
        _drop(url)
    engine = make_engine(url)
    try:
        upgrade(engine)
        summary = build_demo(
            sessionmaker(engine, expire_on_commit=False), plan, as_of=as_of, seed=seed
        )
    finally:
        engine.dispose()
    return summary, state == "demo"


def _drop(url: str) -> None:
    from tracker.store.engine import make_engine

    parsed = make_url(url)
    if parsed.get_backend_name() == "sqlite":
        path = Path(parsed.database or "")
        for suffix in ("", "-wal", "-shm", "-journal"):
            path.with_name(path.name + suffix).unlink(missing_ok=True)
        return
    engine = make_engine(url)
    try:
        metadata = MetaData()
        metadata.reflect(bind=engine)
        metadata.drop_all(bind=engine)
    finally:
        engine.dispose()
