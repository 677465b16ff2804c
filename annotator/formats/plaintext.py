"""``txt``: one article per plain-text file; its first non-blank line is the title."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

from annotator.core.model import Article
from annotator.formats.base import Format, ImportedDocument
from annotator.formats.files import read_text_file


def read_txt(path: Path) -> Iterator[ImportedDocument]:
    text = read_text_file(path)
    title = next(line.strip() for line in text.split("\n") if line.strip())
    yield ImportedDocument(Article(text=text, title=title[:300], source=path.name), line=1)


TXT = Format("txt", "plain text, one article per file (title = first line)", (".txt",), read_txt)
