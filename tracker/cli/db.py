"""``tracker init``, ``tracker db upgrade``: create and migrate the team database."""

from __future__ import annotations

import argparse
from typing import Any

from tracker.cli.common import db_options
from tracker.i18n import _


def register(nouns: Any) -> None:
    init = nouns.add_parser(
        "init",
        parents=[db_options(plan_id=False)],
        help=_("load a plan into the database (idempotent)"),
    )
    init.add_argument("--plan", metavar="PATH", help=_("plan file (default: the bundled plan)"))
    init.set_defaults(run=cmd_init)

    db = nouns.add_parser("db", help=_("database maintenance"))
    verbs = db.add_subparsers(dest="verb", metavar=_("ACTION"), required=True)
    upgrade = verbs.add_parser(
        "upgrade",
        parents=[db_options(plan_id=False)],
        help=_("bring the database schema up to this program's version"),
    )
    upgrade.set_defaults(run=cmd_upgrade)


def cmd_init(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import sessionmaker

    from tracker.cli.plan import default_plan_path
    from tracker.db.engine import make_engine, masked, resolve_url, schema_revision, upgrade
    from tracker.db.session import transaction
    from tracker.history import current_author
    from tracker.planload import load_plan
    from tracker.planstore import init_plan

    plan = load_plan(args.plan or default_plan_path())  # validate before touching the database
    url = resolve_url(args.db)
    engine = make_engine(url)
    if schema_revision(engine) is None:
        upgrade(engine)
        print(_("created database {url}").format(url=masked(url)))
    from tracker.db.engine import check_schema

    check_schema(engine, url)
    author = current_author()
    row, created = transaction(
        sessionmaker(engine, expire_on_commit=False), lambda s: init_plan(s, plan, author)
    )
    if created:
        print(
            _("loaded plan {key} ({items} items) into {url}").format(
                key=row.key, items=len(plan.items), url=masked(url)
            )
        )
    else:
        print(_("plan {key} is already loaded and unchanged; nothing to do").format(key=row.key))
    return 0


def cmd_upgrade(args: argparse.Namespace) -> int:
    from tracker.db.engine import make_engine, masked, resolve_url, upgrade

    url = resolve_url(args.db)
    before, after = upgrade(make_engine(url))
    if before == after:
        print(_("database {url} is up to date (schema {rev})").format(url=masked(url), rev=after))
    else:
        print(
            _("database {url} upgraded from {before} to {after}").format(
                url=masked(url), before=before or "-", after=after
            )
        )
    return 0
