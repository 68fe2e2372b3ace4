"""``tracker import csv FILE``: bulk status update from a spreadsheet, all rows or none."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from tracker.cli.common import db_options, read_text_file, sessions
from tracker.i18n import _


def register(nouns: Any) -> None:
    parser = nouns.add_parser(
        "import", help=_("import changes from a spreadsheet, or another tool's schedule as a plan")
    )
    verbs = parser.add_subparsers(dest="verb", metavar=_("FORMAT"), required=True)
    csv = verbs.add_parser(
        "csv",
        parents=[db_options()],
        help=_("change the status of many items from a CSV file (all rows or none)"),
    )
    csv.add_argument(
        "file",
        help=_(
            "CSV with columns id, status, percent, date, note (or id, estado, porcentaje, "
            "fecha, nota)"
        ),
    )
    csv.set_defaults(run=cmd_csv)
    from tracker.cli.importplan import register_verbs  # schedules of other tools as plans

    register_verbs(verbs)


def cmd_csv(args: argparse.Namespace) -> int:
    from tracker.store.history import current_author
    from tracker.store.planstore import find_plan
    from tracker.store.session import transaction
    from tracker.tracking.statusimport import ImportResult, import_status_csv

    text = read_text_file(args.file)
    author = current_author()
    today = date.today()

    def work(session: Any) -> ImportResult:
        plan_row = find_plan(session, args.plan_id)
        return import_status_csv(session, plan_row, args.file, text, author=author, today=today)

    result = transaction(sessions(args), work)
    for warning in result.warnings:
        print(_("warning: {message}").format(message=warning), file=sys.stderr)
    print(
        _("{changed} items changed from {path} ({unchanged} rows without changes)").format(
            changed=len(result.changed), path=args.file, unchanged=len(result.unchanged)
        )
    )
    return 0
