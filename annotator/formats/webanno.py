"""``webanno``: WebAnno TSV 3 (3.2, 3.3), what INCEpTION and WebAnno export; read only.

A file is one document: its header (``#FORMAT=WebAnno TSV 3.3``, then the layers,
``webanno_columns.py``), then its sentences, each its ``#Text=`` lines (one a line of the
sentence, escaped: ``\\t``, ``\\\\``...) and a row a token, ``1-3<TAB>9-14<TAB>plays<TAB>``
and a column a feature; lines end as Java's ``readLine`` ends them (LF, CRLF, a bare CR,
as one converter writes). Offsets are UTF-16 code units of the document's text, as Java counts
(an emoji counts two): converted to code points (``core.offsets``). The text is rebuilt as
INCEpTION rebuilds it: each sentence's lines, each ended by a line break, the last break
dropped where the next sentence's first token starts right after the sentence, and spaces
filling a gap the offsets leave (what stood between sentences is not in the file).

A span is a value in its layer's column on the rows it covers: ``LOC`` on one token (or a
sub-token row, ``1-3.1``), ``LOC[3]`` on each row of a span of several (the number ties
them), ``LOC[1]|PER[2]`` two stacked spans; ``_`` none there, ``*`` a span without a value
(labelled with its layer's name). Values are unescaped (``\\|``, ``\\_``, ``\\[``...). The
labels are the named entities' ``value`` (``LOC``, ``PER``, kept as they are: the import names
the labels the project's scheme lacks) and the project's own layers' (``webanno.custom.
Claim|value``; a layer with no feature gives its name, ``Claim``). Not held, and reported by
kind and count: relations (``#T_RL``), chains (``#T_CH``, coreference), slot fillers, the
other features of a span (NamedEntity's ``identifier``), DKPro Core's other layers (POS,
Lemma...), spans of layers of several features none named ``value``, spans of no width.

INCEpTION's project export holds a folder a document, a file a user (``inception_project``:
whose file it is, and the user's state of the document, where the export gives it).
Versions before 3 (``#FORMAT=WebAnno TSV 2``, WebAnno 2's; WebAnno 1's, whose first line is
``#id=1``) are refused, saying what to export instead.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from itertools import takewhile
from pathlib import Path

from annotator.core.model import Article, Span
from annotator.core.offsets import Utf16Offsets
from annotator.core.text import first_line, newline_offset_map, normalize_newlines
from annotator.formats.base import Annotation, Format, FormatError, ImportedDocument, Invalid
from annotator.formats.files import BOM, read_raw_text
from annotator.formats.inception_project import CURATION, INITIAL, place, user_annotation
from annotator.formats.records import BadValue, check_text, label
from annotator.formats.webanno_columns import (
    CHAIN,
    FEATURE,
    FORMAT_LINE,
    RELATION,
    ROLE,
    SOURCE,
    STACKED,
    TARGET,
    Layer,
    read_columns,
    split_reference,
    unescape_text,
    unescape_value,
)

_LINE_END = re.compile(r"\r\n|\r|\n")
_OFFSETS = re.compile(r"(\d{1,12})-(\d{1,12})")
_CHAIN_LINK = re.compile(r"(?<!\\)->(\d+-\d+)$")
_NOT_HELD = "WebAnno TSV"
_FORMAT_PREFIX = "#FORMAT=WebAnno TSV"
#: The first line of WebAnno 1's TSV (``#id=1``, a sentence's number; no ``#FORMAT=``).
_OLD_FIRST_LINE = re.compile(rb"#id=\d+\s*(?:[\r\n]|$)")
#: What to do with a file of WebAnno 2's format.
_EXPORT_AGAIN = (
    "only WebAnno TSV 3 (3.2, 3.3) is read: export the documents again from INCEpTION "
    "or WebAnno 3 as 'WebAnno TSV v3.3'"
)


@dataclass
class _Span:
    """A span being read: its rows may extend it, its columns give its features."""

    layer: Layer
    start: int
    end: int
    line: int
    features: dict[str, str] = field(default_factory=dict)


def looks_like_webanno(path: Path) -> bool:
    """Does the file begin with WebAnno TSV's first line (``#FORMAT=WebAnno TSV``), or
    with the old format's (``#id=1``)?"""
    try:
        with path.open("rb") as file:
            head = file.read(64).removeprefix(BOM)
    except OSError:
        return False
    return head.startswith(b"#FORMAT=WebAnno TSV") or _OLD_FIRST_LINE.match(head) is not None


def read_webanno(path: Path) -> Iterator[ImportedDocument | Invalid]:
    """The file's document, with its annotation (see the module docstring)."""
    # Lines end as Java's readLine ends them, bare CR too: a file of a converter that
    # writes them was "not WebAnno TSV: its first line is not #FORMAT=WebAnno TSV 3.3".
    lines = _LINE_END.split(read_raw_text(path))
    first = lines[0]
    version = FORMAT_LINE.fullmatch(first)
    if version is None or version.group(1) != "3" or version.group(2) is None:
        # (WebAnno TSV 1's '#id=1' was read as a table, "no column of texts"; '#FORMAT=
        # WebAnno TSV 2' was "not WebAnno TSV")
        old = _OLD_FIRST_LINE.match(first.encode())
        if old is None and not first.startswith(_FORMAT_PREFIX):
            message = "not WebAnno TSV: its first line is not #FORMAT=WebAnno TSV 3.3"
            raise FormatError(path, message, 1)
        named = "WebAnno TSV 1" if old else first.removeprefix("#FORMAT=").strip()
        raise FormatError(path, f"{named}: {_EXPORT_AGAIN}", 1)
    try:
        document = _Document(path, int(version.group(2)), lines)
        document.read()
        imported = document.imported()
    except _Refused as refusal:  # (the file's one document: --skip-invalid leaves it out)
        yield Invalid(FormatError(path, refusal.message, refusal.line))
        return
    yield imported


class _Refused(Exception):
    def __init__(self, message: str, line: int | None = None):
        self.message, self.line = message, line


class _Document:
    """One file's text and spans, read a line at a time."""

    def __init__(self, path: Path, minor: int, lines: list[str]):
        self.path, self.minor = path, minor
        self.lines = lines
        self.pieces: list[str] = []  # the text so far
        self.length = 0  # ... and its length in UTF-16 units
        self.spans: list[_Span] = []
        self.tied: dict[tuple[str, str], _Span] = {}  # spans of several rows, by their id
        self.not_held: Counter[str] = Counter()
        self.chain_links: dict[str, set[str]] = {}
        self.rows: list[tuple[int, int, int]] = []  # (line, start, end) of every row

    def read(self) -> None:
        header = list(takewhile(lambda line: line.startswith("#T_"), self.lines[1:]))
        try:
            self.columns = read_columns(header)
        except ValueError as error:
            number = 2 + header.index(str(error)) if str(error) in header else 2
            message = "a layer's declaration is not #T_SP=, #T_CH= nor #T_RL= and a type name"
            raise _Refused(message, number) from None
        sentence: list[str] = []  # the #Text= lines of a sentence whose tokens are to come
        started = False
        body = 1 + len(header)  # (the blank lines after the header are passed over)
        for number, line in enumerate(self.lines[body:], start=body + 1):
            if not line.strip():
                continue
            if line.startswith("#"):
                if line.startswith("#Text="):
                    sentence.append(unescape_text(line[6:], self.minor))
                continue  # (#Sentence.id=, and header lines INCEpTION ignores)
            fields = line.split("\t")
            if len(fields) < 3 + len(self.columns):
                raise _Refused(
                    f"a token row of {len(fields)} columns: the header declares "
                    f"{3 + len(self.columns)} (id, offsets, token and a column a feature)",
                    number,
                )
            offsets = _OFFSETS.fullmatch(fields[1])
            if offsets is None:
                raise _Refused(f"offsets {fields[1]!r} are not START-END", number)
            start, end = int(offsets.group(1)), int(offsets.group(2))
            if end < start:
                raise _Refused(f"offsets {start}-{end} end before they start", number)
            if sentence:
                self._add_sentence(sentence, start, number)
                sentence, started = [], True
            elif not started:
                raise _Refused("a token row before any #Text= line", number)
            self.rows.append((number, start, end))
            self._read_row(fields, start, end, number)
        for layer, links in self.chain_links.items():
            self.not_held[f"{_NOT_HELD} chain links ({layer})"] += len(links)

    def _add_sentence(self, lines: list[str], start: int, number: int) -> None:
        """Join a sentence to the text where its first token says (INCEpTION's rule)."""
        if self.length > start:
            if self.length != start + 1 or not self.pieces[-1].endswith("\n"):
                raise _Refused(
                    f"the sentence starts at {start}, inside the sentences before it "
                    f"(they end at {self.length})",
                    number,
                )
            self.pieces[-1] = self.pieces[-1][:-1]  # runs on from the last: no line break
            self.length -= 1
        if self.length < start:
            self._append(" " * (start - self.length))
        self._append("".join(line + "\n" for line in lines))

    def _append(self, text: str) -> None:
        self.pieces.append(text)
        self.length += len(text.encode("utf-16-le")) // 2

    def _read_row(self, fields: list[str], start: int, end: int, number: int) -> None:
        here: dict[tuple[str, int], _Span] = {}  # this row's spans, by (layer, stack index)
        for column in self.columns:
            raw = fields[3 + column.index]
            if raw in ("_", ""):
                continue
            layer = column.layer
            for index, value in enumerate(STACKED.split(raw)):
                if layer.kind == RELATION:
                    if column.kind == SOURCE:
                        self.not_held[f"{_NOT_HELD} relations ({layer.short_name})"] += 1
                    continue
                if layer.kind == CHAIN:
                    link = _CHAIN_LINK.search(value)
                    if link is not None:
                        self.chain_links.setdefault(layer.short_name, set()).add(link.group(1))
                    continue
                if column.kind == TARGET:
                    continue  # (counted by its role column)
                value, reference = split_reference(value)
                span = here.get((layer.type_name, index))
                if span is None and reference is not None:
                    span = self.tied.get((layer.type_name, reference))
                    if span is not None:  # a further row of it
                        span.end = max(span.end, end)
                if span is None:
                    span = _Span(layer, start, end, number)
                    self.spans.append(span)
                    if reference is not None:
                        self.tied[(layer.type_name, reference)] = span
                here[(layer.type_name, index)] = span
                if column.kind == ROLE and value != "*":
                    fillers = len([v for v in re.split(r"(?<!\\);", value) if v])
                    self.not_held[f"{_NOT_HELD} slot fillers ({layer.short_name})"] += fillers
                elif column.kind == FEATURE and value != "*":
                    span.features[column.feature] = unescape_value(value)

    def imported(self) -> ImportedDocument:
        """The document, its spans in code points of the text as stored."""
        raw = "".join(self.pieces)
        units = Utf16Offsets(raw)
        for number, start, end in self.rows:
            if end > units.utf16_length:
                raise _Refused(
                    f"offsets {start}-{end} lie outside the sentences' text "
                    f"({units.utf16_length} UTF-16 units)",
                    number,
                )
            if units.splits_pair(start) or units.splits_pair(end):
                raise _Refused(
                    f"offsets {start}-{end} split an emoji or other character outside the "
                    "Basic Multilingual Plane (offsets are UTF-16 code units)",
                    number,
                )
        to_stored = newline_offset_map(raw)
        text = normalize_newlines(raw)
        try:
            check_text(text, "the text")
        except BadValue as error:
            raise _Refused(str(error)) from None
        spans = [
            span
            for found in self.spans
            if (span := self._span(found, units, to_stored)) is not None
        ]
        annotator, document, role = place(self.path)
        annotations: tuple[Annotation, ...] = ()
        if role == INITIAL:  # the text as imported into INCEpTION, before anyone's work
            if spans:
                self.not_held[f"{_NOT_HELD} spans of the document as imported ({INITIAL})"] += len(
                    spans
                )
        elif spans or not self.not_held:
            if role == CURATION:
                annotation = Annotation(None, spans, gold=True)
            elif annotator is not None:  # a user's file of the project export
                annotation = user_annotation(self.path, annotator, document, spans)
            else:
                annotation = Annotation(None, spans)
            annotations = (annotation,)
        article = Article(text=text, title=first_line(text), source=document)
        return ImportedDocument(
            article, annotations, 1, self.path.name, not_held=tuple(self.not_held.items())
        )

    def _span(
        self, found: _Span, units: Utf16Offsets, to_stored: Callable[[int], int]
    ) -> Span | None:
        """The span as stored, or None (counted) where the program does not hold it."""
        layer = found.layer
        if not layer.gives_labels:
            self.not_held[f"{_NOT_HELD} {layer.short_name} spans"] += 1
            return None
        try:
            feature = layer.label_feature
        except LookupError:
            what = f"spans of {layer.short_name} (several features, none named value)"
            self.not_held[f"{_NOT_HELD} {what}"] += 1
            return None
        for other in found.features.keys() - {feature}:
            self.not_held[f"{_NOT_HELD} {layer.short_name} {other} values"] += 1
        if found.start == found.end:
            self.not_held[f"{_NOT_HELD} spans of no width"] += 1
            return None
        name = found.features.get(feature or "") or layer.short_name
        try:
            name = label(name, f"the {feature or 'layer'} of the span on line {found.line}")
        except BadValue as error:
            raise _Refused(str(error), found.line) from None
        start = to_stored(units.from_utf16(found.start))
        end = to_stored(units.from_utf16(found.end))
        return Span(start, end, name, origin="human")


WEBANNO = Format(
    "webanno",
    "WebAnno TSV 3 (INCEpTION's and WebAnno's export; #FORMAT=WebAnno TSV 3.3): one "
    "document per file",
    (".tsv", ".txt"),
    read_webanno,
    aliases=("inception",),
    detect=looks_like_webanno,
    holds=frozenset(),
)
