"""How every file the tracker writes reaches the disk: never onto the database in use, never
over an existing file unless the user said ``--force``, with a name whose extension says what
is inside, atomically, and with the user's normal permissions.

Every writer goes through here: ``export csv|xlsx|ics|tjp``, ``gantt``, ``report``,
``db backup`` and the TUI's exports. A writer first calls :func:`claim` (or
:func:`dated_path` for a default name), then :func:`write_atomically`.
"""

from __future__ import annotations

import os
import tempfile
from collections.abc import Callable, Iterable
from datetime import date
from pathlib import Path
from urllib.parse import unquote

from tracker.errors import ExportError
from tracker.i18n import _

EXPORTS_DIR = Path("exports")
# SQLite keeps a database in up to four files; writing over any of them damages it.
SQLITE_COMPANIONS = ("", "-wal", "-shm", "-journal")


def database_files(url: str | None) -> list[Path]:
    """The files of the SQLite database at ``url`` (none for PostgreSQL or memory)."""
    if not url or not url.startswith("sqlite:"):
        return []
    rest = url.split("://", 1)[1] if "://" in url else ""
    path = unquote(rest[1:] if rest.startswith("/") else rest).split("?", 1)[0]
    if path.startswith("file:"):
        path = path[len("file:") :]
    if not path or path == ":memory:":
        return []
    return [Path(path + suffix) for suffix in SQLITE_COMPANIONS]


def same_file(a: Path, b: Path) -> bool:
    """Whether ``a`` and ``b`` name one file: through symbolic links, ``..`` and hard links."""
    try:
        if a.resolve() == b.resolve():
            return True
        return a.exists() and b.exists() and os.path.samefile(a, b)
    except OSError:
        return False


def check_suffix(path: Path, suffix: str, what: str, hint: str = "") -> None:
    """Refuse a file name whose extension is not ``suffix`` (a CSV in ``x.xlsx`` would open
    as a broken workbook): the format never changes silently behind the name."""
    if path.suffix.lower() == suffix:
        return
    message = _("{path}: {what} is written to a {suffix} file, not {found}").format(
        path=path, what=what, suffix=suffix, found=path.suffix or _("a name without extension")
    )
    raise ExportError(f"{message} {hint}".strip())


def refuse_database(path: Path, database: str | None) -> None:
    """ExportError when ``path`` is (a file of) the database at URL ``database``, however it
    is spelled: ``--force`` never makes that writable."""
    for db_file in database_files(database):
        if same_file(path, db_file):
            raise ExportError(
                _(
                    "{path} is the database in use ({db}): nothing is ever written onto it; "
                    "choose another file"
                ).format(path=path, db=db_file)
            )


def claim(path: Path, *, force: bool = False, database: str | None = None) -> Path:
    """Check, before any work, that ``path`` may be written: not the database in use (even
    with ``--force``), not a directory, not an existing file unless ``force``."""
    refuse_database(path, database)
    if path.is_dir():
        raise ExportError(_("{path} is a directory: give a file name").format(path=path))
    if (path.exists() or path.is_symlink()) and not force:
        raise ExportError(
            _("{path} already exists: use --force to replace it, or choose another name").format(
                path=path
            )
        )
    return path


def dated_path(
    kind: str,
    suffix: str,
    day: date,
    directory: Path = EXPORTS_DIR,
    also: Callable[[Path], Iterable[Path]] | None = None,
) -> Path:
    """``exports/<kind>-<YYYY-MM-DD>.<suffix>``, or ``…-2``, ``…-3`` when taken: a default
    name never replaces an earlier file. ``also`` lists the other files a name stands for
    (a Gantt chart per area), which must be free too."""
    return free_path(directory, f"{kind}-{day.isoformat()}", suffix, also)


def free_path(
    directory: Path,
    stem: str,
    suffix: str,
    also: Callable[[Path], Iterable[Path]] | None = None,
) -> Path:
    """``directory/<stem>.<suffix>``, numbered ``-2``, ``-3`` … until the name is free."""
    try:
        directory.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        raise ExportError(
            _("cannot write into {path}: {error}").format(path=directory, error=err.strerror)
        ) from err
    ext = "." + suffix.lstrip(".")
    for n in range(1, 10_000):
        candidate = directory / (f"{stem}{ext}" if n == 1 else f"{stem}-{n}{ext}")
        taken = [candidate, *(also(candidate) if also else ())]
        if not any(p.exists() or p.is_symlink() for p in taken):
            return candidate
    raise ExportError(_("too many files named {stem} in {dir}").format(stem=stem, dir=directory))


def _umask() -> int:
    """The process's umask, read without changing it where the system allows (os.umask
    alone changes it for every thread for a moment)."""
    try:
        with open("/proc/self/status", encoding="ascii") as fh:
            for line in fh:
                if line.startswith("Umask:"):
                    return int(line.split()[1], 8)
    except (OSError, ValueError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask


def temporary_beside(path: Path) -> Path:
    """An empty temporary file in ``path``'s directory (same file system: the final rename
    is atomic), named so it is recognisably ours."""
    directory = path.parent if str(path.parent) else Path(".")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        fd, temp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=path.suffix, dir=directory)
        os.close(fd)
    except OSError as err:
        raise ExportError(
            _("cannot write {path}: {error}").format(path=path, error=err.strerror or err)
        ) from err
    return Path(temp)


def publish(temp: Path, path: Path, *, force: bool = False) -> None:
    """Give the finished ``temp`` its name ``path`` in one step, with the permissions a new
    file of the user gets (or those of the file it replaces, under ``force``)."""
    try:
        try:
            mode = os.stat(path).st_mode & 0o7777 if force else None
        except FileNotFoundError:
            mode = None
        os.chmod(temp, mode if mode is not None else 0o666 & ~_umask())
        if force:
            os.replace(temp, path)
            return
        try:
            # A hard link fails if the name is taken, even by a file created a moment ago.
            os.link(temp, path)
        except FileExistsError:
            raise ExportError(
                _(
                    "{path} already exists: use --force to replace it, or choose another name"
                ).format(path=path)
            ) from None
        except OSError:  # a file system without hard links
            if path.exists():
                raise ExportError(
                    _(
                        "{path} already exists: use --force to replace it, or choose another name"
                    ).format(path=path)
                ) from None
            os.replace(temp, path)
    except OSError as err:
        raise ExportError(
            _("cannot write {path}: {error} (is it open in another program?)").format(
                path=path, error=err.strerror or err
            )
        ) from err
    finally:
        temp.unlink(missing_ok=True)


def text_writer(text: str) -> Callable[[Path], object]:
    """A ``write`` for :func:`write_atomically` that puts ``text`` in the file as UTF-8."""
    return lambda target: target.write_text(text, encoding="utf-8")


def write_atomically(path: Path, write: Callable[[Path], object], *, force: bool = False) -> Path:
    """Write ``path`` through a temporary file beside it: a failed export leaves no half file
    and an existing file stays as it was. ``write`` fills the temporary file it is given."""
    temp = temporary_beside(path)
    try:
        write(temp)
    except OSError as err:
        temp.unlink(missing_ok=True)
        raise ExportError(
            _("cannot write {path}: {error}").format(path=path, error=err.strerror or err)
        ) from err
    except BaseException:
        temp.unlink(missing_ok=True)
        raise
    publish(temp, path, force=force)
    return path
