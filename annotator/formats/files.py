"""Reading files defensively: every failure is a ``FormatError`` naming the file and line."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from annotator.core.model import Article
from annotator.core.text import normalize_newlines
from annotator.formats.base import FormatError

#: The article fields that JSON formats carry beside the text.
METADATA = ("title", "url", "source", "published")


def read_text_file(path: Path) -> str:
    """The file's text as stored: UTF-8 (a BOM is dropped), newlines normalised.

    Empty files, binary files and text in another encoding are refused with the place
    where the problem is, since importing them would only make garbage articles.
    """
    return normalize_newlines(read_raw_text(path))


def read_raw_text(path: Path, allow_empty: bool = False) -> str:
    """The file's text, decoded, line endings as they are.

    For offsets that count ``\\r\\n`` as two characters, as brat's do into its ``.txt``.
    """
    try:
        data = path.read_bytes()
    except FileNotFoundError:
        raise FormatError(path, "no such file") from None
    except IsADirectoryError:
        raise FormatError(path, "is a folder, not a file") from None
    except OSError as error:
        raise FormatError(path, f"cannot be read ({error.strerror})") from None
    if not data.strip() and not allow_empty:
        raise FormatError(path, "empty file")
    if b"\x00" in data[:8192]:
        raise FormatError(path, "binary file, not text")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data.count(b"\n", 0, error.start) + 1
        raise FormatError(
            path, f"not UTF-8 text (byte {error.start}: {data[error.start]:#04x})", line
        ) from None
    return text


def iter_json_lines(path: Path) -> Iterator[tuple[int, dict[str, Any]]]:
    """(line number, object) for each non-blank line of a JSON Lines file."""
    text = read_text_file(path)
    for number, line in enumerate(text.split("\n"), start=1):
        if not line.strip():
            continue
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise FormatError(
                path, f"not valid JSON ({error.msg}, column {error.colno})", number
            ) from None
        if not isinstance(record, dict):
            raise FormatError(
                path, f"expected a JSON object, found {type(record).__name__}", number
            )
        yield number, record


def read_json(path: Path) -> Any:
    """A whole JSON document (Label Studio exports, doccano's JSON)."""
    text = read_text_file(path)
    try:
        return json.loads(text)
    except json.JSONDecodeError as error:
        raise FormatError(path, f"not valid JSON ({error.msg})", error.lineno) from None


def article_from(text: str, fields: dict[str, Any], meta: dict[str, Any]) -> Article:
    """An article with its title, url, source and published date from ``fields`` (or, failing
    that, ``meta``); the rest of ``meta`` stays the article's own metadata."""
    values = {name: fields.get(name, meta.get(name)) for name in METADATA}
    return Article(
        text=text,
        title=as_text(values["title"]),
        url=as_text(values["url"]),
        source=as_text(values["source"]),
        published=as_text(values["published"]),
        meta={key: value for key, value in meta.items() if key not in METADATA},
    )


def metadata_of(article: Article) -> dict[str, str]:
    """The article's non-empty title, url, source and published date, for writers."""
    return {name: getattr(article, name) for name in METADATA if getattr(article, name)}


def as_text(value: Any) -> str:
    return "" if value is None else str(value)
