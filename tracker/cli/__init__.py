"""The ``tracker`` command: a thin shell that parses arguments and calls the domain."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Iterator, Sequence
from typing import Any, NoReturn

from tracker.errors import PlanErrors, RowErrors, TrackerError
from tracker.gcpause import paused_gc
from tracker.i18n import N_, _, set_language

DEFAULT_PLAN = "data/plan_fase2.yaml"
# Commands that keep running (the terminal UI) keep the garbage collector on.
LONG_RUNNING = frozenset({"tui", "demo"})


# argparse's own texts ("usage:", "options", its error messages), marked here for the
# catalog; argparse asks for them through the function installed by _speak_argparse.
ARGPARSE_TEXTS = (
    N_("usage: "),
    N_("positional arguments"),
    N_("options"),
    N_("subcommands"),
    N_("show this help message and exit"),
    N_("argument %(argument_name)s: %(message)s"),
    N_("unrecognized arguments: %s"),
    N_("the following arguments are required: %s"),
    N_("one of the arguments %s is required"),
    N_("not allowed with argument %s"),
    N_("ignored explicit argument %r"),
    N_("expected one argument"),
    N_("expected at most one argument"),
    N_("expected at least one argument"),
    N_("expected %s argument"),
    N_("expected %s arguments"),
    N_("ambiguous option: %(option)s could match %(matches)s"),
    N_("unexpected option string: %s"),
    N_("invalid %(type)s value: %(value)r"),
    N_("invalid choice: %(value)r (choose from %(choices)s)"),
    N_("unknown parser %(parser_name)r (choices: %(choices)s)"),
    N_("can't open '%(filename)s': %(error)s"),
)


def _speak_argparse() -> None:
    """argparse's texts in the interface language, from our catalog. (Its own gettext lookup
    also searched the system's locale directories on every call: 20 ms per command.)"""

    def text(message: str | None) -> str | None:
        return _(message) if isinstance(message, str) else message

    def plural(singular: str, several: str, n: int) -> str:
        return _(singular if n == 1 else several)

    argparse._ = text  # type: ignore[attr-defined]
    argparse.ngettext = plural  # type: ignore[attr-defined]


class _Parser(argparse.ArgumentParser):
    """Bad arguments get one line naming the problem (and exit 2), not a usage dump."""

    def error(self, message: str) -> NoReturn:
        self.exit(2, f"{self.prog}: {_('error')}: {message}\n")


class _Unused:
    """Stands in for the parser of a command this run does not use: whatever is added to it
    goes nowhere (building every command's arguments took argparse 40 ms per run)."""

    def __getattr__(self, name: str) -> _Unused:
        return self

    def __call__(self, *args: object, **kwargs: object) -> _Unused:
        return self

    def __iter__(self) -> Iterator[object]:  # its list of actions, say: empty
        return iter(())


class _Commands:
    """The subcommands action, building in full only the command about to run (all of them
    when that is not known): the others keep their name and help, for listings and errors."""

    def __init__(self, action: Any, wanted: str | None) -> None:
        self.action = action
        self.wanted = wanted

    def add_parser(self, name: str, **kwargs: Any) -> Any:
        if self.wanted is None or name == self.wanted:
            return self.action.add_parser(name, **kwargs)
        self.action.add_parser(name, help=kwargs.get("help"))
        return _Unused()


def build_parser(command: str | None = None) -> argparse.ArgumentParser:
    """The whole command line, or (``command`` given) that command's part of it in full."""
    from tracker.cli import (
        brief,
        comms,
        db,
        demo,
        export,
        gantt,
        importcsv,
        plan,
        report,
        task,
        tui,
    )

    parser = _Parser(prog="tracker", description=_("Resilience strategy work-plan tracker."))
    parser.add_argument("--lang", choices=("es", "en"), help=_("interface language"))
    nouns = _Commands(parser.add_subparsers(dest="noun", metavar=_("COMMAND")), command)
    plan.register(nouns)
    db.register(nouns)
    task.register(nouns)
    comms.register(nouns)
    tui.register(nouns)
    demo.register(nouns)
    export.register(nouns)
    importcsv.register(nouns)
    gantt.register(nouns)
    report.register(nouns)
    brief.register(nouns)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args_list = list(sys.argv[1:] if argv is None else argv)
    set_language(_early_lang(args_list))
    _speak_argparse()
    args_list = args_list or ["tui"]
    parser = build_parser(_command(args_list))
    args = parser.parse_args(args_list)
    if not getattr(args, "run", None):
        parser.print_help()
        return 0
    try:
        if args.noun in LONG_RUNNING:
            return int(args.run(args) or 0)
        # A command is a short process over data that stays alive until it exits.
        with paused_gc():
            return int(args.run(args) or 0)
    except (PlanErrors, RowErrors) as err:
        for error in err.errors:
            print(error, file=sys.stderr)
        return 2
    except TrackerError as err:
        print(_("error: {message}").format(message=err), file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # `tracker ... | head` is fine
        return 0


def _command(argv: list[str]) -> str | None:
    """The command word of ``argv`` (None when help or an unknown option comes first)."""
    skip = False
    for arg in argv:
        if skip:
            skip = False
        elif arg == "--lang":
            skip = True
        elif arg.startswith("--lang="):
            continue
        elif arg.startswith("-"):
            return None
        else:
            return arg
    return None


def _early_lang(argv: list[str]) -> str | None:
    # The language must be fixed before argparse builds its (translated) help texts.
    for i, arg in enumerate(argv):
        if arg == "--lang" and i + 1 < len(argv):
            return argv[i + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
