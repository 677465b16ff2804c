"""What a file that is not text (or not this program's text) is, said so that its owner
knows what to do: UTF-16 ("Unicode" in Windows), a spreadsheet, a word processor's document,
a PDF, an archive."""

from __future__ import annotations

from collections.abc import Iterable


def not_text(head: bytes) -> str:
    """What a file whose first bytes hold a NUL is, said so that its owner knows what to do:
    UTF-16 text (Windows' "Unicode") and archives are common, and easy to fix."""
    if head.startswith((b"\xff\xfe", b"\xfe\xff")) or _every_other_nul(head):
        return "looks like UTF-16 text: save it as UTF-8"
    if head.startswith(b"PK\x03\x04") and any(mark in head for mark in _SPREADSHEET_PARTS):
        return SPREADSHEET  # (a word-processor document, it said)
    if head.startswith(b"PK\x03\x04") and any(mark in head for mark in _DOCUMENTS):
        # A zip to unpack, it said: unpacked, a Word file is XML, not the text.
        return "a word-processor document (.docx, .odt): save it as plain text (.txt)"
    if head.startswith(b"%PDF"):
        return "a PDF: copy its text into a plain-text (.txt) file"
    for magic, kind in _ARCHIVES:
        if head.startswith(magic):
            return f"a {kind} archive: archives are not read; unpack it first"
    return "binary file, not text"


def _every_other_nul(head: bytes) -> bool:
    """UTF-16 without a BOM: text in Latin script has a NUL in every other byte."""
    pairs = head[: len(head) - len(head) % 2]
    if len(pairs) < 4:
        return False
    return pairs[0::2].count(0) == len(pairs) // 2 or pairs[1::2].count(0) == len(pairs) // 2


#: A spreadsheet's suffixes, what its zip holds (Excel's, OpenDocument's), and what to do.
SPREADSHEETS = (".xlsx", ".xlsm", ".xls", ".ods")
_SPREADSHEET_PARTS = (b"xl/", b"application/vnd.oasis.opendocument.spreadsheet")
SPREADSHEET = (
    "a spreadsheet (.xlsx, .ods): save it as a table, CSV UTF-8 (File → Save As), and "
    "import the .csv"
)


def spreadsheets_note(suffixes: Iterable[str]) -> str:
    """What to do with the spreadsheets among files left out ("; spreadsheets: …"), or ""."""
    if any(suffix in SPREADSHEETS for suffix in suffixes):
        return "; spreadsheets: save them as CSV UTF-8 and import the .csv"
    return ""


#: What the first entry of a word processor's zip names: Office's and OpenDocument's.
_DOCUMENTS = (b"[Content_Types].xml", b"word/", b"application/vnd.oasis.opendocument")
#: (first bytes, name) of archives people pass for the files inside them.
_ARCHIVES = (
    (b"PK\x03\x04", "zip"),
    (b"\x1f\x8b", "gzip"),
    (b"BZh", "bzip2"),
    (b"\xfd7zXZ\x00", "xz"),
    (b"7z\xbc\xaf\x27\x1c", "7z"),
)
