"""A project's edge convention, learned from its finished articles.

Corpora and projects differ in where a name's span begins and ends: GUM's markables take in
"the" ("the United Nations") and a possessive ("China's"), CoNLL's and this program's
guidelines do not. The rules follow one convention; a project that follows the other loses
every such span in exact F1 and its annotators fix each one by hand. So, per label, count in
the finished articles how often a span next to such a word takes it in; where the annotators
clearly do (``TAKE_IN`` of the cases, at least ``MIN_CASES`` of them), the trained model's
suggestions of that label take it in too (``annotator.nlp.learned.take_in_edges``).

Claims likewise: GUM's attributions take in the full stop or comma after the claim and the
quotation marks around a quoted one ('"We fought them,"'); the rules' guidelines leave them
out (``take_in_claim_edges``).
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence

from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.nlp.claims import CLAIM
from annotator.nlp.learned import (
    CLAIM_EDGES,
    CLAIM_PUNCTUATION,
    CLOSING_QUOTES,
    EDGES,
    LEADING_THE,
    OPENING_QUOTES,
    POSSESSIVE,
    PUNCTUATION,
    QUOTES,
)
from annotator.nlp.training.data import LEARNED_LABELS, LabelledText

#: Share of the spans next to an edge word that must take it in.
TAKE_IN = 0.7
#: Fewer cases than this say nothing.
MIN_CASES = 3
_POSSESSIVES = ("'s", "’s")


def learn_edges(docs: Sequence[Doc], train: Sequence[LabelledText]) -> dict[str, list[str]]:
    """Per label, the edge words the finished spans take in (``docs``: the texts as the
    pipeline tokenized them, in the order of ``train``)."""
    counts: Counter[tuple[str, str, bool]] = Counter()
    for doc, item in zip(docs, train, strict=True):
        for span in item.spans:
            if span.label not in (*LEARNED_LABELS, CLAIM):
                continue
            tokens = doc.char_span(span.start, span.end, alignment_mode="expand")
            if tokens is None or not len(tokens):
                continue
            if span.label == CLAIM:
                _count_claim_edges(doc, tokens, counts)
                continue
            if tokens[0].lower_ == "the" and len(tokens) > 1:
                counts[(span.label, LEADING_THE, True)] += 1
            elif tokens.start > 0 and doc[tokens.start - 1].lower_ == "the":
                counts[(span.label, LEADING_THE, False)] += 1
            if tokens[-1].lower_ in _POSSESSIVES and len(tokens) > 1:
                counts[(span.label, POSSESSIVE, True)] += 1
            elif tokens.end < len(doc) and doc[tokens.end].lower_ in _POSSESSIVES:
                counts[(span.label, POSSESSIVE, False)] += 1
    edges: dict[str, list[str]] = {}
    for label, words in (*((label, EDGES) for label in LEARNED_LABELS), (CLAIM, CLAIM_EDGES)):
        for word in words:
            taken, left = counts[(label, word, True)], counts[(label, word, False)]
            if taken + left >= MIN_CASES and taken >= TAKE_IN * (taken + left):
                edges.setdefault(label, []).append(word)
    return edges


def _count_claim_edges(doc: Doc, claim: SpacySpan, counts: Counter) -> None:
    """Whether a finished claim took in the punctuation mark after its last word, and the
    quotation mark that opens it, where there was one to take (as ``take_in_claim_edges``
    would find it)."""
    start, end = claim.start, claim.end
    if end - start > 1 and doc[start].text in OPENING_QUOTES:
        counts[(CLAIM, QUOTES, True)] += 1
    elif start > 0 and doc[start - 1].text in OPENING_QUOTES and not doc[start - 1].whitespace_:
        counts[(CLAIM, QUOTES, False)] += 1
    if end - start > 1 and doc[end - 1].text in CLOSING_QUOTES and doc[end - 2].is_punct:
        end -= 1  # '…all,"': the comma before the closing mark
    if end - start > 1 and doc[end - 1].text in CLAIM_PUNCTUATION:
        counts[(CLAIM, PUNCTUATION, True)] += 1
    elif end < len(doc) and doc[end].text in CLAIM_PUNCTUATION and not doc[end - 1].whitespace_:
        counts[(CLAIM, PUNCTUATION, False)] += 1
