"""Outputs never clobber: not the database in use, not an existing file without --force, not a
file of another format; written atomically with the user's permissions."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.conftest import PLAN
from tests.db.helpers import fresh_db
from tests.hardening.support import cli, dump
from tracker.plan.load import load_plan

AS_OF = ("--as-of", "2018-03-15")


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture()
def team(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A SQLite team database in a working directory of its own (exports/ lands there)."""
    db = tmp_path / "team.db"
    fresh_db(f"sqlite:///{db}", load_plan(str(PLAN))).kw["bind"].dispose()
    monkeypatch.setenv("TRACKER_DB", str(db))
    monkeypatch.setenv("TRACKER_USER", "ana")
    monkeypatch.chdir(tmp_path)
    yield db


def untouched(db: Path) -> tuple[str, dict[str, list[tuple[object, ...]]]]:
    return digest(db), dump(f"sqlite:///{db}")


# ------------------------------------------------------------------- the database in use

WRITERS = {
    "csv": ("export", "csv", *AS_OF, "-o"),
    "xlsx": ("export", "xlsx", *AS_OF, "-o"),
    "ics": ("export", "ics", *AS_OF, "-o"),
    "tjp": ("export", "tjp", "-o"),
    "gantt": ("gantt", *AS_OF, "-o"),
    "report": ("report", "--month", "2018-03", "-o"),
    "backup": ("db", "backup"),
    "mspdi": ("export", "mspdi", *AS_OF, "-o"),
}
SUFFIX = {
    "csv": ".csv",
    "xlsx": ".xlsx",
    "ics": ".ics",
    "tjp": ".tjp",
    "gantt": ".html",
    "report": ".md",
    "backup": ".db",
    "mspdi": ".xml",
}


@pytest.mark.parametrize(
    ("writer", "spelling"),
    [
        ("csv", "same"),
        ("csv", "dotted"),
        ("csv", "symlink"),
        ("xlsx", "symlink"),
        ("ics", "hardlink"),
        ("tjp", "symlink"),
        ("gantt", "symlink"),
        ("report", "symlink"),
        ("backup", "same"),
        ("backup", "symlink"),
    ],
)
def test_no_writer_writes_onto_the_database_even_with_force(
    team: Path, capsys: pytest.CaptureFixture[str], writer: str, spelling: str
) -> None:
    if spelling == "same":
        target = team
    elif spelling == "dotted":
        (team.parent / "sub").mkdir()
        target = team.parent / "sub" / ".." / team.name
    else:
        target = team.parent / f"alias{SUFFIX[writer]}"
        if spelling == "symlink":
            target.symlink_to(team)
        else:
            os.link(team, target)
    before = untouched(team)
    result = cli(capsys, *WRITERS[writer], str(target), "--force")
    assert result.refused(str(target), "is the database in use", str(team)), result
    assert untouched(team) == before
    assert not list(team.parent.glob(".*.tmp")) and not list(team.parent.glob(".alias*"))


# ----------------------------------------------------------------------- existing files


@pytest.mark.parametrize("writer", list(WRITERS))
def test_an_existing_file_is_kept_unless_force(
    team: Path, capsys: pytest.CaptureFixture[str], writer: str
) -> None:
    target = team.parent / f"precious{SUFFIX[writer]}"
    target.write_text("the only copy of last month's work\n", encoding="utf-8")
    kept = digest(target)
    before = untouched(team)
    result = cli(capsys, *WRITERS[writer], str(target))
    assert result.refused(str(target), "already exists: use --force"), result
    assert digest(target) == kept and untouched(team) == before
    replaced = cli(capsys, *WRITERS[writer], str(target), "--force")
    assert replaced.code == 0, replaced
    assert digest(target) != kept
    assert [p.name for p in team.parent.iterdir() if p.name.startswith(".")] == []


@pytest.mark.parametrize(
    ("args", "fragments"),
    [
        (("export", "csv", "-o", "x.xlsx"), ("x.xlsx: a CSV export is written to a .csv file",)),
        (("export", "xlsx", "-o", "x.csv"), ("x.csv: an Excel workbook is written to a .xlsx",)),
        (("export", "ics", "-o", "x.txt"), ("x.txt: a calendar is written to a .ics file",)),
        (("export", "tjp", "-o", "plan"), ("plan: a TaskJuggler project", "without extension")),
        (("gantt", "-o", "x.docx"), ("cannot write a Gantt chart as '.docx'",)),
        (("report", "--month", "2018-03", "-o", "x.pdf"), ("unknown report format '.pdf'",)),
    ],
    ids=["csv-as-xlsx", "xlsx-as-csv", "ics-as-txt", "tjp-bare", "gantt-docx", "report-pdf"],
)
def test_the_extension_must_be_the_formats(
    team: Path, capsys: pytest.CaptureFixture[str], args: tuple[str, ...], fragments: tuple[str]
) -> None:
    before = set(team.parent.iterdir())
    result = cli(capsys, *args)
    assert result.refused(*fragments), result
    assert set(team.parent.iterdir()) == before  # nothing written, not even exports/


# ------------------------------------------------------------- default names, permissions


def test_default_dated_names_never_collide(team: Path, capsys: pytest.CaptureFixture[str]) -> None:
    for _ in range(3):
        assert cli(capsys, "export", "csv", *AS_OF).code == 0
        assert cli(capsys, "export", "ics", *AS_OF).code == 0
    names = sorted(p.name for p in (team.parent / "exports").iterdir())
    assert names == [
        "calendario-2018-03-15-2.ics",
        "calendario-2018-03-15-3.ics",
        "calendario-2018-03-15.ics",
        "seguimiento-2018-03-15-2.csv",
        "seguimiento-2018-03-15-3.csv",
        "seguimiento-2018-03-15.csv",
    ]
    first, second = cli(capsys, "db", "backup"), cli(capsys, "db", "backup")
    assert first.code == second.code == 0
    assert len(list((team.parent / "exports").glob("backup-*.db"))) == 2


@pytest.mark.parametrize(("umask", "mode"), [(0o022, 0o644), (0o077, 0o600), (0o002, 0o664)])
def test_files_get_the_permissions_of_the_users_umask(
    team: Path, capsys: pytest.CaptureFixture[str], umask: int, mode: int
) -> None:
    old = os.umask(umask)
    try:
        for fmt in ("csv", "xlsx", "ics"):
            path = team.parent / f"out{SUFFIX[fmt]}"
            assert cli(capsys, "export", fmt, *AS_OF, "-o", str(path)).code == 0
            assert path.stat().st_mode & 0o777 == mode, fmt
    finally:
        os.umask(old)


# -------------------------------------------------------------------- unwritable places


@pytest.mark.parametrize("writer", ["csv", "gantt", "report", "backup"])
@pytest.mark.parametrize("place", ["under-a-file", "proc"])
def test_an_unwritable_destination_is_one_line(
    team: Path, capsys: pytest.CaptureFixture[str], writer: str, place: str
) -> None:
    # Paths nobody can write, root included (tests may run as root in CI).
    if place == "under-a-file":
        blocker = team.parent / "notes.txt"
        blocker.write_text("a file, not a directory\n", encoding="utf-8")
        target = blocker / f"out{SUFFIX[writer]}"
    else:
        target = Path("/proc") / f"tracker-test-out{SUFFIX[writer]}"
    before = untouched(team)
    result = cli(capsys, *WRITERS[writer], str(target))
    assert result.refused("cannot write", str(target.parent)), result
    assert untouched(team) == before


def test_a_failed_write_keeps_the_old_file_and_leaves_no_temporary(
    team: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from openpyxl import Workbook

    target = team.parent / "seguimiento.xlsx"
    assert cli(capsys, "export", "xlsx", *AS_OF, "-o", str(target)).code == 0
    kept = digest(target)

    def disk_full(self: object, filename: str) -> None:
        Path(filename).write_bytes(b"PK\x03\x04 half a workbook")
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Workbook, "save", disk_full)
    result = cli(capsys, "export", "xlsx", *AS_OF, "-o", str(target), "--force")
    assert result.refused("cannot write", "No space left on device"), result
    assert digest(target) == kept
    assert sorted(p.name for p in team.parent.iterdir() if not p.name.startswith("team.db")) == [
        "seguimiento.xlsx"
    ]


def test_the_apps_exports_take_fresh_names(team: Path) -> None:
    from datetime import date

    from tracker.exporters.common import load_export_data
    from tracker.store.store import Store
    from tui.exports import EXPORTS

    data = load_export_data(Store(f"sqlite:///{team}"), date(2018, 3, 15))
    first, second = EXPORTS["ics"](data), EXPORTS["xlsx"](data) + EXPORTS["xlsx"](data)
    assert [p.name for p in first] == ["calendario-2018-03-15.ics"]
    assert [p.name for p in second] == [
        "seguimiento-2018-03-15.xlsx",
        "seguimiento-2018-03-15-2.xlsx",
    ]


def test_a_database_is_not_restored_from_itself(
    team: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = team.parent / "copy-of-team.db"
    link.symlink_to(team)
    before = untouched(team)
    result = cli(capsys, "db", "restore", str(link), "--yes")
    assert result.refused(str(link), "is the database in use"), result
    assert untouched(team) == before
    assert list(team.parent.glob("team.before-restore-*")) == []
