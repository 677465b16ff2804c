"""A CoNLL file's lines and columns: its lines read as UTF-8 text (ended by LF, CRLF or a
lone CR), each line's columns, and where a CoNLL-U file keeps its ID, FORM, MISC and entity
tag (CoNLL-U's ten columns and the tag after them, or what CoNLL-U Plus's
``# global.columns`` names). ``conll_reader`` builds documents from them."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from annotator.formats.base import FormatError
from annotator.formats.file_kinds import not_text
from annotator.formats.files import first_byte, text_lines

DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"([BIESLU])-(\S+)")
#: CoNLL-U's columns; CoNLL-U Plus files add more after them, the entity tag among them.
CONLLU_COLUMNS = ("ID", "FORM", "LEMMA", "UPOS", "XPOS", "FEATS", "HEAD", "DEPREL", "DEPS", "MISC")
_CONLLU_ID = re.compile(r"[1-9][0-9]*")  # a word's
_CONLLU_WORD = re.compile(r"[0-9]+(?:[-.][0-9]+)?")  # a word, a multiword range, an empty node


class Columns(NamedTuple):
    """Where a CoNLL-U file's ID, FORM, MISC and entity tag are, and how many columns each
    word line has: CoNLL-U's ten and the tag last, or what its ``# global.columns`` says
    (CoNLL-U Plus: any columns, in any order)."""

    id: int = 0
    form: int = 1
    tag: int = -1
    misc: int | None = 9
    count: int | None = None  # None: at least eleven
    names: tuple[str, ...] = ()


#: Names of a CoNLL-U Plus column of entity tags ("NE", "NER", "NAMED_ENTITIES", "CONLL:NER").
_TAG_COLUMN = re.compile(r"(?:^|[:_])(?:NE|NER|NERC|NAMED|ENTITY|ENTITIES)(?:$|[:_])", re.I)
GLOBAL_COLUMNS = re.compile(r"#\s*global\.columns\s*=\s*(.*)$")

_NO_TAGS = (
    "CoNLL-U without entity tags (its ten columns ID FORM ... MISC): expected an IOB tag (O, "
    "B-LABEL, I-LABEL) in a column after them, as CoNLL-U Plus adds it, or CoNLL-2003's "
    "TOKEN ... TAG lines"
)


def read_lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, line) of a UTF-8 text file, streamed; the checks of ``read_raw_text``."""
    if first_byte(path) == b"":
        raise FormatError(path, "empty file")
    with path.open("rb") as file:
        for number, raw in enumerate(text_lines(file), start=1):
            if number == 1:
                raw = raw.removeprefix(b"\xef\xbb\xbf")
            if b"\x00" in raw:
                what = not_text(raw) if number == 1 else "binary file, not text"
                raise FormatError(path, what, number)
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as error:
                message = (
                    f"not UTF-8 text (byte {error.start} of the line: {raw[error.start]:#04x})"
                )
                raise FormatError(path, message, number) from None
            yield number, line.rstrip("\r\n")


def split_columns(line: str) -> list[str]:
    """The line's columns: split at tabs when it has any, so that a token holding a space
    (``New York<TAB>B-LOC``) stays whole; else at spaces. Only ASCII spaces and tabs
    separate columns: a no-break space (``10\u00a0000``, ``Maarat\u202fal-Numan``) is the
    token's own (French numbers, names kept together), not a separator."""
    if not line.strip():
        return []
    if "\t" in line:
        return [column.strip(" ") for column in line.split("\t") if column.strip(" ")]
    return [column for column in line.split(" ") if column]


def is_tag(text: str) -> bool:
    """An IOB tag: O, or B-, I-, E-, S-, L-, U- and a label."""
    return text == "O" or _TAG.fullmatch(text) is not None


def conll_problem(columns: list[str], line: str) -> str:
    """What is wrong with a line of tokens and tags, or "" if nothing."""
    if len(columns) < 2:
        return "expected a token and a tag, separated by spaces"
    tag = columns[-1]
    if is_tag(tag):
        return ""
    if line.startswith("#"):
        return (
            f"{tag!r} is not an IOB tag (O, B-LABEL, I-LABEL): a '#' comment? CoNLL has no "
            "comments; only CoNLL-U does (tab-separated columns ID FORM LEMMA ..., ID a number)"
        )
    return f"{tag!r} is not an IOB tag (O, B-LABEL, I-LABEL)"


def conllu_problem(columns: list[str], layout: Columns) -> str:
    """What is wrong with a word line of a CoNLL-U file, or "" if nothing: its ten columns,
    then the entity tag (as CoNLL-U Plus adds columns); or the columns its header names."""
    ident = columns[layout.id] if len(columns) > layout.id else ""
    if not _CONLLU_ID.fullmatch(ident):
        return f"expected a CoNLL-U word line (ID, FORM... separated by tabs), not {ident!r}"
    if layout.count is None and len(columns) <= len(CONLLU_COLUMNS):
        return (
            "expected CoNLL-U's ten columns and an IOB tag after them, separated by tabs; "
            f"found {len(columns)} columns"
        )
    if layout.count is not None and len(columns) != layout.count:
        return (
            f"expected the {layout.count} columns its global.columns names "
            f"({' '.join(layout.names)}), separated by tabs; found {len(columns)}"
        )
    tag = columns[layout.tag]
    if not is_tag(tag):
        where = f"column {layout.names[layout.tag]}" if layout.names else "the last column"
        return f"{tag!r} in {where} is not an IOB tag (O, B-LABEL, I-LABEL)"
    return ""


def conllu_layout(path: Path) -> Columns | None:
    """Where a CoNLL-U file's columns are; None if it is not CoNLL-U (its first word line
    ten tab-separated columns or more, the first an integer ID, or a CoNLL-U Plus header
    naming ID and FORM). One with only CoNLL-U's ten holds no entity tags: refused."""
    if names := _declared_columns(path):
        return _plus_columns(path, names)
    first = _first_word_line(path)
    if first is None:
        return None
    number, columns = first
    if len(columns) < len(CONLLU_COLUMNS) or not _CONLLU_WORD.fullmatch(columns[0]):
        return None
    if len(columns) == len(CONLLU_COLUMNS):
        raise FormatError(path, _NO_TAGS, number)
    return Columns()


def _declared_columns(path: Path) -> tuple[str, ...]:
    """The names CoNLL-U Plus's first line gives (``# global.columns = ID FORM ... NE``)."""
    try:
        for _, line in read_lines(path):
            found = GLOBAL_COLUMNS.match(line)
            return tuple(found.group(1).split()) if found else ()
    except FormatError:
        pass
    return ()


def _plus_columns(path: Path, names: tuple[str, ...]) -> Columns:
    """The layout a CoNLL-U Plus header declares, its entity tags in the one column beside
    CoNLL-U's own (or the one named NE, NER...); refused if it names no ID or FORM."""
    upper = [name.upper() for name in names]
    if "ID" not in upper or "FORM" not in upper:
        raise FormatError(
            path,
            f"its global.columns ({' '.join(names)}) name no ID or no FORM column: a "
            "CoNLL-U Plus file needs both (FORM the token, ID its number in the sentence)",
            1,
        )
    others = [i for i, name in enumerate(upper) if name not in CONLLU_COLUMNS]
    named = [i for i in others if _TAG_COLUMN.search(names[i])]
    tag = named[0] if named else others[0] if len(others) == 1 else None
    if tag is None:
        held = " ".join(names[i] for i in others) or "none besides CoNLL-U's own"
        raise FormatError(
            path,
            f"its global.columns name no column of entity tags (IOB: O, B-LABEL, I-LABEL): "
            f"expected one named NE or NER, or a single column besides CoNLL-U's ten; its "
            f"others: {held}",
            1,
        )
    misc = upper.index("MISC") if "MISC" in upper else None
    return Columns(upper.index("ID"), upper.index("FORM"), tag, misc, len(names), names)


def _first_word_line(path: Path) -> tuple[int, list[str]] | None:
    """(number, tab-separated columns) of the first line that is not blank, a ``#``
    comment or ``-DOCSTART-``; None if none (or the file cannot be read: its reading says
    why)."""
    try:
        for number, line in read_lines(path):
            if line.strip() and not line.startswith(("#", DOCSTART)):
                return number, line.split("\t")
    except FormatError:
        pass
    return None
