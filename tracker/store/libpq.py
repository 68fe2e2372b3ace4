"""PostgreSQL's own client library, libpq, called through ctypes: the store's reads and the
app's listener.

psycopg's import alone (about a tenth of a second: asyncio, logging, its adapters) was most of
a read command's time on the shared database, and reads need none of it. Its binary wheel
ships libpq, which does everything that matters (the protocol, TLS, authentication, the
``PG*`` variables, ``.pgpass``, services); a dozen of its functions suffice here. Results
come back as one JSON document per query (``json_agg`` on the server, one ``json.loads``
here): one ctypes call per query instead of one per cell, and values typed as the readers
expect (numbers, booleans, JSON; dates and timestamps as ISO text, as SQLite gives them).
Writes still go through SQLAlchemy and psycopg.
"""

from __future__ import annotations

import ctypes
import json
import os
import re
import selectors
import sys
import time
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from pathlib import Path
from typing import Any

_P = ctypes.c_void_p
_S = ctypes.c_char_p
_I = ctypes.c_int

CONNECTION_OK, CONNECTION_BAD = 0, 1
POLLING_FAILED, POLLING_READING, POLLING_WRITING, POLLING_OK = 0, 1, 2, 3
PGRES_COMMAND_OK = 1
PGRES_TUPLES_OK = 2
PQTRANS_IDLE = 0
_SQLSTATE, _PRIMARY = ord("C"), ord("M")
_PARAMETER = re.compile(r"(?<![:\w]):(\w+)")
_SELECT_LIST_END = re.compile(
    r"(FROM|WHERE|GROUP|HAVING|ORDER|LIMIT|UNION|INTERSECT|EXCEPT)\b", re.I
)

# Parameter types as psycopg sends them: a str's type is left for the server to infer.
_BOOL, _INT8, _FLOAT8, _DATE, _TIMESTAMPTZ = 16, 20, 701, 1082, 1184


class PgError(Exception):
    """What libpq said went wrong (its own words), with the SQLSTATE when there is one."""

    def __init__(self, message: str, sqlstate: str | None = None) -> None:
        super().__init__(message)
        self.sqlstate = sqlstate


class _Notify(ctypes.Structure):
    _fields_ = (("relname", _S), ("be_pid", _I), ("extra", _S))


_SIGNATURES: dict[str, tuple[Any, list[Any]]] = {
    "PQconnectdbParams": (_P, [ctypes.POINTER(_S), ctypes.POINTER(_S), _I]),
    "PQstatus": (_I, [_P]),
    "PQerrorMessage": (_S, [_P]),
    "PQfinish": (None, [_P]),
    "PQconnectStartParams": (_P, [ctypes.POINTER(_S), ctypes.POINTER(_S), _I]),
    "PQconnectPoll": (_I, [_P]),
    "PQsendQuery": (_I, [_P, _S]),
    "PQsendQueryParams": (
        _I,
        [_P, _S, _I, ctypes.POINTER(ctypes.c_uint), ctypes.POINTER(_S), _P, _P, _I],
    ),
    "PQisBusy": (_I, [_P]),
    "PQgetResult": (_P, [_P]),
    "PQgetCancel": (_P, [_P]),
    "PQcancel": (_I, [_P, _S, _I]),
    "PQfreeCancel": (None, [_P]),
    "PQresultStatus": (_I, [_P]),
    "PQresultErrorMessage": (_S, [_P]),
    "PQresultErrorField": (_S, [_P, _I]),
    "PQntuples": (_I, [_P]),
    "PQgetvalue": (_P, [_P, _I, _I]),
    "PQgetlength": (_I, [_P, _I, _I]),
    "PQgetisnull": (_I, [_P, _I, _I]),
    "PQclear": (None, [_P]),
    "PQtransactionStatus": (_I, [_P]),
    "PQsocket": (_I, [_P]),
    "PQconsumeInput": (_I, [_P]),
    "PQnotifies": (ctypes.POINTER(_Notify), [_P]),
    "PQfreemem": (None, [_P]),
    "PQsetNoticeProcessor": (_P, [_P, _P, _P]),
}

# libpq's own notice processor writes the server's notices and warnings, and the last words
# of a connection the server ends, to the process's stderr: in the app, onto its screen.
# What matters arrives as an error of the call that meets it.
_NOTICE_PROCESSOR = ctypes.CFUNCTYPE(None, _P, _S)
_DISCARD_NOTICE = _NOTICE_PROCESSOR(lambda _arg, _message: None)

_LIBRARY: Any = None


def _candidates() -> list[str]:
    """Where libpq is: the copy psycopg's binary wheel ships (found without importing it),
    else the system's, found as psycopg finds it."""
    from importlib.util import find_spec

    found: list[str] = []
    spec = find_spec("psycopg_binary")
    for location in (spec and spec.submodule_search_locations) or ():
        package = Path(location)
        for folder in (package.parent / "psycopg_binary.libs", package / ".dylibs"):
            if folder.is_dir():
                if sys.platform == "win32":
                    os.add_dll_directory(str(folder))  # its libssl and libcrypto beside it
                found += sorted(str(p) for p in folder.glob("libpq*"))
    return found


def library() -> Any:
    """libpq, loaded once, its functions declared."""
    global _LIBRARY
    if _LIBRARY is not None:
        return _LIBRARY
    loaded = None
    for path in _candidates():
        try:
            loaded = ctypes.CDLL(path)
            break
        except OSError:
            continue
    if loaded is None:
        from psycopg.pq.misc import find_libpq_full_path  # slow, but psycopg's own rule

        system = find_libpq_full_path()
        if system is None:
            raise PgError("libpq, PostgreSQL's client library, was not found")
        loaded = ctypes.CDLL(system)
    for name, (restype, argtypes) in _SIGNATURES.items():
        function = getattr(loaded, name)
        function.restype, function.argtypes = restype, argtypes
    _LIBRARY = loaded
    return loaded


def _text(raw: bytes | None) -> str:
    return " ".join((raw or b"").decode("utf-8", "replace").split())


def _strings(values: Sequence[bytes | None]) -> Any:
    return (_S * len(values))(*values)


def _encode(value: Any) -> tuple[bytes | None, int]:
    if value is None:
        return None, 0
    if isinstance(value, bool):
        return (b"t" if value else b"f"), _BOOL
    if isinstance(value, int):
        return str(value).encode(), _INT8
    if isinstance(value, float):
        return repr(value).encode(), _FLOAT8
    if isinstance(value, datetime):
        return value.isoformat().encode(), _TIMESTAMPTZ
    if isinstance(value, date):
        return value.isoformat().encode(), _DATE
    return str(value).encode(), 0


_CONVERTED: dict[str, tuple[bytes, tuple[str, ...]]] = {}


def _numbered(sql: str) -> tuple[bytes, tuple[str, ...]]:
    """The store's ``:name`` parameters as libpq's ``$1``, and the names in that order."""
    converted = _CONVERTED.get(sql)
    if converted is None:
        names: list[str] = []

        def number(match: re.Match[str]) -> str:
            if match[1] not in names:
                names.append(match[1])
            return f"${names.index(match[1]) + 1}"

        text = _PARAMETER.sub(number, sql)
        # Every row as one JSON array, all in one document: one call to fetch, one to
        # decode. The subquery's columns are renamed (so two of one name both arrive); more
        # names than columns is an error, and json_agg takes a subquery's rows in its order.
        names_ = ", ".join(f"c{i}" for i in range(select_width(sql)))
        wrapped = (
            f"SELECT coalesce(json_agg(json_build_array({names_})), '[]') "
            f"FROM ({text}) AS t({names_})"
        )
        converted = _CONVERTED[sql] = (wrapped.encode(), tuple(names))
    return converted


def select_width(sql: str) -> int:
    """How many columns the SELECT ``sql`` gives: its select list's top-level commas, plus
    one. Every query is the store's own (``tracker.store.queries``), and a test checks this
    count against the server's for each of them."""
    text = sql.strip()
    if text[:7].upper() != "SELECT ":
        raise ValueError(f"not a SELECT: {text[:40]!r}")
    depth, quoted, commas = 0, False, 0
    for position in range(7, len(text)):
        char = text[position]
        if char == "'":
            quoted = not quoted
        elif quoted:
            continue
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif depth == 0:
            if char == ",":
                commas += 1
            elif char == "*":
                raise ValueError(f"name the columns, not *: {text[:40]!r}")
            elif char.isspace() and _SELECT_LIST_END.match(text, position + 1):
                break
    return commas + 1


class PgConnection:
    """One libpq connection, used by one thread at a time."""

    def __init__(self, params: Mapping[str, Any]) -> None:
        self.pq = library()
        settings = {"client_encoding": "UTF8", **{k: str(v) for k, v in params.items()}}
        keywords = [k.encode() for k in settings] + [None]
        values = [v.encode() for v in settings.values()] + [None]
        # Connected step by step, as psycopg does: the server's notices are silenced from
        # the start, and the waits are Python's, so Ctrl-C interrupts them.
        self.handle: int | None = self.pq.PQconnectStartParams(
            _strings(keywords), _strings(values), 0
        )
        if self.handle is None:
            raise PgError("out of memory")
        self.pq.PQsetNoticeProcessor(self.handle, ctypes.cast(_DISCARD_NOTICE, _P), None)
        # libpq leaves connect_timeout to whoever polls: it is each host's.
        seconds = float(settings.get("connect_timeout") or 0)
        hosts = settings.get("host", "").count(",") + 1
        try:
            self._connect(time.monotonic() + seconds * hosts if seconds > 0 else None)
        except BaseException:
            self.close()
            raise

    def _connect(self, deadline: float | None) -> None:
        handle = self._open()
        if self.pq.PQstatus(handle) == CONNECTION_BAD:
            raise PgError(_text(self.pq.PQerrorMessage(handle)))
        poll = POLLING_WRITING  # before the first poll, as libpq's manual says
        while poll != POLLING_OK:
            if poll == POLLING_FAILED:
                raise PgError(_text(self.pq.PQerrorMessage(handle)))
            if not self._wait(write=poll == POLLING_WRITING, deadline=deadline):
                raise PgError("timeout expired")
            poll = self.pq.PQconnectPoll(handle)

    def _wait(self, *, write: bool, deadline: float | None = None) -> bool:
        """Wait for the socket to be ready (False: the deadline came first)."""
        handle = self._open()
        socket = self.pq.PQsocket(handle)
        if socket < 0:
            raise PgError(_text(self.pq.PQerrorMessage(handle)) or "the connection is closed")
        events = selectors.EVENT_WRITE if write else selectors.EVENT_READ
        with selectors.DefaultSelector() as selector:
            selector.register(socket, events)
            while True:
                timeout = None if deadline is None else max(0.0, deadline - time.monotonic())
                if selector.select(timeout):
                    return True
                if deadline is not None and time.monotonic() >= deadline:
                    return False

    def _execute(self, sent: int, expected: int) -> int:
        """The result of the query just sent (``sent``: what the send returned), waited for
        in Python: Ctrl-C cancels it on the server and closes the connection."""
        handle = self._open()
        if not sent:
            raise PgError(_text(self.pq.PQerrorMessage(handle)))
        results: list[int] = []
        try:
            while True:
                while self.pq.PQisBusy(handle):
                    self._wait(write=False)
                    if not self.pq.PQconsumeInput(handle):
                        raise PgError(_text(self.pq.PQerrorMessage(handle)))
                result = self.pq.PQgetResult(handle)
                if not result:
                    break
                results.append(result)
        except BaseException as err:
            for result in results:
                self.pq.PQclear(result)
            if not isinstance(err, PgError):  # Ctrl-C: the query is still running there
                self._cancel()
            self.close()
            raise
        if not results:
            raise PgError(_text(self.pq.PQerrorMessage(handle)))
        # One statement, one result; an error, if any, is the one to tell.
        failed = [r for r in results if self.pq.PQresultStatus(r) != expected]
        chosen = failed[0] if failed else results[-1]
        for result in results:
            if result != chosen:
                self.pq.PQclear(result)
        self._result(chosen, expected, keep=True)
        return chosen

    def _cancel(self) -> None:
        if self.handle is None:
            return
        cancel = self.pq.PQgetCancel(self.handle)
        if cancel:
            self.pq.PQcancel(cancel, ctypes.create_string_buffer(256), 256)
            self.pq.PQfreeCancel(cancel)

    @property
    def usable(self) -> bool:
        """Open, and its last exchange with the server did not break it."""
        return self.handle is not None and self.pq.PQstatus(self.handle) == CONNECTION_OK

    @property
    def idle(self) -> bool:
        """Outside any transaction."""
        return self.usable and self.pq.PQtransactionStatus(self.handle) == PQTRANS_IDLE

    def command(self, sql: str) -> None:
        """Run statements that return no rows (``BEGIN``, ``ROLLBACK``, ``LISTEN``)."""
        handle = self._open()
        sent = self.pq.PQsendQuery(handle, sql.encode())
        self.pq.PQclear(self._execute(sent, PGRES_COMMAND_OK))

    def rows(self, sql: str, params: Mapping[str, Any] | None = None) -> list[Sequence[Any]]:
        """Every row of the SELECT ``sql`` (named ``:parameters`` from ``params``): a
        ``Reader`` once inside a transaction (``tracker.store.pgread``)."""
        wrapped, names = _numbered(sql)
        given = params or {}
        encoded = [_encode(given[name]) for name in names]
        values = _strings([value for value, _type in encoded])
        types = (ctypes.c_uint * len(encoded))(*(oid for _value, oid in encoded))
        handle = self._open()
        sent = self.pq.PQsendQueryParams(
            handle, wrapped, len(encoded), types, values, None, None, 0
        )
        result = self._execute(sent, PGRES_TUPLES_OK)
        try:
            size = self.pq.PQgetlength(result, 0, 0)
            document = ctypes.string_at(self.pq.PQgetvalue(result, 0, 0), size)
        finally:
            self.pq.PQclear(result)
        return list(map(tuple, json.loads(document)))

    def notifications(self, timeout: float) -> list[str]:
        """The payloads of the notifications received, waiting up to ``timeout`` seconds for
        the first."""
        handle = self._open()
        found = self._take_notifications()
        if found:
            return found
        ready = self._wait(write=False, deadline=time.monotonic() + timeout)
        if ready and not self.pq.PQconsumeInput(handle):
            raise PgError(_text(self.pq.PQerrorMessage(handle)))
        return self._take_notifications()

    def _take_notifications(self) -> list[str]:
        payloads: list[str] = []
        while True:
            notify = self.pq.PQnotifies(self.handle)
            if not notify:
                return payloads
            payloads.append((notify.contents.extra or b"").decode("utf-8", "replace"))
            self.pq.PQfreemem(ctypes.cast(notify, _P))

    def close(self) -> None:
        if self.handle is not None:
            self.pq.PQfinish(self.handle)
            self.handle = None

    def _open(self) -> int:
        if self.handle is None:
            raise PgError("the connection is closed")
        return self.handle

    def _result(self, result: int | None, expected: int, *, keep: bool = False) -> None:
        if result is None:
            raise PgError(_text(self.pq.PQerrorMessage(self._open())))
        if self.pq.PQresultStatus(result) != expected:
            # The message alone, as psycopg gives it (not the severity, nor the query's text).
            primary = self.pq.PQresultErrorField(result, _PRIMARY)
            message = _text(primary or self.pq.PQresultErrorMessage(result))
            state = self.pq.PQresultErrorField(result, _SQLSTATE)
            self.pq.PQclear(result)
            raise PgError(message, state.decode() if state else None)
        if not keep:
            self.pq.PQclear(result)
