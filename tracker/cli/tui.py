"""``tracker`` / ``tracker tui``: open the terminal UI (Textual is imported only here)."""

from __future__ import annotations

import argparse
from typing import Any

from tracker.cli.common import db_options
from tracker.i18n import _


def register(nouns: Any) -> None:
    tui = nouns.add_parser(
        "tui",
        parents=[db_options(as_of=True)],
        help=_("open the terminal interface (the default command)"),
    )
    tui.set_defaults(run=cmd_tui)


def ensure_database(url: str) -> str:
    """Create the database and load the bundled plan when there is none yet; say what was
    done (empty string when nothing was)."""
    from tracker.store.location import NotSetUpError
    from tracker.store.queries import PLAN_COUNT
    from tracker.store.store import Store

    try:
        # The usual case, a database with its plans, is answered by a read (no SQLAlchemy:
        # the app opens a quarter of a second sooner); a database to create, load or
        # refuse goes on below (a server that does not answer is said at once).
        if Store(url).read(lambda r: r.rows(PLAN_COUNT)[0][0]):
            return ""
    except NotSetUpError:
        pass
    return _set_up(url)


def _set_up(url: str) -> str:
    from sqlalchemy.orm import sessionmaker

    from tracker.cli.plan import default_plan_path
    from tracker.plan.load import load_plan
    from tracker.store.author import current_author
    from tracker.store.engine import (
        check_schema,
        make_engine,
        masked,
        schema_revision,
        setup_lock,
        upgrade,
    )
    from tracker.store.planstore import init_plan, plan_keys
    from tracker.store.session import transaction

    engine = make_engine(url)
    notice = ""
    with setup_lock(engine):  # as `tracker init` does: one creator at a time
        if schema_revision(engine) is None:
            upgrade(engine)
            notice = _("Created the database {url}.").format(url=masked(url))
        check_schema(engine, url)
        sessions = sessionmaker(engine, expire_on_commit=False)
        if not transaction(sessions, plan_keys):
            plan = load_plan(default_plan_path())
            transaction(sessions, lambda s: init_plan(s, plan, current_author()))
            notice += " " + _("Loaded the bundled plan {key} ({n} items).").format(
                key=plan.meta.id, n=len(plan.items)
            )
    engine.dispose()
    return notice.strip()


def cmd_tui(args: argparse.Namespace, *, demo: bool = False) -> int:
    from tracker.store.location import resolve_url

    url = resolve_url(getattr(args, "db", None))
    notice = ensure_database(url)
    from tui.app import TrackerApp

    TrackerApp(
        url,
        plan_id=getattr(args, "plan_id", None),
        as_of=getattr(args, "as_of", None),
        demo=demo,
        notice=notice,
    ).run()
    return 0
