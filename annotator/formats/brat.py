"""``brat``: a folder of standoff pairs, ``NAME.txt`` (the text) and ``NAME.ann`` (its spans).

A span is a text-bound line, ``T1<TAB>LOCATION 10 16<TAB>Aleppo``, with offsets in code
points (brat counts Unicode characters); a ``.txt`` with ``\\r\\n`` line endings is read with
each counting two, as brat does, and stored normalised. A span across a line break is
written as fragments split at the break (``T2<TAB>CLAIM 0 40;41 80<TAB>...``), as brat wants;
reading joins fragments separated only by whitespace back into one span. Other lines
(relations, events, attributes, notes) are not read.

Exports write ``article-0000012.txt`` / ``.ann`` per article and an ``annotation.conf``
naming the labels and allowing overlaps, so brat shows the collection as it is. brat has
no place for titles or metadata: the title read back is the text's first line.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from pathlib import Path

from annotator.core.model import Article, Label, Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.base import Format, FormatError, ImportedDocument, Omission
from annotator.formats.files import read_raw_text
from annotator.storage.exports import AnnotatedArticle

_TEXT_BOUND = re.compile(r"(T\S*)\t(\S+) (\d+ \d+(?:;\d+ \d+)*)(?:\t(.*))?")


def read_brat(path: Path) -> Iterator[ImportedDocument]:
    """Read the pair ``path`` belongs to (given either its ``.txt`` or its ``.ann``)."""
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if not ann.exists():
        raise FormatError(txt, f"no {ann.name} beside it: brat keeps the spans there")
    raw_text = read_raw_text(txt)
    text = normalize_newlines(raw_text)
    to_stored = newline_offset_map(raw_text)
    spans = []
    for number, line in enumerate(read_raw_text(ann, allow_empty=True).split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.startswith("T"):
            continue  # relations, events, attributes, notes: not ours
        match = _TEXT_BOUND.fullmatch(line)
        if match is None:
            raise FormatError(
                ann, "not a text-bound line (T1<TAB>LABEL START END<TAB>TEXT)", number
            )
        key, label, offsets, stated = match.groups()
        fragments = [_pair(piece) for piece in offsets.split(";")]
        for start, end in fragments:
            if not 0 <= start < end <= len(raw_text):
                raise FormatError(ann, f"{key} ({start}-{end}) lies outside {txt.name}", number)
        pieces = [raw_text[start:end] for start, end in fragments]
        if stated is not None and " ".join(" ".join(pieces).split()) != " ".join(stated.split()):
            raise FormatError(
                ann,
                f"{key} says {stated!r} but {txt.name} has {' '.join(pieces)!r} there",
                number,
            )
        start, end = min(s for s, _ in fragments), max(e for _, e in fragments)
        if _gaps_hold_text(raw_text, fragments):
            raise FormatError(
                ann, f"{key} is discontinuous; only continuous spans can be imported", number
            )
        spans.append(Span(to_stored(start), to_stored(end), label, origin="human"))
    title = next(line.strip() for line in text.split("\n") if line.strip())
    yield ImportedDocument(
        Article(text=text, title=title[:300], source=txt.name), spans, None, 1, txt.name
    )


def _pair(piece: str) -> tuple[int, int]:
    start, end = piece.split()
    return int(start), int(end)


def _gaps_hold_text(text: str, fragments: list[tuple[int, int]]) -> bool:
    ordered = sorted(fragments)
    gaps = zip(ordered, ordered[1:], strict=False)
    return any(text[a_end:b_start].strip() for (_, a_end), (b_start, _) in gaps)


def _has_ann(path: Path) -> bool:
    return path.suffix.lower() == ".ann" or path.with_suffix(".ann").exists()


class BratWriter:
    """A brat collection: one folder, a ``.txt``/``.ann`` pair per article."""

    def __init__(self, folder: Path, labels: Sequence[Label]):
        self.folder = folder
        self.folder.mkdir(parents=True)
        self.labels = [label.name for label in labels]

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        text = item.article.text
        lines: list[str] = []
        omissions: list[Omission] = []
        for span in item.spans:
            if any(c.isspace() for c in span.label):
                omissions.append(Omission.of(item, span, "brat labels cannot contain spaces"))
                continue
            fragments = _fragments(text, span.start, span.end)
            if not fragments:
                omissions.append(Omission.of(item, span, "holds only line breaks"))
                continue
            if (fragments[0][0], fragments[-1][1]) != (span.start, span.end):
                reason = "starts or ends with a line break: written without it"
                omissions.append(Omission.of(item, span, reason, written=True))
            if span.label not in self.labels:
                self.labels.append(span.label)
            offsets = ";".join(f"{start} {end}" for start, end in fragments)
            shown = " ".join(text[start:end] for start, end in fragments)
            lines.append(f"T{len(lines) + 1}\t{span.label} {offsets}\t{shown}\n")
        name = f"article-{item.article.id or 0:07d}"
        (self.folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="\n")
        (self.folder / f"{name}.ann").write_text("".join(lines), encoding="utf-8", newline="\n")
        return omissions

    def close(self) -> None:
        entities = "\n".join(self.labels)
        (self.folder / "annotation.conf").write_text(
            f"[entities]\n{entities}\n\n[relations]\n"
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
            "[events]\n\n[attributes]\n",
            encoding="utf-8",
        )

    def discard(self) -> None:
        pass  # the exporter removes the unfinished folder


def _fragments(text: str, start: int, end: int) -> list[tuple[int, int]]:
    """``[start, end)`` cut at line breaks, without empty pieces."""
    fragments = []
    for match in re.finditer(r"[^\n]+", text[start:end]):
        fragments.append((start + match.start(), start + match.end()))
    return fragments


BRAT = Format(
    "brat",
    "brat standoff: a folder of .txt and .ann pairs, one per article",
    (".ann", ".txt"),
    read_brat,
    BratWriter,
    detect=_has_ann,
    folder=True,
)
