"""Small helpers shared by the pre-annotation tests."""

from __future__ import annotations

from collections.abc import Iterable

from spacy.tokens import Doc

from annotator.core.model import Article, Span
from annotator.core.resources import resource
from annotator.nlp.spacy_preannotator import SpacyPreAnnotator


def texts_of(text: str, spans: Iterable[Span], label: str) -> list[str]:
    return [text[s.start : s.end] for s in spans if s.label == label]


def suggest_one(preannotator, text: str) -> list[Span]:
    return next(iter(preannotator.suggest([text])))


def claim_sources(preannotator, text: str) -> dict[str, tuple[str, str]]:
    """Each suggested claim's words -> its source's words and label."""
    [found] = preannotator.suggest_articles([Article(text)])
    return {
        text[r.head.start : r.head.end]: (text[r.child.start : r.child.end], r.child.label)
        for r in found.relations
    }


def claims_said(preannotator, text: str) -> dict[str, tuple[str | None, dict[str, str]]]:
    """Each suggested claim's words -> its source's words and its attribute values."""
    [found] = preannotator.suggest_articles([Article(text)])
    sources = {r.head: text[r.child.start : r.child.end] for r in found.relations}
    values: dict[Span, dict[str, str]] = {}
    for a in found.attributes:
        values.setdefault(a.span, {})[a.name] = a.value
    return {
        text[s.start : s.end]: (sources.get(s), values.get(s, {}))
        for s in found.spans
        if s.label == "CLAIM"
    }


def sample_texts() -> list[str]:
    """The bundled sample articles."""
    samples = resource("samples")
    return [e.read_text(encoding="utf-8") for e in samples.iterdir() if e.name.endswith(".txt")]


def edge_errors(preannotator, texts: list[str]) -> list[str]:
    """LOCATION and FACTION suggestions that start with "the" or end with a possessive "'s",
    against the guidelines ("The" spelled by the gazetteer as part of a name aside)."""
    names = set(preannotator.lexicon.places)
    errors = []
    for text, spans in zip(texts, preannotator.suggest(texts), strict=True):
        for s in spans:
            words = text[s.start : s.end].split()
            if s.label not in ("LOCATION", "FACTION") or text[s.start : s.end] in names:
                continue
            if words[0].lower() == "the" or words[-1].endswith(("'s", "’s")):
                errors.append(text[s.start : s.end])
    return errors


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
