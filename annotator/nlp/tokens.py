"""Token boundaries from spaCy's blank English tokenizer: for snapping and for agreement.

The tokenizer is rule-based and needs no trained pipeline, so these boundaries are the
same on every machine, whichever model pre-annotated the project.
"""

from __future__ import annotations

from functools import lru_cache

import spacy
from spacy.language import Language


@lru_cache(maxsize=1)
def blank_english() -> Language:
    return spacy.blank("en")


def token_bounds(text: str, include_space: bool = False) -> list[tuple[int, int]]:
    """(start, end) code-point offsets of each token, in order.

    Whitespace tokens (runs of spaces, line breaks) are left out unless asked for: nobody
    labels them, and they would only pad agreement figures with easy agreement.
    """
    doc = blank_english().tokenizer(text)
    return [
        (token.idx, token.idx + len(token.text))
        for token in doc
        if include_space or not token.is_space
    ]
