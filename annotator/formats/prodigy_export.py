"""Writing JSON Lines in Prodigy's task format (``jsonl``): a batch of articles at a time,
laid out by numpy. See ``prodigy.py`` for the format; reading is there."""

from __future__ import annotations

import json
import re
from collections.abc import Sequence
from dataclasses import dataclass
from functools import partial
from json.encoder import encode_basestring
from pathlib import Path
from typing import Any

import numpy as np

from annotator.core.alignment import TokenAlignment
from annotator.core.model import Label, Span
from annotator.formats.base import AppendingWriter, EncodedBatch, Omission
from annotator.formats.jsonrows import Choice, Literal, Number, Optional, Slice, pack_rows
from annotator.formats.kb_links import kb_ids_of, relations_of, verdicts_of
from annotator.formats.packed_tokens import TOKENIZER, pack_tokens, token_count, unpack_many
from annotator.formats.prodigy_claims import (
    Covering,
    attribute_total,
    relations_json,
    span_attributes,
)
from annotator.storage.export_items import ArticleBatch

_COMPACT = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
#: The task fields an article keeps from Prodigy, written back on export.
HASHES = ("_input_hash", "_task_hash")


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
    span_json, covering = _span_json(batch, layout, encoded)
    relations = relations_of(batch)
    names = {name: encode_basestring(name).encode() for name in set(batch.annotators)}
    lines: list[bytes | memoryview] = []
    firsts = np.cumsum(batch.span_counts) - np.array(batch.span_counts, dtype=np.int64)
    for i in range(count):
        lines += (b'{"text":', texts[i])
        if token_json is not None:
            lines += (b',"tokens":[', token_json[i], b"]")
        lines += (b',"meta":', _meta_json(batch, i))
        if batch.provenance and batch.provenance[i]:
            lines.append(_hashes_json(batch.provenance_of(i) or {}))
        if batch.annotators[i]:  # otherwise a task to annotate: no spans, no answer
            lines += (b',"spans":[', span_json[i])
            if batch.negatives and batch.negatives[i]:
                rejected = _rejected_json(batch, i, layout, encoded)
                lines.append(b"," + rejected if batch.span_counts[i] else rejected)
                encoded.counts["negatives"] += len(batch.negatives[i])
            lines.append(b"]")
            if relations[i]:
                lines.append(relations_json(batch, i, int(firsts[i]), covering, encoded))
            lines += (b',"_annotator_id":', names[batch.annotators[i]])
            if batch.comments and batch.comments[i]:  # why it was flagged
                lines += (b',"_comment":', encode_basestring(batch.comments[i]).encode())
            lines.append(_ANSWERS[batch.statuses[i]])
        else:
            lines.append(b"}\n")
    encoded.pieces = lines
    return encoded


def _rejected_json(
    batch: ArticleBatch, i: int, layout: _TokenLayout | None, encoded: EncodedBatch
) -> bytes:
    """The spans the annotator rejected, among the task's spans with ``"answer":"reject"``:
    how Prodigy itself merges ``ner.teach``'s decisions on a text into one example, and how
    this program's import reads them back as known negatives (they were left out, and the
    export imported back deleted them from the project). With the tokens they cover, as the
    accepted spans: Prodigy's manual views need them (they had none)."""
    tokens = None
    if layout is not None:
        own = slice(int(layout.firsts[i]), int(layout.firsts[i] + layout.counts[i]))
        starts, ends = (edges[own] - layout.bases[i] for edges in (layout.starts, layout.ends))
        tokens = TokenAlignment(starts, ends)
    pieces = []
    for start, end, label in batch.negatives[i]:
        indices = b""
        if tokens is not None:
            token_start, after = (int(n[0]) for n in tokens.ranges([start], [end]))
            if token_start < after:
                indices = b',"token_start":%d,"token_end":%d' % (token_start, after - 1)
            exact = indices and starts[token_start] == start and ends[after - 1] == end
            if not exact:  # listed: written not exactly, or without indices
                span = Span(start, end, label)
                why = REJECTED_OFF_TOKENS if indices else REJECTED_NO_TOKEN
                encoded.omissions.append(Omission(batch.ids[i], batch.titles[i], span,
                    span.text(batch.texts[i]), why, written=True, rejected=True))  # fmt: skip
        pieces.append(
            b'{"start":%d,"end":%d,"label":%s%s,"answer":"reject"}'
            % (start, end, encode_basestring(label).encode(), indices)
        )
    return b",".join(pieces)


REJECTED_OFF_TOKENS = "rejected, not on token boundaries: token indices cover the tokens it touches"
REJECTED_NO_TOKEN = "rejected, covers no token (whitespace only): written without token indices"


#: The end of a task by its version's status. Only a finished version is Prodigy's
#: "accept" (``data-to-spacy`` trains on it as whole); work in progress, skipped or flagged
#: is "ignore", which Prodigy's recipes leave out, and ``_status`` says which (read back by
#: this program's import). A flag is Prodigy's ``flagged`` too.
_ANSWERS = {
    "done": b',"answer":"accept"}\n',
    "in_progress": b',"answer":"ignore","_status":"in_progress"}\n',
    "skipped": b',"answer":"ignore","_status":"skipped"}\n',
    "flagged": b',"answer":"ignore","flagged":true,"_status":"flagged"}\n',
    "todo": b',"answer":"ignore","_status":"todo"}\n',
}


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
) -> tuple[list[memoryview], Covering | None]:
    """Each article's spans as JSON objects, comma-separated, with the tokens they cover and
    their attribute values; and the tokens each span covers, for its relations."""
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
    covering: Covering | None = None
    if layout is not None and count:
        article = np.repeat(np.arange(len(batch)), counts)
        first, last_token, covered = _covering(layout, article, starts, ends, encoded, batch)
        covering = (first, last_token, covered)
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
    # Each span's entry, where it has one ("kb_id":"geonames:168519"), and the linker's word
    # on one without ("link_status":"generic": it was dropped, unsaid).
    for key, texts in ((b"kb_id", kb_ids_of(batch)), (b"link_status", verdicts_of(batch))):
        if any(texts):
            fields.append(_optional_string(key, texts))
    values = span_attributes(batch, labels, names)
    if values is not None:  # "attributes":{"hedged":"no","polarity":"denied","quote":"no"}
        present, which, options = values
        fields.append(Optional(present, [Literal(b',"attributes":'), Choice(which, options)]))
        encoded.counts["attributes"] += attribute_total(present, which, options)
    fields.append(Choice(last, (b"},", b"}")))
    data, lengths = pack_rows(count, fields)
    return _split(data, lengths, counts), covering


def _optional_string(key: bytes, texts: list[str]) -> Optional:
    """A field ``"key":"text"`` on each span whose text is not empty."""
    distinct = sorted(set(texts))
    which = {text: i for i, text in enumerate(distinct)}
    return Optional(
        np.array([bool(text) for text in texts]),
        [
            Literal(b',"%s":' % key),
            Choice(
                np.array([which[text] for text in texts], dtype=np.int64),
                [encode_basestring(text).encode() for text in distinct],
            ),
        ],
    )


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
    """The article's own metadata, then its title, url, source, date and id (and, after it,
    at the task's top, a field its own metadata holds otherwise)."""
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
        own = json.loads(stored)
        # A field the article's own metadata holds otherwise ("source": "wire-feed-7" beside
        # the column's "Reuters") stays in meta, and the column goes at the task's top,
        # where the import reads it first: the feed was written over, unsaid.
        differ = {name: value for name, value in fields if name in own and own[name] != value}
        meta = {**own, **dict(fields), **{k: own[k] for k in differ}}
        # The project's id, unless the article has one of its own (a scraper's "AFP-123",
        # which the import keeps): written over, it was lost on the way back, unsaid.
        meta.setdefault("article_id", batch.ids[i])
        top = b"".join(b',"%s":' % name.encode() + _json_string(v) for name, v in differ.items())
        return _COMPACT(meta).encode() + top
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
