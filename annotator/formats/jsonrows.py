"""Many small JSON objects of one shape at once, written by numpy column by column.

Python formats a small JSON object in about a microsecond, and a big export writes tens of
millions of them (Prodigy's tokens). Here the objects are the rows of a byte matrix: each
field is a block of columns as wide as its widest value, narrower values padded with NUL
bytes. JSON text never holds a raw NUL (JSON strings escape it), so dropping every NUL
leaves the objects exactly, side by side. ``Slice`` values too long for their block (rare:
a URL as a token) are left out of the matrix and put in place afterwards.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

#: The widest ``Slice`` block; longer values are put in place one by one.
SLICE_WIDTH = 16
_SLICE_ROWS = 16_384  # rows made at a time


@dataclass(frozen=True, slots=True)
class Literal:
    """The same bytes in every row (keys, punctuation)."""

    data: bytes


@dataclass(frozen=True, slots=True)
class Number:
    """A non-negative integer per row, in decimal."""

    values: np.ndarray


@dataclass(frozen=True, slots=True)
class Choice:
    """One of a few byte strings per row: ``options[index]``.

    ``right``: padded before rather than after, which joins its padding to the padding of
    the field before it (end a literal in the options to follow a field directly). Fewer
    runs of NULs make the matrix quicker to pack.
    """

    index: np.ndarray
    options: Sequence[bytes]
    right: bool = False


@dataclass(frozen=True, slots=True)
class Slice:
    """Bytes of a buffer per row, ``buffer[start:start + length]``: already JSON."""

    buffer: bytes
    starts: np.ndarray
    lengths: np.ndarray


@dataclass(frozen=True, slots=True)
class Optional:
    """Fields written only in the rows where ``present`` is true (no ``Slice`` among them)."""

    present: np.ndarray
    fields: Sequence[Literal | Number | Choice]


Field = Literal | Number | Choice | Slice | Optional


def pack_rows(count: int, fields: Sequence[Field]) -> tuple[memoryview, np.ndarray]:
    """``count`` rows of ``fields`` in order, side by side, and each row's length."""
    lengths = np.zeros(count, dtype=np.int64)
    if count == 0:
        return memoryview(b""), lengths
    template = bytearray()
    words: list[tuple[int, np.ndarray]] = []  # (column, a word of 4 or 8 bytes per row)
    splices: list[tuple[np.ndarray, np.ndarray, Slice]] = []  # (rows, offset in row, field)
    for field in fields:
        if isinstance(field, Literal):
            template += field.data
            lengths += len(field.data)
            continue
        field_words, field_lengths, long_rows = _words(field)
        if long_rows is not None:
            splices.append((long_rows, lengths[long_rows], field))
        for word in field_words:
            words.append((len(template), word))
            template += bytes(word.itemsize)
        lengths += field_lengths
    spliced = sum(int(field.lengths[rows].sum()) for rows, _, field in splices)
    packed = _compact(template, words, count, int(lengths.sum()) - spliced)
    if splices:
        packed = memoryview(_splice(packed, lengths, splices))
    return packed, lengths


def _compact(
    template: bytes, words: list[tuple[int, np.ndarray]], count: int, size: int
) -> memoryview:
    """The rows (``size`` bytes without NULs), made ``_SLICE_ROWS`` at a time in one matrix:
    it stays in the processor's cache, and its literal bytes are written once."""
    width = len(template)
    rows = min(count, _SLICE_ROWS)
    matrix = np.tile(np.frombuffer(template, dtype=np.uint8), (rows, 1))
    flat = matrix.reshape(-1)
    kept = np.empty(flat.size, dtype=bool)
    # Unaligned views, one word per row: numpy stores whole words, not byte by byte.
    views = [
        (np.ndarray((rows,), word.dtype, buffer=matrix, offset=column, strides=(width,)), word)
        for column, word in words
    ]
    packed = np.empty(size, dtype=np.uint8)
    done = 0
    for first in range(0, count, rows):
        last = min(count, first + rows)
        for view, word in views:
            view[: last - first] = word[first:last]
        part = flat[: (last - first) * width]
        part = part[np.not_equal(part, 0, out=kept[: part.size])]
        packed[done : done + part.size] = part
        done += part.size
    return memoryview(packed)


def _words(field: Field) -> tuple[list[np.ndarray], np.ndarray, np.ndarray | None]:
    """The field as words of 4 or 8 bytes a row (NUL-padded), each row's length, and the
    rows too long for the words (``Slice`` only; left empty, to be put in place)."""
    if isinstance(field, Number):
        return _digits(field.values), _digit_counts(field.values), None
    if isinstance(field, Choice):
        return _choice(field.index, field.options, field.right)
    if isinstance(field, Optional):
        return _optional(field)
    if isinstance(field, Slice):
        return _slice(field)
    raise TypeError(f"not a field: {field!r}")


def _choice(
    index: np.ndarray, options: Sequence[bytes], right: bool = False
) -> tuple[list[np.ndarray], np.ndarray, None]:
    table = _word_table([bytes(option) for option in options], right)
    sizes = np.array([len(option) for option in options], dtype=np.int64)
    return [column[index] for column in table.T], sizes[index], None


def _word_table(values: list[bytes], right: bool = False) -> np.ndarray:
    """Row ``i``: ``values[i]`` NUL-padded (after, or before if ``right``), as 8-byte words
    (or one 4-byte word if short)."""
    longest = max(map(len, values))
    size = 4 if longest <= 4 else 8
    padded = max(-(-longest // size), 1) * size
    pad = bytes.rjust if right else bytes.ljust
    table = b"".join(pad(value, padded, b"\0") for value in values)
    return np.frombuffer(table, dtype=np.uint32 if size == 4 else np.uint64).reshape(
        len(values), -1
    )


def _optional(field: Optional) -> tuple[list[np.ndarray], np.ndarray, None]:
    present = field.present.astype(bool)
    words, lengths = [], np.zeros(present.size, dtype=np.int64)
    for inner in field.fields:
        if isinstance(inner, Literal):
            inner_words, inner_lengths, _ = _choice(present.view(np.int8), (b"", inner.data))
        else:
            inner_words, inner_lengths, _ = _words(inner)
        words += [np.where(present, word, 0).astype(word.dtype) for word in inner_words]
        lengths += inner_lengths
    return words, np.where(present, lengths, 0), None


def _slice(field: Slice) -> tuple[list[np.ndarray], np.ndarray, np.ndarray | None]:
    lengths = field.lengths
    count = 1 if lengths.max() <= 8 else SLICE_WIDTH // 8
    width = 8 * count
    long_rows = np.flatnonzero(lengths > width)
    shown = np.where(lengths > width, 0, lengths)
    padded = np.frombuffer(field.buffer + bytes(width + 8), dtype=np.uint8)
    # Every 8 bytes of the buffer, starting at each byte (an unaligned, overlapping view).
    windows = np.ndarray((padded.size - 7,), np.uint64, buffer=padded, strides=(1,))
    masks = _byte_masks()
    words = []
    for i in range(count):
        word = windows[field.starts + 8 * i]
        word &= masks[np.minimum(np.maximum(shown - 8 * i, 0), 8)]
        words.append(word)
    return words, lengths, long_rows if long_rows.size else None


@lru_cache(maxsize=1)
def _byte_masks() -> np.ndarray:
    """Row ``n``: an 8-byte word keeping its first ``n`` bytes."""
    table = np.zeros((9, 8), dtype=np.uint8)
    for n in range(9):
        table[n, :n] = 0xFF
    return table.view(np.uint64).reshape(-1)


def _splice(
    packed: memoryview, lengths: np.ndarray, splices: list[tuple[np.ndarray, np.ndarray, Slice]]
) -> bytes:
    """Put the long slice values, left out of the matrix, in their places."""
    row_starts = np.cumsum(lengths) - lengths
    places = []
    for rows, offsets, field in splices:
        for row, offset in zip(rows.tolist(), offsets.tolist(), strict=True):
            start = int(field.starts[row])
            value = field.buffer[start : start + int(field.lengths[row])]
            places.append((int(row_starts[row]) + offset, value))
    places.sort(key=lambda place: place[0])
    pieces: list[bytes | memoryview] = []
    done, inserted = 0, 0
    for place, value in places:
        upto = place - inserted  # where it goes in ``packed``, which lacks the values
        pieces += [packed[done:upto], value]
        done, inserted = upto, inserted + len(value)
    pieces.append(packed[done:])
    return b"".join(pieces)


_TABLE_DIGITS = 4  # numbers below 10**4 come from a table: one 4-byte word each


def _digit_counts(values: np.ndarray) -> np.ndarray:
    counts = _count_table()
    if values.size == 0 or values.max() < counts.size:
        return counts[values]
    high, low = np.divmod(values, 10**_TABLE_DIGITS)
    return np.where(high > 0, _TABLE_DIGITS + _digit_counts(high), counts[low])


def _digits(values: np.ndarray) -> list[np.ndarray]:
    """Decimal digits of each value as 4-byte words, left-aligned, NUL-padded."""
    if values.size == 0 or values.max() < 10**_TABLE_DIGITS:
        return [_digit_table(False)[values]]
    high, low = np.divmod(values, 10**_TABLE_DIGITS)
    big = high > 0
    head = [np.where(big, word, 0).astype(np.uint32) for word in _digits(high)]
    return [*head, np.where(big, _digit_table(True)[low], _digit_table(False)[low])]


@lru_cache(maxsize=2)
def _digit_table(zero_padded: bool) -> np.ndarray:
    """Entry ``n``: the digits of ``n`` as a 4-byte word (zero-padded to four digits, or
    left-aligned and NUL-padded)."""
    form = f"0{_TABLE_DIGITS}d" if zero_padded else "d"
    return _word_table([format(n, form).encode() for n in range(10**_TABLE_DIGITS)])[:, 0]


@lru_cache(maxsize=1)
def _count_table() -> np.ndarray:
    return np.array([len(str(n)) for n in range(10**_TABLE_DIGITS)], dtype=np.int64)
