"""Import and export formats, registered by name.

``FORMATS`` maps each name (and alias) to its ``Format``; ``get_format`` raises an error that
lists the known names. No Qt here.
"""

from __future__ import annotations

from pathlib import Path

from annotator.formats.base import Format, FormatError, ImportedDocument
from annotator.formats.plaintext import TXT
from annotator.formats.prodigy import JSONL

_ALL: tuple[Format, ...] = (TXT, JSONL)

FORMATS: dict[str, Format] = {}
for _format in _ALL:
    for _name in (_format.name, *_format.aliases):
        FORMATS[_name] = _format


def get_format(name: str) -> Format:
    try:
        return FORMATS[name]
    except KeyError:
        known = ", ".join(sorted(FORMATS))
        raise FormatError(name, f"unknown format; known formats: {known}") from None


def detect_format(path: Path) -> Format:
    """The format a file's name suggests."""
    suffix = path.suffix.lower()
    for candidate in _ALL:
        if suffix in candidate.suffixes and candidate.read is not None:
            return candidate
    known = ", ".join(s for f in _ALL if f.read for s in f.suffixes)
    raise FormatError(path, f"cannot tell the format from the name (known: {known}); "
                      "give --format")


__all__ = ["FORMATS", "Format", "FormatError", "ImportedDocument", "detect_format", "get_format"]
