"""One strict reader for the spreadsheets people save: every CSV import goes through it.

What Excel (Windows and Mac), LibreOffice and Google Sheets write differs in encoding
(UTF-8 with or without BOM, UTF-16 "Unicode text", Windows-1252, Mac Roman), separator
(``,`` ``;`` or tab, by the machine's list separator) and line endings (CRLF, LF, CR alone
from Excel for Mac). All of them are read; anything that would make a row merge into
another or split in two is refused with the line it starts on:

- a quote left open (the rows after it would become one cell);
- a quoted cell running over a line that looks like a row of its own (a stray quote that
  happens to close further down);
- a row with more values than the header (an unquoted separator inside a cell);
- a cell larger than :data:`CELL_LIMIT` characters.

Every problem is a :class:`~tracker.errors.RowErrors` whose lines read ``FILE:LINE: ...``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass

from tracker.errors import InputError, RowErrors
from tracker.i18n import _

# Notes, titles and links are text a person typed; a megabyte in one cell is a mistake
# (a whole document pasted in) rather than a note, and would bloat every export.
CELL_LIMIT = 1_000_000
SEPARATORS = (",", ";", "\t")
SEPARATOR_NAMES = {",": "','", ";": "';'", "\t": "tab"}
# Letters a Spanish or English text uses beyond ASCII: the decoding that yields more of them
# is the one the file was written in (Windows-1252 and Mac Roman put them at other bytes).
_LETTERS = frozenset("áéíóúñüÁÉÍÓÚÑÜ¿¡ºª€°çàèìòùâêîôûäëïöÇÀÈ")
ENCODING_NAMES = {
    "utf-8": "UTF-8",
    "utf-8-sig": "UTF-8",
    "utf-16": "UTF-16",
    "cp1252": "Windows-1252 (cp1252)",
    "mac_roman": "Mac Roman",
    "latin-1": "Latin-1 (ISO-8859-1)",
}


@dataclass(frozen=True, slots=True)
class CsvRow:
    line: int  # the physical line the row starts on, 1-based
    cells: list[str]


@dataclass(frozen=True, slots=True)
class CsvTable:
    path: str
    encoding: str
    delimiter: str
    header: list[str]
    header_line: int
    rows: list[CsvRow]

    @property
    def encoding_notice(self) -> str | None:
        """One sentence saying the file was not UTF-8 and how it was read (None if UTF-8)."""
        if self.encoding in ("utf-8", "utf-8-sig"):
            return None
        return _("{path}: not UTF-8; read as {encoding}").format(
            path=self.path, encoding=ENCODING_NAMES[self.encoding]
        )


def decode(data: bytes) -> tuple[str, str]:
    """(text, encoding): UTF-8 (BOM or not), UTF-16 with a BOM, else the 8-bit code page
    that reads as the most letters (Windows-1252 or Mac Roman), else Latin-1."""
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data[3:].decode("utf-8"), "utf-8-sig"
        except UnicodeDecodeError:
            pass  # a BOM on a file that is not UTF-8 after all: read it as 8-bit below
    elif data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16"), "utf-16"
        except UnicodeDecodeError:
            pass
    else:
        try:
            return data.decode("utf-8"), "utf-8"
        except UnicodeDecodeError:
            pass
    candidates: list[tuple[int, int, str, str]] = []
    for rank, encoding in enumerate(("cp1252", "mac_roman")):
        try:
            text = data.decode(encoding)
        except UnicodeDecodeError:
            continue
        letters = sum(text.count(letter) for letter in _LETTERS)  # C loops: 1/3 of the time
        candidates.append((letters, -rank, text, encoding))
    if candidates:
        _score, _rank, text, encoding = max(candidates)
        return text, encoding
    return data.decode("latin-1"), "latin-1"  # pragma: no cover - mac_roman decodes any byte


def read_file(path: str) -> tuple[str, str]:
    """(text, encoding) of the file, or an InputError saying in one line why not."""
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError as err:
        raise InputError(
            _("cannot read {path}: {error}").format(path=path, error=err.strerror or err)
        ) from err
    return decode(data)


def sniff_delimiter(text: str) -> str:
    """The separator of the first non-empty line, counted outside quotes: the one that
    splits it into the most cells (a comma when it holds none)."""
    counts = dict.fromkeys(SEPARATORS, 0)
    quoted = False
    seen = False
    for char in text:
        if char == '"':
            quoted = not quoted
        elif not quoted and char in "\r\n":
            if seen:
                break
        elif not quoted and char in counts:
            counts[char] += 1
        seen = seen or not char.isspace()
    best = max(SEPARATORS, key=lambda s: counts[s])
    return best if counts[best] else ","


_QUOTED = re.compile(r'"([^"]*(?:""[^"]*)*)"')
_BARE = {sep: re.compile(f'[^"{re.escape(sep)}\r\n]*') for sep in SEPARATORS}


def _excerpt(text: str, start: int, stop: int) -> str:
    return text[start:stop].split("\n")[0].split("\r")[0]


def _breaks(text: str) -> int:
    return text.count("\n") + text.count("\r") - text.count("\r\n")


def _records(path: str, text: str, delimiter: str) -> Iterator[CsvRow]:
    """Every record with the line it starts on, read as RFC 4180 and the spreadsheets
    write it: a line ends at CRLF, LF or CR alone (Excel for Mac); a cell holding the
    separator, a quote or a line break is quoted, its quotes doubled. Anything else with a
    quote in it is refused with its line: the csv module would keep reading and merge the
    rows below into one cell, or quietly keep a stray quote."""
    bare = _BARE[delimiter]
    pos, line, end = 0, 1, len(text)

    def refuse(message: str) -> RowErrors:
        return RowErrors([f"{path}:{line}: {message}"])

    while pos < end:
        start = line
        cells: list[str] = []
        while True:
            if text.startswith('"', pos):
                match = _QUOTED.match(text, pos)
                if match is None:
                    raise refuse(
                        _(
                            "a quote opened in this row is never closed: the rows below it "
                            "would become one cell; close the quote or remove it"
                        )
                    )
                cells.append(match.group(1).replace('""', '"'))
                line += _breaks(match.group(1))
                pos = match.end()
                if pos < end and text[pos] not in (delimiter, "\r", "\n"):
                    raise refuse(
                        _(
                            "a quoted cell goes on after its closing quote ({text!r}): quote "
                            "the whole cell and double any quote inside it"
                        ).format(text=_excerpt(text, match.start(), pos + 10))
                    )
            else:
                found = bare.match(text, pos)
                assert found is not None  # the pattern matches the empty string
                pos = found.end()
                if text.startswith('"', pos):
                    raise refuse(
                        _(
                            "a quote inside a cell that is not quoted ({text!r}): quote the "
                            "whole cell and double any quote inside it, as spreadsheets do"
                        ).format(text=_excerpt(text, found.start(), pos + 10))
                    )
                cells.append(found.group())
            if pos >= end:
                break
            if text[pos] == delimiter:
                pos += 1
                continue
            pos += 2 if text.startswith("\r\n", pos) else 1
            line += 1
            break
        yield CsvRow(start, cells)


def _span_problem(row: CsvRow, delimiter: str, width: int) -> str | None:
    """A cell running over a line that is itself a row is a stray quote closing late."""
    needed = max(2, width - 1)
    for cell in row.cells:
        if "\n" not in cell and "\r" not in cell:
            continue
        lines = cell.replace("\r\n", "\n").replace("\r", "\n").split("\n")
        for part in lines[1:]:
            if part.count(delimiter) >= needed:
                return _(
                    "a quote opened in this row runs over a line that looks like a row of "
                    "its own ({text!r}): close the quote where the cell ends"
                ).format(text=part[:60])
    return None


def parse_table(path: str, text: str, encoding: str = "utf-8") -> CsvTable:
    """The header and rows of ``text``, read strictly (see the module's docstring).

    Blank rows are skipped; rows shorter than the header are padded with empty cells;
    empty cells after the last column are ignored.
    """
    text = text.removeprefix("\ufeff")
    if "\x00" in text:
        raise RowErrors(
            [f"{path}:1: " + _("this is not a text file (it holds NUL bytes); save it as CSV")]
        )
    delimiter = sniff_delimiter(text)
    header: list[str] | None = None
    header_line = 1
    rows: list[CsvRow] = []
    errors: list[str] = []
    for row in _records(path, text, delimiter):
        big = max((len(c) for c in row.cells), default=0)
        if big > CELL_LIMIT:
            errors.append(
                f"{path}:{row.line}: "
                + _(
                    "a cell of {size} characters is larger than the limit of {limit} characters"
                ).format(size=big, limit=CELL_LIMIT)
            )
            continue
        if not any(c.strip() for c in row.cells):
            continue
        if header is None:
            header, header_line = row.cells, row.line
            continue
        span = _span_problem(row, delimiter, len(header))
        if span is not None:
            errors.append(f"{path}:{row.line}: {span}")
            continue
        cells = row.cells
        if len(cells) > len(header):
            if any(c.strip() for c in cells[len(header) :]):
                errors.append(
                    f"{path}:{row.line}: "
                    + _(
                        "{found} values for {expected} columns: quote any value that contains "
                        "the separator {sep}"
                    ).format(found=len(cells), expected=len(header), sep=SEPARATOR_NAMES[delimiter])
                )
                continue
            cells = cells[: len(header)]
        elif len(cells) < len(header):
            cells = cells + [""] * (len(header) - len(cells))
        rows.append(CsvRow(row.line, cells))
    if errors:
        raise RowErrors(errors)
    if header is None:
        raise RowErrors([f"{path}:1: " + _("the file is empty")])
    return CsvTable(path, encoding, delimiter, header, header_line, rows)


def read_table(path: str) -> CsvTable:
    """Read, decode and parse the CSV file at ``path``."""
    text, encoding = read_file(path)
    return parse_table(path, text, encoding)
