"""``brat``: a folder of standoff pairs, ``NAME.txt`` (the text) and ``NAME.ann`` (its spans).

A span is a text-bound line, ``T1<TAB>LOCATION 10 16<TAB>Aleppo``, with offsets in code
points (brat counts Unicode characters); a ``.txt`` with ``\\r\\n`` line endings is read with
each counting two, as brat does, and stored normalised; one that begins with a UTF-8
byte-order mark is read with the mark counting one (brat keeps it as the first character),
and stored without it. A span across a line break is written as fragments split at the
break (``T2<TAB>CLAIM 0 40;41 80<TAB>...``), as brat wants, at every break
``str.splitlines`` knows (``\\u2028``, ``\\x85``...: brat reads an ``.ann`` with Python's
codecs, whose lines end there too); reading joins fragments separated only by whitespace
back into one span.

What a span refers to is a normalization, ``N1<TAB>Reference T1 GeoNames:168519<TAB>Kassab``
(the entry as ``DB:ID``, see ``kb_links.brat_reference``; the text after the tab is the span's
own): read into the span's ``kb_id``, the first of a span's normalizations.

Who makes a claim is a relation, ``R1<TAB>source Arg1:T3 Arg2:T1`` (Arg1 the claim, Arg2 its
source), and how it is framed its attributes: ``A1<TAB>polarity T3 denied`` for a choice,
``A2<TAB>hedged T3`` for a flag that is set (brat's binary attribute: present means the
flag's second value, ``yes``; absent, its default). Both are read back (``M`` lines, brat's
old name for attributes, too), and the import keeps those the project's scheme has.

What else an ``.ann`` holds is not held, and the import reports it by kind and count:
events (``E``) and their triggers (text-bound lines an ``E`` line names as its trigger, or
whose type the collection's ``annotation.conf`` lists under ``[events]``), relations and
attributes of events or of spans not imported, further normalizations of a span and those
of spans not imported, equivalences (``*``), notes (``#``), and discontinuous spans (with
text in their gaps).

Exports write a ``.txt`` / ``.ann`` pair per article, under the name it was imported with
(else ``article-0000012``), an ``annotation.conf`` naming the labels, the relation types
(``source<TAB>Arg1:CLAIM, Arg2:FACTION|SOURCE``) and attributes (``polarity<TAB>Arg:CLAIM,
Value:asserted|denied``; ``hedged<TAB>Arg:CLAIM``, binary) of the project's scheme and
allowing overlaps, so brat shows the collection as it is (labels that are not brat type
names, ``brat_export.is_type_name``, are left out, their spans listed), and (when spans refer
to entries) a ``tools.conf`` declaring the normalization databases the ``N`` lines name
(GeoNames and Wikidata with links to their pages). brat has no place for titles or
metadata: the title read back is the text's first line.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from functools import lru_cache
from pathlib import Path

from annotator.core.model import Article, Span
from annotator.core.relations import SpanAttribute, SpanRelation
from annotator.core.text import file_name, first_line, newline_offset_map, normalize_newlines
from annotator.formats.base import (
    PRESENT,
    Annotation,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
)
from annotator.formats.brat_export import CONFIG, TOOLS, BratWriter, annotation_config, tools_config
from annotator.formats.files import read_raw_text, starts_with_bom
from annotator.formats.kb_links import stored_reference
from annotator.formats.records import BadValue, check_text, kb_id

_TEXT_BOUND = re.compile(r"(T\S*)\t(\S+) (\d{1,18} \d{1,18}(?:;\d{1,18} \d{1,18})*)(?:\t(.*))?")
_NORMALIZATION = re.compile(r"(N\S*)\t(\S+) (T\S*) (\S+?:\S+)(?:\t(.*))?")
_RELATION = re.compile(r"(R\S*)\t(\S+) (\S+?):(\S+) (\S+?):(\S+)\s*(?:\t.*)?")
_EVENT_TRIGGER = re.compile(r"E\S*\t[^\s:]+:(T\S+)")
_ATTRIBUTE = re.compile(r"([AM]\S*)\t(\S+) (\S+)(?: (\S+))?\s*")
#: What each kind of line is called in reports, by its first character.
_NOT_HELD = {
    "E": "brat events (E)",
    "*": "brat equivalences (*)",
    "#": "brat notes (#)",
}


def read_brat(path: Path) -> Iterator[ImportedDocument | Invalid]:
    """Read the pair ``path`` belongs to (given either its ``.txt`` or its ``.ann``)."""
    if path.suffix.lower() not in (".txt", ".ann"):  # `--format brat` on a .jsonl, say
        raise FormatError(path, "not brat: brat is a .txt with its .ann beside it")
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
    # brat decodes the .txt with codecs' "utf-8", which keeps a byte-order mark as the
    # text's first character: its offsets count it, the text stored does not.
    shift = 1 if starts_with_bom(txt) else 0
    brat_text = "\ufeff" * shift + raw_text  # the text as brat counts it
    to_raw = newline_offset_map(raw_text)

    def to_stored(brat_offset: int) -> int:
        return to_raw(brat_offset - shift)

    spans = []
    keys: dict[str, int] = {}  # T id -> index in spans
    seen: set[str] = set()  # every T id, the spans not imported too
    references: list[tuple[str, str]] = []  # (T id, DB:ID) of the N lines
    relations: list[tuple[str, str, str]] = []  # (type, Arg1, Arg2) of the R lines
    attributes: list[tuple[str, str, str]] = []  # (name, target, value) of the A lines
    not_held: Counter[str] = Counter()
    lines = read_raw_text(ann, allow_empty=True).split("\n")
    triggers = _triggers(lines)
    for number, line in enumerate(lines, start=1):
        line = line.removesuffix("\r")
        if not line.strip():
            continue
        if line.startswith("R"):
            relation = _RELATION.fullmatch(line)
            if relation is None:
                yield _invalid(ann, "not a relation line (R1<TAB>TYPE Arg1:T1 Arg2:T2)", number)
                return
            _, kind, role1, arg1, role2, arg2 = relation.groups()
            if (role1, role2) == ("Arg2", "Arg1"):  # brat names the roles; order follows them
                arg1, arg2 = arg2, arg1
            relations.append((kind, arg1, arg2))
            continue
        if line.startswith(("A", "M")):
            attribute = _ATTRIBUTE.fullmatch(line)
            if attribute is None:
                yield _invalid(ann, "not an attribute line (A1<TAB>NAME T1 [VALUE])", number)
                return
            _, attribute_name, target, value = attribute.groups()
            attributes.append((attribute_name, target, value or PRESENT))
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
            other = _NOT_HELD.get(line[:1])
            if other is None:
                yield _invalid(ann, "not a brat annotation line (T, R, E, A, M, N, * or #)", number)
                return
            not_held[other] += 1
            continue
        match = _TEXT_BOUND.fullmatch(line)
        if match is None:
            yield _invalid(ann, "not a text-bound line (T1<TAB>LABEL START END<TAB>TEXT)", number)
            return
        key, label, offsets, stated = match.groups()
        if key in seen:  # brat refuses it; the relations to it took the last one, unsaid
            yield _invalid(ann, f"{key} is given twice", number)
            return
        seen.add(key)
        fragments = [_pair(piece) for piece in offsets.split(";")]
        for start, end in fragments:
            if start >= end:  # not "outside the text": it is in it, backwards or empty
                what = "is empty" if start == end else "ends before it starts"
                yield _invalid(ann, f"{key} ({start}-{end}) {what}", number)
                return
            if not 0 <= start < end <= len(brat_text):
                yield _invalid(ann, f"{key} ({start}-{end}) lies outside {txt.name}", number)
                return
            if end <= shift:
                message = f"{key} ({start}-{end}) covers only the byte-order mark of {txt.name}"
                yield _invalid(ann, message, number)
                return
        fragments = [(max(start, shift), end) for start, end in fragments]  # not the BOM
        pieces = [brat_text[start:end] for start, end in fragments]
        if stated is not None and " ".join(" ".join(pieces).split()) != " ".join(stated.split()):
            message = f"{key} says {stated!r} but {txt.name} has {' '.join(pieces)!r} there"
            yield _invalid(ann, message, number)
            return
        if label in events or key in triggers:
            not_held["brat event triggers"] += 1
            continue
        if _gaps_hold_text(brat_text, fragments):
            not_held["brat discontinuous spans"] += 1
            continue
        start, end = min(s for s, _ in fragments), max(e for _, e in fragments)
        keys[key] = len(spans)
        spans.append(Span(to_stored(start), to_stored(end), label, origin="human"))
    _refer(spans, keys, references, not_held)
    found_relations = [
        SpanRelation(spans[keys[arg1]], spans[keys[arg2]], kind)
        for kind, arg1, arg2 in relations
        if arg1 in keys and arg2 in keys
    ]
    if len(found_relations) < len(relations):
        not_held["brat relations (R) of events or spans not imported"] += len(relations) - len(
            found_relations
        )
    found_values = [
        SpanAttribute(spans[keys[target]], attribute_name, value)
        for attribute_name, target, value in attributes
        if target in keys
    ]
    if len(found_values) < len(attributes):
        not_held["brat attributes (A) of events or spans not imported"] += len(attributes) - len(
            found_values
        )
    article = Article(text=text, title=first_line(text), source=file_name(txt))
    yield ImportedDocument(
        article,
        (Annotation(None, spans, relations=found_relations, attributes=found_values),)
        if spans or not not_held
        else (),
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


def _triggers(lines: list[str]) -> frozenset[str]:
    """The text-bound ids the ``E`` lines name as their triggers (``E1<TAB>Hydroxylation:T12
    Theme:T3``): triggers, not entities, whether or not an ``annotation.conf`` says so."""
    return frozenset(
        match.group(1) for line in lines if (match := _EVENT_TRIGGER.match(line)) is not None
    )


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


BRAT = Format(
    "brat",
    "brat standoff: a folder of .txt and .ann pairs, one per article",
    (".ann", ".txt"),
    read_brat,
    BratWriter,
    detect=_has_ann,
    folder=True,
    scheme=True,
)


__all__ = [
    "BRAT",
    "CONFIG",
    "TOOLS",
    "BratWriter",
    "annotation_config",
    "read_brat",
    "tools_config",
]
