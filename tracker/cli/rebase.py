"""``tracker plan rebase --start D``: move a database plan's whole baseline to a new start."""

from __future__ import annotations

import argparse
from typing import Any

from tracker.cli.common import db_options, parse_date
from tracker.i18n import _


def register_plan_verb(verbs: Any) -> None:
    """Add ``rebase`` to the ``tracker plan`` verbs."""
    rebase = verbs.add_parser(
        "rebase",
        parents=[db_options()],
        help=_(
            "move the whole baseline of the database's plan to a new start (reusing the plan "
            "as a template); refused once work is recorded"
        ),
    )
    rebase.add_argument(
        "--start",
        required=True,
        type=parse_date,
        metavar="YYYY-MM-DD",
        help=_("the new start: the earliest planned start moves to this working day or the next"),
    )
    rebase.add_argument("--note", default="", help=_("why (kept in the history)"))
    rebase.set_defaults(run=cmd_rebase)


def cmd_rebase(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.store.author import current_author
    from tracker.tracking.actions import rebase

    moved, key, start, end = rebase(store(args), args.start, current_author(), args.note)
    if not moved:
        print(_("plan {key} already starts then; nothing to change").format(key=key))
        return 0
    print(
        _("baseline of plan {key} moved: {n} items; plan period now {start} – {end}").format(
            key=key, n=moved, start=start, end=end
        )
    )
    return 0
