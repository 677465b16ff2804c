"""Tokens as arrays, and the label each token takes from the spans over it.

Agreement counts tokens, and there are millions of them in a large project, so boundaries
come as numpy arrays straight from spaCy's blank English tokenizer (the same tokens as
``annotator.nlp.tokens.token_bounds``, whitespace left out) and labelling is vectorised.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator

import numpy as np
import numpy.typing as npt
from spacy.attrs import IDX, IS_SPACE, LENGTH
from spacy.tokenizer import Tokenizer

from annotator.nlp.tokens import blank_english

Int64Array = npt.NDArray[np.int64]

_BATCH = 256


# spaCy caches how it split each whitespace-separated chunk, but only the first 10,000
# chunks; a project's vocabulary is far larger, and re-splitting every rarer word runs
# prefix, suffix and infix searches again: four times slower over ten thousand articles.
_CACHED_CHUNKS = 1_000_000


def token_arrays(texts: Iterable[str]) -> Iterator[tuple[Int64Array, Int64Array]]:
    """For each text, the (starts, ends) code-point offsets of its non-whitespace tokens."""
    tokenizer = blank_english().tokenizer
    assert isinstance(tokenizer, Tokenizer)
    tokenizer.max_cache_size = max(tokenizer.max_cache_size, _CACHED_CHUNKS)
    for doc in tokenizer.pipe(texts, batch_size=_BATCH):
        if len(doc) == 0:
            empty = np.zeros(0, dtype=np.int64)
            yield empty, empty
            continue
        columns = doc.to_array([IDX, LENGTH, IS_SPACE]).astype(np.int64)
        words = columns[columns[:, 2] == 0]
        yield words[:, 0], words[:, 0] + words[:, 1]


def token_ranges(
    starts: Int64Array, ends: Int64Array, span_starts: npt.ArrayLike, span_ends: npt.ArrayLike
) -> tuple[Int64Array, Int64Array]:
    """For each span, the tokens it touches: ``first`` and ``last`` (exclusive) token indices.

    A token belongs to a span when they share a character, the ``expand`` rule spans snap by.
    ``starts`` and ``ends`` are sorted token boundaries, of one article or of many articles
    laid end to end (then span offsets must be shifted the same way).
    """
    first = np.searchsorted(ends, np.asarray(span_starts, dtype=np.int64), side="right")
    last = np.searchsorted(starts, np.asarray(span_ends, dtype=np.int64), side="left")
    return first, np.maximum(first, last)


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
    for code in np.unique(codes)[::-1]:
        mine = codes == code
        # +1 at each first token, -1 after each last one: a running sum > 0 is covered.
        edges = np.bincount(first[mine], minlength=n_tokens + 1) - np.bincount(
            last[mine], minlength=n_tokens + 1
        )
        labels[np.cumsum(edges[:n_tokens]) > 0] = code
    return labels
