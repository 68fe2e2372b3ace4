"""``tracker export ...``: the plan and its state in other tools' formats."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tracker.cli.common import as_of, db_options, force_option, output_target
from tracker.i18n import _


def register(nouns: Any) -> None:
    parser = nouns.add_parser("export", help=_("export to other tools' formats"))
    verbs = parser.add_subparsers(dest="verb", metavar=_("FORMAT"), required=True)
    tjp = verbs.add_parser("tjp", help=_("the plan as a TaskJuggler 3 project"))
    tjp.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    tjp.add_argument("-o", "--output", required=True, help=_("file to write (.tjp)"))
    force_option(tjp)
    tjp.set_defaults(run=cmd_tjp)

    read = db_options(as_of=True)
    xlsx = verbs.add_parser(
        "xlsx",
        parents=[read],
        help=_("the items, a summary and the communication check as an Excel workbook"),
    )
    xlsx.add_argument(
        "-o", "--output", help=_("file to write (default: exports/seguimiento-DATE.xlsx)")
    )
    force_option(xlsx)
    xlsx.set_defaults(run=cmd_xlsx)
    csv = verbs.add_parser("csv", parents=[read], help=_("every item in one CSV file"))
    csv.add_argument(
        "-o", "--output", help=_("file to write (default: exports/seguimiento-DATE.csv)")
    )
    force_option(csv)
    csv.set_defaults(run=cmd_csv)
    ics = verbs.add_parser(
        "ics",
        parents=[read],
        help=_("due dates, workshops and Mesa Técnica sessions as a calendar (.ics)"),
    )
    ics.add_argument(
        "-o", "--output", help=_("file to write (default: exports/calendario-DATE.ics)")
    )
    force_option(ics)
    ics.set_defaults(run=cmd_ics)
    mspdi = verbs.add_parser(
        "mspdi",
        parents=[read],
        help=_("the plan and its state as MS Project XML (MS Project, ProjectLibre)"),
    )
    mspdi.add_argument("-o", "--output", help=_("file to write (default: exports/plan-DATE.xml)"))
    mspdi.add_argument(
        "--plan-file",
        metavar="PATH",
        help=_("write this plan file's own schedule instead of the database's state"),
    )
    force_option(mspdi)
    mspdi.set_defaults(run=cmd_mspdi)


def cmd_tjp(args: argparse.Namespace) -> int:
    from tracker.cli.plan import default_plan_path
    from tracker.exporters.tjp import write_tjp
    from tracker.plan.load import load_plan

    path = output_target(args, ".tjp", _("a TaskJuggler project"))
    assert path is not None  # -o is required
    plan = load_plan(args.path or default_plan_path())
    write_tjp(plan, path, force=args.force)
    print(_("written {path}").format(path=path))
    return 0


def _export_data(args: argparse.Namespace) -> Any:
    from tracker.cli.common import as_known, store
    from tracker.exporters.common import load_export_data

    return load_export_data(store(args), as_of(args), as_known(args))


def _export(args: argparse.Namespace, kind: str, suffix: str, what: str) -> tuple[Any, Path]:
    """The data to export and the file to write it to (checked before the data is read)."""
    from tracker.exporters.output import dated_path

    path = output_target(args, suffix, what)
    data = _export_data(args)
    return data, path or dated_path(kind, suffix, data.as_of)


def cmd_xlsx(args: argparse.Namespace) -> int:
    from tracker.exporters.workbook import write_workbook

    data, path = _export(args, "seguimiento", ".xlsx", _("an Excel workbook"))
    sheets = write_workbook(data, path, force=args.force)
    print(
        _("written {path}: {n} items in {sheets} sheets, as of {date}").format(
            path=path, n=len(data.forecast.items), sheets=len(sheets), date=data.as_of
        )
    )
    return 0


def cmd_csv(args: argparse.Namespace) -> int:
    from tracker.exporters.sheets import write_csv

    data, path = _export(args, "seguimiento", ".csv", _("a CSV export"))
    count = write_csv(data, path, force=args.force)
    print(_("written {path}: {n} items, as of {date}").format(path=path, n=count, date=data.as_of))
    return 0


def cmd_ics(args: argparse.Namespace) -> int:
    from tracker.exporters.ics import write_ics

    data, path = _export(args, "calendario", ".ics", _("a calendar"))
    count = write_ics(data, path, force=args.force)
    print(
        _("written {path}: {n} calendar events, as of {date}").format(
            path=path, n=count, date=data.as_of
        )
    )
    return 0


def cmd_mspdi(args: argparse.Namespace) -> int:
    from tracker.exporters.mspdi.writer import planned, write_mspdi
    from tracker.exporters.output import dated_path

    target = output_target(args, ".xml", _("an MS Project XML file"))

    if args.plan_file:
        from tracker.plan.load import load_plan

        plan = load_plan(args.plan_file)
        day = plan.meta.period.start
        path = target or dated_path("plan", "xml", day)
        written = write_mspdi(plan, planned(plan), None, path, force=args.force)
        print(
            _(
                "written {path}: {tasks} tasks, {resources} organisations, {holidays} holidays"
            ).format(
                path=path,
                tasks=written.tasks,
                resources=written.resources,
                holidays=written.holidays,
            )
        )
        return 0
    from tracker.cli.common import state

    plan_state = state(args)
    path = target or dated_path("plan", "xml", plan_state.as_of)
    written = write_mspdi(
        plan_state.plan, plan_state.forecast.items, plan_state.as_of, path, force=args.force
    )
    print(
        _(
            "written {path}: {tasks} tasks, {resources} organisations, {holidays} holidays, "
            "as of {date}"
        ).format(
            path=path,
            tasks=written.tasks,
            resources=written.resources,
            holidays=written.holidays,
            date=plan_state.as_of,
        )
    )
    return 0
