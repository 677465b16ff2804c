"""``csv``: a table of articles, one per row, as news scrapers and spreadsheets write them.

The first row names the columns: one holds the text (``text``, else the first there of
``article_fields.TEXT_FIELDS``: ``full_text``, ``maintext``, ..., ``content``, ACLED's
``notes``; spelled any way), and ``title``, ``url``, ``source`` and ``published`` (or
``date``, ``date_publish``, ``publish_date``, ``publishedAt``) are the article's fields;
every other column with something in it goes to the article's metadata,
as a JSON Lines record's other fields do (a column with no name as ``column_3``, a second of
one name as ``author_2``). Commas, semicolons or tabs separate the columns (told by the
header row, or by Excel's ``sep=;`` line before it; a ``.tsv`` is tab-separated); a quoted
field may hold commas, quotes (doubled) and line breaks. A field that opens with a quotation
mark it does not close at the field's end is refused, naming its row's lines
(``--skip-invalid`` leaves that row out, all its lines), rather than read as the start of a
field that swallows the rows after it unsaid (but a tab-separated row of one line, as tools
that quote nothing write, is read as written); a quotation mark inside a field not quoted is
kept, as spreadsheets read it. UTF-8, with or without a byte-order mark; each line is
decoded on its own, so that a byte of another encoding names its line, and
``--skip-invalid`` leaves out that row alone.
Texts only: annotations come in the annotated formats (doccano's and Label Studio's CSV
exports are for text classification).
"""

from __future__ import annotations

import csv
import re
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import replace
from itertools import chain, islice
from pathlib import Path

from annotator.core.text import normalize_newlines
from annotator.formats.article_fields import (
    METADATA,
    PUBLISHED_ALIASES,
    TEXT_FIELDS,
    article_from,
    folded_name,
    published_text,
    text_field,
)
from annotator.formats.base import Format, FormatError, ImportedDocument, Invalid
from annotator.formats.file_kinds import not_text
from annotator.formats.files import first_byte, text_lines
from annotator.formats.records import BadValue

#: Longest field read (csv's own limit, 128 KiB, refused a long report as "field larger
#: than field limit").
_FIELD_LIMIT = 2**31 - 1
#: Excel's first line naming the separator ("sep=;"), before the header.
_EXCEL_SEPARATOR = re.compile(r"sep=(.)\s*$")
_DIGITS = re.compile(r"[0-9]+")  # (str.isdigit takes "²" and "٢٠٢٤", which int() refuses)
#: How many lines past where the csv reader stopped a broken row may run on (its field
#: of several paragraphs: a stray mark early in a text of 10,000 lines left the rest to be
#: read as rows, 9,998 articles); read as needed, rows of their own stop it sooner.
_LOOK_AHEAD = 20_000
#: How many lines between a broken row's first and the mark it would end at are looked at
#: for rows with no quotation mark (``_mostly_plain_rows``).
_PLAIN_ROWS = 20
_JOINED_ROWS = (
    "with tabs on several lines of one field: if the table quotes nothing, those are rows "
    "read as one, from a field that opens with a quotation mark to one that ends with it "
    "(quote the table's fields)"
)
_QUOTING = (
    "a quotation mark opens a field it does not close, or stands inside a field not "
    'quoted: quote the whole field and double the quotation marks in it ("" for ")'
)


def read_csv(path: Path) -> Iterator[ImportedDocument | Invalid]:
    """Each row with a text, as an article; a row that cannot be one is ``Invalid``."""
    csv.field_size_limit(_FIELD_LIMIT)
    with path.open("rb") as file:
        # (UTF-16 first: saved as UTF-8, JSON then says which format it is)
        if b"\x00" in (start := file.read(4096)):
            raise FormatError(path, not_text(start), 1)
        head = first_byte(path)  # (past a BOM and blank lines)
        if head == b"":
            raise FormatError(path, "empty file")
        if head in (b"{", b"["):
            raise FormatError(path, "holds JSON, not a table: give --format jsonl (or doccano)", 1)
        file.seek(0)
        lines = _Lines(file)
        first = next(lines, "")
        delimiter = _delimiter(path, first)
        if _EXCEL_SEPARATOR.match(first):
            delimiter = first[4]  # (that line is no row)
        else:
            lines.read_again(1)  # the header row
        rows = csv.reader(lines, delimiter=delimiter, strict=True)
        try:
            header = next(rows, None)
        except csv.Error as error:
            raise FormatError(path, f"not a CSV row: {_why(error)}", 1) from None
        if header is None or lines.bad:
            raise FormatError(path, lines.problem or "empty file", lines.number)
        columns = _columns(path, header, lines.number)
        begun = lines.new_row()  # where the row being read begins
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                unquoted = lines.unquoted_row(delimiter, columns.count)
                if unquoted is None:  # that row left out; the reader goes on after it
                    lines.end_broken_row(delimiter, columns.count)
                    where = f" (lines {begun}–{lines.number})" if lines.number > begun else ""
                    yield Invalid(FormatError(path, f"not a CSV row{where}: {_why(error)}", begun))
                    lines.bad, begun = 0, lines.new_row()  # (its bytes: refused with it)
                    continue
                row = unquoted
            row_begun, begun = begun, lines.new_row()
            if lines.bad:
                yield Invalid(FormatError(path, lines.problem, lines.bad))
                lines.bad = 0
            elif any(cell.strip() for cell in row):  # (else a blank line)
                document = _document(path, columns, row, row_begun)
                if delimiter == "\t" and isinstance(document, ImportedDocument):
                    document = _doubted(document, row, lines.number)
                yield document


def _why(error: csv.Error) -> str:
    said = str(error)
    return _QUOTING if "expected" in said or "end of data" in said else said


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


class _Lines:
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


def _delimiter(path: Path, first: str) -> str:
    """Tab for a ``.tsv``; else whichever of comma, semicolon and tab the header row has
    most of (a spreadsheet in a country with decimal commas writes semicolons)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    return max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))


class _Columns:
    """Where the text, the article's fields and the metadata are in a row."""

    def __init__(self, names: list[str], text: int):
        self.count = len(names)
        self.text = text
        self.text_name = names[text]
        folded = [folded_name(name) for name in names]
        self.fields: dict[str, int] = {}
        for field in METADATA:
            aliases = (field, *PUBLISHED_ALIASES) if field == "published" else (field,)
            found = next((folded.index(a) for a in map(folded_name, aliases) if a in folded), None)
            if found is not None:
                self.fields[field] = found
        taken = {text, *self.fields.values()}
        self.meta: list[tuple[int, str]] = []
        seen: dict[str, int] = {}
        for i, name in enumerate(names):
            if i in taken:
                continue
            # (a column with no name, a second of one name: their values were dropped)
            key = name.strip() or f"column_{i + 1}"
            seen[key] = seen.get(key, 0) + 1
            self.meta.append((i, key if seen[key] == 1 else f"{key}_{seen[key]}"))


def _columns(path: Path, header: list[str], line: int) -> _Columns:
    text = text_field(header)
    if text is None:
        shown = ", ".join(repr(name) for name in header[:40]) or "none"
        if len(header) > 40:
            shown += f" and {len(header) - 40} more"
        raise FormatError(
            path,
            f"no column of texts: its first row names {shown}; the texts are taken from a "
            f"column named text (or {', '.join(TEXT_FIELDS[1:])}): rename that column",
            line,
        )
    return _Columns(header, text)


def _document(
    path: Path, columns: _Columns, row: list[str], line: int
) -> ImportedDocument | Invalid:
    if len(row) != columns.count:
        return Invalid(
            FormatError(
                path, f"{len(row)} fields where its first row names {columns.count} columns", line
            )
        )
    raw_text = row[columns.text]
    if not raw_text.strip():
        return Invalid(FormatError(path, f"the {columns.text_name!r} column is empty", line))
    fields: dict[str, str | int] = {
        field: row[i] for field, i in columns.fields.items() if row[i].strip()
    }
    if "published" in fields:
        fields["published"] = _published(str(fields["published"]))
    meta = {name: row[i] for i, name in columns.meta if row[i].strip()}
    try:
        article = article_from(normalize_newlines(raw_text), fields, meta)
    except BadValue as error:
        return Invalid(FormatError(path, str(error), line))
    named = columns.text_name.strip()
    said = folded_name(named) != "text"  # ("TEXT" is text)
    return ImportedDocument(article, line=line, text_from=named if said else "")


def _doubted(document: ImportedDocument, row: list[str], end: int) -> ImportedDocument:
    """A TSV row with a field holding tabs on a line after its first: in a table that quotes
    nothing, the rows from one whose field opens with a quotation mark to one whose field
    ends with one, read as one row (as Python's csv and pandas read them). In a table that
    quotes its fields it is a cell holding a pasted table: both are read as written, and
    the import lists such rows."""
    if not any("\t" in cell.partition("\n")[2] for cell in row):
        return document
    return replace(document, doubt=_JOINED_ROWS, record=f"lines {document.line}–{end}")


def _published(date: str) -> str:
    """A Unix time (seconds or milliseconds) as JSON's number is read; other digits (a year,
    "01052024") and anything else as written."""
    digits = date.strip()
    if _DIGITS.fullmatch(digits) and not digits.startswith("0") and not _a_date(digits):
        as_time = published_text(int(digits))
        return as_time if isinstance(as_time, str) else date
    return date


def _a_date(digits: str) -> bool:
    """Whether digits read as a date and time (20240501, 2024050108, 202405010800): a
    Unix time of that size would be in 2033 and after, or before 2001 in milliseconds."""
    if len(digits) not in (8, 10, 12):
        return False
    year, month, day = int(digits[:4]), int(digits[4:6]), int(digits[6:8])
    hour, minute = int(digits[8:10] or 0), int(digits[10:12] or 0)
    return 1900 <= year < 2100 and 1 <= month <= 12 and 1 <= day <= 31 and hour < 24 and minute < 60


CSV = Format(
    "csv",
    "a table of articles, one per row (a text column; title, url, source, date; the rest "
    "kept as metadata)",
    (".csv", ".tsv"),
    read_csv,
    aliases=("tsv",),
)
