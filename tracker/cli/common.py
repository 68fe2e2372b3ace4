"""Options and helpers shared by the commands that use the team database."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from datetime import date
from typing import TYPE_CHECKING, Any, TypeVar

from tracker.errors import InputError
from tracker.i18n import _

if TYPE_CHECKING:
    from tracker.state.plan_state import PlanState
    from tracker.store.reader import Reader
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


def parse_date(value: str) -> date:
    try:
        if len(value) != 10:
            raise ValueError(value)
        return date.fromisoformat(value)
    except ValueError:
        raise argparse.ArgumentTypeError(
            _("invalid date {value!r} (expected YYYY-MM-DD)").format(value=value)
        ) from None


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


def read_db(args: argparse.Namespace, work: Callable[[Reader], T]) -> T:
    """Run ``work`` on a read-only snapshot of the database of ``--db`` (see
    tracker.store.reader: no SQLAlchemy on the embedded database)."""
    from tracker.store.location import resolve_url
    from tracker.store.reader import read

    return read(resolve_url(args.db), work)


def read_text_file(path: str) -> str:
    """A UTF-8 text file given on the command line (a BOM is allowed), or one line saying
    why it cannot be read."""
    try:
        with open(path, encoding="utf-8-sig", newline="") as fh:
            return fh.read()
    except (OSError, UnicodeDecodeError) as err:
        raise InputError(_("cannot read {path}: {error}").format(path=path, error=err)) from err


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
