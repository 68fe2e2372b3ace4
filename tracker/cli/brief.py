"""``tracker brief --month YYYY-MM | --quarter YYYYQn [-o FILE.html|.pdf]``: the committee
brief for the Mesa Técnica, one self-contained page that opens offline."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from tracker.cli.common import db_options, force_option, parse_month, parse_quarter_arg
from tracker.i18n import _


def register(nouns: Any) -> None:
    brief = nouns.add_parser(
        "brief",
        parents=[db_options()],
        help=_("the committee brief for the Mesa Técnica (HTML or PDF)"),
    )
    when = brief.add_mutually_exclusive_group(required=True)
    when.add_argument(
        "--month", type=parse_month, metavar="YYYY-MM", help=_("the month to brief on")
    )
    when.add_argument(
        "--quarter", type=parse_quarter_arg, metavar="YYYYQn", help=_("the quarter to brief on")
    )
    brief.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help=_("file to write: .html or .pdf (default: exports/brief-<last day>.html)"),
    )
    brief.add_argument(
        "--rules",
        metavar="FILE",
        help=_("the RAG rules (YAML); default: data/brief.yaml"),
    )
    force_option(brief)
    brief.set_defaults(run=cmd_brief)


def cmd_brief(args: argparse.Namespace) -> int:
    from tracker.cli.common import output_target, store
    from tracker.exporters.brief.rules import load_rules
    from tracker.exporters.brief.write import make_brief, output_format, write_brief
    from tracker.exporters.output import dated_path
    from tracker.exporters.report.dates import check_month
    from tracker.exporters.report.source import from_plan_state
    from tracker.i18n import month_label
    from tracker.state.asof import local_today

    if args.month is not None:
        start, end = args.month
        label = month_label(start)
    else:
        start, end = args.quarter
        label = f"{start.year}T{(start.month - 1) // 3 + 1}"
    path = output_target(args)  # refused before any work: the database, an existing file
    fmt = output_format(path) if path is not None else "html"
    rules = load_rules(Path(args.rules) if args.rules else None)
    today = local_today()
    as_of = today if start <= today < end else end
    state = store(args).state(as_of, with_changes=True)
    check_month(state.plan.meta.period, start)
    brief = make_brief(from_plan_state(state), rules, label)
    if path is None:
        path = dated_path("brief", fmt, end)
    write_brief(brief, path, force=args.force)
    print(path)
    return 0
