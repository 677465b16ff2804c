"""Long texts in pieces the pipeline can take, cut where the text allows it.

spaCy refuses a text longer than ``nlp.max_length`` (1,000,000 characters by default), and
the parser's memory grows with a document's length well before that. An article over the
chunk size is cut into pieces of at most that many characters: at the last paragraph break
before the limit, else a line break, else the end of a sentence, else a space, and only
where a piece holds none of these, at the limit itself. Offsets found in a piece plus the
piece's start are offsets in the article.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Iterator
from typing import TypeVar

#: Pieces of this many characters at most; news articles are far shorter, so nearly every
#: article goes to the pipeline whole. Not more: spaCy's matchers and tokenizer hold
#: Python's lock for a whole piece, and a window importing in the background stalled up
#: to 0.7 s at each 100,000-character piece (0.17 s at 20,000; the same total time).
CHUNK_CHARS = 20_000
#: Characters the pipeline takes in one batch: its memory follows the batch, not the
#: piece (64 pieces of 20,000 characters took 3 GB; batches of 100,000 characters, 0.6 GB).
BATCH_CHARS = 100_000

T = TypeVar("T")

_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*")
_LINE = re.compile(r"\n\s*")
_SENTENCE = re.compile(r"[.!?][\"'”’)\]]*\s+")
_SPACE = re.compile(r"\s+")


def chunk_starts(text: str, size: int = CHUNK_CHARS) -> list[int]:
    """Where the pieces of ``text`` start (``[0]`` for a text of ``size`` or fewer characters).

    A cut is looked for in the second half of the window, so no piece is needlessly small;
    the whitespace at a cut stays with the piece before it.
    """
    if size < 2:
        raise ValueError(f"chunk size must be at least 2 characters, not {size}")
    starts = [0]
    start = 0
    while len(text) - start > size:
        cut = _cut(text, start + size // 2, start + size)
        starts.append(cut)
        start = cut
    return starts


def _cut(text: str, low: int, high: int) -> int:
    """The best place to cut in ``text[low:high]``: after the last break of the strongest kind."""
    for pattern in (_PARAGRAPH, _LINE, _SENTENCE, _SPACE):
        last = None
        for last in pattern.finditer(text, low, high):  # noqa: B007 - the last one is wanted
            pass
        if last is not None and last.end() < high:
            return last.end()
        if last is not None and last.start() > low:
            return last.start() + 1  # the run of spaces reaches the limit: cut inside it
    return high


def pieces(text: str, size: int = CHUNK_CHARS) -> list[tuple[int, str]]:
    """``(start, piece)`` for each piece of ``text``, in order."""
    starts = chunk_starts(text, size)
    ends = [*starts[1:], len(text)]
    return [(start, text[start:end]) for start, end in zip(starts, ends, strict=True)]


def batches(
    items: Iterable[tuple[str, T]],
    size: int,
    chars: int = BATCH_CHARS,
    alone: Callable[[T], bool] = lambda context: False,
) -> Iterator[list[tuple[str, T]]]:
    """``(text, context)`` items in batches of at most ``size`` items and ``chars``
    characters (a longer text makes a batch of its own, as does an item whose context is
    ``alone``: a piece of a long article, after which Cancel is heard)."""
    batch: list[tuple[str, T]] = []
    length = 0
    for item in items:
        if batch and (len(batch) >= size or length + len(item[0]) > chars or alone(item[1])):
            yield batch
            batch, length = [], 0
        batch.append(item)
        length += len(item[0])
        if alone(item[1]):
            yield batch
            batch, length = [], 0
    if batch:
        yield batch
