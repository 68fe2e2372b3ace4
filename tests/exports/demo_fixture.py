"""The demo database (tracker/demo/generate.py), built once per test module."""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from datetime import date
from pathlib import Path

from tracker.demo.generate import create_demo_database
from tracker.exporters.common import ExportData, load_export_data
from tracker.plan.load import load_plan

from ..conftest import PLAN


def build(directory: Path) -> str:
    url = f"sqlite:///{directory / 'demo.db'}"
    create_demo_database(url, load_plan(str(PLAN)))
    return url


def state(url: str, as_of: date) -> ExportData:
    from tracker.store.store import Store

    return load_export_data(Store(url), as_of)


@contextlib.contextmanager
def database(url: str) -> Iterator[None]:
    old = os.environ.get("TRACKER_DB")
    os.environ["TRACKER_DB"] = url
    try:
        yield
    finally:
        if old is None:
            os.environ.pop("TRACKER_DB", None)
        else:
            os.environ["TRACKER_DB"] = old


def cli(url: str, *argv: str) -> tuple[int, str, str]:
    """``tracker argv`` in-process against ``url``: exit code, stdout, stderr."""
    from tracker.cli import main

    out, err = io.StringIO(), io.StringIO()
    with database(url), contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            code = main(list(argv))
        except SystemExit as exc:
            code = int(exc.code or 0)
    return code, out.getvalue(), err.getvalue()
