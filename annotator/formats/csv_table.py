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
from collections.abc import Iterable, Iterator
from itertools import chain
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
from annotator.formats.files import first_byte, not_text, text_lines
from annotator.formats.records import BadValue

#: Longest field read (csv's own limit, 128 KiB, refused a long report as "field larger
#: than field limit").
_FIELD_LIMIT = 2**31 - 1
#: Excel's first line naming the separator ("sep=;"), before the header.
_EXCEL_SEPARATOR = re.compile(r"sep=(.)\s*$")
_DIGITS = re.compile(r"[0-9]+")  # (str.isdigit takes "²" and "٢٠٢٤", which int() refuses)
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
            delimiter, table = first[4], lines  # (that line is no row)
        else:
            table = chain([first], lines)  # (counted already: the numbers hold)
        rows = csv.reader(table, delimiter=delimiter, strict=True)
        try:
            header = next(rows, None)
        except csv.Error as error:
            raise FormatError(path, f"not a CSV row: {_why(error)}", 1) from None
        if header is None or lines.bad:
            raise FormatError(path, lines.problem or "empty file", lines.number)
        columns = _columns(path, header, lines.number)
        begun = lines.number + 1  # where the row being read begins
        while True:
            try:
                row = next(rows)
            except StopIteration:
                return
            except csv.Error as error:
                unquoted = _unquoted(lines, begun, delimiter, columns.count)
                if unquoted is None:  # that row left out; the reader goes on after it
                    lines.skip_rest_of_row()
                    where = f" (lines {begun}–{lines.number})" if lines.number > begun else ""
                    yield Invalid(FormatError(path, f"not a CSV row{where}: {_why(error)}", begun))
                    begun, lines.bad, lines.quotes = lines.number + 1, 0, 0
                    continue
                row = unquoted
            row_begun, begun, lines.quotes = begun, lines.number + 1, 0
            if lines.bad:
                yield Invalid(FormatError(path, lines.problem, lines.bad))
                lines.bad = 0
            elif any(cell.strip() for cell in row):  # (else a blank line)
                yield _document(path, columns, row, row_begun)


def _unquoted(lines: _Lines, begun: int, delimiter: str, count: int) -> list[str] | None:
    """A row of a tab-separated table that quotes nothing (PostgreSQL's COPY, GDELT's files,
    a script's joined fields) whose text opens with a quotation, as written: ``"We will
    not retreat," the commander said`` was refused as a quoted field ending early. Only a
    row of one line whose tabs give the header's columns; else None."""
    if delimiter != "\t" or lines.number != begun:
        return None
    fields = lines.last.rstrip("\r\n").split("\t")
    return fields if len(fields) == count else None


def _why(error: csv.Error) -> str:
    said = str(error)
    return _QUOTING if "expected" in said or "end of data" in said else said


class _Lines:
    """The file's lines, decoded one at a time (ended by LF, CRLF or a CR alone), for the csv
    reader; how many were read (``number``), and the first of the row being read that is not
    UTF-8 (``bad``, with ``problem`` saying why: its row is then left out whole)."""

    def __init__(self, file: Iterable[bytes]):
        self._raw = text_lines(file)
        self.number = 0  # lines read
        self.bad = 0
        self.problem = ""
        self.quotes = 0  # quotation marks read in the row being read
        self.last = ""  # the line read last

    def skip_rest_of_row(self) -> None:
        """Past the lines left of a row the csv reader gave up on. It goes on at the next
        line, which may still be inside the row's quoted field: its lines would be read as
        rows of their own. A row's quotation marks pair up (a field's opening and closing
        ones, doubled ones), so the row goes on while their count is odd."""
        while self.quotes % 2 and next(self, None) is not None:
            pass

    def __iter__(self) -> Iterator[str]:
        return self

    def __next__(self) -> str:
        raw = next(self._raw)
        self.number += 1
        if self.number == 1:
            raw = raw.removeprefix(b"\xef\xbb\xbf")
        self.quotes += raw.count(b'"')
        try:
            self.last = raw.decode("utf-8")
        except UnicodeDecodeError as error:
            if not self.bad:
                self.bad = self.number
                self.problem = (
                    f"not UTF-8 text (byte {error.start} of the line: {raw[error.start]:#04x}; "
                    "save the table as UTF-8)"
                )
            self.last = raw.decode("utf-8", "replace")
        return self.last


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
            f"no column of texts: its first row names {shown}; name the one that holds the "
            f"articles' texts text (others taken: {', '.join(TEXT_FIELDS[1:])})",
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
    return ImportedDocument(article, line=line, text_from="" if named == "text" else named)


def _published(date: str) -> str:
    """A Unix time (seconds or milliseconds) as JSON's number is read; other digits (a year,
    "01052024") and anything else as written."""
    digits = date.strip()
    if _DIGITS.fullmatch(digits) and not digits.startswith("0"):
        as_time = published_text(int(digits))
        return as_time if isinstance(as_time, str) else date
    return date


CSV = Format(
    "csv",
    "a table of articles, one per row (a text column; title, url, source, date; the rest "
    "kept as metadata)",
    (".csv", ".tsv"),
    read_csv,
    aliases=("tsv",),
)
