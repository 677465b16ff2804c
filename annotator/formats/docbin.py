"""``spacy``: a ``DocBin`` (``.spacy``), the file ``spacy train`` reads.

Each article becomes a ``Doc`` from spaCy's blank English tokenizer with LOCATION and FACTION
(every entity-kind label) in ``doc.ents`` and every span, overlapping claims included, in
``doc.spans["sc"]``, the group spaCy's ``spancat`` trains on; a span that refers to a
knowledge-base entry carries it as ``Span.kb_id_`` in both (``geonames:168519``). spaCy
spans are whole tokens, so a span off token boundaries cannot be held: it is left out and
listed in the report, and when it is an entity its tokens are marked *missing* in
``doc.ents`` rather than ``O``, so a model is not taught that they are no entity. Entities
that overlap a longer one stay in ``doc.spans["sc"]`` only. Relations between the spans (a
claim and its source) and the spans' attribute values go in ``doc.user_data``, where the
loader of ``spacy_claims`` makes them ``doc._.relations`` and ``span._.attributes``.

A ``DocBin`` is one zlib-compressed msgpack message, which spaCy builds in memory. To keep
memory flat, documents are encoded a batch at a time into the parts of that message
(``encode_docs``: what ``DocBin.add`` keeps, in worker processes for big exports); the
writer spools the parts to temporary files beside the target and streams the final message
through zlib itself, laid out exactly as ``DocBin.to_bytes`` lays it out (a test pins the
two byte for byte, once decompressed). spaCy still loads a whole ``.spacy`` file into memory
when it trains on it.
"""

from __future__ import annotations

import shutil
import struct
import tempfile
import zlib
from array import array
from collections import Counter
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import IO

import numpy as np
import srsly
from spacy.attrs import DEP, ENT_ID, ENT_KB_ID, ENT_TYPE, LEMMA, MORPH, NORM, ORTH, TAG
from spacy.attrs import SPACY as SPACE_AFTER
from spacy.tokens import Doc, DocBin
from spacy.tokens import Span as TokenSpan
from spacy.tokens._dict_proxies import SpanGroups

from annotator.core.model import Label, Span
from annotator.core.spans import EDGE_SPACES, entity_layer, is_entity, without_edge_spaces
from annotator.formats.article_fields import beyond_the_text
from annotator.formats.base import BatchEncoder, EncodedBatch, Format, Omission
from annotator.formats.kb_links import LinkedBatch
from annotator.formats.packed_tokens import tokenized
from annotator.formats.spacy_claims import ATTRIBUTES_KEY, RELATIONS_KEY, store_claims
from annotator.nlp.tokens import blank_english
from annotator.storage.export_items import AnnotatedArticle, ArticleBatch

#: What a blank pipeline's ``Doc`` carries that training reads (SPACY, the spaces, is implied),
#: and each entity's knowledge-base entry (``Span.kb_id_``, what spaCy's entity linker reads).
ATTRS = ("ORTH", "ENT_IOB", "ENT_TYPE", "ENT_KB_ID")
SPAN_GROUP = "sc"
#: Known negatives (spans rejected in Prodigy), where spaCy's ``ner`` finds them when its
#: ``incorrect_spans_key`` names this group, as Prodigy's ``data-to-spacy`` writes them.
INCORRECT_GROUP = "incorrect_spans"
NEGATIVE_OFF_TOKENS = "a rejected span not on token boundaries: not in incorrect_spans"
_PARTS = ("tokens", "spaces", "cats", "flags", "span_groups", "user_data")
_COPY_BLOCK = 1 << 20
#: zlib's fastest level: spaCy compresses at 6, a file a tenth smaller made three times as
#: slowly (12 s for 100,000 articles); both read the same.
_LEVEL = 1


def article_doc(item: AnnotatedArticle, kinds: dict[str, str]) -> tuple[Doc, list[Omission]]:
    """The article as a ``Doc`` with its entities and spans, and what it could not hold."""
    doc = tokenized(item.article.text)
    omissions: list[Omission] = []
    group = []
    entities: list[tuple[Span, TokenSpan]] = []
    missing: set[int] = set()
    off_tokens: list[tuple[Span, TokenSpan | None]] = []  # spans off token boundaries
    tokens: dict[tuple[int, int, str], tuple[int, int]] = {}  # span -> its tokens
    for span in item.spans:
        trimmed = without_edge_spaces(span, item.article.text)
        token_span = doc.char_span(trimmed.start, trimmed.end, label=span.label, kb_id=span.kb_id)
        if token_span is not None and trimmed is not span:
            omissions.append(Omission.of(item, span, EDGE_SPACES, written=True))
        if token_span is not None:
            tokens.setdefault(span.key, (token_span.start, token_span.end))
            group.append(token_span)
            if is_entity(span, kinds):
                entities.append((span, token_span))
            continue
        nearest = doc.char_span(span.start, span.end, alignment_mode="expand")
        off_tokens.append((span, nearest))
        if is_entity(span, kinds) and nearest is not None:
            missing.update(range(nearest.start, nearest.end))
    kept, overlapping = entity_layer(span for span, _ in entities)
    for span, other in overlapping:
        omissions.append(
            Omission.of(
                item,
                span,
                "overlaps another entity: in doc.spans only, not in doc.ents",
                written=True,
                detail=f"overlaps {other.label} {other.start}-{other.end}",
            )
        )
    chosen = {id(span) for span in kept}
    ents = [token_span for span, token_span in entities if id(span) in chosen]
    for token_span in ents:
        missing.difference_update(range(token_span.start, token_span.end))
    omissions[:0] = [
        _off_tokens(item, span, nearest, missing, kinds) for span, nearest in off_tokens
    ]
    if item.annotator:  # an article nobody annotated keeps every token missing, not "O"
        # Only a finished version says the rest of the text holds no entity: the tokens
        # outside the spans of one in progress (judged a span at a time, as in Prodigy's
        # ner.teach, or left half done) are missing too, not "O".
        outside = "outside" if item.status == "done" else "missing"
        doc.set_ents(ents, missing=[doc[i : i + 1] for i in sorted(missing)], default=outside)
    doc.spans[SPAN_GROUP] = group
    if item.negatives:
        rejected = []
        for negative in item.negatives:
            token_span = doc.char_span(negative.start, negative.end, label=negative.label)
            if token_span is not None:
                rejected.append(token_span)
                continue  # (else listed, not left out unsaid under another reason)
            nearest = doc.char_span(negative.start, negative.end, alignment_mode="expand")
            detail = f"whole tokens would be {nearest.text!r}" if nearest is not None else ""
            omissions.append(
                Omission.of(item, negative, NEGATIVE_OFF_TOKENS, detail=detail, rejected=True)
            )
        doc.spans[INCORRECT_GROUP] = rejected
    store_claims(
        doc,
        [
            [*tokens[r.head.key], r.head.label, *tokens[r.child.key], r.child.label, r.label]
            for r in item.relations
            if r.head.key in tokens and r.child.key in tokens
        ],
        [
            [*tokens[a.span.key], a.span.label, a.name, a.value]
            for a in item.attributes
            if a.span.key in tokens
        ],
    )
    return doc, omissions


def _off_tokens(
    item: AnnotatedArticle,
    span: Span,
    nearest: TokenSpan | None,
    missing: set[int],
    kinds: dict[str, str],
) -> Omission:
    """The omission of a span off token boundaries, saying where its tokens went."""
    detail = f"whole tokens would be {nearest.text!r}" if nearest is not None else ""
    if nearest is not None and is_entity(span, kinds):
        if missing.issuperset(range(nearest.start, nearest.end)):
            detail += "; marked missing in doc.ents"
        else:  # another entity of the version holds (some of) its tokens
            detail += "; its tokens are (partly) in another entity of doc.ents"
    return Omission.of(item, span, "not on token boundaries", detail=detail)


def encode_docs(batch: ArticleBatch, kinds: dict[str, str]) -> EncodedBatch:
    """The batch's docs as ``DocBinWriter.write`` takes them: what ``DocBin.add`` keeps of
    each (its arrays, cats, flags, span groups and strings) in parts of the final message."""
    parts = _DocParts()
    omissions: list[Omission] = []
    negatives = fields = 0
    for item in batch.items():
        fields += beyond_the_text(item.article)
        doc, missed = article_doc(item, kinds)
        parts.add(doc)
        omissions += missed
        negatives += len(doc.spans[INCORRECT_GROUP]) if INCORRECT_GROUP in doc.spans else 0
    encoded = EncodedBatch(parts.pieces(), omissions)
    encoded.counts["negatives"] = negatives
    encoded.counts["fields"] = fields
    encoded.counts.update(parts.claims)
    return encoded


class _DocParts:
    """What ``DocBin.add`` keeps of docs, without its token-by-token Python: strings are
    found from the docs' arrays (a few hundred distinct hashes a doc), and one msgpack
    packer packs everything (``srsly.msgpack_dumps`` makes one per call, looking up srsly's
    encoders in every installed package's entry points: about a millisecond a doc)."""

    def __init__(self) -> None:
        self.attrs = DocBin(attrs=ATTRS).attrs
        self.tokens: list[bytes] = []
        self.spaces: list[bytes] = []
        self.lengths = array("i")
        self.packed: dict[str, list[bytes]] = {
            "cats": [], "flags": [], "span_groups": [], "user_data": []
        }  # fmt: skip
        self.claims: Counter[str] = Counter()  # relations, attribute values, docs holding any
        self.strings: set[str] = set()
        self.known: set[int] = set()  # the hashes of ``strings``
        self.pack = srsly.msgpack.Packer(use_bin_type=True).pack

    def add(self, doc: Doc) -> None:
        tokens = doc.to_array(self.attrs)
        self.tokens.append(tokens.tobytes("C"))
        self.spaces.append(doc.to_array(SPACE_AFTER).astype(bool).tobytes("C"))
        self.lengths.append(len(tokens))
        self.packed["cats"].append(self.pack(doc.cats))
        self.packed["flags"].append(self.pack({"has_unknown_spaces": doc.has_unknown_spaces}))
        self.packed["span_groups"].append(self.pack(self._span_groups(doc)))  # bytes in bytes
        # What DocBin(store_user_data=True) keeps; the writer drops it if no doc has any.
        self.packed["user_data"].append(self.pack(self.pack(doc.user_data)))
        if doc.user_data:
            self.claims["user data"] += 1
            self.claims["relations"] += len(doc.user_data.get(RELATIONS_KEY, ()))
            self.claims["attributes"] += len(doc.user_data.get(ATTRIBUTES_KEY, ()))
        strings = doc.vocab.strings
        for key in np.unique(doc.to_array(_TOKEN_STRINGS)).tolist():
            if key not in self.known:
                self.known.add(key)
                self.strings.add(strings[key])

    def _span_groups(self, doc: Doc) -> bytes:
        """``doc.spans.to_bytes()``, packed with this packer; their strings kept."""
        if not doc.spans:
            return SpanGroups._EMPTY_BYTES
        strings = doc.vocab.strings
        message: dict[bytes, list[str]] = {}
        for key, group in doc.spans.items():
            spans = []
            for span in group:
                spans.append(
                    struct.pack(
                        ">QQQllll",
                        span.id,
                        span.kb_id,
                        span.label,
                        span.start,
                        span.end,
                        span.start_char,
                        span.end_char,
                    )
                )
                self.strings.add(span.label_)
                if span.kb_id in strings:
                    self.strings.add(span.kb_id_)
                if span.id in strings:
                    self.strings.add(span.id_)
            packed = self.pack({"name": group.name, "attrs": group.attrs, "spans": spans})
            message.setdefault(packed, []).append(key)
        return self.pack(message)

    def pieces(self) -> list[bytes]:
        """The parts, one after another, after a header of their sizes."""
        parts = [
            b"".join(self.tokens),
            b"".join(self.spaces),
            self.lengths.tobytes(),
            *(b"".join(self.packed[name]) for name in ("cats", "flags", "span_groups")),
            b"".join(self.packed["user_data"]),
            self.pack(sorted(self.strings)),
        ]
        return [struct.pack(f"<{len(parts)}Q", *map(len, parts)), *parts]


_PIECES = (
    "tokens", "spaces", "lengths", "cats", "flags", "span_groups", "user_data", "strings"
)  # fmt: skip


class DocBinWriter:
    """Writes one ``.spacy`` file with memory that does not grow with the number of docs."""

    def __init__(self, path: Path, labels: Sequence[Label]):
        self.path = path
        self.encoder: BatchEncoder = partial(
            encode_docs, kinds={label.name: label.kind for label in labels}
        )
        self.tokenizer = None  # its docs come from the tokenizer itself
        self.appends_to = None  # its parts go to several spool files
        self.spool = Path(tempfile.mkdtemp(prefix=f".{path.name}-", dir=path.parent))
        self.parts: dict[str, IO[bytes]] = {
            name: (self.spool / name).open("w+b") for name in _PARTS
        }
        self.lengths = array("i")  # tokens per doc: 4 bytes a doc
        self.strings: set[str] = set()  # grows with the vocabulary, not the corpus
        self.user_data = False  # whether some doc has user data (relations, attributes)

    def add(self, item: AnnotatedArticle) -> list[Omission]:
        encoded = self.encoder(LinkedBatch.of([item]))
        self.write(encoded)
        return encoded.omissions

    def write(self, encoded: EncodedBatch) -> None:
        """Spool the parts of an encoded batch, keep its strings."""
        data = memoryview(encoded.read())
        self.user_data = self.user_data or bool(encoded.counts["user data"])
        sizes = struct.unpack_from(f"<{len(_PIECES)}Q", data)
        offset = struct.calcsize(f"<{len(_PIECES)}Q")
        for name, size in zip(_PIECES, sizes, strict=True):
            piece = data[offset : offset + size]
            offset += size
            if name == "lengths":
                self.lengths.frombytes(piece)
            elif name == "strings":
                self.strings.update(srsly.msgpack.unpackb(piece, raw=False))
            else:
                self.parts[name].write(piece)

    def close(self) -> None:
        """Write the message ``DocBin.to_bytes`` would, streamed through zlib."""
        empty = DocBin(attrs=ATTRS)
        count = len(self.lengths)
        packer = srsly.msgpack.Packer(use_bin_type=True)
        pack = packer.pack
        compressor = zlib.compressobj(_LEVEL)
        with self.path.open("wb") as out:

            def emit(data: bytes) -> None:
                out.write(compressor.compress(data))

            def emit_part(name: str) -> None:
                part = self.parts[name]
                part.flush()
                part.seek(0)
                while block := part.read(_COPY_BLOCK):
                    emit(block)

            emit(packer.pack_map_header(10 if self.user_data else 9))
            emit(pack("version") + pack(empty.version) + pack("attrs") + pack(empty.attrs))
            for name in ("tokens", "spaces"):
                emit(pack(name) + _bin_header(self.parts[name].tell()))
                emit_part(name)
            emit(pack("lengths") + pack(self.lengths.tobytes()))
            emit(pack("strings") + packer.pack_array_header(len(self.strings)))
            emit(b"".join(pack(string) for string in sorted(self.strings)))
            for name in ("cats", "flags", "span_groups", "user_data"):
                if name == "user_data" and not self.user_data:
                    continue  # as DocBin writes it without store_user_data
                emit(pack(name) + packer.pack_array_header(count))
                emit_part(name)
            out.write(compressor.flush())
        self.discard()

    def discard(self) -> None:
        for part in self.parts.values():
            part.close()
        shutil.rmtree(self.spool, ignore_errors=True)


#: The strings ``DocBin.add`` keeps of every token: text, tag, lemma, norm, morphology,
#: dependency, entity type, knowledge base id, entity id.
_TOKEN_STRINGS = [ORTH, TAG, LEMMA, NORM, MORPH, DEP, ENT_TYPE, ENT_KB_ID, ENT_ID]


def _bin_header(size: int) -> bytes:
    """msgpack's header for ``size`` raw bytes, the smallest form, as msgpack writes it."""
    if size < 1 << 8:
        return b"\xc4" + struct.pack(">B", size)
    if size < 1 << 16:
        return b"\xc5" + struct.pack(">H", size)
    return b"\xc6" + struct.pack(">I", size)


def read_docbin(path: Path) -> Iterable[Doc]:
    """The docs of a ``.spacy`` file, for tests and checks."""
    return DocBin().from_disk(path).get_docs(blank_english().vocab)


SPACY = Format(
    "spacy",
    "spaCy DocBin (.spacy): entities in doc.ents, every span in doc.spans['sc']",
    (".spacy",),
    None,
    DocBinWriter,
)
