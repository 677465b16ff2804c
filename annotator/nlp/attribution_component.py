"""The attribution component: each suggested claim's source, relation and attributes.

``annotator_attribution`` runs last, once the entities are final (after a trained model's
``annotator_merge``): ``attribution.py`` finds each claim's source (a SOURCE suggestion, or
the FACTION suggestion that speaks) and attributes, with the claim word list the component
was saved with. SOURCE spans join the suggestions in ``doc.spans["annotator_suggestions"]``;
relations and values go to ``doc.user_data["annotator_relations"]`` (``[head start, head
end, head label, child start, child end, child label, relation]``) and
``doc.user_data["annotator_attributes"]`` (``[start, end, label, name, value]``): plain
lists of character offsets, which travel with a ``Doc`` from a worker process and through
``Doc.to_bytes``. ``claim_links(doc)`` reads them back as ``SpanRelation`` and
``SpanAttribute`` values.
"""

from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from annotator.core.model import Span
from annotator.core.relations import SOURCE_LABEL, SpanAttribute, SpanRelation
from annotator.nlp.attribution import attribute_suggestions
from annotator.nlp.component_data import SUGGESTIONS_KEY, DataFiles, put_suggestions, suggestions
from annotator.nlp.wordlists import CLAIM_WORDS, ClaimWords, load_claim_words

ATTRIBUTION = "annotator_attribution"
#: ``doc.user_data`` keys of the suggested relations and attribute values.
RELATIONS_KEY = "annotator_relations"
ATTRIBUTES_KEY = "annotator_attributes"
#: Components that decide the suggested entities and claims: attribution comes after them
#: (named, not imported: the last is a trained model's, ``learned.py``).
_DECIDING = ("annotator_entities", "annotator_claims", "annotator_merge")


class AttributionSuggester(DataFiles):
    """Each suggested claim's source, its ``source`` relation and its attribute values."""

    files = (CLAIM_WORDS,)

    def __init__(
        self,
        name: str = ATTRIBUTION,
        *,
        spans_key: str = SUGGESTIONS_KEY,
        words: ClaimWords | None = None,
    ):
        self.name = name
        self.spans_key = spans_key
        self.words = words or load_claim_words()

    def __call__(self, doc: Doc) -> Doc:
        spans = [s for s in suggestions(doc, self.spans_key) if s.label != SOURCE_LABEL]
        found = attribute_suggestions(doc, spans, self.words)
        sources = [doc.char_span(s.start, s.end, label=SOURCE_LABEL) for s in found.sources]
        put_suggestions(doc, self.spans_key, (SOURCE_LABEL,), sources)  # type: ignore[arg-type]
        # Plain lists: they pickle with the Doc (worker processes) and survive to_bytes, and
        # come back as they went (tuples came back from nlp.pipe's workers as lists).
        doc.user_data[RELATIONS_KEY] = [
            [*_key(r.head), *_key(r.child), r.label] for r in found.relations
        ]
        doc.user_data[ATTRIBUTES_KEY] = [[*_key(a.span), a.name, a.value] for a in found.attributes]
        return doc

    def texts(self) -> dict[str, str]:
        return {CLAIM_WORDS: self.words.text}

    def load_texts(self, texts: dict[str, str]) -> None:
        self.words = ClaimWords.parse(texts[CLAIM_WORDS])


def _key(span: Span) -> tuple[int, int, str]:
    return span.start, span.end, span.label


@Language.factory(ATTRIBUTION, default_config={"spans_key": SUGGESTIONS_KEY})
def make_attribution(nlp: Language, name: str, spans_key: str) -> AttributionSuggester:
    return AttributionSuggester(name, spans_key=spans_key)


def claim_links(doc: Doc, offset: int = 0) -> tuple[list[SpanRelation], list[SpanAttribute]]:
    """The relations and attribute values the attribution component suggested for ``doc``,
    naming their spans by value (start, end, label); ``offset`` is added to each."""
    relations = [
        SpanRelation(
            Span(hs + offset, he + offset, hl, "model"),
            Span(cs + offset, ce + offset, cl, "model"),
            label,
            "model",
        )
        for hs, he, hl, cs, ce, cl, label in doc.user_data.get(RELATIONS_KEY, ())
    ]
    attributes = [
        SpanAttribute(Span(s + offset, e + offset, label, "model"), name, value, "model")
        for s, e, label, name, value in doc.user_data.get(ATTRIBUTES_KEY, ())
    ]
    return relations, attributes


def attribution_last(nlp: Language) -> None:
    """Move the attribution component after every component that decides the suggested
    entities and claims (a trained model's ``annotator_merge`` included): the source of a
    claim is read from the final entities."""
    if not nlp.has_pipe(ATTRIBUTION):
        return
    names = nlp.pipe_names
    at = names.index(ATTRIBUTION)
    if not any(name in _DECIDING for name in names[at + 1 :]):
        return
    last = max(names.index(name) for name in _DECIDING if name in names)
    _, component = nlp.remove_pipe(ATTRIBUTION)
    config = {"spans_key": component.spans_key}  # type: ignore[attr-defined]
    moved = nlp.add_pipe(ATTRIBUTION, after=nlp.pipe_names[last - 1], config=config)
    moved.load_texts(component.texts())  # type: ignore[attr-defined]
