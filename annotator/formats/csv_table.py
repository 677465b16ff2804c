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
exports are for text classification). The lines, and how far a row the csv reader gives up
on runs, are read in ``csv_lines.py``.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator
from dataclasses import replace
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
from annotator.formats.csv_lines import CsvLines
from annotator.formats.file_kinds import not_text
from annotator.formats.files import first_byte
from annotator.formats.records import BadValue

#: Longest field read (csv's own limit, 128 KiB, refused a long report as "field larger
#: than field limit").
_FIELD_LIMIT = 2**31 - 1
#: Excel's first line naming the separator ("sep=;"), before the header.
_EXCEL_SEPARATOR = re.compile(r"sep=(.)\s*$")
_DIGITS = re.compile(r"[0-9]+")  # (str.isdigit takes "²" and "٢٠٢٤", which int() refuses)
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
        lines = CsvLines(file)
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
