"""``spacy-json``: spaCy's training data as JSON, read (spaCy's DocBin is what exports write).

spaCy v2 trained from ``(text, {"entities": [(start, end, label)]})`` pairs, and people and
converters (tecoholic's ner-annotator) save them as JSON in three shapes, all read here:

- one pair a line, ``["text", {"entities": [[0, 13, "FACTION"]]}]``, or a JSON array of
  pairs (``TRAIN_DATA`` saved with ``json.dump``), or ner-annotator's ``{"classes": [...],
  "annotations": [pairs]}``;
- one record a line, ``{"text": ..., "entities": [[start, end, label], ...]}``.

spaCy v3's ``Doc.to_json()`` is read too: ``text``, ``ents`` (``start``, ``end``, ``label``)
the annotation, ``tokens`` and ``sents`` the text's (left out, as every format's tokens
are); its span groups (``spans``), categories (``cats``) and the tokens' tags, lemmas and
parse are not held: the import counts them. It imported with no span and its ``ents`` in
the metadata, unsaid.

Offsets are code points, Python's ``str`` indices, as spaCy counts them; but ner-annotator's
export counts UTF-16 units, as JavaScript does (its spans are built over the text's JS
indices, by character and by token alike): converted (``core.offsets``). Read as code points,
every span after an emoji began a character late ('outhi rebels '), unsaid. doccano's intent
projects write ``entities`` lists too, but in UTF-16 units and always beside a ``cats``
list: a file with one is doccano's (``is_spacy_json_file``). Read as doccano's, every span
after an emoji moved by a character, unsaid.

A record's ``entities`` are one annotation, of the annotator ``--annotator`` names (none of
these shapes names one); an empty list is an annotation with nothing in it. spaCy v2's other
annotations (``cats``, ``links``, ``heads``, ``deps``, ``tags``...) are not held: the import
counts them; BILUO tags given for ``entities`` are refused (offsets are read). A record's
other keys are the article's metadata.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any, NamedTuple

from annotator.core.model import Span
from annotator.core.offsets import Utf16Offsets
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.article_fields import OVERRIDDEN, article_from, with_meta
from annotator.formats.base import Annotation, Format, FormatError, ImportedDocument, Invalid
from annotator.formats.files import (
    SAMPLED,
    first_line_value,
    iter_json_lines,
    named_json_records,
)
from annotator.formats.records import BadValue, label, offset

#: What spaCy v2's annotation dict holds beside ``entities`` that is the text's tokens, not
#: an annotation: left out without a word, as every format's tokens are.
_TOKENS = frozenset({"words", "spaces"})
#: ``Doc.to_json``'s keys that are the text's structure (tokens, sentences), not annotations.
_STRUCTURE = frozenset({"tokens", "sents"})
#: What a token of ``Doc.to_json`` holds beside its place.
_TOKEN_PLACE = frozenset({"id", "start", "end"})
#: The tool whose export holds ``{"classes", "annotations"}``, as the report names it.
_NER_ANNOTATOR = "ner-annotator"


def read_spacy_json(path: Path) -> Iterator[ImportedDocument | Invalid]:
    for line, named, value, in_utf16, skipped in _values(path):
        if isinstance(value, Invalid):
            yield value
            continue
        try:
            document = replace(_document(value, line, in_utf16), record=named)
        except BadValue as error:
            yield Invalid(FormatError(path, str(error), line, named))
            continue
        if skipped:
            document = replace(document, skipped_in_tool=((_NER_ANNOTATOR, skipped),))
        yield document


class _Value(NamedTuple):
    """A text's value as the file holds it, where it is, and how to read its offsets."""

    line: int
    named: str | None
    value: Any
    in_utf16: bool = False  # ner-annotator's: JavaScript's offsets
    #: The sentences its user skipped (null in the export), said with the first text.
    skipped: int = 0


def _values(path: Path) -> Iterator[_Value]:
    """Each text's value: a record, or a pair, ner-annotator's unwrapped (the one shape a
    JavaScript tool writes)."""
    if _pair(first_line_value(path)):  # a pair a line: each line an array
        values: Iterator[tuple[int, str | None, Any]] = (
            (line, None, value) for line, value in iter_json_lines(path)
        )
    else:
        values = named_json_records(path)
    for line, named, value in values:
        pairs = _annotator_pairs(value)
        if pairs is None:
            yield _Value(line, named, value)
            continue
        # ner-annotator writes null for each sentence skipped (its issues #84, #103): the
        # file was refused, "expected {"text", "entities"} or a [text, {"entities"}] pair".
        skipped = sum(pair is None for pair in pairs)
        if skipped == len(pairs):
            message = "every sentence of ner-annotator's export is null (skipped there)"
            yield _Value(line, named, Invalid(FormatError(path, message, line, named)), True)
        for number, pair in enumerate(pairs, start=1):
            if pair is not None:
                where = f"{named + ', ' if named else ''}annotations {number}"
                yield _Value(line, where, pair, True, skipped)
                skipped = 0


def _pair(value: Any) -> bool:
    """Is it spaCy v2's ``[text, {"entities": ...}]``?"""
    return (
        isinstance(value, list)
        and len(value) == 2
        and isinstance(value[0], str)
        and isinstance(value[1], dict)
    )


def _annotator_pairs(value: Any) -> list[Any] | None:
    """The pairs of ner-annotator's export, ``{"classes": [...], "annotations": [pairs]}``,
    and a null for each sentence skipped there."""
    if isinstance(value, dict) and "text" not in value and "classes" in value:
        pairs = value.get("annotations")
        if isinstance(pairs, list) and pairs:
            first = next((pair for pair in pairs if pair is not None), None)
            if first is None or _pair(first):
                return pairs
    return None


def _document(value: Any, line: int, in_utf16: bool = False) -> ImportedDocument:
    if _pair(value):
        record, annotations = {"text": value[0]}, value[1]
    elif isinstance(value, dict) and "ents" in value:
        return _doc_json(value, line)
    elif isinstance(value, dict):
        record, annotations = value, {k: v for k, v in value.items() if k == "entities"}
    else:
        raise BadValue('expected {"text", "entities"} or a [text, {"entities"}] pair')
    raw_text = record.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise BadValue('record has no "text"')
    meta = record.get("meta") or {}
    if not isinstance(meta, dict):
        raise BadValue('"meta" must be an object')
    extra = {key: v for key, v in record.items() if key not in ("text", "meta", "entities")}
    merged, overridden = with_meta(extra, meta)
    article = article_from(normalize_newlines(raw_text), record, merged)
    not_held: Counter[str] = Counter({OVERRIDDEN: overridden} if overridden else {})
    for key in annotations.keys() - {"entities"} - _TOKENS:
        not_held[f"spaCy v2 annotations {key!r}"] += 1
    made: tuple[Annotation, ...] = ()
    if "entities" in annotations:  # (a text alone, or categories alone, annotates nothing)
        spans = char_spans(annotations["entities"], raw_text, "entity", in_utf16=in_utf16)
        made = (Annotation(None, spans),)
    return ImportedDocument(article, made, line, not_held=tuple(not_held.items()))


def _doc_json(record: dict[str, Any], line: int) -> ImportedDocument:
    """``Doc.to_json()``: its ``ents`` the annotation; span groups, categories and the
    tokens' analyses counted, not held; its other keys (``_``: extensions) the metadata."""
    raw_text = record.get("text")
    if not isinstance(raw_text, str) or not raw_text.strip():
        raise BadValue('record has no "text"')
    spans = char_spans(record["ents"], raw_text, "ents item")
    not_held: Counter[str] = Counter()
    groups = record.get("spans")
    if isinstance(groups, dict):
        for key, items in groups.items():
            count = len(items) if isinstance(items, list) else 1
            not_held[f"spaCy span group {key!r} spans (doc.spans)"] += count
    if record.get("cats"):
        not_held["spaCy categories (cats)"] += 1
    tokens = record.get("tokens")
    if isinstance(tokens, list) and any(
        isinstance(token, dict) and token.keys() - _TOKEN_PLACE for token in tokens
    ):
        not_held["spaCy token analyses (tag, pos, morph, lemma, dep)"] += 1
    meta = record.get("meta") if isinstance(record.get("meta"), dict) else {}
    left = ("text", "ents", "spans", "cats", "meta", *_STRUCTURE)
    merged, overridden = with_meta({k: v for k, v in record.items() if k not in left}, meta)
    if overridden:
        not_held[OVERRIDDEN] += overridden
    article = article_from(normalize_newlines(raw_text), record, merged)
    return ImportedDocument(
        article, (Annotation(None, spans),), line, not_held=tuple(not_held.items())
    )


def char_spans(items: Any, raw_text: str, what: str, *, in_utf16: bool = False) -> list[Span]:
    """Spans from ``[start, end, label]`` lists or ``{"start", "end", "label"}`` objects,
    offsets in code points of ``raw_text`` (its newlines as they are in the file), or in its
    UTF-16 units where ``in_utf16`` (ner-annotator's, JavaScript's count)."""
    if not isinstance(items, list):
        raise BadValue(f"the {what} spans must be a list")
    to_stored = newline_offset_map(raw_text) if "\r" in raw_text else None
    units = Utf16Offsets(raw_text) if in_utf16 else None
    length = units.utf16_length if units is not None else len(raw_text)
    spans = []
    for number, item in enumerate(items, start=1):
        where = f"{what} {number}"
        if isinstance(item, str):  # spaCy v2's gold tags, one a token: no offsets
            raise BadValue(
                f"{where} is a BILUO tag ({item!r}), not [start, end, label]: give character "
                "offsets (spaCy's offsets_from_biluo_tags makes them)"
            )
        if isinstance(item, dict) and {"start", "end", "label"} <= item.keys():
            raw = (item["start"], item["end"], item["label"])
        elif isinstance(item, list) and len(item) == 3:
            raw = tuple(item)
        else:
            raise BadValue(f"{where} is not [start, end, label]")
        start, end = offset(raw[0], f"{where}'s start"), offset(raw[1], f"{where}'s end")
        name = label(raw[2], f"{where}'s label")
        if not 0 <= start < end <= length:
            raise BadValue(
                f"{where} ({start}-{end}) is empty, reversed or outside the text "
                f"({length} {'UTF-16 units' if units is not None else 'characters'})"
            )
        if units is not None:
            if units.splits_pair(start) or units.splits_pair(end):
                raise BadValue(
                    f"{where} ({start}-{end}) splits an emoji or other character outside "
                    "the Basic Multilingual Plane (ner-annotator counts UTF-16 units)"
                )
            start, end = units.from_utf16(start), units.from_utf16(end)
        if to_stored is not None:
            start, end = to_stored(start), to_stored(end)
        spans.append(Span(start, end, name, "human"))
    return spans


def looks_like_spacy_json(value: Any) -> bool:
    """A pair, ner-annotator's export, ``Doc.to_json``'s record (``ents``), or a record whose
    ``entities`` are ``[start, end, label]`` lists; not doccano's (a ``cats`` list beside
    them) nor Prodigy's (``spans``)."""
    if _pair(value) or _annotator_pairs(value) is not None:
        return True
    if not isinstance(value, dict) or not isinstance(value.get("text"), str):
        return False
    ents = value.get("ents")
    if isinstance(ents, list) and (
        isinstance(value.get("tokens"), list)  # (Doc.to_json writes both, ents maybe empty)
        or (ents and all(isinstance(e, dict) and {"start", "end", "label"} <= e.keys()
                         for e in ents))
    ):  # fmt: skip
        return True
    entities = value.get("entities")
    return (
        isinstance(entities, list)
        and bool(entities)
        and all(isinstance(item, list) and len(item) == 3 for item in entities)
        and not _doccano_marks(value)
    )


def _doccano_marks(value: Any) -> bool:
    """doccano's: its intent projects' ``cats`` list, its sequence labeling's ``label``."""
    return isinstance(value, dict) and (
        isinstance(value.get("cats"), list) or "label" in value or "Comments" in value
    )


def _prodigy_spans(value: Any) -> bool:
    """Prodigy's ``spans`` list (``Doc.to_json``'s span groups are an object)."""
    return isinstance(value, dict) and isinstance(value.get("spans"), list)


def is_spacy_json_file(path: Path) -> bool:
    """Does the file hold spaCy's JSON shapes, and none of its first records doccano's?"""
    values = []
    try:
        for read in _values(path):
            if read.in_utf16:  # ner-annotator's export, even of sentences all skipped
                return True
            if not isinstance(read.value, Invalid):
                values.append(read.value)
            if len(values) >= SAMPLED:
                break
    except FormatError:
        pass
    if any(_doccano_marks(value) or _prodigy_spans(value) for value in values):
        return False
    return any(looks_like_spacy_json(value) for value in values)


SPACY_JSON = Format(
    "spacy-json",
    "spaCy's JSON: v2 training data (text, entities: [[start, end, label]]) and "
    "Doc.to_json (text, ents); code points",
    (".jsonl", ".json"),
    read_spacy_json,
    None,
    aliases=("spacy2",),
    detect=is_spacy_json_file,
    holds=frozenset(),
)
