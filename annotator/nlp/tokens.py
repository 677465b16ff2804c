"""Token boundaries from spaCy's blank English tokenizer: for snapping and for agreement.

The tokenizer is rule-based and needs no trained pipeline, so these boundaries are the
same on every machine, whichever model pre-annotated the project.
"""

from __future__ import annotations

import threading

import spacy
from spacy.language import Language

_blank: Language | None = None
_building = threading.Lock()


def blank_english() -> Language:
    """spaCy's blank English pipeline, built once (half a second): a second caller waits
    for the first instead of building another (the window builds it on a thread)."""
    global _blank
    if _blank is None:
        with _building:
            if _blank is None:
                _blank = spacy.blank("en")
    return _blank


def blank_english_ready() -> bool:
    """Whether ``blank_english`` answers at once."""
    return _blank is not None


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
