"""Shared by the hardening tests: run the CLI in-process, dump every table, serve a dead port."""

from __future__ import annotations

import socket
import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, inspect, text

from tracker.cli import main

TABLES = ("plans", "items", "deliverables", "changes", "comm_activities", "alembic_version")


@dataclass(frozen=True, slots=True)
class Result:
    code: int
    out: str
    err: str

    @property
    def lines(self) -> list[str]:
        return self.err.strip().splitlines()

    def refused(self, *fragments: str) -> bool:
        """Exit 2 with exactly one line on stderr that holds every fragment, no traceback."""
        return (
            self.code == 2
            and len(self.lines) == 1
            and "Traceback" not in self.err
            and all(f in self.lines[0] for f in fragments)
        )


def cli(capsys: pytest.CaptureFixture[str], *args: str) -> Result:
    """``tracker ARGS`` in this process (sqlite-utils' CliRunner habit)."""
    capsys.readouterr()
    try:
        code = main(list(args))
    except SystemExit as exit_:  # argparse
        code = int(exit_.code or 0)
    captured = capsys.readouterr()
    return Result(code, captured.out, captured.err)


def dump(url: str) -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table, in a stable order (empty dict for no database)."""
    if url.startswith("sqlite:///"):
        path = Path(url[len("sqlite:///") :])
        if not path.exists():
            return {}
        with sqlite3.connect(path) as conn:
            names = {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
            return {
                t: conn.execute(f"SELECT * FROM {t} ORDER BY 1").fetchall()
                for t in TABLES
                if t in names
            }
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            present = set(inspect(conn).get_table_names())
            return {
                t: [tuple(r) for r in conn.execute(text(f"SELECT * FROM {t} ORDER BY 1"))]
                for t in TABLES
                if t in present
            }
    finally:
        engine.dispose()


@contextmanager
def silent_server() -> Iterator[int]:
    """A local TCP port that accepts connections and never says a word (a hung server):
    yields the port; everything is closed on exit."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.2)
    accepted: list[socket.socket] = []
    stop = threading.Event()

    def serve() -> None:
        while not stop.is_set():
            try:
                conn, _addr = listener.accept()
            except (TimeoutError, OSError):
                continue
            accepted.append(conn)

    thread = threading.Thread(target=serve, daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for conn in accepted:
            conn.close()
        listener.close()


def closed_port() -> int:
    """A local port nobody listens on (bound, then released)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
