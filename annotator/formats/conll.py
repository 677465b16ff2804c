"""``conll``: CoNLL-2003-style columns, one token per line, IOB2 tags for the entity labels.

Each article starts with ``-DOCSTART- -X- -X- O`` and a blank line; each line of the article
is a "sentence" ending in a blank line; each token is written as ``TOKEN _ _ TAG``
(``Aleppo _ _ B-LOCATION``). Readers that take the first column as the word and the last as
the tag (spaCy's ``convert``, Flair, Hugging Face's conll2003 loader) read it as it is.
Tokens are spaCy's blank English tokenizer's, whitespace tokens left out.

A line that begins with ``-DOCSTART-`` is a document boundary to readers (Hugging Face's
conll2003 loader and Flair test the start of the line; this one the first column), and the
format has no escaping; so a token of the text that begins with ``-DOCSTART-`` is written
with a backslash in front (``\\-DOCSTART- _ _ O``), counted in the report, and each span
over it listed as written not exactly. A token already made of backslashes and then
``-DOCSTART-`` gets one more, so that reading, which takes one backslash off such a token,
gives back the text; other readers see a word.

CoNLL holds one layer of non-overlapping entities on whole tokens, so an export leaves out,
and lists in its report: every claim-kind span (CLAIM), spans off token boundaries, and
entities overlapping a longer one. Reading accepts IOB2, IOB1 and BIOES/BILOU tags and any
number of columns (the first is the token, the last the tag), separated by tabs (a token
may then hold a space: ``New York<TAB>B-LOC``) or by spaces (ASCII ones: a no-break space
is part of its token, ``10\u00a0000``). CoNLL-U Plus files (tab-separated ``ID FORM LEMMA
... MISC`` and more columns, the ID a number; ``#`` comments, ``# newdoc`` starting a
document) are read with FORM the token and the last column the tag, ``SpaceAfter=No`` in
MISC joining a token to the next, as the sentence's ``# text`` has it (without such marks,
the tokens are spaced as ``# text`` is, where they follow it in order); a multiword token
("3-4 del", words "de" and "el") is its form in the text, tagged as its first word with an
entity tag; empty nodes are passed over. Plain CoNLL-U, ten columns, has no tags: refused.
Reading rebuilds each document's text by joining tokens with spaces (but for CoNLL-U's
``SpaceAfter=No``) and sentences with line breaks: the original paragraph breaks, title and
metadata are not in the file, so a round trip keeps the words and the entities on them,
not the character offsets. Nor always the
file's token lines: the export tokenizes with spaCy's blank English tokenizer, which may cut
a token of the file in several ("1996-08-22" in five), and a file scored against the one
imported (conlleval) then no longer lines up.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, NamedTuple

from annotator.core.model import Article, Label, Span
from annotator.core.spans import EDGE_SPACES, entity_layer, is_entity, without_edge_spaces
from annotator.core.text import file_name
from annotator.formats.base import (
    Annotation,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
    Omission,
)
from annotator.formats.files import first_byte, not_text
from annotator.formats.packed_tokens import alignment
from annotator.storage.export_items import AnnotatedArticle

DOCSTART = "-DOCSTART-"
_TAG = re.compile(r"([BIESLU])-(\S+)")
_BOUNDARY_LIKE = re.compile(r"\\*-DOCSTART-")  # at the start of a token
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


_NO_TAGS = (
    "CoNLL-U without entity tags (its ten columns ID FORM ... MISC): expected an IOB tag (O, "
    "B-LABEL, I-LABEL) in a column after them, as CoNLL-U Plus adds it, or CoNLL-2003's "
    "TOKEN ... TAG lines"
)


class ConllWriter:
    def __init__(self, path: Path, labels: Sequence[Label]):
        self.file: IO[str] = path.open("w", encoding="utf-8", newline="\n")
        self.kinds = {label.name: label.kind for label in labels}
        self.counts: Counter[str] = Counter()  # "escaped": tokens written as \-DOCSTART-

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        text = item.article.text
        tokens = alignment(text)
        omissions: list[Omission] = []
        entities = []
        for span in item.spans:
            trimmed = without_edge_spaces(span, text)
            if not is_entity(span, self.kinds):
                reason = f"{span.label} is not an entity label: CoNLL holds entities only"
                omissions.append(Omission.of(item, span, reason))
            elif any(c.isspace() for c in span.label):
                omissions.append(Omission.of(item, span, "CoNLL tags cannot contain spaces"))
            elif tokens.aligned(trimmed.start, trimmed.end) is None:
                omissions.append(Omission.of(item, span, "not on token boundaries"))
            else:
                entities.append(trimmed)
                if trimmed is not span:
                    omissions.append(Omission.of(item, span, EDGE_SPACES, written=True))
        kept, overlapping = entity_layer(entities)
        for span, other in overlapping:
            detail = f"overlaps {other.label} {other.start}-{other.end}"
            omissions.append(Omission.of(item, span, "overlaps another entity", detail=detail))
        bounds = tokens.bounds()
        spaces = tokens.is_space.tolist()
        escaped = {
            i
            for i, (start, end) in enumerate(bounds)
            if not spaces[i] and _BOUNDARY_LIKE.match(text, start, end)
        }
        self.counts["escaped"] += len(escaped)
        tags = ["O"] * len(tokens)
        for span in kept:
            first, last = tokens.aligned(span.start, span.end) or (0, -1)
            tags[first] = f"B-{span.label}"
            for i in range(first + 1, last + 1):
                tags[i] = f"I-{span.label}"
            if not escaped.isdisjoint(range(first, last + 1)):
                omissions.append(Omission.of(item, span, ESCAPED, written=True))
        lines = [f"{DOCSTART} -X- -X- O\n\n"]
        in_sentence = False
        for i, (start, end) in enumerate(bounds):
            if spaces[i]:
                # A line break ends a sentence, unless an entity runs across it.
                if in_sentence and "\n" in text[start:end] and not tags[i].startswith("I-"):
                    lines.append("\n")
                    in_sentence = False
                continue
            token = "\\" + text[start:end] if i in escaped else text[start:end]
            lines.append(f"{token} _ _ {tags[i]}\n")
            in_sentence = True
        if in_sentence:
            lines.append("\n")
        self.file.write("".join(lines))
        return omissions

    def close(self) -> None:
        self.file.close()

    def discard(self) -> None:
        self.file.close()


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

    conllu = _is_conllu(path)
    for number, line in _lines(path):
        if conllu and line.startswith("#"):
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
        if conllu:
            if _MULTIWORD.fullmatch(columns[0]) and len(columns) > 1:
                # "3-4 del": the text has "del", its words "de" and "el" come next
                multiword = (int(columns[0].split("-")[1]), columns[1], _space_after(columns))
                multiword_tags = []
                continue
            if _CONLLU_PART.fullmatch(columns[0]):
                continue  # an empty node: no word of the text
            problem = _conllu_problem(columns)
        else:
            problem = _conll_problem(columns, line)
        if problem:
            error = FormatError(path, problem, number)
            continue
        if conllu and multiword is not None and int(columns[0]) <= multiword[0]:
            multiword_tags.append(columns[-1])
            if int(columns[0]) == multiword[0]:
                _, form, space = multiword
                sentence.append(Token(form, _first_entity_tag(multiword_tags), number, space))
                multiword = None
            continue
        if conllu:
            sentence.append(Token(columns[1], columns[-1], number, _space_after(columns)))
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


def _conllu_problem(columns: list[str]) -> str:
    """What is wrong with a word line of a CoNLL-U file, or "" if nothing: its ten columns,
    then the entity tag (as CoNLL-U Plus adds columns)."""
    if not _CONLLU_ID.fullmatch(columns[0]):
        return f"expected a CoNLL-U word line (ID, FORM... separated by tabs), not {columns[0]!r}"
    if len(columns) <= len(CONLLU_COLUMNS):
        return (
            "expected CoNLL-U's ten columns and an IOB tag after them, separated by tabs; "
            f"found {len(columns)} columns"
        )
    tag = columns[-1]
    if not _is_tag(tag):
        return f"{tag!r} in the last column is not an IOB tag (O, B-LABEL, I-LABEL)"
    return ""


def _is_conllu(path: Path) -> bool:
    """Is the file CoNLL-U (its first word line ten tab-separated columns or more, the
    first an integer ID)? One with only CoNLL-U's ten holds no entity tags: refused."""
    first = _first_word_line(path)
    if first is None:
        return False
    number, columns = first
    if len(columns) < len(CONLLU_COLUMNS) or not _CONLLU_WORD.fullmatch(columns[0]):
        return False
    if len(columns) == len(CONLLU_COLUMNS):
        raise FormatError(path, _NO_TAGS, number)
    return True


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
    if token.startswith("\\") and _BOUNDARY_LIKE.match(token, 1):
        return token[1:]
    return token


def looks_like_conll(path: Path, lines: int = 50) -> bool:
    """Is this text file CoNLL columns (as CoNLL-2003 ships its ``train.txt``)? Its first
    lines are all ``-DOCSTART-``, blank, or a token and columns ending in an IOB tag."""
    tokens = 0
    try:
        with path.open("rb") as file:
            for raw in file:
                columns = _columns(raw.decode("utf-8-sig", errors="replace").rstrip("\r\n"))
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


def _space_after(columns: list[str]) -> bool:
    """CoNLL-U's ``SpaceAfter=No`` in MISC (the tenth column): the token is joined to the
    next one ("Idlib" and "." make "Idlib.")."""
    return len(columns) < 10 or "SpaceAfter=No" not in columns[9].split("|")


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


CONLL = Format(
    "conll",
    "CoNLL-2003-style columns with IOB2 tags (entities only)",
    (".conll", ".iob", ".txt", ".conllu"),
    read_conll,
    ConllWriter,
    detect=lambda path: path.suffix.lower() != ".txt" or looks_like_conll(path),
    holds=frozenset(),
)
