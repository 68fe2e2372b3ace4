"""The command line builds in full only the command about to run."""

from __future__ import annotations

import pytest

from tracker.cli import _command, build_parser


@pytest.mark.parametrize(
    ("argv", "command"),
    [
        (["plan", "check"], "plan"),
        (["--lang", "en", "tasks", "--late"], "tasks"),
        (["--lang=es", "status"], "status"),
        (["--help"], None),
        (["-h", "plan"], None),
        ([], None),
    ],
)
def test_the_command_word_is_found_past_the_language_option(
    argv: list[str], command: str | None
) -> None:
    assert _command(argv) == command


def test_the_other_commands_keep_their_name_and_help_but_not_their_arguments() -> None:
    full = build_parser()
    only = build_parser("tasks")
    assert only.parse_args(["tasks", "--late", "--who", "SINAPROC"]).who == "SINAPROC"
    # Listings and "invalid choice" errors still know every command.
    assert only.format_help() == full.format_help()
    with pytest.raises(SystemExit):
        only.parse_args(["status", "--due-days", "5"])  # not built: --due-days unknown here
    assert full.parse_args(["status", "--due-days", "5"]).due_days == 5
