"""Reading CoNLL files (``conll.py`` says what is read, and how): CoNLL-2003 columns and
CoNLL-U Plus, each document's text rebuilt from its tokens, its entities from their tags."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import NamedTuple

from annotator.core.model import Article, Span
from annotator.core.text import file_name
from annotator.formats.base import Annotation, FormatError, ImportedDocument, Invalid
from annotator.formats.files import first_byte, not_text

DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"([BIESLU])-(\S+)")
BOUNDARY_LIKE = re.compile(r"\\*-DOCSTART-")  # at the start of a token
ESCAPED = "a token begins with -DOCSTART-: written with a backslash in front (\\-DOCSTART-)"
#: CoNLL-U's columns; CoNLL-U Plus files add more after them, the entity tag among them.
CONLLU_COLUMNS = ("ID", "FORM", "LEMMA", "UPOS", "XPOS", "FEATS", "HEAD", "DEPREL", "DEPS", "MISC")
_CONLLU_ID = re.compile(r"[1-9][0-9]*")  # a word's
_CONLLU_PART = re.compile(r"[0-9]+(?:-[0-9]+|\.[0-9]+)")  # a multiword range, an empty node
_CONLLU_WORD = re.compile(r"[0-9]+(?:[-.][0-9]+)?")  # either
_NEWDOC = re.compile(r"#\s*newdoc\b")
_MULTIWORD = re.compile(r"[0-9]+-[0-9]+")
_SENTENCE_TEXT = re.compile(r"#\s*text\s*=\s?(.*)$")


class Token(NamedTuple):
    """A token line: its text, its tag, its line number, and whether a space follows it."""

    text: str
    tag: str
    line: int
    space_after: bool = True


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
_GLOBAL_COLUMNS = re.compile(r"#\s*global\.columns\s*=\s*(.*)$")

_NO_TAGS = (
    "CoNLL-U without entity tags (its ten columns ID FORM ... MISC): expected an IOB tag (O, "
    "B-LABEL, I-LABEL) in a column after them, as CoNLL-U Plus adds it, or CoNLL-2003's "
    "TOKEN ... TAG lines"
)


def read_conll(path: Path) -> Iterator[ImportedDocument | Invalid]:
    """Each document of the file (``-DOCSTART-`` starts one), read a line at a time."""
    sentences: list[list[Token]] = []
    sentence: list[Token] = []
    multiword: tuple[int, str, bool] | None = None  # (its last word's id, its form, space?)
    multiword_tags: list[str] = []
    said = ""  # the sentence's "# text = ..." (CoNLL-U): where its spaces are
    first_line, count = 1, 0
    error: FormatError | None = None

    def document() -> Iterator[ImportedDocument | Invalid]:
        nonlocal count
        count += 1
        if error is not None:
            yield Invalid(error)
            return
        text, spans = _assemble(sentences)
        yield ImportedDocument(
            Article(text=text, title=text.split("\n", 1)[0][:300], source=file_name(path)),
            (Annotation(None, spans),),
            first_line,
            f"document {count}",
        )

    layout = _conllu_columns(path)
    for number, line in _lines(path):
        if layout is not None and line.startswith("#"):
            if found := _SENTENCE_TEXT.match(line):
                said = found.group(1)
            if not _NEWDOC.match(line):
                continue  # a comment
            columns = [DOCSTART]  # "# newdoc" starts a document, as -DOCSTART- does
        else:
            columns = _columns(line)
        if not columns or columns[0] == DOCSTART:
            if sentence:
                sentences.append(_spaced_as(sentence, said) if said else sentence)
                sentence, said = [], ""
            if columns and (sentences or error):
                yield from document()
                sentences, error = [], None
            if columns:
                first_line = number
            continue
        if error is not None:
            continue  # the rest of a broken document
        ident = columns[layout.id] if layout is not None and len(columns) > layout.id else ""
        if layout is not None:
            if _MULTIWORD.fullmatch(ident) and len(columns) > layout.form:
                # "3-4 del": the text has "del", its words "de" and "el" come next
                form, space = columns[layout.form], _space_after(columns, layout)
                multiword = (int(ident.split("-")[1]), form, space)
                multiword_tags = []
                continue
            if _CONLLU_PART.fullmatch(ident):
                continue  # an empty node: no word of the text
            problem = _conllu_problem(columns, layout)
        else:
            problem = _conll_problem(columns, line)
        if problem:
            error = FormatError(path, problem, number)
            continue
        if layout is not None and multiword is not None and int(ident) <= multiword[0]:
            multiword_tags.append(columns[layout.tag])
            if int(ident) == multiword[0]:
                _, form, space = multiword
                sentence.append(Token(form, _first_entity_tag(multiword_tags), number, space))
                multiword = None
            continue
        if layout is not None:
            form, tag = columns[layout.form], columns[layout.tag]
            sentence.append(Token(form, tag, number, _space_after(columns, layout)))
        else:
            sentence.append(Token(_unescaped(columns[0]), columns[-1], number))
    if sentence:
        sentences.append(_spaced_as(sentence, said) if said else sentence)
    if sentences or error:
        yield from document()
    elif count == 0:
        raise FormatError(path, "contains no tokens")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, line) of a UTF-8 text file, streamed; the checks of ``read_raw_text``."""
    if first_byte(path) == b"":
        raise FormatError(path, "empty file")
    with path.open("rb") as file:
        for number, raw in enumerate(_cr_lines(file), start=1):
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


_LINE = re.compile(rb"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _cr_lines(file: Iterable[bytes]) -> Iterator[bytes]:
    """The file's lines, ended by LF, CRLF or a CR alone (an old Mac's): a CR-only file was
    one line, and its first token the whole import."""
    for raw in file:
        if b"\r" in raw.rstrip(b"\r\n") or raw.endswith(b"\r"):
            yield from _LINE.findall(raw)
        else:
            yield raw


def _columns(line: str) -> list[str]:
    """The line's columns: split at tabs when it has any, so that a token holding a space
    (``New York<TAB>B-LOC``) stays whole; else at spaces. Only ASCII spaces and tabs
    separate columns: a no-break space (``10\u00a0000``, ``Maarat\u202fal-Numan``) is the
    token's own (French numbers, names kept together), not a separator."""
    if not line.strip():
        return []
    if "\t" in line:
        return [column.strip(" ") for column in line.split("\t") if column.strip(" ")]
    return [column for column in line.split(" ") if column]


def _is_tag(text: str) -> bool:
    """An IOB tag: O, or B-, I-, E-, S-, L-, U- and a label."""
    return text == "O" or _TAG.fullmatch(text) is not None


def _conll_problem(columns: list[str], line: str) -> str:
    """What is wrong with a line of tokens and tags, or "" if nothing."""
    if len(columns) < 2:
        return "expected a token and a tag, separated by spaces"
    tag = columns[-1]
    if _is_tag(tag):
        return ""
    if line.startswith("#"):
        return (
            f"{tag!r} is not an IOB tag (O, B-LABEL, I-LABEL): a '#' comment? CoNLL has no "
            "comments; only CoNLL-U does (tab-separated columns ID FORM LEMMA ..., ID a number)"
        )
    return f"{tag!r} is not an IOB tag (O, B-LABEL, I-LABEL)"


def _conllu_problem(columns: list[str], layout: Columns) -> str:
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
    if not _is_tag(tag):
        where = f"column {layout.names[layout.tag]}" if layout.names else "the last column"
        return f"{tag!r} in {where} is not an IOB tag (O, B-LABEL, I-LABEL)"
    return ""


def _conllu_columns(path: Path) -> Columns | None:
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
        for _, line in _lines(path):
            found = _GLOBAL_COLUMNS.match(line)
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
        for number, line in _lines(path):
            if line.strip() and not line.startswith(("#", DOCSTART)):
                return number, line.split("\t")
    except FormatError:
        pass
    return None


def _unescaped(token: str) -> str:
    """The text of a token written as ``\\-DOCSTART-`` (see the module docstring)."""
    if token.startswith("\\") and BOUNDARY_LIKE.match(token, 1):
        return token[1:]
    return token


def looks_like_conll(path: Path, lines: int = 50) -> bool:
    """Is this text file CoNLL columns (as CoNLL-2003 ships its ``train.txt``)? Its first
    lines are all ``-DOCSTART-``, blank, or a token and columns ending in an IOB tag; or it
    begins with CoNLL-U Plus's ``# global.columns``."""
    tokens = 0
    try:
        with path.open("rb") as file:
            for raw in file:
                line = raw.decode("utf-8-sig", errors="replace").rstrip("\r\n")
                if tokens == 0 and _GLOBAL_COLUMNS.match(line):
                    return True
                columns = _columns(line)
                if not columns:
                    continue
                if columns[0] == DOCSTART:
                    tokens += 2
                elif len(columns) >= 2 and _is_tag(columns[-1]):
                    tokens += 1
                else:
                    return False
                lines -= 1
                if lines == 0:
                    break
    except OSError:
        return False
    return tokens >= 3


def _spaced_as(sentence: list[Token], text: str) -> list[Token]:
    """The sentence's tokens, spaced as its ``# text`` has them (a file without
    ``SpaceAfter=No`` gave "Alepo , dijo ."); as they are if the tokens are not, in order,
    the text's."""
    spaced: list[Token] = []
    at = 0
    for token in sentence:
        found = text.find(token.text, at)
        if found < 0 or text[at:found].strip():
            return sentence
        if spaced:
            spaced[-1] = spaced[-1]._replace(space_after=found > at)
        spaced.append(token)
        at = found + len(token.text)
    return spaced


def _space_after(columns: list[str], layout: Columns) -> bool:
    """CoNLL-U's ``SpaceAfter=No`` in MISC (the tenth column): the token is joined to the
    next one ("Idlib" and "." make "Idlib.")."""
    misc = layout.misc
    return misc is None or len(columns) <= misc or "SpaceAfter=No" not in columns[misc].split("|")


def _first_entity_tag(tags: list[str]) -> str:
    """A multiword token's tag: its first word's entity tag, if any of its words has one."""
    return next((tag for tag in tags if tag != "O"), "O")


def _assemble(sentences: list[list[Token]]) -> tuple[str, list[Span]]:
    """The text (tokens joined by spaces, or not where CoNLL-U says ``SpaceAfter=No``;
    sentences by line breaks) and the tagged entities."""
    pieces: list[str] = []
    spans: list[Span] = []
    offset = 0
    open_label: str | None = None
    open_start = 0
    last_end = 0

    def close() -> None:
        nonlocal open_label
        if open_label is not None:
            spans.append(Span(open_start, last_end, open_label, origin="human"))
            open_label = None

    for s, sentence in enumerate(sentences):
        if s:
            pieces.append("\n")
            offset += 1
        for t, (token, tag, _, _) in enumerate(sentence):
            if t and sentence[t - 1].space_after:
                pieces.append(" ")
                offset += 1
            start, end = offset, offset + len(token)
            pieces.append(token)
            offset = end
            prefix, label = (tag[0], tag[2:]) if tag != "O" else ("O", None)
            if prefix == "O" or prefix in "BSU" or label != open_label:
                close()
            if label is not None:
                if open_label is None:
                    open_label, open_start = label, start
                last_end = end
                if prefix in "ESLU":
                    close()
        close()  # entities do not run across sentences
    return "".join(pieces), spans
