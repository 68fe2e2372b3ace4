"""The communication log in the database, on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from tracker.comms.check import check_all
from tracker.errors import InputError, RowErrors
from tracker.plan.load import load_plan
from tracker.store.models import ChangeRow
from tracker.store.planstore import find_plan, stored_plan
from tracker.store.session import transaction
from tracker.tracking.commlog import (
    ActivityInput,
    activities_for_check,
    add_activity,
    delete_activity,
    edit_activity,
    import_activities,
    list_activities,
    parse_csv,
)

from ..conftest import PLAN
from .helpers import change_count, fresh_db


@pytest.fixture()
def sessions(db_url: str):  # type: ignore[no-untyped-def]
    return fresh_db(db_url, load_plan(str(PLAN)))


def do(sessions, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    def work(session):  # type: ignore[no-untyped-def]
        row = find_plan(session)
        return fn(session, row, stored_plan(session, row), *args, **kwargs)

    return transaction(sessions, work)


def test_add_edit_delete_are_recorded_and_counted(sessions) -> None:  # type: ignore[no-untyped-def]
    post = do(
        sessions,
        add_activity,
        ActivityInput(
            date(2018, 1, 10),
            "facebook",
            ["redes-posts"],
            "Convocatoria al taller de movilidad",
            link="https://facebook.com/p/1",
        ),
        "ana",
    )
    launch = do(
        sessions,
        add_activity,
        ActivityInput(
            date(2018, 5, 10),
            "web",
            ["web-publicaciones", "lanzamiento-web"],
            "Anuncio del lanzamiento",
        ),
        "luis",
    )
    do(
        sessions,
        edit_activity,
        post.id,
        {"day": date(2018, 1, 11), "channel": "twitter"},
        "ana",
        "era en Twitter",
    )
    transaction(
        sessions, lambda s: delete_activity(s, find_plan(s), launch.id, "luis", "duplicado")
    )
    rows = transaction(sessions, lambda s: list_activities(s, find_plan(s)))
    assert [(r.day, r.channel) for r in rows] == [(date(2018, 1, 11), "twitter")]
    changes = transaction(
        sessions,
        lambda s: s.scalars(
            select(ChangeRow).where(ChangeRow.entity == "comms").order_by(ChangeRow.id)
        ).all(),
    )
    assert [(c.author, c.action) for c in changes] == [
        ("ana", "add"),
        ("luis", "add"),
        ("ana", "edit"),
        ("luis", "delete"),
    ]
    assert changes[2].before["channel"] == "facebook" and changes[2].after["channel"] == "twitter"
    assert (
        changes[3].note == "duplicado" and changes[3].before["title"] == "Anuncio del lanzamiento"
    )
    acts = transaction(sessions, lambda s: activities_for_check(s, find_plan(s)))
    plan = load_plan(str(PLAN))
    assert plan.communication is not None
    states = {
        (s.target, s.channel): s
        for s in check_all(
            plan.communication.targets, plan.communication.period, acts, date(2018, 1, 31)
        )
    }
    assert states[("redes-posts", "twitter")].done == 1
    assert states[("redes-posts", "facebook")].done == 0


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (
            ActivityInput(date(2018, 1, 10), "tiktok", ["redes-posts"], "x"),
            "unknown channel tiktok",
        ),
        (ActivityInput(date(2018, 1, 10), "web", ["memes"], "x"), "unknown target memes"),
        (ActivityInput(date(2018, 1, 10), "web", ["redes-posts"], "x"), "does not count toward"),
        (ActivityInput(date(2018, 9, 1), "web", ["web-publicaciones"], "x"), "outside the plan"),
        (
            ActivityInput(date(2018, 2, 1), "materiales", ["promo-tshirts"], "x", quantity=0),
            "at least 1",
        ),
        (ActivityInput(date(2018, 2, 1), "web", ["web-publicaciones"], "  "), "title"),
    ],
)
def test_bad_activities_write_nothing(sessions, data: ActivityInput, message: str) -> None:  # type: ignore[no-untyped-def]
    before = change_count(sessions)
    with pytest.raises(InputError, match=message):
        do(sessions, add_activity, data, "ana")
    assert change_count(sessions) == before


def test_csv_import_is_all_or_nothing_with_line_numbers(sessions, tmp_path: Path) -> None:  # type: ignore[no-untyped-def]
    good = (
        "fecha;canal;meta;titulo;cantidad;enlace\n"
        "2018-01-05;facebook;redes-posts;Post 1;;\n"
        "2018-01-06;web;web-publicaciones|lanzamiento-web;Nota web;1;http://x\n"
        "\n"
        "2018-03-01;materiales;promo-tshirts;Camisetas;200;\n"
    )
    plan = load_plan(str(PLAN))
    rows = parse_csv(plan, "bitacora.csv", good)
    assert [(r.day, r.targets, r.quantity) for r in rows] == [
        (date(2018, 1, 5), ["redes-posts"], 1),
        (date(2018, 1, 6), ["web-publicaciones", "lanzamiento-web"], 1),
        (date(2018, 3, 1), ["promo-tshirts"], 200),
    ]
    bad = (
        "date,channel,target,title,qty\n"
        "2018-01-05,facebook,redes-posts,Post,1\n"
        "2018-02-30,facebook,redes-posts,Post,1\n"
        "2018-01-07,fax,redes-posts,Post,1\n"
        "2018-01-08,web,web-publicaciones,Post,cero\n"
    )
    with pytest.raises(RowErrors) as caught:
        parse_csv(plan, "bitacora.csv", bad)
    assert [e.split(": ", 2)[:2] for e in caught.value.errors] == [
        ["bitacora.csv:3", "date"],
        ["bitacora.csv:4", "channel"],
        ["bitacora.csv:5", "qty"],
    ]
    before = change_count(sessions)
    count = do(sessions, import_activities, rows, "ana")
    assert count == 3 and change_count(sessions) == before + 3
    with pytest.raises(RowErrors, match="header"):
        parse_csv(plan, "x.csv", "when,where\n2018-01-01,web\n")


def test_undo_covers_the_log(sessions) -> None:  # type: ignore[no-untyped-def]
    from tracker.tracking.status import undo_last

    post = do(
        sessions,
        add_activity,
        ActivityInput(date(2018, 1, 10), "facebook", ["redes-posts"], "Post"),
        "ana",
    )
    do(sessions, edit_activity, post.id, {"title": "Post corregido"}, "ana")
    undone, _undo = transaction(sessions, lambda s: undo_last(s, find_plan(s), "ana"))
    assert undone.action == "edit"
    titles = transaction(sessions, lambda s: [r.title for r in list_activities(s, find_plan(s))])
    assert titles == ["Post"]
    undone, _undo = transaction(sessions, lambda s: undo_last(s, find_plan(s), "ana"))
    assert undone.action == "add"
    assert transaction(sessions, lambda s: list_activities(s, find_plan(s))) == []
    with pytest.raises(InputError, match="no communication activity"):
        transaction(sessions, lambda s: delete_activity(s, find_plan(s), post.id, "luis"))
    with pytest.raises(InputError, match="no change to undo"):
        transaction(sessions, lambda s: undo_last(s, find_plan(s), "ana"))
