"""``tracker export ...``: the plan and its state in other tools' formats."""

from __future__ import annotations

import argparse
from typing import Any

from tracker.i18n import _


def register(nouns: Any) -> None:
    parser = nouns.add_parser("export", help=_("export to other tools' formats"))
    verbs = parser.add_subparsers(dest="verb", metavar=_("FORMAT"), required=True)
    tjp = verbs.add_parser("tjp", help=_("the plan as a TaskJuggler 3 project"))
    tjp.add_argument("path", nargs="?", help=_("plan file (default: the bundled plan)"))
    tjp.add_argument("-o", "--output", required=True, help=_("file to write (.tjp)"))
    tjp.set_defaults(run=cmd_tjp)


def cmd_tjp(args: argparse.Namespace) -> int:
    from tracker.cli.plan import default_plan_path
    from tracker.planload import load_plan
    from tracker.tjp import write_tjp

    plan = load_plan(args.path or default_plan_path())
    write_tjp(plan, args.output)
    print(_("written {path}").format(path=args.output))
    return 0
