"""``tracker status|tasks|set|deliverable|history|undo``: track work against the schedule."""

from __future__ import annotations

import argparse
import sys
from typing import Any

from tracker.cli.common import db_options, parse_date, percent
from tracker.i18n import _
from tracker.labels import status_short
from tracker.plan.statuses import ITEM_STATUSES

LEAD_WIDTH = 24  # columns of the LEAD column in `tracker tasks`


def register(nouns: Any) -> None:
    read = db_options(as_of=True)
    write = db_options()

    status = nouns.add_parser(
        "status", parents=[read], help=_("progress per area and overall, against the baseline")
    )
    status.add_argument(
        "--due-days",
        type=int,
        default=30,
        metavar="N",
        help=_("list what falls due in the next N days (default 30)"),
    )
    status.add_argument("--json", action="store_true", help=_("machine-readable output"))
    status.set_defaults(run=cmd_status)

    tasks = nouns.add_parser("tasks", parents=[read], help=_("items with status and forecast"))
    tasks.add_argument("--area", help=_("only this area or stage (e.g. 3, D)"))
    tasks.add_argument("--status", help=_("only items with this status"))
    tasks.add_argument("--late", action="store_true", help=_("only late items"))
    tasks.add_argument(
        "--who",
        metavar="ORG",
        help=_("only items where this organisation leads, supports, works or is an ally"),
    )
    tasks.add_argument("--json", action="store_true", help=_("machine-readable output"))
    tasks.set_defaults(run=cmd_tasks)

    set_ = nouns.add_parser("set", parents=[write], help=_("change an item's status"))
    set_.add_argument("id", help=_("item id, e.g. 1.3.2"))
    set_.add_argument(
        "status", help=_("pendiente, en_curso, completada, bloqueada, diferida or cancelada")
    )
    set_.add_argument("--percent", type=percent, help=_("percent complete (0-100)"))
    set_.add_argument("--date", type=parse_date, help=_("when it happened (default: today)"))
    set_.add_argument("--start", type=parse_date, help=_("correct the actual start date"))
    set_.add_argument("--finish", type=parse_date, help=_("correct the actual finish date"))
    set_.add_argument("--note", default="", help=_("why (required for bloqueada)"))
    set_.add_argument(
        "--expect-version",
        type=int,
        help=_("refuse if the item changed since this version was read"),
    )
    set_.set_defaults(run=cmd_set)

    deliverable = nouns.add_parser("deliverable", help=_("products and deliverables"))
    verbs = deliverable.add_subparsers(dest="verb", metavar=_("ACTION"), required=True)
    dlist = verbs.add_parser("list", parents=[read], help=_("deliverables with their status"))
    dlist.add_argument("--item", help=_("only the deliverables of this item"))
    dlist.add_argument("--json", action="store_true", help=_("machine-readable output"))
    dlist.set_defaults(run=cmd_deliverable_list)
    dset = verbs.add_parser("set", parents=[write], help=_("change a deliverable's status"))
    dset.add_argument("id", help=_("deliverable id, e.g. 3.5.2-P1"))
    dset.add_argument("status", help=_("pendiente, borrador, en_revision, validado or entregado"))
    dset.add_argument("--evidence", help=_("link or file path of the evidence"))
    dset.add_argument("--date", type=parse_date, help=_("when it happened (default: today)"))
    dset.add_argument("--note", default="", help=_("a note for the history"))
    dset.add_argument(
        "--expect-version",
        type=int,
        help=_("refuse if the deliverable changed since this version was read"),
    )
    dset.set_defaults(run=cmd_deliverable_set)

    history = nouns.add_parser("history", parents=[write], help=_("recorded changes"))
    history.add_argument("id", nargs="?", help=_("only the changes of this item or deliverable"))
    history.add_argument("--limit", type=int, default=50, help=_("how many (default 50)"))
    history.add_argument("--json", action="store_true", help=_("machine-readable output"))
    history.set_defaults(run=cmd_history)

    undo = nouns.add_parser("undo", parents=[write], help=_("revert your last change"))
    undo.set_defaults(run=cmd_undo)


def _state(args: argparse.Namespace, *, with_details: bool = False) -> Any:
    from tracker.cli.common import state

    return state(args, with_details=with_details)


def cmd_status(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import print_json, table

    st = _state(args)
    fc = st.forecast
    overall = fc.overall
    if args.json:

        def summary(s: Any) -> dict[str, Any]:
            return {
                "key": s.key,
                "title": s.title,
                "counts": s.counts,
                "percent": s.percent,
                "slip_days": s.slip_days,
                "late": s.late,
                "at_risk": s.at_risk,
                "baseline_finish": s.baseline_finish,
                "forecast_finish": s.forecast_finish,
            }

        print_json(
            {
                "plan": fc.plan_key,
                "as_of": fc.as_of,
                "as_known": st.as_known,
                "overall": summary(overall),
                "groups": [summary(g) for g in fc.groups],
                "late": [i.key for i in fc.items if i.late],
                "at_risk": [i.key for i in fc.items if i.at_risk],
                "due": [
                    {
                        "id": i.key,
                        "baseline_finish": i.baseline_finish,
                        "forecast_finish": i.forecast_finish,
                        "lead": i.lead,
                    }
                    for i in fc.due_within(args.due_days)
                ],
            }
        )
        return 0
    print(_("Plan {key} as of {date}").format(key=fc.plan_key, date=fc.as_of))
    rows = []
    for g in [*fc.groups, overall]:
        label = g.key if g.key else (_("TOTAL") if g is overall else _("Milestones"))
        rows.append(
            [
                label,
                *(str(g.counts[s]) for s in ITEM_STATUSES),
                f"{g.percent:.0f}%",
                f"{g.slip_days:+d}",
                str(g.late),
                str(g.at_risk),
                str(g.baseline_finish or ""),
                str(g.forecast_finish or ""),
                g.title,
            ]
        )
    table(
        [
            _("AREA"),
            *(status_short(s) for s in ITEM_STATUSES),
            "%",
            _("SLIP"),
            _("LATE"),
            _("RISK"),
            _("BASELINE END"),
            _("FORECAST END"),
            _("TITLE"),
        ],
        rows,
    )
    print()
    print(
        _("Phase end: forecast {forecast}, baseline {baseline} ({slip:+d} working days).").format(
            forecast=overall.forecast_finish,
            baseline=overall.baseline_finish,
            slip=overall.slip_days,
        )
    )
    late = [i for i in fc.items if i.late]
    if late:
        print(
            _("Late: {items}").format(items=", ".join(f"{i.key} ({i.lead or '-'})" for i in late))
        )
    risk = [i.key for i in fc.items if i.at_risk]
    if risk:
        print(_("At risk: {items}").format(items=", ".join(risk)))
    due = fc.due_within(args.due_days)
    if due:
        print(
            _("Due in the next {n} days: {items}").format(
                n=args.due_days, items=", ".join(f"{i.key} ({i.forecast_finish})" for i in due)
            )
        )
    return 0


def cmd_tasks(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import one_line, print_json, table, truncate

    if args.status:
        from tracker.plan.statuses import ITEM_STATUSES

        if args.status not in ITEM_STATUSES:
            from tracker.errors import InputError

            raise InputError(
                _("unknown status {status!r}; use one of: {values}").format(
                    status=args.status, values=", ".join(ITEM_STATUSES)
                )
            )
    fc = _state(args, with_details=bool(args.who)).forecast  # --who reads roles and allies
    items = fc.items
    if args.area:
        items = [i for i in items if i.group == args.area]
    if args.status:
        items = [i for i in items if i.status == args.status]
    if args.late:
        items = [i for i in items if i.late]
    if args.who:
        from tracker.plan.organisations import involves

        # Any name, acronym or alias of the organisation finds it.
        items = [i for i in items if involves(fc.plan, fc.plan.items[i.key], args.who)]
    if args.json:
        print_json(
            [
                {
                    "id": i.key,
                    "kind": i.kind,
                    "area": i.group,
                    "title": i.title,
                    "lead": i.lead,
                    "status": i.status,
                    "percent": i.percent,
                    "reason": i.reason,
                    "baseline_start": i.baseline_start,
                    "baseline_finish": i.baseline_finish,
                    "forecast_start": i.forecast_start,
                    "forecast_finish": i.forecast_finish,
                    "actual_start": i.actual_start,
                    "actual_finish": i.actual_finish,
                    "slip_days": i.slip_days,
                    "late": i.late,
                    "at_risk": i.at_risk,
                    "critical": i.critical,
                    "version": i.version,
                    "problem": i.problem,
                }
                for i in items
            ]
        )
        return 0
    rows = [
        [
            i.key,
            i.group,
            status_short(i.status),
            f"{i.percent}%",
            str(i.baseline_finish),
            str(i.forecast_finish),
            f"{i.slip_days:+d}",
            ("!" if i.late else "~" if i.at_risk else "") + ("*" if i.critical else ""),
            # Capped: the longest lead would otherwise leave the title a dozen columns.
            truncate(one_line(i.lead), LEAD_WIDTH),
            i.title,
        ]
        for i in items
    ]
    table(
        [
            _("ID"),
            _("AREA"),
            _("STATUS"),
            "%",
            _("BASELINE END"),
            _("FORECAST END"),
            _("SLIP"),
            _("FLAGS"),
            _("LEAD"),
            _("TITLE"),
        ],
        rows,
    )
    print(
        _("{n} items as of {date}. ! late, ~ at risk, * critical.").format(
            n=len(items), date=fc.as_of
        )
    )
    return 0


def cmd_set(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.store.author import current_author
    from tracker.tracking.actions import set_item

    outcome = set_item(
        store(args),
        args.id,
        args.status,
        author=current_author(),
        on=args.date,
        percent=args.percent,
        note=args.note,
        start=args.start,
        finish=args.finish,
        expected_version=args.expect_version,
    )
    for warning in outcome.warnings:
        print(_("warning: {message}").format(message=warning), file=sys.stderr)
    print(
        _("{id}: {before} → {after}").format(
            id=outcome.key, before=_describe(outcome.before), after=_describe(outcome.after)
        )
    )
    return 0


def _describe(state: dict[str, Any]) -> str:
    text = f"{state['status']} {state.get('percent', '')}%".replace(" %", "")
    if state.get("actual_start"):
        text += f" [{state['actual_start']} – {state.get('actual_finish') or '…'}]"
    return text


def cmd_deliverable_list(args: argparse.Namespace) -> int:
    from tracker.cli.fmt import print_json, table

    rows = list(_state(args).deliverables.values())
    if args.item:
        rows = [r for r in rows if r.producer == args.item]
    if args.json:
        print_json(
            [
                {
                    "id": r.key,
                    "item": r.producer,
                    "title": r.title,
                    "status": r.status,
                    "evidence": r.evidence,
                    "status_date": r.status_date,
                    "baseline_due": r.baseline_due,
                    "due": r.due,
                    "version": r.version,
                }
                for r in rows
            ]
        )
        return 0
    table(
        [_("ID"), _("ITEM"), _("STATUS"), _("DUE"), _("EVIDENCE"), _("TITLE")],
        [[r.key, r.producer, r.status, str(r.due or ""), r.evidence, r.title] for r in rows],
    )
    return 0


def cmd_deliverable_set(args: argparse.Namespace) -> int:
    from tracker.cli.common import as_of, store
    from tracker.store.author import current_author
    from tracker.tracking.actions import set_deliverable

    outcome = set_deliverable(
        store(args),
        args.id,
        args.status,
        author=current_author(),
        on=args.date or as_of(args),
        evidence=args.evidence,
        note=args.note,
        expected_version=args.expect_version,
    )
    print(
        _("{id}: {before} → {after}").format(
            id=outcome.key, before=outcome.before["status"], after=outcome.after["status"]
        )
    )
    return 0


def cmd_history(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.cli.fmt import print_json, table

    changes = store(args).history([args.id] if args.id else None, args.limit)
    if args.json:
        print_json(
            [
                {
                    "id": c.id,
                    "at": c.at.isoformat(),
                    "effective": c.effective,
                    "author": c.author,
                    "entity": c.entity,
                    "key": c.key,
                    "action": c.action,
                    "before": c.before,
                    "after": c.after,
                    "note": c.note,
                    "undone": c.undone,
                    "undoes": c.undoes,
                }
                for c in changes
            ]
        )
        return 0
    from tracker.tracking.describe import describe_change

    rows = []
    for c in changes:
        diff = describe_change(c.entity, c.action, c.before, c.after)
        rows.append(
            [
                str(c.id),
                c.at.strftime("%Y-%m-%d %H:%M"),
                str(c.effective),
                c.author,
                c.key,
                c.action + (" ↶" if c.undone else ""),
                diff,
                c.note,
            ]
        )
    table(
        [
            _("#"),
            _("WHEN (UTC)"),
            _("EFFECTIVE"),
            _("WHO"),
            _("ID"),
            _("ACTION"),
            _("CHANGE"),
            _("NOTE"),
        ],
        rows,
        flexible=6,
    )
    return 0


def cmd_undo(args: argparse.Namespace) -> int:
    from tracker.cli.common import store
    from tracker.store.author import current_author
    from tracker.tracking.actions import undo

    undone, _undo = undo(store(args), current_author())
    if undone["entity"] == "import":
        ranges = undone["after"].get("changes", [])
        print(
            _("undone the import of {file} ({n} changes)").format(
                file=undone["key"], n=sum(last - first + 1 for first, last in ranges)
            )
        )
        return 0
    print(
        _("undone change {id} of {key} ({action}); {key} is back to {state}").format(
            id=undone["id"],
            key=undone["key"],
            action=undone["action"],
            state=undone["before"].get("status"),
        )
    )
    return 0
