#!/usr/bin/env python3
"""Run the tracker or its tests from a fresh clone, with nothing but Python 3.11+.

    python3 dev.py tracker [ARGS...]   the tracker itself (e.g. `plan schedule`)
    python3 dev.py test [PYTEST ARGS]  the whole test suite
    python3 dev.py lint                ruff, mypy and the import contracts

The first run creates .venv/ and installs the project with its test tools into it; later
runs reinstall only when pyproject.toml changes.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".installed"


def ensure_environment() -> None:
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be started by an older python3
        sys.exit(f"Python 3.11 or newer is needed (this is {sys.version.split()[0]}).")
    digest = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest and PYTHON.exists():
        return
    if not PYTHON.exists():
        step(1, "Creating the virtual environment .venv")
        venv.EnvBuilder(with_pip=True).create(VENV)
    step(2, "Updating pip")
    quiet([str(PYTHON), "-m", "pip", "install", "--quiet", "--upgrade", "pip"])
    step(3, "Installing the tracker and its test tools (a minute or two, once)")
    install = [str(PYTHON), "-m", "pip", "install", "--quiet", "-e", ".[dev]"]
    # A plain path entry (compat mode), not setuptools' import hook: the hook costs every
    # Python start in .venv 20 ms, which every command and benchmark would pay. setuptools
    # calls the mode transitional and warns so, at length, to packagers: not to our users
    # (its warnings are silenced; pip's output shows only if the install fails). Should the
    # mode go, the default mode still works.
    compat = [*install[:4], "--config-settings", "editable_mode=compat", *install[4:]]
    if not quiet(compat, check=False):
        quiet(install)
    STAMP.write_text(digest)
    print("Ready.", file=sys.stderr)


def step(number: int, what: str) -> None:
    print(f"[{number}/3] {what}…", file=sys.stderr, flush=True)


def quiet(command: list[str], check: bool = True) -> bool:
    """Run ``command`` without its chatter; on failure, show it (and exit if ``check``)."""
    env = {**os.environ, "PYTHONWARNINGS": "ignore", "PIP_DISABLE_PIP_VERSION_CHECK": "1"}
    done = subprocess.run(command, cwd=ROOT, env=env, capture_output=True, text=True)
    if done.returncode != 0 and check:
        sys.stderr.write(done.stdout + done.stderr)
        sys.exit(done.returncode)
    return done.returncode == 0


def main(argv: list[str]) -> int:
    if not argv or argv[0] not in ("tracker", "test", "lint"):
        print(__doc__)
        return 2
    ensure_environment()
    command, rest = argv[0], argv[1:]
    if command == "tracker":
        return subprocess.call([str(PYTHON), "-m", "tracker", *rest])
    if command == "test":
        return subprocess.call([str(PYTHON), "-m", "pytest", *rest], cwd=ROOT)
    steps = [
        ["ruff", "check", "."],
        ["ruff", "format", "--check", "tracker", "tui"],
        ["mypy"],
        ["lint-imports"],
    ]
    failed = 0
    for step in steps:
        print("$", " ".join(step), flush=True)
        failed |= subprocess.call([str(BIN / step[0]), *step[1:]], cwd=ROOT)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
