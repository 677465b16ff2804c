"""Components of a trained project model: a learned entity recognizer working with the rules.

A trained pipeline is the base pipeline with the rule components (``components.py``) plus:

- ``annotator_set_aside``: moves the base ``ner``'s entities (which the rules have used) to
  ``doc.spans["annotator_ontonotes"]`` and leaves ``doc.ents`` unset, so the learned
  recognizer predicts freely (a ``ner`` keeps entities already set);
- ``annotator_ner``: a copy of the base ``ner`` fine-tuned on the project's finished articles.
  It keeps the base model's labels, and the project's LOCATION and FACTION spans are taught
  as the base label closest to them (GPE, LOC or FAC; ORG or NORP), so it starts as good as
  the base model and learns the project's conventions (edges, which organisations are
  parties) from a handful of articles;
- ``annotator_merge``: the learned LOCATION and FACTION spans and the rules' suggestions
  become one set: per label, the source that scored better in cross-validation on the
  training articles goes first (``first``), the other fills the gaps it leaves. The result
  replaces the LOCATION and FACTION suggestions in ``doc.spans["annotator_suggestions"]``
  and is set as ``doc.ents``; CLAIM suggestions are left as the rules made them.
"""

from __future__ import annotations

from collections.abc import Iterable

from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.nlp.components import SUGGESTIONS_KEY, put_suggestions
from annotator.nlp.entities import FACTION, LOCATION

SET_ASIDE = "annotator_set_aside"
LEARNED_NER = "annotator_ner"
MERGE = "annotator_merge"
ONTONOTES_KEY = "annotator_ontonotes"
LEARNED_KEY = "annotator_learned"

#: The learned recognizer's labels as suggestions.
SUGGESTED_AS = {"GPE": LOCATION, "LOC": LOCATION, "FAC": LOCATION, "ORG": FACTION, "NORP": FACTION}
#: A project's label taught as the base label the base model gave the same words, if one of
#: these, else the first.
TAUGHT_AS = {LOCATION: ("GPE", "LOC", "FAC"), FACTION: ("ORG", "NORP")}
SOURCES = ("learned", "rules")


@Language.factory(SET_ASIDE, default_config={"spans_key": ONTONOTES_KEY})
def make_set_aside(nlp: Language, name: str, spans_key: str):
    def set_aside(doc: Doc) -> Doc:
        doc.spans[spans_key] = list(doc.ents)
        doc.set_ents([], default="missing")
        return doc

    return set_aside


def learned_spans(doc: Doc) -> list[SpacySpan]:
    """The learned recognizer's entities as LOCATION and FACTION spans."""
    return [
        SpacySpan(doc, ent.start, ent.end, label=SUGGESTED_AS[ent.label_])
        for ent in doc.ents
        if ent.label_ in SUGGESTED_AS
    ]


def merge(
    first: dict[str, str], learned: Iterable[SpacySpan], rules: Iterable[SpacySpan]
) -> list[SpacySpan]:
    """One non-overlapping set: per label the ``first`` source's spans, then the rest as
    gaps allow (FACTION before LOCATION within a pass; a longer span never displaces one
    already kept)."""
    by_source = {"learned": list(learned), "rules": list(rules)}
    passes = []
    for preferred in (True, False):
        for label in (FACTION, LOCATION):
            for source in SOURCES:
                if (first.get(label, "rules") == source) == preferred:
                    passes.append([s for s in by_source[source] if s.label_ == label])
    kept: list[SpacySpan] = []
    taken: set[int] = set()
    for spans in passes:
        for span in spans:
            if taken.isdisjoint(range(span.start, span.end)):
                kept.append(span)
                taken.update(range(span.start, span.end))
    return sorted(kept, key=lambda s: (s.start, s.end))


class MergeSuggestions:
    """The learned entities and the rules' as the pipeline's LOCATION and FACTION suggestions."""

    def __init__(self, name: str, first: dict[str, str], spans_key: str):
        unknown = {source for source in first.values() if source not in SOURCES}
        if unknown:
            raise ValueError(f"{name}: unknown source {sorted(unknown)[0]!r}; known: {SOURCES}")
        self.name = name
        self.first = dict(first)
        self.spans_key = spans_key

    def __call__(self, doc: Doc) -> Doc:
        learned = learned_spans(doc)
        doc.spans[LEARNED_KEY] = learned
        rules = [s for s in doc.spans.get(self.spans_key, ()) if s.label_ in (LOCATION, FACTION)]
        merged = merge(self.first, learned, rules)
        put_suggestions(doc, self.spans_key, (LOCATION, FACTION), merged)
        doc.set_ents(merged, default="outside")
        return doc


@Language.factory(
    MERGE,
    default_config={
        "first": {LOCATION: "rules", FACTION: "learned"},
        "spans_key": SUGGESTIONS_KEY,
    },
)
def make_merge(nlp: Language, name: str, first: dict[str, str], spans_key: str) -> MergeSuggestions:
    return MergeSuggestions(name, first, spans_key)
