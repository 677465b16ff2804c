"""``jsonl`` / ``prodigy``: JSON Lines in Prodigy's task format.

A record holds ``text``, ``tokens`` (``text``, ``start``, ``end``, ``id``, ``ws``: every token
of spaCy's blank English tokenizer, whitespace tokens included, so tokens and their ``ws``
rebuild the text exactly), ``spans`` (``start``, ``end``, ``label``, ``token_start``,
``token_end``, the last inclusive, as Prodigy counts), ``meta`` (title, source, url,
published, the article id and the article's own metadata), ``_annotator_id`` and
``answer: "accept"``. Offsets are code points. Every span is written, overlapping claims
included; a span off token boundaries keeps its exact offsets and its token indices cover
the tokens it touches (the export report lists it). Lines are compact JSON, as Prodigy writes
its own. Exported without tokens (``annotator export --no-tokens``), records have no
``tokens`` and spans no token indices: a recipe that needs them tokenizes again. An article
imported from Prodigy keeps its ``_input_hash`` and ``_task_hash``.

Reading takes ``text``, optional ``title``, ``url``, ``source``, ``published`` (at the top or
in ``meta``), and ``spans`` (``start``, ``end``, ``label``; a ``text`` given for a span must be
the text at those offsets), the way Prodigy's ``data-to-spacy`` reads a dataset:

- ``"answer": "accept"``: the spans are the annotator's; a task without ``spans`` is an
  annotation with nothing in it (the annotator saw the text and found nothing to mark).
  A span marked ``"answer": "reject"`` inside it is a known negative, not an annotation.
- ``"answer": "reject"``: its spans are known negatives; ``"ignore"``: the text only.
- Binary decisions (``ner.teach``, ``_view_id`` ``"ner"``: one suggested span, accepted or
  rejected, several tasks per text) are combined per text and annotator, and leave the
  article *in progress*, not done: the rest of its text was never looked at.
- Text classification (``label`` or ``accept`` at the top of a task) and ``relations`` are
  not held: the import reports them by count.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import partial
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

import numpy as np

from annotator.core.alignment import TokenAlignment
from annotator.core.model import Label, Span
from annotator.core.text import newline_offset_map, normalize_newlines
from annotator.formats.base import (
    Annotation,
    AppendingWriter,
    EncodedBatch,
    Format,
    FormatError,
    ImportedDocument,
    Invalid,
    Omission,
)
from annotator.formats.files import article_from, iter_json_records
from annotator.formats.jsonrows import Choice, Literal, Number, Optional, Slice, pack_rows
from annotator.formats.kb_links import kb_ids_of
from annotator.formats.packed_tokens import TOKENIZER, pack_tokens, token_count, unpack_many
from annotator.formats.records import BadValue, kb_id, label, label_problem, name, offset
from annotator.storage.exports import ArticleBatch

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: Prodigy's views of one suggested span to accept or reject (``ner.teach``).
BINARY_VIEWS = ("ner",)
#: The task fields an article keeps from Prodigy, written back on export.
HASHES = ("_input_hash", "_task_hash")


def read_jsonl(path: Path) -> Iterator[ImportedDocument | Invalid]:
    for line, record in iter_json_records(path):
        if isinstance(record, Invalid):
            yield record
            continue
        try:
            yield _task(record, line)
        except BadValue as error:
            yield Invalid(FormatError(path, str(error), line))
        except FormatError as error:
            yield Invalid(error)


def _task(record: Any, line: int) -> ImportedDocument:
    if not isinstance(record, dict):
        raise BadValue(f"expected a JSON object, found {_json_kind(record)}")
    raw_text = record.get("text")
    if not isinstance(raw_text, str):
        raise BadValue('record has no "text" string')
    if not raw_text.strip():
        raise BadValue('record has an empty "text"')
    text = normalize_newlines(raw_text)
    meta = record.get("meta")
    if meta is None:
        meta = {}
    if not isinstance(meta, dict):
        raise BadValue('"meta" must be an object')
    article = article_from(text, record, meta)
    answer = record.get("answer", "accept")
    if answer not in ("accept", "reject", "ignore"):
        raise BadValue(f'"answer" must be accept, reject or ignore, not {answer!r}')
    who = name(record.get("_annotator_id", record.get("annotator")), "_annotator_id")
    not_held: list[tuple[str, int]] = []
    classified = _classification(record)
    if classified:
        not_held.append(("Prodigy text classification", classified))
    relations = record.get("relations")
    if isinstance(relations, list) and relations:
        not_held.append(("Prodigy relations", len(relations)))
    accepted, rejected = _spans(record.get("spans"), raw_text)
    binary = record.get("_view_id") in BINARY_VIEWS
    if answer == "reject":
        rejected, accepted = rejected + accepted, []
    annotations: tuple[Annotation, ...] = ()
    if classified and not accepted and not rejected:
        pass  # a text classification task: its decision is counted above, not held
    elif answer == "ignore":
        not_held.append(("Prodigy ignored tasks", 1))
    elif answer == "reject" and not rejected:
        not_held.append(("Prodigy rejected tasks without spans", 1))
    elif answer == "reject" or binary:
        annotations = (Annotation(who, accepted, rejected, complete=False, merge=True),)
    elif "answer" in record or "spans" in record:
        annotations = (Annotation(who, accepted, rejected),)  # a whole annotation, maybe empty
    hashes = {key: record[key] for key in HASHES if isinstance(record.get(key), int)}
    if annotations and annotations[0].merge:
        hashes.pop("_task_hash", None)  # decisions combined: no longer that one task
    return ImportedDocument(
        article,
        annotations,
        line,
        not_held=tuple(not_held),
        provenance=("jsonl", hashes) if hashes else None,
    )


def _classification(record: dict[str, Any]) -> int:
    """How many categories a text classification task decides (0: not one)."""
    if isinstance(record.get("label"), str):
        return 1
    accepted = record.get("accept")
    if isinstance(accepted, list) and ("options" in record or accepted):
        return max(len(accepted), 1)
    return 0


def _spans(raw_spans: Any, raw_text: str) -> tuple[list[Span], list[Span]]:
    """The spans a task accepts, and those it marks rejected."""
    if raw_spans is None:
        return [], []
    if not isinstance(raw_spans, list):
        raise BadValue('"spans" must be a list')
    to_stored = newline_offset_map(raw_text) if "\r" in raw_text else None
    length = len(raw_text)
    accepted: list[Span] = []
    rejected: list[Span] = []
    for number, item in enumerate(raw_spans, start=1):
        # The checks of ``records`` on the slow path only: a file holds millions of spans.
        try:
            start, end, name = item["start"], item["end"], item["label"]
        except (KeyError, TypeError):
            raise BadValue(f"span {number} needs start, end and a label") from None
        if type(start) is not int:
            start = offset(start, f"span {number}'s start")
        if type(end) is not int:
            end = offset(end, f"span {number}'s end")
        if type(name) is not str or label_problem(name):
            label(name, f"span {number}'s label")
        if not 0 <= start < end <= length:
            raise BadValue(_outside(f"span {number}", start, end, length))
        stated = item.get("text")
        if stated is not None and normalize_newlines(raw_text[start:end]) != normalize_newlines(
            str(stated)
        ):
            raise BadValue(
                f"span {number} ({start}-{end}) says {stated!r} but the text there is "
                f"{raw_text[start:end]!r}"
            )
        if to_stored is not None:
            start, end = to_stored(start), to_stored(end)
        entry = kb_id(item["kb_id"], f"span {number}'s kb_id") if "kb_id" in item else ""
        span = Span(start, end, name, "human", kb_id=entry)
        (rejected if item.get("answer") == "reject" else accepted).append(span)
    return accepted, rejected


def _outside(what: str, start: int, end: int, length: int) -> str:
    if start >= end and start >= 0 and end <= length:
        return f"{what} ({start}-{end}) is empty or reversed: its start must come before its end"
    return f"{what} ({start}-{end}) lies outside the text ({length} characters)"


def _json_kind(value: Any) -> str:
    return {list: "a list", str: "a string", type(None): "null", bool: "true or false"}.get(
        type(value), "a number"
    )


class JsonlWriter(AppendingWriter):
    """One Prodigy task per line, written a batch at a time (``encode_tasks``)."""

    def __init__(self, path: Path, labels: Sequence[Label], tokens: bool = True):
        super().__init__(path, partial(encode_tasks, tokens=tokens), TOKENIZER if tokens else None)


def encode_tasks(batch: ArticleBatch, tokens: bool = True) -> EncodedBatch:
    """The batch as Prodigy tasks, one per line, tokens and all.

    Byte for byte what ``json.dumps(task, ensure_ascii=False, separators=(",", ":"))``
    writes, a line per article; the tokens and spans (most of the file) are laid out by
    numpy (``jsonrows``) rather than one by one.
    """
    count = len(batch)
    encoded = EncodedBatch()
    if count == 0:
        return encoded
    layout = _token_layout(batch, encoded) if tokens else None
    if layout is None:
        texts = [encode_basestring(text).encode() for text in batch.texts]
    else:
        texts = [_quoted(text) for text in batch.texts]
        quoted = _sums(layout.json_lengths + layout.space_after, layout.counts) + 2
        for i in np.flatnonzero(np.array([len(text) for text in texts]) != quoted).tolist():
            texts[i] = encode_basestring(batch.texts[i]).encode()  # other control characters
    token_json = _token_json(layout, texts) if layout is not None else None
    span_json = _span_json(batch, layout, encoded)
    names = {name: encode_basestring(name).encode() for name in set(batch.annotators)}
    lines: list[bytes | memoryview] = []
    for i in range(count):
        lines += (b'{"text":', texts[i])
        if token_json is not None:
            lines += (b',"tokens":[', token_json[i], b"]")
        lines += (b',"meta":', _meta_json(batch, i))
        if batch.provenance and batch.provenance[i]:
            lines.append(_hashes_json(batch.provenance_of(i) or {}))
        if batch.annotators[i]:  # otherwise a task to annotate: no spans, no answer
            lines += (b',"spans":[', span_json[i], b'],"_annotator_id":')
            lines += (names[batch.annotators[i]], b',"answer":"accept"}\n')
        else:
            lines.append(b"}\n")
    encoded.pieces = lines
    return encoded


def _quoted(text: str) -> bytes:
    """The text as a JSON string (``encode_basestring``) if it holds no control character
    but line breaks and tabs: a few replaces are quicker. Callers check (by its length)."""
    data = text.encode()
    for char, escaped in _ESCAPES:
        if char in data:
            data = data.replace(char, escaped)
    return b'"' + data + b'"'


_ESCAPES = ((b"\\", b"\\\\"), (b'"', b'\\"'), (b"\n", b"\\n"), (b"\r", b"\\r"), (b"\t", b"\\t"))


@dataclass(frozen=True)
class _TokenLayout:
    """Every token of a batch, as arrays over all its articles."""

    counts: np.ndarray  # tokens per article
    firsts: np.ndarray  # index of each article's first token
    article: np.ndarray  # each token's article
    starts: np.ndarray  # character offsets into the batch's texts joined
    ends: np.ndarray
    bases: np.ndarray  # where each article starts in the joined texts
    json_starts: np.ndarray  # byte offsets into the batch's quoted texts joined
    json_lengths: np.ndarray
    space_after: np.ndarray


def _token_layout(batch: ArticleBatch, encoded: EncodedBatch) -> _TokenLayout:
    packed = list(batch.tokens)
    for i, cached in enumerate(packed):
        if cached is None:
            packed[i] = encoded.tokens[batch.ids[i]] = pack_tokens(batch.texts[i])
    counts = np.array([token_count(entry) for entry in packed], dtype=np.int64)
    lengths, json_lengths, space_after, _ = unpack_many(packed)
    sizes = np.array([len(text) for text in batch.texts], dtype=np.int64)
    wrong = np.flatnonzero(_sums(lengths + space_after, counts) != sizes).tolist()
    if wrong:  # cached for another text: never, as texts do not change, but cheap to check
        for i in wrong:
            packed[i] = encoded.tokens[batch.ids[i]] = pack_tokens(batch.texts[i])
        counts = np.array([token_count(entry) for entry in packed], dtype=np.int64)
        lengths, json_lengths, space_after, _ = unpack_many(packed)
    firsts = np.cumsum(counts) - counts
    ends = np.cumsum(lengths + space_after) - space_after  # tokens tile each text
    json_ends = np.cumsum(json_lengths + space_after) - space_after
    article = np.repeat(np.arange(len(batch)), counts)
    return _TokenLayout(
        counts,
        firsts,
        article,
        ends - lengths,
        ends,
        np.cumsum(sizes) - sizes,
        json_ends - json_lengths + 2 * article + 1,  # past each text's quotes so far
        json_lengths,
        space_after,
    )


def _sums(values: np.ndarray, counts: np.ndarray) -> np.ndarray:
    """Sums of consecutive runs of ``counts`` values."""
    totals = np.concatenate([[0], np.cumsum(values)])
    ends = np.cumsum(counts)
    return totals[ends] - totals[ends - counts]


def _token_json(layout: _TokenLayout, texts: list[bytes]) -> list[memoryview]:
    """Each article's tokens as JSON objects, comma-separated."""
    count = layout.starts.size
    article = layout.article
    local = layout.starts - layout.bases[article]
    last = np.zeros(count, dtype=np.int64)
    last[layout.firsts[layout.counts > 0] + layout.counts[layout.counts > 0] - 1] = 1
    data, lengths = pack_rows(
        count,
        [
            Literal(b'{"text":"'),
            Slice(b"".join(texts), layout.json_starts, layout.json_lengths),
            Literal(b'","start":'),
            Number(local),
            Literal(b',"end":'),
            Number(local + layout.ends - layout.starts),
            Literal(b',"id":'),
            Number(np.arange(count) - layout.firsts[article]),
            Choice(layout.space_after * 2 + last, _WS, right=True),
        ],
    )
    return _split(data, lengths, layout.counts)


# A token's last field, and the comma between tokens.
_WS = (b',"ws":false},', b',"ws":false}', b',"ws":true},', b',"ws":true}')


def _span_json(
    batch: ArticleBatch, layout: _TokenLayout | None, encoded: EncodedBatch
) -> list[memoryview]:
    """Each article's spans as JSON objects, comma-separated; with the tokens they cover."""
    counts = np.array(batch.span_counts, dtype=np.int64)
    count = int(counts.sum())
    starts = np.array(batch.span_starts, dtype=np.int64)
    ends = np.array(batch.span_ends, dtype=np.int64)
    names = sorted(set(batch.span_labels))
    number = {name: i for i, name in enumerate(names)}
    labels = np.array([number[label] for label in batch.span_labels], dtype=np.int64)
    last = np.zeros(count, dtype=np.int64)
    last[np.cumsum(counts[counts > 0]) - 1] = 1
    fields: list = [
        Literal(b'{"start":'),
        Number(starts),
        Literal(b',"end":'),
        Number(ends),
        Literal(b',"label":'),
        Choice(labels, [encode_basestring(name).encode() for name in names]),
    ]
    if layout is not None and count:
        article = np.repeat(np.arange(len(batch)), counts)
        first, last_token, covered = _covering(layout, article, starts, ends, encoded, batch)
        fields.append(
            Optional(
                covered,
                [
                    Literal(b',"token_start":'),
                    Number(np.where(covered, first, 0)),
                    Literal(b',"token_end":'),
                    Number(np.where(covered, last_token, 0)),
                ],
            )
        )
    kb_ids = kb_ids_of(batch)
    if any(kb_ids):  # each span's entry, where it has one: "kb_id":"geonames:168519"
        entries = sorted(set(kb_ids))
        which = {entry: i for i, entry in enumerate(entries)}
        fields.append(
            Optional(
                np.array([bool(k) for k in kb_ids]),
                [
                    Literal(b',"kb_id":'),
                    Choice(
                        np.array([which[k] for k in kb_ids], dtype=np.int64),
                        [encode_basestring(entry).encode() for entry in entries],
                    ),
                ],
            )
        )
    fields.append(Choice(last, (b"},", b"}")))
    data, lengths = pack_rows(count, fields)
    return _split(data, lengths, counts)


def _covering(
    layout: _TokenLayout,
    article: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    encoded: EncodedBatch,
    batch: ArticleBatch,
) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per span, the first and last token it touches (within its article) and whether it
    touches any (``TokenAlignment.ranges`` over the batch's tokens laid end to end); spans
    off token boundaries are reported."""
    at = layout.bases[article]
    first, after = TokenAlignment(layout.starts, layout.ends).ranges(at + starts, at + ends)
    last = after - 1
    covered = first <= last
    total = layout.starts.size
    exact = (
        covered
        & (layout.starts[np.minimum(first, total - 1)] == at + starts)
        & (layout.ends[np.maximum(last, 0)] == at + ends)
    )
    for j in np.flatnonzero(~exact).tolist():
        i = int(article[j])
        span = Span(int(starts[j]), int(ends[j]), batch.span_labels[j])
        text = batch.texts[i]
        reason = (
            "not on token boundaries: token indices cover the tokens it touches"
            if covered[j]
            else "covers no token (whitespace only): written without token indices"
        )
        encoded.omissions.append(
            Omission(batch.ids[i], batch.titles[i], span, span.text(text), reason, written=True)
        )
    return first - layout.firsts[article], last - layout.firsts[article], covered


def _split(data: memoryview, lengths: np.ndarray, counts: np.ndarray) -> list[memoryview]:
    """``data`` cut into consecutive pieces of ``counts`` rows each."""
    rows_end = np.cumsum(counts)
    bounds = np.concatenate([[0], np.cumsum(lengths)])[np.concatenate([[0], rows_end])].tolist()
    view = memoryview(data)
    return [view[a:b] for a, b in zip(bounds, bounds[1:], strict=False)]


def _meta_json(batch: ArticleBatch, i: int) -> bytes:
    """The article's own metadata, then its title, url, source, date and id."""
    fields = [
        (name, values[i])
        for name, values in (
            ("title", batch.titles),
            ("url", batch.urls),
            ("source", batch.sources),
            ("published", batch.published),
        )
        if values[i]
    ]
    stored = batch.metas[i]
    if stored != "{}":
        meta = {**json.loads(stored), **dict(fields), "article_id": batch.ids[i]}
        return _COMPACT(meta).encode()
    pieces = [b"{"]  # the same, written directly: most articles have no metadata of their own
    for field_name, value in fields:
        pieces += (b'"%s":' % field_name.encode(), _json_string(value), b",")
    pieces.append(b'"article_id":%d}' % batch.ids[i])
    return b"".join(pieces)


def _hashes_json(kept: dict[str, Any]) -> bytes:
    """The Prodigy hashes an imported task came with (integers, as Prodigy writes them)."""
    return b"".join(
        b',"%s":%d' % (key.encode(), kept[key])
        for key in HASHES
        if isinstance(kept.get(key), int) and not isinstance(kept.get(key), bool)
    )


def _json_string(value: str) -> bytes:
    if _RARE_CONTROLS.search(value):
        return encode_basestring(value).encode()
    return _quoted(value)


_RARE_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]")  # JSON: \\u00XX, \\b, \\f


JSONL = Format(
    "jsonl",
    "JSON Lines in Prodigy's task format (text, tokens, spans, meta)",
    (".jsonl", ".ndjson", ".json"),
    read_jsonl,
    JsonlWriter,
    aliases=("prodigy",),
)
