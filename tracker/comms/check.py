"""Counting communication results against their targets, period by period.

Periodic targets ("1 por mes", "1 cada dos meses", "1 cada 3 meses") have periods aligned to
the start of the plan's communication window (January 2018: bimesters Jan–Feb, Mar–Apr,
May–Jun, Jul), the last one cut short by the window's end. Quarter targets count inside the
named calendar quarters. Totals over the window are expected pro rata to the elapsed share
of the window, rounded down. Targets "en cada red" are checked for each channel separately.

"As of D" is the end of day D (``tracker.state.asof``): a period whose last day is D or
earlier is judged final (``cumplida`` or ``incumplida``) by every view.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta

from dateutil.rrule import MONTHLY, rrule

from tracker.plan.model import CommunicationTarget, Period, TargetUnit

MET = "cumplida"
ON_COURSE = "en_curso"
MISSED = "incumplida"
UPCOMING = "proxima"
BEHIND = "atrasada"
STATES = (MET, ON_COURSE, BEHIND, MISSED, UPCOMING)

_MONTHS_PER_PERIOD = {
    TargetUnit.PER_MONTH: 1,
    TargetUnit.EVERY_2_MONTHS: 2,
    TargetUnit.EVERY_3_MONTHS: 3,
}


@dataclass(frozen=True, slots=True)
class Activity:
    """What the check needs of a logged communication activity."""

    day: date
    channel: str
    targets: tuple[str, ...]
    quantity: int = 1


@dataclass(frozen=True, slots=True)
class TargetState:
    target: str
    action: str
    text: str
    channel: str  # the channel checked on its own ("en cada red"), else "" (any of them)
    period_start: date
    period_end: date
    expected: int
    done: int
    state: str
    expected_so_far: int  # cumulative since the window opened (pro rata for totals)
    done_so_far: int


def periods(target: CommunicationTarget, window: Period) -> list[Period]:
    """The periods a target is counted in, in order."""
    if target.unit in _MONTHS_PER_PERIOD:
        months = _MONTHS_PER_PERIOD[target.unit]
        starts = [
            d.date()
            for d in rrule(MONTHLY, interval=months, dtstart=window.start, until=window.end)
        ]
        ends = [s - timedelta(days=1) for s in starts[1:]] + [window.end]
        return [Period(s, e) for s, e in zip(starts, ends, strict=True)]
    if target.unit is TargetUnit.IN_QUARTER:
        from tracker.plan.quarters import parse_quarter

        out = []
        for quarter in target.quarters:
            bounds = parse_quarter(quarter)
            if bounds is not None:
                out.append(Period(*bounds))
        return out
    return [window]


def check_target(
    target: CommunicationTarget, window: Period, activities: Iterable[Activity], as_of: date
) -> list[TargetState]:
    """One state per channel checked: for the period that contains ``as_of`` (the next one
    before it starts, the last one after the window)."""
    mine = [a for a in activities if target.id in a.targets]
    channels = target.channels if target.per_channel else [""]
    return [
        _check(
            target, window, [a for a in mine if not channel or a.channel == channel], channel, as_of
        )
        for channel in channels
    ]


def _sum(activities: list[Activity], start: date, end: date) -> int:
    return sum(a.quantity for a in activities if start <= a.day <= end)


def _check(
    target: CommunicationTarget, window: Period, acts: list[Activity], channel: str, as_of: date
) -> TargetState:
    if target.unit is TargetUnit.TOTAL:
        return _check_total(target, window, acts, channel, as_of)
    spans = periods(target, window)
    index = next((i for i, p in enumerate(spans) if as_of <= p.end), len(spans) - 1)
    return _state_in(target, spans, index, acts, channel, as_of)


def _state_in(
    target: CommunicationTarget,
    spans: list[Period],
    index: int,
    acts: list[Activity],
    channel: str,
    as_of: date,
) -> TargetState:
    """The state of period ``index`` of a periodic or quarter target, as known on ``as_of``."""
    current = spans[index]
    expected = _period_expected(target, index)
    started = [p for p in spans if p.start <= as_of]
    expected_so_far = sum(_period_expected(target, i) for i in range(len(started)))
    done_so_far = _sum(acts, spans[0].start, min(as_of, spans[-1].end))
    done = _sum(acts, current.start, min(current.end, as_of))  # as known on the as-of date
    if as_of < current.start:
        state = UPCOMING
    elif done >= expected:
        state = MET
    elif as_of < current.end:
        # As of a day means at its end: a period whose last day has come is judged final.
        state = ON_COURSE
    else:
        state = MISSED
    return TargetState(
        target.id,
        target.action,
        target.text,
        channel,
        current.start,
        current.end,
        expected,
        done,
        state,
        expected_so_far,
        done_so_far,
    )


def quarter_view(
    targets: Iterable[CommunicationTarget],
    window: Period,
    activities: list[Activity],
    quarter: Period,
    as_of: date,
) -> list[TargetState]:
    """Every period of every target that overlaps ``quarter``, judged with what was known at
    the quarter's end (or on ``as_of`` while the quarter is still running)."""
    when = min(as_of, quarter.end)
    out: list[TargetState] = []
    for target in targets:
        mine = [a for a in activities if target.id in a.targets]
        for channel in target.channels if target.per_channel else [""]:
            acts = [a for a in mine if not channel or a.channel == channel]
            if target.unit is TargetUnit.TOTAL:
                out.append(_check_total(target, window, acts, channel, min(when, quarter.end)))
                continue
            spans = periods(target, window)
            for index, span in enumerate(spans):
                if span.end >= quarter.start and span.start <= quarter.end:
                    out.append(_state_in(target, spans, index, acts, channel, when))
    return out


def _period_expected(target: CommunicationTarget, index: int) -> int:
    """``count`` per period, but never beyond a total the source states ("2 presentaciones –
    1 cada 3 meses" expects nothing in a third, cut-short quarter)."""
    if target.stated_total is None:
        return target.count
    return max(0, min(target.count, target.stated_total - target.count * index))


def _check_total(
    target: CommunicationTarget, window: Period, acts: list[Activity], channel: str, as_of: date
) -> TargetState:
    done = _sum(acts, window.start, min(as_of, window.end))
    total_days = (window.end - window.start).days + 1
    elapsed = min(max((as_of - window.start).days + 1, 0), total_days)
    expected_so_far = target.count * elapsed // total_days
    if as_of < window.start:
        state = UPCOMING
    elif done >= target.count:
        state = MET
    elif as_of >= window.end:
        state = MISSED
    elif done < expected_so_far:
        state = BEHIND
    else:
        state = ON_COURSE
    return TargetState(
        target.id,
        target.action,
        target.text,
        channel,
        window.start,
        window.end,
        target.count,
        done,
        state,
        expected_so_far,
        done,
    )


def check_all(
    targets: Iterable[CommunicationTarget], window: Period, activities: list[Activity], as_of: date
) -> list[TargetState]:
    return [
        state for target in targets for state in check_target(target, window, activities, as_of)
    ]


def summary(states: Iterable[TargetState]) -> dict[str, int]:
    counts = dict.fromkeys(STATES, 0)
    for state in states:
        counts[state.state] += 1
    return counts
