"""The communication check on the bundled plan's own targets, month by month, Jan–Jul 2018.

Window: 2018-01-01 – 2018-07-31 (212 days). Every expected state below was worked out by
hand from the source's wording (section F.1).
"""

from __future__ import annotations

from datetime import date

import pytest

from tracker.comms.check import Activity, TargetState, check_target, periods, summary
from tracker.plan.load import load_plan
from tracker.plan.model import Communication, CommunicationTarget

from ..conftest import PLAN

D = date


@pytest.fixture(scope="module")
def comm() -> Communication:
    plan = load_plan(str(PLAN))
    assert plan.communication is not None
    return plan.communication


def target(comm: Communication, key: str) -> CommunicationTarget:
    return next(t for t in comm.targets if t.id == key)


def state(
    comm: Communication, key: str, log: list[Activity], as_of: date, channel: str = ""
) -> TargetState:
    states = check_target(target(comm, key), comm.period, log, as_of)
    return next(s for s in states if s.channel == channel)


def test_periods_are_aligned_to_the_window_and_cut_by_its_end(comm: Communication) -> None:
    bimesters = periods(target(comm, "hojas-informativas"), comm.period)  # 1 cada dos meses
    assert [(p.start, p.end) for p in bimesters] == [
        (D(2018, 1, 1), D(2018, 2, 28)),
        (D(2018, 3, 1), D(2018, 4, 30)),
        (D(2018, 5, 1), D(2018, 6, 30)),
        (D(2018, 7, 1), D(2018, 7, 31)),
    ]
    quarters = periods(target(comm, "directores-presentaciones"), comm.period)  # 1 cada 3 meses
    assert [(p.start, p.end) for p in quarters] == [
        (D(2018, 1, 1), D(2018, 3, 31)),
        (D(2018, 4, 1), D(2018, 6, 30)),
        (D(2018, 7, 1), D(2018, 7, 31)),
    ]
    assert len(periods(target(comm, "web-publicaciones"), comm.period)) == 7  # 1 por mes


# "1 cada dos meses" (hojas informativas por correo): one on Feb 15, one on Apr 30 (the last
# day of its bimester), none after.
HOJAS = [
    Activity(D(2018, 2, 15), "correo", ("hojas-informativas",)),
    Activity(D(2018, 4, 30), "correo", ("hojas-informativas",)),
]


@pytest.mark.parametrize(
    ("as_of", "period", "done", "expected_state", "cumulative"),
    [
        (D(2018, 1, 31), (D(2018, 1, 1), D(2018, 2, 28)), 0, "en_curso", (1, 0)),
        (D(2018, 2, 28), (D(2018, 1, 1), D(2018, 2, 28)), 1, "cumplida", (1, 1)),
        (D(2018, 3, 31), (D(2018, 3, 1), D(2018, 4, 30)), 0, "en_curso", (2, 1)),
        (D(2018, 4, 30), (D(2018, 3, 1), D(2018, 4, 30)), 1, "cumplida", (2, 2)),
        (D(2018, 5, 31), (D(2018, 5, 1), D(2018, 6, 30)), 0, "en_curso", (3, 2)),
        # As of a day is at its end: on a period's last day it is judged final.
        (D(2018, 6, 30), (D(2018, 5, 1), D(2018, 6, 30)), 0, "incumplida", (3, 2)),
        (D(2018, 7, 30), (D(2018, 7, 1), D(2018, 7, 31)), 0, "en_curso", (4, 2)),  # cut short
        (D(2018, 8, 1), (D(2018, 7, 1), D(2018, 7, 31)), 0, "incumplida", (4, 2)),  # ended short
    ],
)
def test_every_two_months(
    comm: Communication,
    as_of: date,
    period: tuple[date, date],
    done: int,
    expected_state: str,
    cumulative: tuple[int, int],
) -> None:
    s = state(comm, "hojas-informativas", HOJAS, as_of)
    assert ((s.period_start, s.period_end), s.expected, s.done, s.state) == (
        period,
        1,
        done,
        expected_state,
    )
    assert (s.expected_so_far, s.done_so_far) == cumulative


def test_a_period_that_ended_short_is_missed_and_the_next_starts_fresh(comm: Communication) -> None:
    # Nothing in May–June: on July 1 that bimester has ended short; the row shows July.
    s = state(comm, "hojas-informativas", HOJAS, D(2018, 7, 1))
    assert (s.period_start, s.state, s.expected_so_far, s.done_so_far) == (
        D(2018, 7, 1),
        "en_curso",
        4,
        2,
    )
    prensa = [Activity(D(2018, 1, 20), "prensa", ("prensa-notas",))]
    # "4 notas de prensa- 1 cada 2 meses": Jan–Feb met; Mar–Apr open in March, missed after.
    assert state(comm, "prensa-notas", prensa, D(2018, 2, 1)).state == "cumplida"
    assert state(comm, "prensa-notas", prensa, D(2018, 3, 15)).state == "en_curso"


def test_every_three_months_with_a_stated_total(comm: Communication) -> None:
    # "2 presentaciones- 1 cada 3 meses": one on Mar 20; the cut-short July quarter expects
    # nothing more, because the source's total is 2.
    log = [Activity(D(2018, 3, 20), "presentaciones", ("directores-presentaciones",))]
    by_month = {
        m: state(comm, "directores-presentaciones", log, m)
        for m in (D(2018, 1, 31), D(2018, 3, 31), D(2018, 4, 30), D(2018, 6, 30), D(2018, 7, 15))
    }
    assert [s.state for s in by_month.values()] == [
        "en_curso",
        "cumplida",
        "en_curso",
        "incumplida",  # the April–June quarter ended on the as-of day with nothing
        "cumplida",
    ]
    july = by_month[D(2018, 7, 15)]
    assert (july.expected, july.expected_so_far, july.done_so_far) == (0, 2, 1)


# "2 por mes en cada red": January: Facebook 2, Twitter 1 (on Jan 31), Instagram 3;
# February: Facebook 1. A post from December 2017 and one from August count nowhere.
REDES = [
    Activity(D(2018, 1, 5), "facebook", ("redes-posts",)),
    Activity(D(2018, 1, 20), "facebook", ("redes-posts",)),
    Activity(D(2018, 1, 31), "twitter", ("redes-posts",)),
    Activity(D(2018, 1, 10), "instagram", ("redes-posts",), 3),
    Activity(D(2018, 2, 9), "facebook", ("redes-posts",)),
    Activity(D(2017, 12, 30), "facebook", ("redes-posts",)),
    Activity(D(2018, 8, 2), "instagram", ("redes-posts",)),
]


def test_per_channel_targets_are_checked_for_each_network(comm: Communication) -> None:
    states = check_target(target(comm, "redes-posts"), comm.period, REDES, D(2018, 1, 31))
    assert [(s.channel, s.done, s.state) for s in states] == [
        ("facebook", 2, "cumplida"),
        ("twitter", 1, "incumplida"),  # January is over at the end of Jan 31
        ("instagram", 3, "cumplida"),
    ]
    feb = {
        s.channel: s
        for s in check_target(target(comm, "redes-posts"), comm.period, REDES, D(2018, 3, 1))
    }
    # March 1: the March period is open; cumulatively 3 months × 2 expected per network.
    assert (feb["facebook"].done, feb["facebook"].expected_so_far, feb["facebook"].done_so_far) == (
        0,
        6,
        3,
    )
    assert feb["instagram"].done_so_far == 3  # the August post is outside the window
    after = {
        s.channel: s
        for s in check_target(target(comm, "redes-posts"), comm.period, REDES, D(2018, 8, 31))
    }
    assert after["instagram"].state == "incumplida" and after["instagram"].done == 0


def test_named_quarters(comm: Communication) -> None:
    # "2 entrevistas- primer y segundo trimestre": one radio interview on Feb 10 only.
    log = [Activity(D(2018, 2, 10), "radio", ("radio-entrevista-mesa",))]
    states = [
        state(comm, "radio-entrevista-mesa", log, d).state
        for d in (D(2018, 1, 31), D(2018, 2, 28), D(2018, 4, 30), D(2018, 6, 30), D(2018, 7, 1))
    ]
    assert states == ["en_curso", "cumplida", "en_curso", "incumplida", "incumplida"]
    # "1 entrevistas segundo trimestre" (TV): upcoming until April, then open, then missed.
    tv = [
        state(comm, "tv-entrevista", [], d)
        for d in (D(2018, 3, 31), D(2018, 5, 31), D(2018, 7, 31))
    ]
    assert [s.state for s in tv] == ["proxima", "en_curso", "incumplida"]
    assert (tv[0].period_start, tv[0].period_end) == (D(2018, 4, 1), D(2018, 6, 30))


def test_one_activity_can_count_toward_two_targets(comm: Communication) -> None:
    launch_post = [Activity(D(2018, 5, 10), "web", ("web-publicaciones", "lanzamiento-web"))]
    assert state(comm, "web-publicaciones", launch_post, D(2018, 5, 31)).state == "cumplida"
    assert state(comm, "lanzamiento-web", launch_post, D(2018, 5, 31)).state == "cumplida"
    assert state(comm, "web-publicaciones", launch_post, D(2018, 6, 29)).state == "en_curso"
    assert state(comm, "web-publicaciones", launch_post, D(2018, 6, 30)).state == "incumplida"


def test_totals_are_expected_pro_rata_and_quantities_count(comm: Communication) -> None:
    # "2 publicaciones" (URBE): expected so far = 2 × elapsed days / 212, rounded down.
    urbe = [Activity(D(2018, 5, 5), "urbe", ("urbe-publicaciones",))]
    jan, apr, may, jul, aug = (
        state(comm, "urbe-publicaciones", urbe, d)
        for d in (D(2018, 1, 31), D(2018, 4, 30), D(2018, 5, 31), D(2018, 7, 31), D(2018, 8, 1))
    )
    assert (jan.expected_so_far, jan.state) == (0, "en_curso")  # 2×31//212 = 0
    assert (apr.expected_so_far, apr.done, apr.state) == (1, 0, "atrasada")  # 2×120//212
    assert (may.expected_so_far, may.done, may.state) == (1, 1, "en_curso")
    assert (jul.expected_so_far, jul.state) == (2, "incumplida")  # the window's last day
    assert aug.state == "incumplida"
    # "200 T-shirt": one delivery of 200 meets it at once.
    shirts = [Activity(D(2018, 3, 1), "materiales", ("promo-tshirts",), 200)]
    assert state(comm, "promo-tshirts", shirts, D(2018, 2, 28)).state == "atrasada"
    assert state(comm, "promo-tshirts", shirts, D(2018, 3, 1)).state == "cumplida"
    # "Al menos tres presentaciones": 3×90//212 = 1 expected by March 31.
    events = state(comm, "eventos-presentaciones", [], D(2018, 3, 31))
    assert (events.expected_so_far, events.state) == (1, "atrasada")


def test_before_the_window_everything_is_upcoming(comm: Communication) -> None:
    from tracker.comms.check import check_all

    states = check_all(comm.targets, comm.period, [], D(2017, 12, 15))
    assert {s.state for s in states} == {"proxima"}
    assert summary(states)["proxima"] == len(states) == 24  # 22 targets, 3 networks
