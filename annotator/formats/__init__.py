"""Import and export formats, registered by name.

``FORMATS`` maps each name (and alias) to its ``Format``; ``get_format`` raises an error that
lists the known names. Each format lives in its own module and reads, writes, or both. No Qt.
"""

from __future__ import annotations

from pathlib import Path

from annotator.formats.base import (
    Annotation,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
    Omission,
)
from annotator.formats.brat import BRAT
from annotator.formats.conll import CONLL
from annotator.formats.csv_table import CSV
from annotator.formats.docbin import SPACY
from annotator.formats.doccano import DOCCANO
from annotator.formats.file_kinds import SPREADSHEET, SPREADSHEETS
from annotator.formats.geojson import GEOJSON
from annotator.formats.labelbuddy import LABELBUDDY
from annotator.formats.labelstudio import LABELSTUDIO
from annotator.formats.plaintext import TXT
from annotator.formats.prodigy import JSONL
from annotator.formats.spacy_json import SPACY_JSON
from annotator.formats.webanno import WEBANNO

# Order matters to detection: formats that recognise their files by content or by a
# companion file come before the plain one sharing their suffix (a WebAnno TSV .tsv was
# read as a table: "no column of texts: its first row names '#FORMAT=WebAnno TSV 3.3'").
_ALL: tuple[Format, ...] = (
    BRAT, WEBANNO, CONLL, TXT, SPACY_JSON, LABELBUDDY, LABELSTUDIO, DOCCANO, JSONL, CSV,
    SPACY, GEOJSON
)  # fmt: skip


#: Suffixes of archives, which people pass for the files inside them.
_ARCHIVES = frozenset({".zip", ".gz", ".tgz", ".tar", ".bz2", ".xz", ".7z", ".rar"})

FORMATS: dict[str, Format] = {}
for _format in _ALL:
    for _name in (_format.name, *_format.aliases):
        FORMATS[_name] = _format


def get_format(name: str, purpose: str = "") -> Format:
    """The format called ``name`` (or an alias of it). Unknown, the error lists the formats
    that can do ``purpose`` (``import``, ``export``), else all of them."""
    try:
        return FORMATS[name.lower()]  # "JSONL", "Spacy": names are lower case, not users
    except KeyError:
        able = {"import": import_formats, "export": export_formats}.get(purpose)
        formats = able() if able is not None else _ALL
        known = ", ".join(sorted(n for f in formats for n in (f.name, *f.aliases)))
        what = f"formats that {purpose}" if purpose else "formats"
        raise FormatError(name, f"unknown format; known {what}: {known}") from None


def import_formats() -> list[Format]:
    return [f for f in _ALL if f.read is not None]


def export_formats() -> list[Format]:
    return [f for f in _ALL if f.write is not None]


def export_format_for(out: Path) -> str:
    """The export format ``out``'s suffix names (``--format auto``): the format whose exports
    are named with it (``.spacy``, ``.conll``, ``.json`` Label Studio's, ``.geojson``); else
    JSON Lines, Prodigy's (``.jsonl`` too: doccano's is given by name). An export to
    ``train.spacy`` wrote Prodigy JSON Lines into it."""
    suffix = out.suffix.lower()
    able = [f for f in export_formats() if suffix in f.suffixes and f.name != "doccano"]
    named = [f for f in able if f.suffix == suffix] if len(able) > 1 else able
    return named[0].name if len(named) == 1 else "jsonl"


def detect_format(path: Path) -> Format:
    """The format of a file, from its suffix and, where formats share one, its content.

    A ``.txt`` with an ``.ann`` beside it is brat, one whose lines are tokens and IOB tags
    is CoNLL (as CoNLL-2003 ships ``train.txt``); JSON and JSON Lines are spaCy's training
    data (``[text, {"entities": ...}]`` pairs, ``entities`` lists without doccano's ``cats``),
    labelbuddy's (``annotations`` with ``start_char``, ``utf8_text_md5_checksum``), Label
    Studio's (tasks with ``data`` or ``annotations``, or JSON-MIN records with ``labels``
    regions), doccano's (``label`` lists, or ``entities`` with ``start_offset``), else
    Prodigy's; so is a file of another name that opens a JSON object or array
    ("export.doccano").
    """
    suffix = path.suffix.lower()
    candidates = [f for f in import_formats() if suffix in f.suffixes]
    if not candidates:  # "export.doccano": a name of the user's, JSON inside
        suffix = _json_suffix(path) or suffix
        candidates = [f for f in import_formats() if suffix in f.suffixes]
    for candidate in candidates:
        if candidate.detect is None or candidate.detect(path):
            return candidate
    if suffix in SPACY.suffixes:
        raise FormatError(path, "spaCy DocBin files can be exported, not imported")
    if suffix in _ARCHIVES:
        raise FormatError(path, "archives are not read; unpack it first and import the files")
    if suffix in SPREADSHEETS:
        raise FormatError(path, SPREADSHEET)
    known = ", ".join(sorted({s for f in import_formats() for s in f.suffixes}))
    raise FormatError(path, f"cannot tell the format from the name (known: {known}); give --format")


def _json_suffix(path: Path) -> str | None:
    """``.json`` for a file that opens a JSON array, ``.jsonl`` for one that opens an object;
    else None."""
    from annotator.storage.open_files import open_here

    if open_here(path):  # reading it would drop this process's locks on it
        return None
    try:
        with path.open("rb") as file:
            start = file.read(64).lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    except OSError:
        return None
    return {b"[": ".json", b"{": ".jsonl"}.get(start)


__all__ = [
    "FORMATS",
    "Annotation",
    "Format",
    "FormatError",
    "ImportedDocument",
    "Invalid",
    "Omission",
    "detect_format",
    "export_formats",
    "get_format",
    "import_formats",
]
