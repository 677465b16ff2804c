"""The lines of a CSV table as its reader takes them (``csv_table.py``): decoded one at a
time, so that a byte of another encoding names its line; and, where the csv reader gives up on
a row, how far that row runs (a quoted field never closed, a stray quotation mark), so that it
is refused whole and the rows after it are read as rows."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from itertools import chain, islice

from annotator.formats.files import text_lines

#: How many lines past where the csv reader stopped a broken row may run on (its field
#: of several paragraphs: a stray mark early in a text of 10,000 lines left the rest to be
#: read as rows, 9,998 articles); read as needed, rows of their own stop it sooner.
_LOOK_AHEAD = 20_000
#: How many lines between a broken row's first and the mark it would end at are looked at
#: for rows with no quotation mark (``_mostly_plain_rows``).
_PLAIN_ROWS = 20


def _decoded(line: bytes) -> str:
    return line.decode("utf-8", "replace").rstrip("\r\n")


def _scan(
    lines: Iterable[bytes], delimiter: str, strays_close: bool, seen: list[bytes]
) -> tuple[int, int] | None:
    """Read ``lines`` (each kept in ``seen``) from the start of a row as a CSV reader
    would: how many of them the row takes and how many fields it has, or None if it runs
    past them. In a quoted field a doubled mark is a mark and one before the separator or
    the line's end closes it; any other mark is a stray, which either ends the quoting
    there (``strays_close``: Python's csv, not strict) or is part of the field (what the
    writer meant, a mark not doubled)."""
    fields, quoted = 1, False
    for taken, raw in enumerate(lines, 1):
        seen.append(raw)
        line, i = _decoded(raw), 0
        while i <= len(line):
            if quoted:
                i = line.find('"', i)
                if i < 0:
                    break  # (the field goes on on the next line)
                after = line[i + 1 : i + 2]
                if after == '"':
                    i += 2
                    continue
                if after in ("", delimiter) or strays_close:
                    quoted = False
                i += 1
                continue
            if line.startswith('"', i):  # (at a field's start: a quoted field opens)
                quoted, i = True, i + 1
                continue
            i = line.find(delimiter, i)  # (a mark inside a field not quoted is a mark)
            if i < 0:
                break
            fields, i = fields + 1, i + 1
        if not quoted:
            return taken, fields
        if strays_close:
            return None  # (what a lenient reader makes of one line alone)
    return None


def _a_row_of_its_own(lines: list[bytes], k: int, end: int, delimiter: str, count: int) -> bool:
    """Whether ``lines[k:end]`` begin with a whole row of the header's columns, read
    strictly, whose first line opens a quoted field: a row of its own (of one line or several), not
    the end of a broken one. (A line of a quoted text may look like a row, "Aleppo, at
    dawn", and the last line of one too: 'the town fell.",B,u2', a mark inside a field
    not quoted.)"""
    first = _decoded(lines[k])
    if not (first.startswith('"') or delimiter + '"' in first):
        return False
    row_lines = (_decoded(lines[j]) for j in range(k, end))
    try:
        row = next(csv.reader(row_lines, delimiter=delimiter, strict=True))
    except (csv.Error, StopIteration):
        return False
    return len(row) == count


def _broken_row_end(
    lines: list[bytes], more: Iterable[bytes], delimiter: str, count: int
) -> tuple[int, int]:
    """How many lines the row the csv reader gave up on takes, of ``lines`` (those it
    took) and ``more`` (read as needed, kept in ``lines``); and how many of them a broken
    row begun among them need not look through again (none has an end for it there).

    Its first line alone where that is a row of the header's columns once a stray mark
    ends the quoting (an inch mark: 'The 5" shell hit Homs'); else as far as the mark
    that closes its quoted field, its strays read as the writer meant them, where that
    gives the header's columns and passes neither rows with no mark, mostly, nor a row of
    its own; else its first line alone."""
    if _scan(lines[:1], delimiter, True, []) == (1, count):
        return 1, 0
    seen: list[bytes] = []
    meant = _scan(chain(lines, more), delimiter, False, seen)
    lines[:] = seen + lines[len(seen) :]
    if meant is None:
        return 1, len(lines)
    end = meant[0]
    if _mostly_plain_rows(lines[1 : end - 1], delimiter, count):
        # (a row begun more than 20 lines before its end would run on to the same mark,
        # over the same rows: 5,000 such rows scanned 15,000 lines each, 50 s)
        return 1, end - _PLAIN_ROWS
    if meant[1] != count or any(
        _a_row_of_its_own(lines, k, end, delimiter, count) for k in range(1, end)
    ):
        return 1, 0
    return end, 0


def _mostly_plain_rows(lines: list[bytes], delimiter: str, count: int) -> bool:
    """Whether ``lines`` (20 or more) are rows more than a text: half of them at least give
    the header's columns, three or more, with no quotation mark. A mark never closed, in a
    table that quotes nothing, ran on to a later text ending in a mark: 10,000 rows were
    refused as its lines. (A few lines of a text may look like rows: "Aleppo, at dawn".)"""
    if len(lines) < _PLAIN_ROWS or count < 3:  # (one comma a line is prose as often)
        return False
    plain = sum(
        1 for line in lines if b'"' not in line and len(_decoded(line).split(delimiter)) == count
    )
    return plain * 2 >= len(lines)


class CsvLines:
    """The file's lines, decoded one at a time (ended by LF, CRLF or a CR alone), for the csv
    reader; how many were read (``number``), the first of the row being read that is not
    UTF-8 (``bad``, with ``problem`` saying why: its row is then left out whole), and where
    a row the csv reader gave up on ends (``end_broken_row``)."""

    def __init__(self, file: Iterable[bytes]):
        self._raw: Iterator[bytes] = text_lines(file)
        # Lines read from the file to be read again, first: a chain of iterators per row
        # read again nested deeper each time (150,000 broken rows took ten minutes).
        self._again: deque[bytes] = deque()
        self.number = 0  # lines read
        self.bad = 0
        self.problem = ""
        self._row: list[bytes] = []  # the lines of the row being read
        #: A broken row begun before this line is its first line alone: one begun before
        #: it found no end for its field in the lines it looked at, or only one over mostly
        #: plain rows, and a later one would find the same (a table that quotes nothing,
        #: with thousands of marks never closed, looked 20,000 lines ahead for each, and
        #: took minutes and gigabytes).
        self._no_end_before = 0

    def new_row(self) -> int:
        """A row begins at the next line: its number."""
        self._row = []
        return self.number + 1

    def read_again(self, count: int) -> None:
        """The last ``count`` lines of the row come again from the next reads (the csv
        reader takes a line it was given before, even after it met the end of the file)."""
        if count:
            again, self._row = self._row[-count:], self._row[:-count]
            self._again.extendleft(reversed(again))
            self.number -= count

    def unquoted_row(self, delimiter: str, count: int) -> list[str] | None:
        """The row's first line as written, in a tab-separated table that quotes nothing
        (PostgreSQL's COPY, GDELT's files, a script's joined fields): a text opening with a
        quotation (``"We will not retreat," the commander said``) was refused as a quoted
        field ending early. Only where its tabs give the header's columns; the lines the
        reader took after it are read again. Else None."""
        if delimiter != "\t" or not self._row:
            return None
        fields = _decoded(self._row[0]).split("\t")
        if len(fields) != count:
            return None
        self.read_again(len(self._row) - 1)
        return fields

    def end_broken_row(self, delimiter: str, count: int) -> None:
        """Where a row the csv reader gave up on ends. The reader goes on at the line after
        the one it stopped on, which may still be inside the row's quoted field (its lines
        came in as rows of their own), or took lines of other rows into a field a stray
        mark opened (they were lost with it). Its end is found among the lines it took and
        a few after (``_broken_row_end``); the lines after its end are read again."""
        taken = len(self._row)
        begun = self.number - taken + 1
        lines = list(self._row)
        if begun < self._no_end_before:
            end = 1
        else:
            ahead = islice(self._next_lines(), _LOOK_AHEAD)
            end, no_end = _broken_row_end(lines, ahead, delimiter, count)
            if no_end:
                self._no_end_before = max(self._no_end_before, begun + no_end - 1)
        self._again.extendleft(reversed(lines[end:]))
        self.number += end - taken
        self._row = lines[:end]

    def _next_lines(self) -> Iterator[bytes]:
        """The lines after those read, not counted as read (``end_broken_row``). (Not
        ``yield from`` the file's lines: closing this generator would close them too, and
        the rows after the broken one were lost.)"""
        while self._again:
            yield self._again.popleft()
        yield from iter(lambda: next(self._raw, None), None)  # (closing that closes nothing)

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = self._again.popleft() if self._again else next(self._raw)
        self.number += 1
        self._row.append(raw)
        if self.number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        try:
            return raw.decode("utf-8")
        except UnicodeDecodeError as error:
            if not self.bad:
                self.bad = self.number
                self.problem = (
                    f"not UTF-8 text (byte {error.start} of the line: {raw[error.start]:#04x}; "
                    "save the table as UTF-8)"
                )
            return raw.decode("utf-8", "replace")
