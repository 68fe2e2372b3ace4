"""``tracker init``, ``tracker db upgrade``: create and migrate the team database."""

from __future__ import annotations

import argparse
from typing import Any

from tracker.cli.common import db_options, force_option
from tracker.i18n import _


def register(nouns: Any) -> None:
    init = nouns.add_parser(
        "init",
        parents=[db_options(plan_id=False)],
        help=_("load a plan into the database (idempotent)"),
    )
    init.add_argument("--plan", metavar="PATH", help=_("plan file (default: the bundled plan)"))
    init.set_defaults(run=cmd_init)

    sync = nouns.add_parser(
        "sync",
        parents=[db_options(plan_id=False)],
        help=_("apply a revised plan file: show the changes, then apply them"),
    )
    sync.add_argument("--plan", metavar="PATH", help=_("plan file (default: the bundled plan)"))
    sync.add_argument("--dry-run", action="store_true", help=_("only show what would change"))
    sync.set_defaults(run=cmd_sync)

    rebase = nouns.add_parser(
        "rebaseline",
        parents=[db_options(as_of=True)],
        help=_("freeze the current forecast as the new baseline"),
    )
    rebase.add_argument("--note", required=True, help=_("why the baseline changes"))
    rebase.set_defaults(run=cmd_rebaseline)

    db = nouns.add_parser("db", help=_("database maintenance"))
    verbs = db.add_subparsers(dest="verb", metavar=_("ACTION"), required=True)
    upgrade = verbs.add_parser(
        "upgrade",
        parents=[db_options(plan_id=False)],
        help=_("bring the database schema up to this program's version"),
    )
    upgrade.set_defaults(run=cmd_upgrade)

    backup = verbs.add_parser(
        "backup",
        parents=[db_options(plan_id=False)],
        help=_("copy the embedded database, consistently, while in use"),
    )
    backup.add_argument(
        "file", nargs="?", help=_("where to write it (default: a dated file in exports/)")
    )
    force_option(backup)
    backup.set_defaults(run=cmd_backup)

    check = verbs.add_parser(
        "check",
        parents=[db_options(plan_id=False)],
        help=_("list stored values that a write would refuse today (exit 1 if any)"),
    )
    check.add_argument("--json", action="store_true", help=_("machine-readable output"))
    check.set_defaults(run=cmd_check)

    restore = verbs.add_parser(
        "restore",
        parents=[db_options(plan_id=False)],
        help=_("replace the database with a backup (after asking)"),
    )
    restore.add_argument("file", help=_("the backup file"))
    restore.add_argument("--yes", action="store_true", help=_("do not ask for confirmation"))
    restore.set_defaults(run=cmd_restore)


def cmd_init(args: argparse.Namespace) -> int:
    from sqlalchemy.orm import sessionmaker

    from tracker.cli.plan import default_plan_path
    from tracker.plan.load import load_plan
    from tracker.store.author import current_author
    from tracker.store.engine import (
        check_schema,
        make_engine,
        masked,
        resolve_url,
        schema_revision,
        setup_lock,
        upgrade,
    )
    from tracker.store.planstore import init_plan
    from tracker.store.session import transaction

    plan = load_plan(args.plan or default_plan_path())  # validate before touching the database
    url = resolve_url(args.db)
    engine = make_engine(url)
    author = current_author()
    # One `init` at a time creates the schema and loads the plan; another one started at the
    # same moment waits here and then finds the plan loaded.
    with setup_lock(engine):
        if schema_revision(engine) is None:
            before, _after = upgrade(engine)
            if before is None:
                print(_("created database {url}").format(url=masked(url)))
        check_schema(engine, url)
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
    from tracker.store.engine import make_engine, masked, resolve_url, upgrade

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


def cmd_sync(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.cli.fmt import one_line
    from tracker.cli.plan import default_plan_path
    from tracker.plan.load import load_plan
    from tracker.store.author import current_author
    from tracker.tracking.actions import sync

    plan = load_plan(args.plan or default_plan_path())
    report = sync(store(args), plan, current_author(), dry_run=args.dry_run)
    if report.empty:
        print(_("plan {key} is up to date; nothing to change").format(key=report.plan_key))
        return 0
    marks = {"added": "+", "removed": "-", "changed": "~", "restored": "+"}
    for change in report.changes:
        label = {
            "added": _("added"),
            "removed": _("removed (archived with its history)"),
            "changed": _("changed"),
            "restored": _("restored from the archive"),
        }[change.kind]
        if "merged_into" in change.fields:
            label = _("merged into {key} (archived with its status and history)").format(
                key=change.fields["merged_into"][1]
            )
        print(f"{marks[change.kind]} {change.key}: {label}")
        if change.kind in ("changed", "restored"):
            for name, (old, new) in change.fields.items():
                print(f"    {name}: {one_line(str(old))[:70]} → {one_line(str(new))[:70]}")
    for merge in report.merges:
        old, new = merge.status
        print(
            _("= {key}: merges {copies}; status {old} → {new} (recorded last on {source})").format(
                key=merge.key, copies=", ".join(merge.merged), old=old, new=new, source=merge.source
            )
        )
    if report.document_changed:
        print(_("~ texts of the plan (areas, stages, communication) changed"))
    if args.dry_run:
        print(_("dry run: nothing was changed"))
    else:
        print(
            _("{n} changes applied to plan {key}").format(
                n=len(report.changes), key=report.plan_key
            )
        )
    return 0


def cmd_rebaseline(args: argparse.Namespace) -> int:
    from tracker.cli.common import as_of, store
    from tracker.store.author import current_author
    from tracker.tracking.actions import rebaseline

    moved = rebaseline(store(args), current_author(), as_of(args), args.note)
    print(_("new baseline recorded: {n} items moved").format(n=moved))
    return 0


def cmd_backup(args: argparse.Namespace) -> int:
    from datetime import UTC, datetime
    from pathlib import Path

    from tracker.exporters.output import EXPORTS_DIR, claim, free_path, write_atomically
    from tracker.store.backup import copy_database, sqlite_path
    from tracker.store.engine import resolve_url

    url = resolve_url(args.db)
    sqlite_path(url)  # a PostgreSQL URL or a missing file: one line, before anything
    if args.file:
        target = claim(Path(args.file), force=args.force, database=url)
    else:
        # Several backups a day sit side by side: the time is in the name, and a number
        # is added should two start in the same second.
        stamp = datetime.now(UTC).strftime("%Y-%m-%dT%H%M%S")
        target = free_path(EXPORTS_DIR, f"backup-{stamp}", "db")
    written = write_atomically(target, lambda temp: copy_database(url, temp), force=args.force)
    print(_("backup written to {path}").format(path=written))
    return 0


def cmd_check(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.cli.fmt import print_json
    from tracker.state.asof import local_today
    from tracker.tracking.actions import stored_problems

    problems = stored_problems(store(args), local_today())
    if args.json:
        print_json(
            [
                {
                    "plan": p.plan,
                    "entity": p.entity,
                    "id": p.key,
                    "field": p.field,
                    "value": p.value,
                    "message": p.message,
                }
                for p in problems
            ]
        )
    else:
        several = len({p.plan for p in problems}) > 1
        for p in problems:
            print(f"{p.plan}: {p.message}" if several else p.message)
        if problems:
            print(
                _(
                    "{n} stored values would be refused today: correct them with "
                    "`tracker set`, `tracker deliverable set` or `tracker comms edit`"
                ).format(n=len(problems))
            )
        else:
            print(_("no stored value breaks the rules"))
    return 1 if problems else 0


def cmd_restore(args: argparse.Namespace) -> int:
    import sys
    from pathlib import Path

    from tracker.exporters.output import refuse_database
    from tracker.store.backup import check_backup, restore, sqlite_path
    from tracker.store.engine import resolve_url

    url = resolve_url(args.db)
    source = Path(args.file)
    refuse_database(source, url)  # restoring a database from itself would only churn it
    revision = check_backup(source)
    target = sqlite_path(url)
    if not args.yes:
        prompt = _(
            "Replace {target} with the backup {source} (schema {rev})? The current "
            "database is copied aside first. [y/N] "
        ).format(target=target, source=source, rev=revision)
        try:
            answer = input(prompt) if sys.stdin.isatty() else ""
        except EOFError:
            answer = ""
        if answer.strip().lower() not in ("y", "yes", "s", "si", "sí"):
            print(_("nothing was changed (confirm with y, or pass --yes)"), file=sys.stderr)
            return 2
    safety, revision = restore(url, source)
    print(
        _("restored {source} into {target}; the previous database is in {safety}").format(
            source=source, target=target, safety=safety
        )
    )
    return 0
