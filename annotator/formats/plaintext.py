"""``txt``: one article per plain-text file; its first non-blank line is the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.model import Article
from annotator.core.text import file_name, first_line
from annotator.formats.base import Format, FormatError, ImportedDocument, Invalid
from annotator.formats.files import read_text_file
from annotator.formats.records import BadValue, check_text


def read_txt(path: Path) -> Iterator[ImportedDocument | Invalid]:
    text = read_text_file(path)
    try:
        check_text(text, "the text")
    except BadValue as error:
        raise FormatError(path, str(error)) from None
    yield ImportedDocument(
        Article(text=text, title=first_line(text), source=file_name(path)), line=1
    )


TXT = Format("txt", "plain text, one article per file (title = first line)", (".txt",), read_txt)
