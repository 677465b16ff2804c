"""``txt``: one article per plain-text file; its first non-blank line is the title.

A news database's plain-text export holds many articles in one file, each ended by a line
of its own: Factiva's ``Document LBA0000020240312ek3c00000`` (its id, kept as the article's
``document`` in metadata), Nexis' ``End of Document``. Such a file is one article each (it
was one article of them all).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

from annotator.core.model import Article
from annotator.core.text import file_name, first_line
from annotator.formats.base import Format, FormatError, ImportedDocument, Invalid
from annotator.formats.files import read_text_file
from annotator.formats.records import BadValue, check_text

#: The line that ends an article in a news database's export (Factiva's names its id).
_ENDS = re.compile(r"^(?:Document ([A-Za-z0-9]{20,})|End of Document)[ \t]*$", re.MULTILINE)


def read_txt(path: Path) -> Iterator[ImportedDocument | Invalid]:
    text = read_text_file(path)
    try:
        check_text(text, "the text")
    except BadValue as error:
        raise FormatError(path, str(error)) from None
    ends = list(_ENDS.finditer(text))
    if not ends or text[ends[-1].end() :].strip():  # an article, not an export of many
        yield ImportedDocument(
            Article(text=text, title=first_line(text), source=file_name(path)), line=1
        )
        return
    begun = 0
    for end in ends:
        raw = text[begun : end.start()]
        body = raw.strip("\n")
        starts = begun + len(raw) - len(raw.lstrip("\n"))  # (where its first line is)
        begun = end.end()
        if body.strip():
            meta = {"document": end.group(1)} if end.group(1) else {}
            article = Article(body, title=first_line(body), source=file_name(path), meta=meta)
            yield ImportedDocument(article, line=text.count("\n", 0, starts) + 1)


TXT = Format(
    "txt",
    "plain text, one article per file (title = first line; a Factiva or Nexis export: one "
    "article each)",
    (".txt",),
    read_txt,
)
