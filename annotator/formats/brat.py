"""``brat``: a folder of standoff pairs, ``NAME.txt`` (the text) and ``NAME.ann`` (its spans).

A span is a text-bound line, ``T1<TAB>LOCATION 10 16<TAB>Aleppo``, with offsets in code
points (brat counts Unicode characters); a ``.txt`` with ``\\r\\n`` line endings is read with
each counting two, as brat does, and stored normalised. A span across a line break is
written as fragments split at the break (``T2<TAB>CLAIM 0 40;41 80<TAB>...``), as brat wants;
reading joins fragments separated only by whitespace back into one span.

What a span refers to is a normalization, ``N1<TAB>Reference T1 GeoNames:168519<TAB>Kassab``
(the entry as ``DB:ID``, see ``kb_links.brat_reference``; the text after the tab is the span's
own): read into the span's ``kb_id``, the first of a span's normalizations.

What else an ``.ann`` holds is not held, and the import reports it by kind and count:
relations (``R``), events (``E``) and their triggers (text-bound lines whose type the
collection's ``annotation.conf`` lists under ``[events]``), attributes (``A``, ``M``),
further normalizations of a span and those of spans not imported, equivalences (``*``),
notes (``#``), and discontinuous spans (with text in their gaps).

Exports write a ``.txt`` / ``.ann`` pair per article, under the name it was imported with
(else ``article-0000012``), an ``annotation.conf`` naming the labels and allowing overlaps,
so brat shows the collection as it is, and (when spans refer to entries) a ``tools.conf``
declaring the normalization databases the ``N`` lines name (GeoNames and Wikidata with links
to their pages). brat has no place for titles or metadata: the title read back is the text's
first line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Sequence
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from annotator.core.model import Article, Label, Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.base import (
    Annotation,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
    Omission,
)
from annotator.formats.files import read_raw_text
from annotator.formats.kb_links import brat_reference, stored_reference
from annotator.formats.plaintext import first_line
from annotator.formats.records import BadValue, check_text, kb_id
from annotator.storage.exports import AnnotatedArticle

_TEXT_BOUND = re.compile(r"(T\S*)\t(\S+) (\d{1,18} \d{1,18}(?:;\d{1,18} \d{1,18})*)(?:\t(.*))?")
_NORMALIZATION = re.compile(r"(N\S*)\t(\S+) (T\S*) (\S+?:\S+)(?:\t(.*))?")
#: What each kind of line is called in reports, by its first character.
_NOT_HELD = {
    "R": "brat relations (R)",
    "E": "brat events (E)",
    "A": "brat attributes (A)",
    "M": "brat attributes (M)",
    "*": "brat equivalences (*)",
    "#": "brat notes (#)",
}
CONFIG = "annotation.conf"
TOOLS = "tools.conf"
#: brat's normalization databases for the ids ``kb_links.brat_reference`` writes.
_DATABASES = {
    "GeoNames": "<URL>:https://www.geonames.org/, <URLBASE>:https://www.geonames.org/%s",
    "GeoNamesAdmin1": "<URL>:https://www.geonames.org/",
    "Wikidata": "<URL>:https://www.wikidata.org/, <URLBASE>:https://www.wikidata.org/wiki/%s",
    "ConflictActors": "<URL>:https://www.wikidata.org/",
    "ProjectActors": "<URL>:https://www.wikidata.org/",
}
_SAFE_NAME = re.compile(r"[^/\\\x00]{1,200}")  # a file name, not a path


def read_brat(path: Path) -> Iterator[ImportedDocument | Invalid]:
    """Read the pair ``path`` belongs to (given either its ``.txt`` or its ``.ann``)."""
    txt, ann = path.with_suffix(".txt"), path.with_suffix(".ann")
    if not ann.exists():
        raise FormatError(txt, f"no {ann.name} beside it: brat keeps the spans there")
    raw_text = read_raw_text(txt)
    text = normalize_newlines(raw_text)
    try:
        check_text(text, "the text")
    except BadValue as error:
        raise FormatError(txt, str(error)) from None
    events = event_types(txt.parent)
    to_stored = newline_offset_map(raw_text)
    spans = []
    keys: dict[str, int] = {}  # T id -> index in spans
    references: list[tuple[str, str]] = []  # (T id, DB:ID) of the N lines
    not_held: Counter[str] = Counter()
    for number, line in enumerate(read_raw_text(ann, allow_empty=True).split("\n"), start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if line.startswith("N"):
            normalization = _NORMALIZATION.fullmatch(line)
            if normalization is None:
                message = "not a normalization line (N1<TAB>Reference T1 DB:ID<TAB>TEXT)"
                yield _invalid(ann, message, number)
                return
            _, _, target, reference, _ = normalization.groups()
            references.append((target, reference))
            continue
        if not line.startswith("T"):
            kind = _NOT_HELD.get(line[:1])
            if kind is None:
                yield _invalid(ann, "not a brat annotation line (T, R, E, A, M, N, * or #)", number)
                return
            not_held[kind] += 1
            continue
        match = _TEXT_BOUND.fullmatch(line)
        if match is None:
            yield _invalid(ann, "not a text-bound line (T1<TAB>LABEL START END<TAB>TEXT)", number)
            return
        key, label, offsets, stated = match.groups()
        fragments = [_pair(piece) for piece in offsets.split(";")]
        for start, end in fragments:
            if not 0 <= start < end <= len(raw_text):
                yield _invalid(ann, f"{key} ({start}-{end}) lies outside {txt.name}", number)
                return
        pieces = [raw_text[start:end] for start, end in fragments]
        if stated is not None and " ".join(" ".join(pieces).split()) != " ".join(stated.split()):
            message = f"{key} says {stated!r} but {txt.name} has {' '.join(pieces)!r} there"
            yield _invalid(ann, message, number)
            return
        if label in events:
            not_held["brat event triggers"] += 1
            continue
        if _gaps_hold_text(raw_text, fragments):
            not_held["brat discontinuous spans"] += 1
            continue
        start, end = min(s for s, _ in fragments), max(e for _, e in fragments)
        keys[key] = len(spans)
        spans.append(Span(to_stored(start), to_stored(end), label, origin="human"))
    _refer(spans, keys, references, not_held)
    article = Article(text=text, title=first_line(text), source=txt.name)
    yield ImportedDocument(
        article,
        (Annotation(None, spans),) if spans or not not_held else (),
        1,
        txt.name,
        not_held=tuple(not_held.items()),
        provenance=("brat", {"name": txt.stem}),
    )


def _refer(
    spans: list[Span], keys: dict[str, int], references: list[tuple[str, str]], not_held: Counter
) -> None:
    """Set each span's entry from the first normalization naming it; count the others."""
    for target, reference in references:
        index = keys.get(target)
        if index is None:
            not_held["brat normalizations (N) of spans not imported"] += 1
        elif spans[index].kb_id:
            not_held["brat normalizations (N) beyond the first of a span"] += 1
        else:
            try:
                entry = kb_id(stored_reference(reference), "the normalization")
            except BadValue:
                not_held["brat normalizations (N) of spans not imported"] += 1
                continue
            spans[index] = replace(spans[index], kb_id=entry)


def _invalid(path: Path, message: str, line: int) -> Invalid:
    return Invalid(FormatError(path, message, line))


def event_types(folder: Path) -> frozenset[str]:
    """The event types of the collection's ``annotation.conf`` (the nearest one above the
    folder, as brat finds it): their text-bound lines are triggers, not entities."""
    for place in (folder, *folder.parents):
        config = place / CONFIG
        if config.is_file():
            return _events_of(config)
    return frozenset()


@lru_cache(maxsize=64)
def _events_of(config: Path) -> frozenset[str]:
    try:
        lines = config.read_text(encoding="utf-8", errors="replace").splitlines()
    except OSError:
        return frozenset()
    section, found = "", set()
    for line in lines:
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("[") and stripped.endswith("]"):
            section = stripped[1:-1].strip().lower()
        elif section == "events" and not stripped.startswith("<"):
            found.add(stripped.split()[0].lstrip("!"))
    return frozenset(found)


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
        self.used: set[str] = set()
        self.databases: set[str] = set()  # normalization databases the N lines name

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        text = item.article.text
        lines: list[str] = []
        references: list[str] = []
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
            key = f"T{len(lines) + 1}"
            lines.append(f"{key}\t{span.label} {offsets}\t{shown}\n")
            if span.kb_id:
                reference = brat_reference(span.kb_id)
                self.databases.add(reference.partition(":")[0])
                references.append(f"Reference {key} {reference}\t{shown}")
        lines += [f"N{n}\t{line}\n" for n, line in enumerate(references, start=1)]
        name = self._name(item)
        (self.folder / f"{name}.txt").write_text(text, encoding="utf-8", newline="\n")
        (self.folder / f"{name}.ann").write_text("".join(lines), encoding="utf-8", newline="\n")
        return omissions

    def _name(self, item: AnnotatedArticle) -> str:
        """The pair's name: the one it was imported with, else from the article's id."""
        kept = (item.provenance or {}).get("name")
        name = f"article-{item.article.id or 0:07d}"
        if isinstance(kept, str) and _SAFE_NAME.fullmatch(kept) and kept.lower() not in self.used:
            name = kept
        base, n = name, 1
        while name.lower() in self.used:  # folders on macOS and Windows ignore case
            n += 1
            name = f"{base}-{n}"
        self.used.add(name.lower())
        return name

    def close(self) -> None:
        entities = "\n".join(self.labels)
        (self.folder / "annotation.conf").write_text(
            f"[entities]\n{entities}\n\n[relations]\n"
            "<OVERLAP>\tArg1:<ENTITY>, Arg2:<ENTITY>, <OVL-TYPE>:<ANY>\n\n"
            "[events]\n\n[attributes]\n",
            encoding="utf-8",
        )
        if self.databases:  # brat needs the databases its N lines name declared
            (self.folder / TOOLS).write_text(tools_config(self.databases), encoding="utf-8")

    def discard(self) -> None:
        pass  # the exporter removes the unfinished folder


def tools_config(databases: set[str]) -> str:
    """brat's ``tools.conf`` with the normalization databases named (brat shows an ``N``
    line's entry with a link to its page where the database has one)."""
    known = sorted(databases & _DATABASES.keys())
    entries = "".join(f"{database}\t{_DATABASES[database]}\n" for database in known)
    others = sorted(databases - _DATABASES.keys())  # another tool's, kept as they came
    entries += "".join(f"{database}\t<URL>:https://www.wikidata.org/\n" for database in others)
    return (
        "[options]\n\n[search]\n\n[annotators]\n\n[disambiguators]\n\n"
        "[normalization]\n"
        "# GeoNames: places (geonames.org ids); GeoNamesAdmin1: first-level regions by\n"
        "# GeoNames admin1 code; Wikidata: actors with an item; ConflictActors and\n"
        "# ProjectActors: the annotator's actor knowledge base and the project's own.\n"
        f"{entries}"
    )


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
