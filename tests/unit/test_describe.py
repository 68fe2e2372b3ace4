"""Recorded changes in words (tracker.tracking.describe), in both languages."""

from __future__ import annotations

from tracker.i18n import set_language
from tracker.tracking.describe import describe_change, describe_undo

BEFORE = {
    "status": "completada",
    "percent": 100,
    "actual_start": "2018-02-01",
    "actual_finish": "2018-02-28",
    "reason": "",
}
AFTER = {**BEFORE, "status": "en_curso", "percent": 60, "actual_finish": None}


def test_a_status_change_in_spanish_words() -> None:
    set_language("es")
    assert (
        describe_change("item", "status", BEFORE, AFTER)
        == "completada → en curso · 100 % → 60 % · fin real 28/02 eliminado"
    )


def test_the_same_in_english_and_an_undo_names_what_came_back() -> None:
    assert (
        describe_change("item", "status", BEFORE, AFTER)
        == "done → in progress · 100 % → 60 % · actual finish 28/02 removed"
    )
    assert describe_undo("item", "3.5.1", AFTER, BEFORE) == (
        "3.5.1 is back: in progress → done · 60 % → 100 % · actual finish 28/02"
    )


def test_a_communication_entry_by_its_title_channel_and_day() -> None:
    entry = {"day": "2018-04-02", "channel": "facebook", "title": "Taller", "deleted": False}
    assert describe_change("comms", "add", {}, entry) == "entry «Taller» (facebook, 02/04) added"
    assert describe_undo("comms", "39", entry, {**entry, "deleted": True}) == (
        "entry 39 removed again"
    )
    set_language("es")
    assert describe_change("comms", "delete", entry, {**entry, "deleted": True}) == (
        "registro «Taller» (facebook, 02/04) eliminado"
    )


def test_a_deliverable_change_leaves_out_the_status_day() -> None:
    before = {"status": "borrador", "evidence": "", "status_date": "2018-01-16"}
    after = {"status": "en_revision", "evidence": "x.pdf", "status_date": "2018-01-22"}
    assert describe_change("deliverable", "status", before, after) == (
        "draft → under review · evidence «x.pdf»"
    )
