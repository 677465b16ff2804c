"""Tokens as arrays, and the label each token takes from the spans over it.

Agreement counts tokens, and there are millions of them in a large project, so boundaries
come as numpy arrays straight from spaCy's blank English tokenizer (the same tokens as
``annotator.nlp.tokens.token_bounds``, whitespace left out) and labelling is vectorised.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt
import spacy
from spacy.attrs import IDX, LENGTH
from spacy.tokenizer import Tokenizer

from annotator.core.alignment import Int64Array, TokenAlignment
from annotator.nlp.tokens import blank_english, joined_pieces, piece_owners

# spaCy caches how it split each whitespace-separated chunk, but only the first 10,000
# chunks; a project's vocabulary is far larger, and re-splitting every rarer word runs
# prefix, suffix and infix searches again: four times slower over ten thousand articles.
_CACHED_CHUNKS = 1_000_000

# Which code points are whitespace (``str.isspace``): all of them lie below U+3001.
_SPACE = np.array([chr(c).isspace() for c in range(0x3001)] + [False])

_local = threading.local()


def tokenizer() -> Tokenizer:
    """This thread's copy of ``annotator.nlp.tokens``' blank English tokenizer.

    A copy (same rules, own vocabulary and cache) because agreement runs on a worker thread
    while the window snaps selections with the original, and a spaCy tokenizer is not safe
    to share between threads. Its cache holds a whole project's vocabulary.
    """
    copy: Tokenizer | None = getattr(_local, "tokenizer", None)
    if copy is None:
        original = blank_english().tokenizer
        assert isinstance(original, Tokenizer)
        copy = Tokenizer(spacy.blank("en").vocab, max_cache_size=_CACHED_CHUNKS)
        copy.from_bytes(original.to_bytes(exclude=["vocab"]), exclude=["vocab"])
        copy.max_cache_size = _CACHED_CHUNKS  # from_bytes may bring the original's back
        _local.tokenizer = copy
    return copy


def alignments(texts: Iterable[str]) -> Iterator[TokenAlignment]:
    """For each text, the alignment of its words (its tokens that are not whitespace)."""
    split = tokenizer()
    for text in texts:
        columns = split(text).to_array([IDX, LENGTH]).astype(np.int64).reshape(-1, 2)
        # A whitespace token is all whitespace, any other has none: its first character
        # tells. (Asking spaCy for IS_SPACE costs a fifth of the tokenizing time.)
        code_points = np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)
        first = np.minimum(code_points[columns[:, 0]], len(_SPACE) - 1)
        words = columns[~_SPACE[first]]
        starts, ends = words[:, 0], words[:, 0] + words[:, 1]
        yield TokenAlignment(*_whole_characters(text, code_points, starts, ends))


def _whole_characters(
    text: str, code_points: npt.NDArray[np.uint32], starts: Int64Array, ends: Int64Array
) -> tuple[Int64Array, Int64Array]:
    """The tokens with the pieces of one character as a reader sees it (a flag, an emoji
    joined by ZWJ...) made one, as ``token_bounds`` makes them. Only tokens that touch the
    one before and begin with a code point from U+0300 on (or after a ZWJ) are looked at."""
    inside = joined_pieces(text, starts, ends, code_points)
    if not inside:
        return starts, ends
    keep = np.ones(len(starts), dtype=bool)
    ends = ends.copy()
    for k, first in piece_owners(inside):
        keep[k] = False
        ends[first] = ends[k]
    return starts[keep], ends[keep]


def token_arrays(texts: Iterable[str]) -> Iterator[tuple[Int64Array, Int64Array]]:
    """For each text, the (starts, ends) code-point offsets of its non-whitespace tokens."""
    for aligned in alignments(texts):
        yield aligned.starts, aligned.ends


def token_ranges(
    starts: Int64Array, ends: Int64Array, span_starts: npt.ArrayLike, span_ends: npt.ArrayLike
) -> tuple[Int64Array, Int64Array]:
    """For each span, the tokens it touches: ``first`` and ``last`` (exclusive) token indices
    (``TokenAlignment.ranges``). ``starts`` and ``ends`` are sorted token boundaries, of one
    article or of many articles laid end to end (then span offsets are shifted the same way).
    """
    return TokenAlignment(starts, ends).ranges(span_starts, span_ends)


def label_tokens(
    n_tokens: int, first: npt.ArrayLike, last: npt.ArrayLike, codes: npt.ArrayLike
) -> npt.NDArray[np.int8]:
    """The code of the span over each token, 0 (``O``) where none is.

    Spans are given as token ranges ``[first, last)`` with codes 1, 2, ... A token under spans
    of several codes takes the smallest: on the entity layer that can only happen in broken
    data, on a claim layer with several claim labels it keeps the figure well defined.
    """
    first = np.asarray(first, dtype=np.int64)
    last = np.asarray(last, dtype=np.int64)
    codes = np.asarray(codes, dtype=np.int64)
    labels = np.zeros(n_tokens, dtype=np.int8)
    # Paint the tokens of the spans of each code, largest first, so the smallest ends on top.
    for code in np.unique(codes)[::-1].tolist():
        mine = codes == code
        start, sizes = first[mine], last[mine] - first[mine]
        # Every token index of every span: each span's run, laid end to end.
        labels[np.repeat(start - (np.cumsum(sizes) - sizes), sizes) + np.arange(sizes.sum())] = code
    return labels
