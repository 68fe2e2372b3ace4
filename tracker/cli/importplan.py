"""``tracker import mspdi|mpp|mpx|xer|gan FILE -o plan.yaml``: another tool's schedule as a
plan file of ours, with what could not be carried over."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tracker.i18n import _

FORMATS = {
    "mspdi": "MS Project XML (.xml)",
    "mpp": "MS Project (.mpp)",
    "mpx": "MPX (.mpx)",
    "xer": "Primavera P6 (.xer)",
    "gan": "GanttProject (.gan)",
}


def register_verbs(verbs: Any) -> None:
    for name, what in FORMATS.items():
        verb = verbs.add_parser(
            name, help=_("a schedule of {what} as a plan file").format(what=what)
        )
        verb.add_argument("file", help=_("the schedule to read"))
        verb.add_argument("-o", "--output", required=True, help=_("plan file to write (.yaml)"))
        verb.set_defaults(run=cmd_import_schedule)


def cmd_import_schedule(args: argparse.Namespace) -> int:
    from tracker.errors import InputError
    from tracker.importers.toplan import to_plan

    source = args.file
    if args.verb == "mspdi":
        from tracker.importers.mspdi import read_mspdi

        try:
            data = Path(source).read_bytes()
        except OSError as err:
            raise InputError(
                _("cannot read {path}: {error}").format(path=source, error=err.strerror or err)
            ) from err
        schedule = read_mspdi(source, data)
    else:
        from tracker.importers.mpxj import read_with_mpxj

        if not Path(source).is_file():
            raise InputError(_("cannot read {path}: no such file").format(path=source))
        schedule = read_with_mpxj(source)
    if not schedule.tasks:
        raise InputError(_("{path}: no tasks to import").format(path=source))
    conversion = to_plan(schedule, Path(source).name, args.output)
    try:
        Path(args.output).write_text(conversion.text, encoding="utf-8")
    except OSError as err:
        raise InputError(
            _("cannot write {path}: {error}").format(path=args.output, error=err.strerror or err)
        ) from err
    print(
        _(
            "written {path}: {tasks} tasks in {areas} areas, {milestones} milestones, "
            "{links} links, {holidays} holidays; {matching} of {dated} items scheduled on the "
            "dates stored in {source}"
        ).format(
            path=args.output,
            tasks=conversion.tasks,
            areas=conversion.areas,
            milestones=conversion.milestones,
            links=conversion.links,
            holidays=conversion.holidays,
            matching=conversion.matching,
            dated=conversion.dated,
            source=source,
        )
    )
    if conversion.report:
        print(_("not carried over or approximate:"))
        for line in conversion.report:
            print(f"  {line}")
    return 0
