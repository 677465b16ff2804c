"""``csv``: a table of articles, one per row, as news scrapers and spreadsheets write them.

The first row names the columns: one holds the text (``text``, or ``content``, ``body``,
``article``, ``full_text``; any case), and ``title``, ``url``, ``source`` and ``published``
(or ``date``, ``publish_date``, ``publishedAt``) are the article's fields; every other
column with something in it goes to the article's metadata, as a JSON Lines record's other
fields do. Commas, semicolons or tabs separate the columns (told by the header row; a
``.tsv`` is tab-separated); a quoted field may hold commas, quotes (doubled) and line breaks.
UTF-8, with or without a byte-order mark. Texts only: annotations come in the annotated
formats (doccano's and Label Studio's CSV exports are for text classification).
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator
from pathlib import Path

from annotator.core.text import normalize_newlines
from annotator.formats.article_fields import METADATA, PUBLISHED_ALIASES, article_from
from annotator.formats.base import Format, FormatError, ImportedDocument, Invalid
from annotator.formats.files import first_byte, not_text
from annotator.formats.records import BadValue

#: Names of the column that holds the text, in the order they are looked for.
TEXT_COLUMNS = ("text", "content", "body", "article", "full_text")
#: Other names of the published date in a table.
_DATE_COLUMNS = ("date", *PUBLISHED_ALIASES)
#: Longest field read (csv's own limit, 128 KiB, refused a long report as "field larger
#: than field limit").
_FIELD_LIMIT = 2**31 - 1


def read_csv(path: Path) -> Iterator[ImportedDocument | Invalid]:
    """Each row with a text, as an article; a row that cannot be one is ``Invalid``."""
    head = first_byte(path)
    if head == b"":
        raise FormatError(path, "empty file")
    csv.field_size_limit(_FIELD_LIMIT)
    with path.open("rb") as raw:
        if b"\x00" in (start := raw.read(4096)):
            raise FormatError(path, not_text(start), 1)
        raw.seek(0)
        text = io.TextIOWrapper(raw, encoding="utf-8-sig", newline="")
        rows = csv.reader(text, delimiter=_delimiter(path))
        try:
            header = next(rows, None)
            if header is None:
                raise FormatError(path, "empty file")
            columns = _columns(path, header)
            ended = rows.line_num
            for row in rows:
                line, ended = ended + 1, rows.line_num
                if not any(cell.strip() for cell in row):
                    continue  # a blank line
                yield _document(path, columns, row, line)
        except UnicodeDecodeError as error:
            where = f"byte {error.start} of a block: {error.object[error.start]:#04x}"
            raise FormatError(path, f"not UTF-8 text ({where})", rows.line_num + 1) from None
        except csv.Error as error:
            raise FormatError(path, f"not a CSV row ({error})", rows.line_num) from None


def _delimiter(path: Path) -> str:
    """Tab for a ``.tsv``; else whichever of comma, semicolon and tab the header row has
    most of (a spreadsheet in a country with decimal commas writes semicolons)."""
    if path.suffix.lower() == ".tsv":
        return "\t"
    with path.open("rb") as file:
        first = file.readline().decode("utf-8", "replace")
    return max((",", ";", "\t"), key=lambda d: (first.count(d), d == ","))


class _Columns:
    """Where the text, the article's fields and the metadata are in a row."""

    def __init__(self, names: list[str], text: int):
        self.names = names
        self.text = text
        folded = [name.strip().casefold() for name in names]
        self.fields: dict[str, int] = {}
        for field in METADATA:
            aliases = (field, *_DATE_COLUMNS) if field == "published" else (field,)
            found = next(
                (folded.index(a.casefold()) for a in aliases if a.casefold() in folded), None
            )
            if found is not None:
                self.fields[field] = found
        taken = {text, *self.fields.values()}
        self.meta = [(i, names[i].strip()) for i in range(len(names)) if i not in taken]


def _columns(path: Path, header: list[str]) -> _Columns:
    folded = [name.strip().casefold() for name in header]
    text = next((folded.index(name) for name in TEXT_COLUMNS if name in folded), None)
    if text is None:
        shown = ", ".join(repr(name) for name in header[:12]) or "none"
        raise FormatError(
            path,
            f"no column of texts: its first row names {shown}; expected one named text (or "
            f"{', '.join(TEXT_COLUMNS[1:])})",
            1,
        )
    return _Columns(header, text)


def _document(
    path: Path, columns: _Columns, row: list[str], line: int
) -> ImportedDocument | Invalid:
    if len(row) != len(columns.names):
        return Invalid(
            FormatError(
                path,
                f"{len(row)} fields where its first row names {len(columns.names)} columns "
                "(a comma or a quote in an unquoted field?)",
                line,
            )
        )
    raw_text = row[columns.text]
    if not raw_text.strip():
        return Invalid(
            FormatError(path, f"the {columns.names[columns.text]!r} column is empty", line)
        )
    fields = {field: row[i] for field, i in columns.fields.items() if row[i].strip()}
    meta = {name: row[i] for i, name in columns.meta if row[i].strip() and name}
    try:
        article = article_from(normalize_newlines(raw_text), fields, meta)
    except BadValue as error:
        return Invalid(FormatError(path, str(error), line))
    return ImportedDocument(article, line=line)


CSV = Format(
    "csv",
    "a table of articles, one per row (a text column; title, url, source, date; the rest "
    "kept as metadata)",
    (".csv", ".tsv"),
    read_csv,
    aliases=("tsv",),
)
