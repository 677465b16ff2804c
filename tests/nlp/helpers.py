"""Small helpers shared by the pre-annotation tests."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from annotator.core.model import Span
from annotator.nlp.spacy_preannotator import SpacyPreAnnotator


def texts_of(text: str, spans: Iterable[Span], label: str) -> list[str]:
    return [text[s.start : s.end] for s in spans if s.label == label]


def suggest_one(preannotator, text: str) -> list[Span]:
    return next(iter(preannotator.suggest([text])))


def with_ents(rules: SpacyPreAnnotator, text: str, ents: list[tuple[str, str]]) -> Doc:
    """Run the rules pipeline and set the entities a model would have found: (words, label)."""
    doc = rules.nlp(text)
    found = []
    for words, label in ents:
        start = text.index(words)
        span = doc.char_span(start, start + len(words), label=label)
        assert span is not None, words
        found.append(span)
    doc.ents = found
    return doc
