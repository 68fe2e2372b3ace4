"""``tracker comms ...``: the communication log and the check of its targets."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from tracker.cli.common import as_of, db_options, parse_date, parse_month, parse_quarter_arg
from tracker.cli.importcsv import date_format_option
from tracker.i18n import _
from tracker.labels import target_state_label


def quantity(value: str) -> int:
    try:
        return int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("expected a whole number, found {found}").format(found=repr(value))
        ) from None


def register(nouns: Any) -> None:
    comms = nouns.add_parser("comms", help=_("communication log and targets"))
    verbs = comms.add_subparsers(dest="verb", metavar=_("ACTION"), required=True)
    write, read = db_options(), db_options(as_of=True)

    add = verbs.add_parser("add", parents=[write], help=_("log a communication activity"))
    add.add_argument("--date", type=parse_date, required=True, help=_("when (YYYY-MM-DD)"))
    add.add_argument("--channel", required=True, help=_("channel id (facebook, web, radio ...)"))
    add.add_argument(
        "--target",
        action="append",
        required=True,
        metavar="TARGET",
        help=_("target it counts toward (repeat for several)"),
    )
    add.add_argument("--title", required=True, help=_("what was published or done"))
    add.add_argument("--qty", type=quantity, default=1, help=_("how many (default 1)"))
    add.add_argument("--link", default="", help=_("link or evidence path"))
    add.add_argument("--note", default="", help=_("a note"))
    add.set_defaults(run=cmd_add)

    lst = verbs.add_parser("list", parents=[write], help=_("logged activities"))
    lst.add_argument("--month", type=parse_month, help=_("only this month (YYYY-MM)"))
    lst.add_argument("--json", action="store_true", help=_("machine-readable output"))
    lst.set_defaults(run=cmd_list)

    edit = verbs.add_parser("edit", parents=[write], help=_("correct a logged activity"))
    edit.add_argument("id", type=int, help=_("activity number (see comms list)"))
    edit.add_argument("--date", type=parse_date)
    edit.add_argument("--channel")
    edit.add_argument("--target", action="append", metavar="TARGET")
    edit.add_argument("--title")
    edit.add_argument("--qty", type=quantity)
    edit.add_argument("--link")
    edit.add_argument("--note", help=_("replaces the activity's note"))
    edit.set_defaults(run=cmd_edit)

    delete = verbs.add_parser("delete", parents=[write], help=_("delete a logged activity"))
    delete.add_argument("id", type=int, help=_("activity number (see comms list)"))
    delete.add_argument("--note", default="", help=_("why, for the history"))
    delete.set_defaults(run=cmd_delete)

    imp = verbs.add_parser(
        "import", parents=[write], help=_("import activities from a CSV file (all rows or none)")
    )
    imp.add_argument(
        "file", help=_("CSV with columns date, channel, target, title, qty, link, note")
    )
    imp.add_argument(
        "--allow-duplicates",
        action="store_true",
        help=_("add rows even when the log already has the same date, channel, targets and title"),
    )
    date_format_option(imp)
    imp.set_defaults(run=cmd_import)

    check = verbs.add_parser(
        "check",
        parents=[read],
        help=_("the state of every target in the period containing the date"),
    )
    check.add_argument("--month", type=parse_month, help=_("as of the end of this month"))
    check.add_argument("--json", action="store_true", help=_("machine-readable output"))
    check.set_defaults(run=cmd_check)

    quarter = verbs.add_parser(
        "quarter", parents=[read], help=_("the quarter's view for the Mesa Técnica")
    )
    quarter.add_argument(
        "--quarter",
        type=parse_quarter_arg,
        metavar="YYYYQn",
        help=_("which quarter (default: the one containing the date)"),
    )
    quarter.add_argument("--json", action="store_true", help=_("machine-readable output"))
    quarter.set_defaults(run=cmd_quarter)


def cmd_add(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.store.author import current_author
    from tracker.tracking.actions import add_activity
    from tracker.tracking.commlog import ActivityInput

    data = ActivityInput(
        args.date, args.channel, args.target, args.title, args.qty, args.link, args.note
    )
    activity_id = add_activity(store(args), data, current_author())
    print(
        _("logged activity {id}: {date} {channel} → {targets}").format(
            id=activity_id, date=args.date, channel=args.channel, targets=", ".join(args.target)
        )
    )
    return 0


def cmd_list(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.cli.fmt import print_json, table

    state = store(args).state(args.month[1] if args.month else as_of(args))
    rows = state.activities_between(*args.month) if args.month else state.activities
    if args.json:
        print_json(rows)
        return 0
    table(
        [_("#"), _("DATE"), _("CHANNEL"), _("TARGETS"), _("QTY"), _("WHO"), _("TITLE")],
        [
            [
                str(r["id"]),
                r["day"],
                r["channel"],
                ", ".join(r["targets"]),
                str(r["quantity"]),
                r["author"],
                r["title"],
            ]
            for r in rows
        ],
    )
    return 0


def cmd_edit(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.store.author import current_author
    from tracker.tracking.actions import edit_activity

    changes = {
        "day": args.date,
        "channel": args.channel,
        "targets": args.target,
        "title": args.title,
        "quantity": args.qty,
        "link": args.link,
        "note": args.note,
    }

    activity_id = edit_activity(store(args), args.id, changes, current_author())
    print(_("activity {id} updated").format(id=activity_id))
    return 0


def cmd_delete(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.store.author import current_author
    from tracker.tracking.actions import delete_activity

    delete_activity(store(args), args.id, current_author(), args.note)
    print(_("activity {id} deleted (kept in the history)").format(id=args.id))
    return 0


def cmd_import(args: argparse.Namespace) -> int:
    from tracker.store.author import current_author
    from tracker.tracking.commlog import import_activities_file
    from tracker.tracking.csvread import read_table

    table = read_table(args.file)
    from tracker.cli.common import store

    result = import_activities_file(
        store(args).sessions(),
        args.plan_id,
        table,
        author=current_author(),
        date_format=args.date_format,
        allow_duplicates=args.allow_duplicates,
    )
    if table.encoding_notice:
        print(table.encoding_notice)
    print(_("imported {n} activities from {path}").format(n=result.added, path=args.file))
    if result.duplicates:
        lines = ", ".join(str(n) for n in result.duplicates[:10])
        if len(result.duplicates) > 10:
            lines += " …"
        print(
            _(
                "{n} rows already in the log were not added again (lines {lines}); "
                "--allow-duplicates adds them"
            ).format(n=len(result.duplicates), lines=lines)
        )
    return 0


def _check_date(args: argparse.Namespace) -> date:
    return args.month[1] if getattr(args, "month", None) else as_of(args)


def _states(args: argparse.Namespace, quarter: tuple[date, date] | None = None) -> Any:
    from tracker.cli.common import as_known, store
    from tracker.comms.check import quarter_view
    from tracker.errors import InputError
    from tracker.plan.model import Period
    from tracker.state.plan_state import check_activities

    when = _check_date(args)
    if quarter is not None:
        when = min(when, quarter[1])  # a quarter that has ended is judged at its end
    state = store(args).state(when, as_known(args), with_details=False)
    comm = state.plan.communication
    if comm is None:
        raise InputError(_("plan {key} has no communication plan").format(key=state.plan_key))
    if quarter is None:
        return state.comms, when
    acts = check_activities(state.activities)
    return quarter_view(comm.targets, comm.period, acts, Period(*quarter), when), when


def _print_states(states: Any, title: str) -> None:
    from tracker.cli.fmt import table
    from tracker.comms.check import summary

    print(title)
    table(
        [
            _("TARGET"),
            _("CHANNEL"),
            _("PERIOD"),
            _("EXPECTED"),
            _("DONE"),
            _("STATE"),
            _("SO FAR"),
            _("ACTION"),
        ],
        [
            [
                s.target,
                s.channel or "-",
                f"{s.period_start} – {s.period_end}",
                str(s.expected),
                str(s.done),
                target_state_label(s.state),
                f"{s.done_so_far}/{s.expected_so_far}",
                s.action,
            ]
            for s in states
        ],
    )
    counts = summary(states)
    print(
        _(
            "{met} met, {on} on course, {behind} behind, {missed} missed, {upcoming} upcoming"
        ).format(
            met=counts["cumplida"],
            on=counts["en_curso"],
            behind=counts["atrasada"],
            missed=counts["incumplida"],
            upcoming=counts["proxima"],
        )
    )


def _json(states: Any) -> list[dict[str, Any]]:
    return [
        {
            "target": s.target,
            "action": s.action,
            "text": s.text,
            "channel": s.channel or None,
            "period_start": s.period_start,
            "period_end": s.period_end,
            "expected": s.expected,
            "done": s.done,
            "state": s.state,
            "expected_so_far": s.expected_so_far,
            "done_so_far": s.done_so_far,
        }
        for s in states
    ]


def cmd_check(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import print_json

    states, when = _states(args)
    if args.json:
        print_json(_json(states))
        return 0
    _print_states(states, _("Communication targets as of {date}").format(date=when))
    return 0


def cmd_quarter(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import print_json
    from tracker.plan.quarters import parse_quarter

    when = as_of(args)
    quarter = args.quarter or parse_quarter(f"{when.year}Q{(when.month - 1) // 3 + 1}")
    assert quarter is not None
    states, _when = _states(args, quarter)
    if args.json:
        print_json(_json(states))
        return 0
    name = f"{quarter[0].year}Q{(quarter[0].month - 1) // 3 + 1}"
    judged = min(when, quarter[1])
    _print_states(
        states,
        _("Communication plan, quarter {q} ({start} – {end}), as of {date}").format(
            q=name, start=quarter[0], end=quarter[1], date=judged
        ),
    )
    return 0
