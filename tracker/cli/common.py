"""Options and helpers shared by the commands that use the team database."""

from __future__ import annotations

import argparse
from calendar import monthrange
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from tracker.errors import InputError
from tracker.i18n import _

if TYPE_CHECKING:
    from tracker.state.plan_state import PlanState
    from tracker.store.store import Store

T = TypeVar("T")


def db_options(*, as_of: bool = False, plan_id: bool = True) -> argparse.ArgumentParser:
    """A parent parser with --db (and --plan-id, --as-of where they apply)."""
    parent = argparse.ArgumentParser(add_help=False)
    parent.add_argument(
        "--db",
        metavar="URL",
        help=_("database URL or SQLite file (default: $TRACKER_DB, else the per-user database)"),
    )
    if plan_id:
        parent.add_argument(
            "--plan-id",
            metavar="KEY",
            help=_("which plan of the database (needed only when it holds several)"),
        )
    if as_of:
        parent.add_argument(
            "--as-of",
            metavar="YYYY-MM-DD",
            type=parse_date,
            help=_("evaluate as of the end of this day (default: today)"),
        )
        parent.add_argument(
            "--as-known",
            metavar="YYYY-MM-DD",
            type=parse_date,
            help=_(
                "count only what had been recorded by the end of this day (reproduces a past "
                "report exactly)"
            ),
        )
    return parent


# Dates typed on the command line fall in these years: far enough for any plan, near enough
# that a slip of the keyboard (0001-01-01, 9999-12-31) is refused here, before a calendar
# of eight thousand years is built for it.
FIRST_DAY = date(1900, 1, 1)
LAST_DAY = date(2199, 12, 31)


def in_range(day: date, value: str) -> date:
    if not FIRST_DAY <= day <= LAST_DAY:
        raise argparse.ArgumentTypeError(
            _("{value} is out of range: use a date from {first} to {last}").format(
                value=value, first=FIRST_DAY, last=LAST_DAY
            )
        )
    return day


def parse_date(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        day = date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("invalid date {value!r} (expected YYYY-MM-DD)").format(value=value)
        ) from None
    return in_range(day, value)


def parse_month(value: str) -> tuple[date, date]:
    """The first and last day of month ``YYYY-MM``."""
    try:
        year, month = (int(p) for p in value.split("-"))
        start = date(year, month, 1)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("invalid month {value!r} (expected YYYY-MM)").format(value=value)
        ) from None
    in_range(start, value)
    return start, date(year, month, monthrange(year, month)[1])


def parse_quarter_arg(value: str) -> tuple[date, date]:
    """The first and last day of quarter ``YYYYQn`` (or the Spanish ``YYYYTn``)."""
    from tracker.plan.quarters import parse_quarter

    try:
        bounds = parse_quarter(value.strip().upper().replace("T", "Q"))
    except ValueError:  # a year datetime cannot hold (0000, 9999Q4 ends in year 10000)
        bounds = None
    if bounds is None:
        raise argparse.ArgumentTypeError(
            _("invalid quarter {value!r} (expected YYYYQn)").format(value=value)
        )
    in_range(bounds[0], value)
    in_range(bounds[1], value)
    return bounds


def as_of(args: argparse.Namespace) -> date:
    from tracker.state.asof import local_today

    return getattr(args, "as_of", None) or local_today()


def as_known(args: argparse.Namespace) -> date | None:
    return getattr(args, "as_known", None)


def store(args: argparse.Namespace) -> Store:
    """The store of ``--db`` and ``--plan-id``: the command's one road to the database."""
    from tracker.store.store import Store

    return Store(args.db, getattr(args, "plan_id", None))


def state(args: argparse.Namespace, **options: Any) -> PlanState:
    """The plan's state as of ``--as-of`` (as known on ``--as-known``)."""
    return store(args).state(as_of(args), as_known(args), **options)


def sessions(args: argparse.Namespace, *, check: bool = True) -> Any:
    from tracker.store.engine import open_sessions, resolve_url

    return open_sessions(resolve_url(args.db), check=check)


def read_text_file(path: str) -> str:
    """A UTF-8 text file given on the command line (a BOM is allowed), or one line saying
    why it cannot be read."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(_("cannot read {path}: {error}").format(path=path, error=err)) from err


def force_option(parser: Any) -> None:
    parser.add_argument(
        "--force",
        action="store_true",
        help=_("replace the output file if it already exists (never the database)"),
    )


def output_target(
    args: argparse.Namespace, suffix: str | None = None, what: str = ""
) -> Path | None:
    """The ``-o`` file of ``args`` once it is known to be writable (see
    tracker.exporters.output.claim): refused, before any work, when it is the database in
    use, an existing file without --force, or (``suffix`` given) a name of another format.
    None when no file was given (a dated default name is chosen later)."""
    from tracker.exporters.output import check_suffix, claim, refuse_database
    from tracker.store.location import resolve_url

    if not getattr(args, "output", None):
        return None
    path = Path(args.output)
    database = resolve_url(getattr(args, "db", None))
    refuse_database(path, database)  # the gravest mistake is named first
    if suffix is not None:
        check_suffix(path, suffix, what)
    return claim(path, force=args.force, database=database)


def percent(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("percent must be a whole number from 0 to 100, not {value!r}").format(value=value)
        ) from None
    if not 0 <= number <= 100:
        raise argparse.ArgumentTypeError(
            _("percent must be between 0 and 100, not {value}").format(value=number)
        )
    return number


def fail(message: str) -> InputError:
    return InputError(message)
