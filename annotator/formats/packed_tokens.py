"""A text's tokens as the exports need them: aligned (``core.alignment``) and packed.

Every format that needs tokens (Prodigy's ``tokens``, CoNLL, DocBin) uses spaCy's blank
English tokenizer (``annotator.nlp.tokens``), the same on every machine, so a span that lies on
token boundaries here does so in every export. ``alignment(text)`` is that tokenizer's
``TokenAlignment`` of a text, the table the window and agreement use too.

Tokenizing is most of the cost of a big export, so the project keeps each article's tokens
(``storage.token_cache``), packed by ``pack_tokens``: per token, its length in characters,
whether it is whitespace, whether one space follows it, and its length in bytes as a JSON
string (UTF-8, escaped), which is what a JSON writer needs to find it in the escaped text.
Tokens tile their text (each token starts where the one before ends, after its space), so
lengths are enough to place them.
"""

from __future__ import annotations

from json.encoder import encode_basestring

import numpy as np
import spacy
from spacy.attrs import IDX, IS_SPACE, LENGTH, SPACY
from spacy.tokens import Doc

from annotator.core.alignment import TokenAlignment
from annotator.nlp.tokens import blank_english, joined_pieces, piece_owners

#: Names the tokenizer in the token cache. Its rules come with spaCy, so entries made by
#: another spaCy version count as missing and are made again ("cjk": each Chinese or
#: Japanese character a token, ``annotator.nlp.tokens``; "marks": invisible marks split
#: off, and a stop, a hyphen or a slash after a modifier letter ("Ṣanʿāʾ.", "Ṣanʿāʾ-based");
#: "whole": a flag or an emoji one
#: token; entries made before count as missing too). A change of those rules changes it:
#: ``tests/formats/test_format_fast_export.py`` holds the tokens it stands for.
TOKENIZER = f"spacy {spacy.__version__} blank en cjk2 marks6 whole2"

# A packed token: length << 2 | is_space << 1 | followed by a space; then its JSON length.
_SPACE_BIT, _WS_BIT, _FLAG_BITS = 2, 1, 2


def _json_widths() -> np.ndarray:
    """Bytes each ASCII character takes inside a JSON string (``json.dumps`` escapes)."""
    widths = np.ones(128, dtype=np.int64)
    widths[:32] = 6  # \u00XX
    for char in '"\\\b\f\n\r\t':
        widths[ord(char)] = 2
    return widths


_ASCII_JSON_WIDTHS = _json_widths()


def token_columns(text: str) -> np.ndarray:
    """The text's tokens, whitespace tokens included, as rows (start, length, followed by a
    space, is whitespace): spaCy's, with the pieces of one character as a reader sees it
    made one (``joined_pieces``: a flag, an emoji joined by ZWJ)."""
    columns = blank_english().tokenizer(text).to_array([IDX, LENGTH, SPACY, IS_SPACE])
    columns = columns.astype(np.int64).reshape(-1, 4)
    starts = columns[:, 0]
    pieces = joined_pieces(text, starts, starts + columns[:, 1])
    if not pieces:
        return columns
    keep = np.ones(len(columns), dtype=bool)
    for k, first in piece_owners(pieces):
        keep[k] = False
        columns[first, 1] += columns[k, 1]
        columns[first, 2] = columns[k, 2]
    return columns[keep]


def tokenized(text: str) -> Doc:
    """The text as a ``Doc`` of the same tokens as ``token_columns`` (the DocBin export's):
    the tokenizer itself, not ``make_doc``, which refuses a text over spaCy's max_length
    (1,000,000 characters), a limit for parsing, not for a tokenized Doc."""
    doc = blank_english().tokenizer(text)
    if text.isascii() or len(doc) < 2:
        return doc
    columns = doc.to_array([IDX, LENGTH]).astype(np.int64).reshape(-1, 2)
    pieces = joined_pieces(text, columns[:, 0], columns[:, 0] + columns[:, 1])
    last: dict[int, int] = {}  # each token a character began in: its last piece
    for k, first in piece_owners(pieces):
        last[first] = k
    if last:
        with doc.retokenize() as retokenizer:
            for first, k in last.items():
                retokenizer.merge(doc[first : k + 1])
    return doc


def alignment(text: str) -> TokenAlignment:
    """The text's tokens, whitespace tokens included (``token_columns``)."""
    columns = token_columns(text)
    starts = columns[:, 0]
    return TokenAlignment(starts, starts + columns[:, 1], columns[:, 3], columns[:, 2])


def unpack_alignment(packed: bytes) -> TokenAlignment:
    """The tokens ``pack_tokens`` packed, as an alignment."""
    lengths, _, space_after, is_space = unpack_tokens(packed)
    return TokenAlignment.tiling(lengths, space_after, is_space)


def pack_tokens(text: str) -> bytes:
    """The text's tokens, packed for the token cache (see the module docstring)."""
    columns = token_columns(text)
    starts, lengths = columns[:, 0], columns[:, 1]
    if text.isascii() and len(encode_basestring(text)) == len(text) + 2:
        json_lengths = lengths  # one byte a character: nothing to escape
    else:
        offsets = np.zeros(len(text) + 1, dtype=np.int64)
        np.cumsum(_char_json_widths(text), out=offsets[1:])
        json_lengths = offsets[starts + lengths] - offsets[starts]
    flags = lengths << _FLAG_BITS | columns[:, 3] * _SPACE_BIT | columns[:, 2] * _WS_BIT
    packed = np.stack([flags, json_lengths], axis=1)
    size = 2 if packed.size == 0 or packed.max() < 1 << 16 else 4
    return bytes([size]) + packed.astype(f"<u{size}").tobytes()


def unpack_tokens(packed: bytes) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """(lengths, JSON lengths, followed by a space, is whitespace) of packed tokens."""
    columns = np.frombuffer(packed, dtype=f"<u{packed[0]}", offset=1).reshape(-1, 2)
    flags = columns[:, 0].astype(np.int64)
    return (
        flags >> _FLAG_BITS,
        columns[:, 1].astype(np.int64),
        flags & _WS_BIT,
        (flags & _SPACE_BIT) >> 1,
    )


def unpack_many(packed: list[bytes]) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """``unpack_tokens`` of many texts' entries, their tokens one after another."""
    if all(entry[0] == 2 for entry in packed):  # the usual case: one read for all
        return unpack_tokens(b"\x02" + b"".join(entry[1:] for entry in packed))
    parts = [unpack_tokens(entry) for entry in packed]
    return tuple(np.concatenate(column) for column in zip(*parts, strict=True))  # type: ignore[return-value]


def token_count(packed: bytes) -> int:
    return (len(packed) - 1) // (2 * packed[0])


def _char_json_widths(text: str) -> np.ndarray:
    """Bytes each character of ``text`` takes inside a JSON string, UTF-8 encoded."""
    codes = np.frombuffer(text.encode("utf-32-le"), dtype="<u4").astype(np.int64)
    widths = 1 + (codes >= 0x80) + (codes >= 0x800) + (codes >= 0x10000)
    ascii_ = codes < 128
    widths[ascii_] = _ASCII_JSON_WIDTHS[codes[ascii_]]
    return widths
