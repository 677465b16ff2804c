"""Reading CoNLL files (``conll.py`` says what is read, and how): CoNLL-2003 columns and
CoNLL-U Plus, each document's text rebuilt from its tokens, its entities from their tags."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import NamedTuple

from annotator.core.model import Article, Span
from annotator.core.text import file_name
from annotator.formats.base import Annotation, FormatError, ImportedDocument, Invalid
from annotator.formats.conll_columns import (
    DOCSTART,
    GLOBAL_COLUMNS,
    Columns,
    conll_problem,
    conllu_layout,
    conllu_problem,
    is_tag,
    read_lines,
    split_columns,
)

BOUNDARY_LIKE = re.compile(r"\\*-DOCSTART-")  # at the start of a token
ESCAPED = "a token begins with -DOCSTART-: written with a backslash in front (\\-DOCSTART-)"
_CONLLU_PART = re.compile(r"[0-9]+(?:-[0-9]+|\.[0-9]+)")  # a multiword range, an empty node
_NEWDOC = re.compile(r"#\s*newdoc\b")
_MULTIWORD = re.compile(r"[0-9]+-[0-9]+")
_SENTENCE_TEXT = re.compile(r"#\s*text\s*=\s?(.*)$")


class Token(NamedTuple):
    """A token line: its text, its tag, its line number, and whether a space follows it."""

    text: str
    tag: str
    line: int
    space_after: bool = True


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

    layout = conllu_layout(path)
    for number, line in read_lines(path):
        if layout is not None and line.startswith("#"):
            if found := _SENTENCE_TEXT.match(line):
                said = found.group(1)
            if not _NEWDOC.match(line):
                continue  # a comment
            columns = [DOCSTART]  # "# newdoc" starts a document, as -DOCSTART- does
        else:
            columns = split_columns(line)
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
            problem = conllu_problem(columns, layout)
        else:
            problem = conll_problem(columns, line)
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
                if tokens == 0 and GLOBAL_COLUMNS.match(line):
                    return True
                columns = split_columns(line)
                if not columns:
                    continue
                if columns[0] == DOCSTART:
                    tokens += 2
                elif len(columns) >= 2 and is_tag(columns[-1]):
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
