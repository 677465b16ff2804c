"""The shapes every format reads into and writes from, and the error they raise."""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO, Protocol, runtime_checkable

from annotator.core.errors import AnnotatorError
from annotator.core.model import Article, Label, Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.formats.kb_links import LinkedBatch
from annotator.storage.export_items import AnnotatedArticle, ArticleBatch

_LINE_BREAKS = re.compile("[\n\r\x0b\x0c\x1c\x1d\x1e\x85\u2028\u2029]")


def _escaped(match: re.Match[str]) -> str:
    return json.dumps(match.group())[1:-1]


#: The value of a binary attribute, one that is there or not (brat's ``A1 Hedged T3``).
PRESENT = ""


class FormatError(AnnotatorError):
    """A file that cannot be read as its format; the message names the file and line or record."""

    def __init__(
        self, path: Path | str, message: str, line: int | None = None, record: str | None = None
    ):
        self.path = Path(path)
        self.line = line
        self.record = record
        where = str(path)
        if line is not None:
            where += f":{line}"
        if record is not None:
            where += f" ({record})"
        # One line, whatever a file name or a quoted value holds: a message is printed so.
        super().__init__(_LINE_BREAKS.sub(_escaped, f"{where}: {message}"))


#: The statuses of a version not done that this program's exports write and read back
#: (Prodigy's ``_status``, Label Studio's ``meta.status``).
NOT_DONE = ("in_progress", "skipped", "flagged")


@dataclass(frozen=True, slots=True)
class Annotation:
    """One annotator's annotations of one text, as a file gives them."""

    annotator: str | None  # the name the file gives, if any
    spans: list[Span]
    #: Spans the annotator rejected (Prodigy's ``"answer": "reject"``): kept as known
    #: negatives, never as annotations.
    negatives: list[Span] = field(default_factory=list)
    #: False for binary decisions (accept or reject one suggested span, Prodigy's
    #: ``ner.teach``): the rest of the text was not looked at, so it is not marked done.
    complete: bool = True
    #: Decisions to combine with the same annotator's other records of this text in the
    #: import (Prodigy asks about one span at a time), rather than a whole set that would
    #: conflict with a different one.
    merge: bool = False
    #: Relations between the spans and the spans' attribute values, by span value (both
    #: ends among ``spans``). The import keeps those the project's scheme has and reports
    #: the others; an attribute value ``PRESENT`` is a binary attribute (brat's ``A1 Hedged
    #: T3``): its flag's second value.
    relations: list[SpanRelation] = field(default_factory=list)
    attributes: list[SpanAttribute] = field(default_factory=list)
    #: The file marks it the reference version (Label Studio's ``ground_truth``): it is the
    #: gold version (annotator ``GOLD``), whatever ``--annotator`` says.
    gold: bool = False
    #: The status the file gives it (``in_progress``, ``skipped``, ``flagged``), where it
    #: says one; else done if ``complete``, in progress if it has spans.
    status: str | None = None
    #: Why it was flagged (this program's exports carry the flag's comment).
    comment: str = ""
    #: The file says nothing of its status and has no span (INCEpTION writes a user's file
    #: once the document is opened): imported in progress, and the report names it.
    status_unknown: bool = False


@dataclass(frozen=True, slots=True)
class ImportedDocument:
    """One article read from a file, with the annotations the file gives for it, if any."""

    article: Article
    annotations: tuple[Annotation, ...] = ()
    line: int | None = None  # where it starts in its file, for messages
    record: str | None = None  # how to name it in messages where lines mean little ("task 3")
    #: A tool's predictions for the text, as (model name, spans): imported as suggestions.
    suggestions: tuple[tuple[str, list[Span]], ...] = ()
    #: What the record holds that the program does not (relations, events, categories...),
    #: as (kind, count): reported by the import, never dropped without a word.
    not_held: tuple[tuple[str, int], ...] = ()
    #: (tool, count) of the texts its user skipped that the file gives no text for
    #: (ner-annotator writes null): nothing of them can be imported, and the report says so.
    skipped_in_tool: tuple[tuple[str, int], ...] = ()
    #: (format name, fields) the format writes back on export (task ids, file names, hashes).
    provenance: tuple[str, dict[str, Any]] | None = None
    #: The field (a table's column) the text was read from where it is not "text": the
    #: import says so, as the table may hold another one the user meant.
    text_from: str = ""
    #: Why the record may not be what its file meant, though it reads as one (rows of a
    #: table that quotes nothing, joined into one field): imported as read, and listed.
    doubt: str = ""

    @property
    def spans(self) -> list[Span] | None:
        """The first annotation's spans; None when the file gives no annotation."""
        return self.annotations[0].spans if self.annotations else None

    @property
    def annotator(self) -> str | None:
        return self.annotations[0].annotator if self.annotations else None


@dataclass(frozen=True, slots=True)
class Invalid:
    """A record a reader could not read; it reads on, so that the rest can be imported."""

    error: FormatError


#: A writer counts the relations (attribute values) of a type the format cannot name under
#: ``counts[f"relations {LEFT_OUT_BY_TYPE}"]``: the report says so, beside those not written
#: because a span they join was not (listed).
LEFT_OUT_BY_TYPE = "of types left out"


@dataclass(frozen=True, slots=True)
class Omission:
    """A span a format could not hold as it is, and what became of it."""

    article_id: int
    title: str
    span: Span
    text: str  # the span's text, for people reading the report
    reason: str  # short and general, so reports can count by it
    written: bool = False  # True: written, but not exactly (``reason`` says how)
    detail: str = ""  # what is particular to this span ("overlaps FACTION 10-22")
    rejected: bool = False  # a rejected span (a known negative), not one of the annotations

    @classmethod
    def of(
        cls,
        item: AnnotatedArticle,
        span: Span,
        reason: str,
        *,
        written: bool = False,
        detail: str = "",
        rejected: bool = False,
    ) -> Omission:
        return cls(
            item.article.id or 0,
            item.article.title,
            span,
            span.text(item.article.text),
            reason,
            written,
            detail,
            rejected,
        )


class Writer(Protocol):
    """Writes one dataset file (or folder), one article at a time, with flat memory."""

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        """Write an article; returns the spans that could not be written as they are."""
        ...

    def close(self) -> None:
        """Finish the file; only then is it complete."""
        ...

    def discard(self) -> None:
        """Give up (an error or a cancel): release what the writer holds, beside its target."""
        ...


@dataclass
class EncodedBatch:
    """A batch of articles as a format writes it, made apart from the file it goes in."""

    pieces: list[bytes | memoryview] = field(default_factory=list)  # the bytes, in order
    omissions: list[Omission] = field(default_factory=list)
    #: Token cache entries made on the way, for articles the cache lacked.
    tokens: dict[int, bytes] = field(default_factory=dict)
    #: Where a worker process left the bytes instead: (scratch file, offset, size).
    stored: tuple[str, int, int] | None = None
    #: Already written into the output, in its place (``parallel``): how many bytes.
    written: int | None = None
    #: Facts for the report's notes, counted by name ("overlapping": articles with
    #: overlapping spans, for formats whose tool drops them).
    counts: Counter[str] = field(default_factory=Counter)

    @property
    def size(self) -> int:
        if self.stored is not None:
            return self.stored[2]
        if self.written is not None:
            return self.written
        return sum(memoryview(piece).nbytes for piece in self.pieces)

    def read(self) -> bytes:
        """The bytes, in memory."""
        if self.stored is None:
            return b"".join(self.pieces)
        path, offset, size = self.stored
        with open(path, "rb") as file:
            file.seek(offset)
            return file.read(size)

    def write_to(self, file: BinaryIO) -> None:
        """Append the bytes to an unbuffered binary file, copying them as little as can be."""
        if self.stored is not None:
            _copy_range(*self.stored, file)
        elif hasattr(os, "writev"):
            for first in range(0, len(self.pieces), _IOV_MAX):
                _write_vector(file.fileno(), self.pieces[first : first + _IOV_MAX])
        else:
            file.write(b"".join(self.pieces))


_IOV_MAX = 1024  # pieces a writev takes at most (POSIX guarantees 16; Linux, BSD: 1024)


def _write_vector(fd: int, pieces: list[bytes | memoryview]) -> None:
    written = os.writev(fd, pieces)
    if written < sum(memoryview(piece).nbytes for piece in pieces):  # rare: a signal
        rest = memoryview(b"".join(pieces))[written:]
        while rest:
            rest = rest[os.write(fd, rest) :]


def _copy_range(path: str, offset: int, size: int, file: BinaryIO) -> None:
    with open(path, "rb") as source:
        if hasattr(os, "sendfile") and sys.platform == "linux":  # in the kernel, no copy here
            while size:
                sent = os.sendfile(file.fileno(), source.fileno(), offset, size)
                offset, size = offset + sent, size - sent
            return
        source.seek(offset)
        while size:
            block = source.read(min(size, 1 << 20))
            file.write(block)
            size -= len(block)


#: Encodes a batch; a module-level function (or a partial of one), so that it can run in a
#: worker process (``annotator.formats.parallel``).
BatchEncoder = Callable[[ArticleBatch], EncodedBatch]


@runtime_checkable
class BatchWriter(Writer, Protocol):
    """A writer that takes batches encoded apart (maybe in another process), in order."""

    encoder: BatchEncoder
    #: The token cache entries its encoder reads (``formats.packed_tokens.TOKENIZER``), if any.
    tokenizer: str | None
    #: The file ``write`` only appends the encoded bytes to, if that is all it does: then
    #: worker processes write them there themselves.
    appends_to: Path | None

    def write(self, encoded: EncodedBatch) -> None:
        """Append an encoded batch (``EncodedBatch.write_to``)."""
        ...


class AppendingWriter:
    """A ``BatchWriter`` that appends each encoded batch to one file: JSONL, doccano."""

    def __init__(self, path: Path, encoder: BatchEncoder, tokenizer: str | None = None):
        self.file: BinaryIO = path.open("wb", buffering=0)  # batches are large writes
        self.appends_to: Path | None = path
        self.encoder = encoder
        self.tokenizer = tokenizer

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        encoded = self.encoder(LinkedBatch.of([item]))
        self.write(encoded)
        return encoded.omissions

    def write(self, encoded: EncodedBatch) -> None:
        encoded.write_to(self.file)

    def close(self) -> None:
        self.file.close()

    def discard(self) -> None:
        self.file.close()


Reader = Callable[[Path], Iterator[ImportedDocument | Invalid]]
#: Opens a writer on a target path; the labels tell entities from claims. (``JsonlWriter``
#: takes an option too: ``tokens``.)
WriterFactory = Callable[[Path, Sequence[Label]], Writer]


@dataclass(frozen=True)
class Format:
    """A file format, registered by name in ``annotator.formats.FORMATS``."""

    name: str
    description: str
    suffixes: tuple[str, ...] = ()  # the first is the one exports are named with
    read: Reader | None = None
    write: WriterFactory | None = None
    aliases: tuple[str, ...] = field(default=())
    #: Tells this format apart from others with the same suffix (tried in registry order).
    detect: Callable[[Path], bool] | None = None
    #: Exports a folder of files rather than one file.
    folder: bool = False
    #: Its writer takes the project's relation and attribute scheme (``scheme=``, a
    #: ``kb_links.ClaimTypes``) to declare them or to choose its shape.
    scheme: bool = False
    #: What its files can carry beside spans ("links"; "verdicts", the linker's on a span
    #: without an entry; "relations", "attributes"): an import keeps from the project what
    #: they cannot (``import_kept.py``); "status": a version not done reads back so (else
    #: the export says it comes back done).
    holds: frozenset[str] = frozenset({"links", "relations", "attributes"})

    @property
    def suffix(self) -> str:
        return self.suffixes[0] if self.suffixes else ""
