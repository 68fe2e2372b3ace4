"""``tracker import csv FILE``: bulk status update from a spreadsheet, all rows or none."""

from __future__ import annotations

import argparse
import sys
from datetime import date
from typing import Any

from tracker.cli.common import db_options
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
    date_format_option(csv)
    csv.set_defaults(run=cmd_csv)
    from tracker.cli.importplan import register_verbs  # schedules of other tools as plans

    register_verbs(verbs)


def date_format_option(parser: Any) -> None:
    """``--date-format``, for the CSV imports (see tracker.tracking.csvdates)."""
    from tracker.tracking.csvdates import date_format_arg

    parser.add_argument(
        "--date-format",
        type=date_format_arg,
        metavar="ISO|DD/MM/YYYY|MM/DD/YYYY",
        help=_(
            "how the file writes dates such as 03/04/2018, when none of its dates settles it "
            "(YYYY-MM-DD is always read)"
        ),
    )


def cmd_csv(args: argparse.Namespace) -> int:
    from tracker.store.author import current_author
    from tracker.tracking.csvread import read_table
    from tracker.tracking.statusimport import import_status_file

    table = read_table(args.file)
    from tracker.cli.common import store

    result = import_status_file(
        store(args).sessions(),
        args.plan_id,
        table,
        author=current_author(),
        today=date.today(),
        date_format=args.date_format,
    )
    if table.encoding_notice:
        print(table.encoding_notice)
    for warning in result.warnings:
        print(_("warning: {message}").format(message=warning), file=sys.stderr)
    print(
        _("{changed} items changed from {path} ({unchanged} rows without changes)").format(
            changed=len(result.changed), path=args.file, unchanged=len(result.unchanged)
        )
    )
    return 0
