"""The rules as spaCy pipeline components, so a saved pipeline carries them.

``add_rule_components(nlp)`` puts them into any pipeline (trained or blank), once:

- ``annotator_paragraphs``: a blank line starts a sentence;
- ``annotator_names`` and ``annotator_actors``: two ``SpanRuler``s with the gazetteer and the
  faction lexicon, into ``doc.spans["annotator_rules"]``;
- ``annotator_entities``: the entity rules (``entities.py``) turn the model's entities and the
  rulers' matches into LOCATION and FACTION suggestions;
- ``annotator_claims``: the claim rules (``claims.py``) add CLAIM suggestions;
- ``annotator_attribution``, last, once the entities are final (after a trained model's
  ``annotator_merge``): each claim's source (``attribution.py``) as a SOURCE suggestion or
  the FACTION suggestion that speaks, the ``source`` relations and the claim attributes.

Every suggested span ends up in ``doc.spans["annotator_suggestions"]``; the relations and
attribute values in ``doc.user_data["annotator_relations"]`` and
``doc.user_data["annotator_attributes"]`` as plain tuples of character offsets (what
``claim_links(doc)`` reads), which travel with the ``Doc`` from a worker process. So
``nlp.pipe(..., n_process=N)`` makes them all in its workers, and ``spacy.load`` of a saved
pipeline gives the program's suggestions (for a text given as the program gives it: hard
line breaks joined, ``annotator.core.text.join_hard_line_breaks``). The entity, claim and
attribution components write the data files they were built from into the saved pipeline
(``to_disk``) and read them back (``from_disk``); the factories are also registered as
``spacy_factories`` entry points, so ``spacy.load`` finds them in any process where this
program is installed.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import srsly
from spacy.language import Language
from spacy.tokens import Doc
from spacy.tokens import Span as SpacySpan

from annotator.core.model import Span
from annotator.core.relations import SOURCE_LABEL, SpanAttribute, SpanRelation
from annotator.nlp.attribution import attribute_suggestions
from annotator.nlp.claims import CLAIM, ClaimRules
from annotator.nlp.entities import (
    ACTORS_RULER,
    FACTION,
    LOCATION,
    NAMES_RULER,
    NOT_FACTION,
    RULES_KEY,
    EntityRules,
)
from annotator.nlp.lexicon import FACTIONS, GAZETTEER, Lexicon, load_lexicon, parse_lexicon
from annotator.nlp.wordlists import (
    CLAIM_WORDS,
    ENTITY_WORDS,
    ClaimWords,
    EntityWords,
    load_claim_words,
    load_entity_words,
)

SUGGESTIONS_KEY = "annotator_suggestions"
PARAGRAPHS = "annotator_paragraphs"
ENTITIES = "annotator_entities"
CLAIMS = "annotator_claims"
ATTRIBUTION = "annotator_attribution"
#: The components ``add_rule_components`` adds, in pipeline order (rulers first).
RULE_COMPONENTS = (NAMES_RULER, ACTORS_RULER, PARAGRAPHS, ENTITIES, CLAIMS, ATTRIBUTION)
#: ``doc.user_data`` keys of the suggested relations and attribute values.
RELATIONS_KEY = "annotator_relations"
ATTRIBUTES_KEY = "annotator_attributes"
#: Components that decide the suggested entities and claims: attribution comes after them.
#: (``annotator_merge`` is a trained model's, ``learned.py``: named here, not imported.)
_DECIDING = (ENTITIES, CLAIMS, "annotator_merge")

_PARAGRAPH_BREAK = re.compile(r"\n[ \t]*\n")


def paragraph_boundaries(doc: Doc) -> Doc:
    """A blank line starts a sentence: headlines, datelines and paragraphs never run together.

    Before the parser, which keeps boundaries already set; after a sentencizer, which does not.
    """
    for match in _PARAGRAPH_BREAK.finditer(doc.text):
        span = doc.char_span(match.start(), match.end(), alignment_mode="expand")
        if span is not None and span.end < len(doc):
            doc[span.end].is_sent_start = True
    return doc


@Language.factory(PARAGRAPHS)
def make_paragraphs(nlp: Language, name: str) -> Callable[[Doc], Doc]:
    return paragraph_boundaries


def put_suggestions(doc: Doc, key: str, labels: Iterable[str], spans: Iterable[SpacySpan]) -> None:
    """Make ``spans`` the group's suggestions of ``labels``, keeping its others."""
    replaced = set(labels)
    kept = [span for span in doc.spans.get(key, ()) if span.label_ not in replaced]
    doc.spans[key] = [*kept, *spans]


def suggestions(doc: Doc, key: str = SUGGESTIONS_KEY, offset: int = 0) -> list[Span]:
    """The suggestions a pipeline made for ``doc``, as character spans, in text order;
    ``offset`` is added to each (where ``doc`` is a piece of a longer text)."""
    found = [
        Span(span.start_char + offset, span.end_char + offset, span.label_, origin="model")
        for span in doc.spans.get(key, ())
    ]
    return sorted(found, key=lambda s: (s.start, s.end, s.label))


class _DataFiles:
    """Serialization of a component that is built from text files: the files themselves."""

    files: tuple[str, ...]

    def texts(self) -> dict[str, str]:
        raise NotImplementedError

    def load_texts(self, texts: dict[str, str]) -> None:
        raise NotImplementedError

    def to_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> None:
        path = Path(path)
        path.mkdir(parents=True, exist_ok=True)
        for name, text in self.texts().items():
            (path / name).write_text(text, encoding="utf-8")

    def from_disk(self, path: str | Path, *, exclude: Iterable[str] = ()) -> Any:
        path = Path(path)
        self.load_texts({name: (path / name).read_text(encoding="utf-8") for name in self.files})
        return self

    def to_bytes(self, *, exclude: Iterable[str] = ()) -> bytes:
        return srsly.msgpack_dumps(self.texts())

    def from_bytes(self, data: bytes, *, exclude: Iterable[str] = ()) -> Any:
        self.load_texts(srsly.msgpack_loads(data))
        return self


class EntitySuggester(_DataFiles):
    """LOCATION and FACTION suggestions from the model's entities and the rulers' matches."""

    files = (FACTIONS, GAZETTEER, ENTITY_WORDS)

    def __init__(
        self,
        name: str = ENTITIES,
        *,
        spans_key: str = SUGGESTIONS_KEY,
        lexicon: Lexicon | None = None,
        words: EntityWords | None = None,
    ):
        self.name = name
        self.spans_key = spans_key
        self.rules = EntityRules(lexicon or load_lexicon(), words or load_entity_words())

    @property
    def lexicon(self) -> Lexicon:
        return self.rules.lexicon

    def __call__(self, doc: Doc) -> Doc:
        found = [doc.char_span(s.start, s.end, label=s.label) for s in self.spans(doc)]
        put_suggestions(doc, self.spans_key, (LOCATION, FACTION), found)  # type: ignore[arg-type]
        return doc

    def spans(self, doc: Doc) -> list[Span]:
        """The suggestions for ``doc`` (its entities and rule matches already set)."""
        return self.rules.spans(doc)

    def texts(self) -> dict[str, str]:
        lexicon = self.rules.lexicon
        return {
            FACTIONS: lexicon.factions_text,
            GAZETTEER: lexicon.gazetteer_text,
            ENTITY_WORDS: self.rules.words.text,
        }

    def load_texts(self, texts: dict[str, str]) -> None:
        self.rules = EntityRules(
            parse_lexicon(texts[FACTIONS], texts[GAZETTEER]), EntityWords.parse(texts[ENTITY_WORDS])
        )


@Language.factory(ENTITIES, default_config={"spans_key": SUGGESTIONS_KEY})
def make_entities(nlp: Language, name: str, spans_key: str) -> EntitySuggester:
    return EntitySuggester(name, spans_key=spans_key)


class ClaimSuggester(_DataFiles):
    """CLAIM suggestions from reporting verbs, "according to" and quotations."""

    files = (CLAIM_WORDS,)

    def __init__(
        self,
        name: str = CLAIMS,
        *,
        spans_key: str = SUGGESTIONS_KEY,
        words: ClaimWords | None = None,
    ):
        self.name = name
        self.spans_key = spans_key
        self.rules = ClaimRules(words or load_claim_words())

    def __call__(self, doc: Doc) -> Doc:
        # A claim's edges are trimmed by characters; a full stop inside a token ("the U.S.")
        # stays with it, as spans in a Doc hold whole tokens.
        found: dict[tuple[int, int], SpacySpan] = {}
        for s in self.spans(doc):
            span = doc.char_span(s.start, s.end, label=CLAIM, alignment_mode="expand")
            if span is not None:
                found.setdefault((span.start, span.end), span)
        put_suggestions(doc, self.spans_key, (CLAIM,), found.values())
        return doc

    def spans(self, doc: Doc) -> list[Span]:
        return self.rules.spans(doc)

    def texts(self) -> dict[str, str]:
        return {CLAIM_WORDS: self.rules.words.text}

    def load_texts(self, texts: dict[str, str]) -> None:
        self.rules = ClaimRules(ClaimWords.parse(texts[CLAIM_WORDS]))


@Language.factory(CLAIMS, default_config={"spans_key": SUGGESTIONS_KEY})
def make_claims(nlp: Language, name: str, spans_key: str) -> ClaimSuggester:
    return ClaimSuggester(name, spans_key=spans_key)


class AttributionSuggester(_DataFiles):
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
        # Plain tuples: they pickle with the Doc (worker processes) and survive to_bytes.
        doc.user_data[RELATIONS_KEY] = [
            (*_key(r.head), *_key(r.child), r.label) for r in found.relations
        ]
        doc.user_data[ATTRIBUTES_KEY] = [(*_key(a.span), a.name, a.value) for a in found.attributes]
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


def add_entity_rulers(nlp: Language, lexicon: Lexicon) -> None:
    """Add the gazetteer and faction lexicon as two ``SpanRuler`` components.

    Names match case-sensitively (``ORTH``): "Hama" the city, not "hama"; places also in
    capitals ("ALEPPO", in datelines and headlines) when that is at least five letters long:
    shorter ones ("GAO", "KUT") are as often acronyms. Generic actor phrases and nationality +
    actor noun combinations match in any case (``LOWER``).
    """
    # First in the pipeline: the rulers need only tokens, and SpanRuler runs the components
    # before it over every phrase pattern when it compiles them (seconds of parsing for nothing).
    names = nlp.add_pipe(
        "span_ruler",
        name=NAMES_RULER,
        first=True,
        config={"spans_key": RULES_KEY, "overwrite": True},
    )
    capitals = [p.upper() for p in lexicon.places if sum(ch.isalpha() for ch in p) >= 5]
    patterns: list[dict] = [
        {"label": LOCATION, "pattern": p, "id": "place"}
        for p in dict.fromkeys([*lexicon.places, *capitals])
    ]
    patterns += [{"label": FACTION, "pattern": p, "id": "named"} for p in lexicon.faction_names()]
    patterns += [
        {"label": NOT_FACTION, "pattern": p, "id": "not_faction"} for p in lexicon.not_factions
    ]
    names.add_patterns(patterns)  # type: ignore[attr-defined]

    actors = nlp.add_pipe(
        "span_ruler",
        name=ACTORS_RULER,
        after=NAMES_RULER,
        config={"spans_key": RULES_KEY, "overwrite": False, "phrase_matcher_attr": "LOWER"},
    )
    phrases = [p.lower() for p in lexicon.generic_factions]
    phrases += [
        f"{nationality} {noun}".lower()
        for nationality in lexicon.nationalities
        for noun in lexicon.actor_nouns
    ]
    actors.add_patterns(  # type: ignore[attr-defined]
        [{"label": FACTION, "pattern": p, "id": "generic"} for p in dict.fromkeys(phrases)]
    )


def add_rule_components(nlp: Language) -> list[str]:
    """Add the rule components a pipeline lacks; a pipeline saved with them keeps its own.
    Returns the names of those added."""
    before = set(nlp.pipe_names)
    if not nlp.has_pipe(NAMES_RULER):
        add_entity_rulers(nlp, load_lexicon())
    if not any(nlp.has_pipe(name) for name in ("parser", "senter", "sentencizer")):
        nlp.add_pipe("sentencizer")
    if not nlp.has_pipe(PARAGRAPHS):
        if nlp.has_pipe("parser"):
            nlp.add_pipe(PARAGRAPHS, before="parser")
        else:
            nlp.add_pipe(PARAGRAPHS)
    for label in (LOCATION, FACTION, CLAIM, SOURCE_LABEL):
        nlp.vocab.strings.add(label)  # span labels a worker process sends back
    if not nlp.has_pipe(ENTITIES):
        nlp.add_pipe(ENTITIES)
    if not nlp.has_pipe(CLAIMS):
        nlp.add_pipe(CLAIMS, after=ENTITIES)
    if not nlp.has_pipe(ATTRIBUTION):
        nlp.add_pipe(ATTRIBUTION, last=True)
    attribution_last(nlp)
    return [name for name in nlp.pipe_names if name not in before]


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
