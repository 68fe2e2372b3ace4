"""``tracker demo``: the terminal UI on a demonstration database of its own.

The demo database (by default ``demo.db`` beside the per-user database, never the team's) is
built from the bundled plan the first time, with a simulated history up to mid-April 2018,
and kept afterwards with whatever the user changed in it; ``--reset`` builds it afresh. The
command says which database it opens before opening it. Textual is imported only when the UI
opens.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from typing import Any

from tracker.cli.common import db_options
from tracker.i18n import _


def register(nouns: Any) -> None:
    demo = nouns.add_parser(
        "demo",
        parents=[db_options(plan_id=False)],
        help=_(
            "open the terminal interface on a demonstration database: the bundled plan with "
            "a fictitious history up to mid-April 2018 (kept between runs; --reset rebuilds it)"
        ),
    )
    demo.add_argument(
        "--reset",
        action="store_true",
        help=_("delete the previous demo database and its changes, and build it afresh"),
    )
    for action in demo._actions:  # a fresh parent parser: its --db is ours to reword
        if action.dest == "db":
            action.help = _(
                "database URL or SQLite file for the demo (default: demo.db beside the "
                "per-user database; never $TRACKER_DB)"
            )
    demo.set_defaults(run=cmd_demo)


def demo_url(db: str | None) -> str:
    """``--db`` if given (TRACKER_DB is the team's database: never the demo's), else the
    demo's own SQLite file."""
    from tracker.demo.generate import default_demo_path
    from tracker.store.engine import resolve_url

    return resolve_url(db) if db else f"sqlite:///{default_demo_path()}"


def prepare(url: str) -> str:
    """Build the demo database at ``url``; the notice the UI shows."""
    from tracker.cli.plan import default_plan_path
    from tracker.demo.generate import create_demo_database
    from tracker.plan.load import load_plan
    from tracker.store.engine import masked

    plan = load_plan(default_plan_path())
    summary, replaced = create_demo_database(url, plan)
    notice = _(
        "Demonstration data in {url}: plan {key} with a fictitious history up to {date} "
        "({changes} recorded changes by {authors})."
    ).format(
        url=masked(url),
        key=summary.plan_key,
        date=summary.as_of,
        changes=summary.changes,
        authors=", ".join(summary.authors),
    )
    if replaced:
        notice += " " + _(
            "The previous demo database was deleted and rebuilt: it holds only demo data."
        )
    return notice


def prepare_or_keep(url: str, reset: bool, say: Callable[[str], None]) -> str:
    """Keep the demo database at ``url`` if there is one (unless ``reset``), else build it;
    ``say`` what is about to happen before it happens. The notice the UI shows."""
    from tracker.demo.generate import database_state
    from tracker.store.engine import masked

    state = database_state(url)
    if state == "demo" and not reset:
        say(
            _(
                "Opening the demonstration database of last time, with your changes: {url} "
                "(tracker demo --reset builds it afresh)"
            ).format(url=masked(url))
        )
        _upgrade(url)  # kept from an older version of the tracker: its schema moves on
        return _("Demonstration data in {url}, as you left it.").format(url=masked(url))
    if state == "demo":
        say(
            _(
                "Deleting the previous demonstration database {url} and its changes "
                "(--reset), and building it afresh…"
            ).format(url=masked(url))
        )
    elif state == "empty":
        say(_("Building the demonstration database in {url}…").format(url=masked(url)))
    return prepare(url)  # "other": refused, with nothing touched


def _upgrade(url: str) -> None:
    from tracker.store.engine import make_engine, upgrade

    engine = make_engine(url)
    try:
        upgrade(engine)
    finally:
        engine.dispose()


def cmd_demo(args: argparse.Namespace) -> int:
    from tracker.demo.generate import AS_OF

    url = demo_url(args.db)
    notice = prepare_or_keep(url, args.reset, lambda line: print(line, file=sys.stderr))
    from tui.app import TrackerApp

    TrackerApp(url, as_of=AS_OF, demo=True, notice=notice).run()
    return 0
