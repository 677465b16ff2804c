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
may then hold a space: ``New York<TAB>B-LOC``) or by spaces. It rebuilds each document's
text by joining tokens with spaces and sentences with line breaks: the original spacing,
paragraph breaks, title and metadata are not in the file, so a round trip keeps the tokens
and the entities on them, not the character offsets.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import IO

from annotator.core.model import Article, Label, Span
from annotator.core.spans import entity_layer, is_entity
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
            if not is_entity(span, self.kinds):
                reason = f"{span.label} is not an entity label: CoNLL holds entities only"
                omissions.append(Omission.of(item, span, reason))
            elif any(c.isspace() for c in span.label):
                omissions.append(Omission.of(item, span, "CoNLL tags cannot contain spaces"))
            elif tokens.aligned(span.start, span.end) is None:
                omissions.append(Omission.of(item, span, "not on token boundaries"))
            else:
                entities.append(span)
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
    sentences: list[list[tuple[str, str, int]]] = []
    sentence: list[tuple[str, str, int]] = []
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
            Article(text=text, title=text.split("\n", 1)[0][:300], source=path.name),
            (Annotation(None, spans),),
            first_line,
            f"document {count}",
        )

    for number, line in _lines(path):
        columns = _columns(line)
        if not columns or columns[0] == DOCSTART:
            if sentence:
                sentences.append(sentence)
                sentence = []
            if columns and (sentences or error):
                yield from document()
                sentences, error = [], None
            if columns:
                first_line = number
            continue
        if error is not None:
            continue  # the rest of a broken document
        if len(columns) < 2:
            error = FormatError(path, "expected a token and a tag, separated by spaces", number)
            continue
        tag = columns[-1]
        if tag != "O" and not _TAG.fullmatch(tag):
            error = FormatError(path, f"{tag!r} is not an IOB tag (O, B-LABEL, I-LABEL)", number)
            continue
        sentence.append((_unescaped(columns[0]), tag, number))
    if sentence:
        sentences.append(sentence)
    if sentences or error:
        yield from document()
    elif count == 0:
        raise FormatError(path, "contains no tokens")


def _lines(path: Path) -> Iterator[tuple[int, str]]:
    """(number, line) of a UTF-8 text file, streamed; the checks of ``read_raw_text``."""
    if first_byte(path) == b"":
        raise FormatError(path, "empty file")
    with path.open("rb") as file:
        for number, raw in enumerate(file, start=1):
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


def _columns(line: str) -> list[str]:
    """The line's columns: split at tabs when it has any, so that a token holding a space
    (``New York<TAB>B-LOC``, ``10\u00a0000<TAB>O``) stays whole; else at white space, where
    a token's own space cannot be told from a separator."""
    if "\t" in line:
        return [column.strip(" ") for column in line.split("\t") if column.strip()]
    return line.split()


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
                columns = raw.decode("utf-8-sig", errors="replace").split()
                if not columns:
                    continue
                if columns[0] == DOCSTART:
                    tokens += 2
                elif len(columns) >= 2 and (columns[-1] == "O" or _TAG.fullmatch(columns[-1])):
                    tokens += 1
                else:
                    return False
                lines -= 1
                if lines == 0:
                    break
    except OSError:
        return False
    return tokens >= 3


def _assemble(sentences: list[list[tuple[str, str, int]]]) -> tuple[str, list[Span]]:
    """The text (tokens joined by spaces, sentences by line breaks) and the tagged entities."""
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
        for t, (token, tag, _) in enumerate(sentence):
            if t:
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
    (".conll", ".iob", ".txt"),
    read_conll,
    ConllWriter,
    detect=lambda path: path.suffix.lower() != ".txt" or looks_like_conll(path),
)
