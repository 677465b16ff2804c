"""Which part of a dataset an article's text belongs to: train, dev or test, by its hash.

The text is folded (case, runs of spacing) and hashed, and the hash read as a point in
[0, 1): so the same text lands in the same part in every export and every training run,
whatever the project, and texts that differ only in case or spacing land together. Exports
(``--split``) and training (its held-out part) both cut here, so an article exported for
training is never among the texts a trained model is scored on, and the other way round.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

SPLIT_NAMES = ("train", "dev", "test")


def split_point(text: str) -> float:
    """The text's place in [0, 1): the same for the same text, case and spacing aside."""
    folded = " ".join(text.casefold().split())
    digest = hashlib.sha256(folded.encode("utf-8")).digest()
    return int.from_bytes(digest[:8], "big") / 2**64


def split_of(text: str, shares: Sequence[float]) -> str:
    """The split an article's text falls in, for shares of train, dev (and test)."""
    point = split_point(text)
    bound = 0.0
    for name, share in zip(SPLIT_NAMES, shares, strict=False):
        bound += share
        if point < bound:
            return name
    return SPLIT_NAMES[len(shares) - 1]  # rounding at the top
